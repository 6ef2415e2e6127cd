-- Matching: a change counter that tells replicas to rebuild their
-- in-memory index, per-institution weights and rules, saved proposals.

-- +goose Up
CREATE TABLE matching_epoch (
    id    boolean PRIMARY KEY DEFAULT true CHECK (id),
    epoch bigint NOT NULL DEFAULT 0
);
INSERT INTO matching_epoch DEFAULT VALUES;

-- +goose StatementBegin
CREATE FUNCTION bump_matching_epoch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE matching_epoch SET epoch = epoch + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER people_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER person_competencies_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON person_competencies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER bookings_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON bookings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER availability_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON availability
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER unavailable_periods_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON unavailable_periods
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER sessions_matching_epoch AFTER UPDATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();

CREATE TABLE matching_settings (
    institution_id bigint PRIMARY KEY REFERENCES institutions (id),
    weights        jsonb NOT NULL,
    monthly_cap_jp integer NOT NULL DEFAULT 0 CHECK (monthly_cap_jp BETWEEN 0 AND 200),
    budget_per_jp  bigint NOT NULL DEFAULT 0 CHECK (budget_per_jp >= 0),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE assignment_proposals (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    course_id      bigint NOT NULL REFERENCES courses (id),
    proposal       jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    applied_at     timestamptz
);
CREATE INDEX assignment_proposals_course_idx ON assignment_proposals (course_id);

-- +goose Down
DROP TABLE assignment_proposals;
DROP TABLE matching_settings;
DROP TRIGGER sessions_matching_epoch ON sessions;
DROP TRIGGER unavailable_periods_matching_epoch ON unavailable_periods;
DROP TRIGGER availability_matching_epoch ON availability;
DROP TRIGGER bookings_matching_epoch ON bookings;
DROP TRIGGER person_competencies_matching_epoch ON person_competencies;
DROP TRIGGER people_matching_epoch ON people;
DROP FUNCTION bump_matching_epoch();
DROP TABLE matching_epoch;
