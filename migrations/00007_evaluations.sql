-- Participant evaluations of trainers (Likert 1-4 per item), collected
-- through an unguessable per-session form link.

-- +goose Up
CREATE TABLE evaluation_forms (
    id             bigserial PRIMARY KEY,
    hash           bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    institution_id bigint NOT NULL REFERENCES institutions (id),
    session_id     bigint NOT NULL REFERENCES sessions (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz
);

CREATE TABLE evaluations (
    id          bigserial PRIMARY KEY,
    form_id     bigint NOT NULL REFERENCES evaluation_forms (id),
    booking_id  bigint NOT NULL REFERENCES bookings (id),
    person_id   bigint NOT NULL REFERENCES people (id),
    scores      jsonb NOT NULL,
    mean        numeric(4, 3) NOT NULL CHECK (mean BETWEEN 1 AND 4),
    normalised  integer NOT NULL CHECK (normalised BETWEEN 0 AND 100),
    comment     text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX evaluations_person_idx ON evaluations (person_id);

CREATE TRIGGER evaluations_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON evaluations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();

-- +goose Down
DROP TABLE evaluations;
DROP TABLE evaluation_forms;
