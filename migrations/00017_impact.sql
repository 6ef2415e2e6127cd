-- Impact beyond the certificate: a course's participants, their action
-- plans (rencana aksi), the follow-up after the course with the
-- participant's progress and the supervisor's confirmation, and the links
-- each of them answers through. Impact mail goes through the outbox keyed
-- by participant; a unique index lets each follow-up message exist once.

-- +goose Up
CREATE TABLE impact_settings (
    institution_id   bigint PRIMARY KEY REFERENCES institutions (id),
    follow_up_days   integer NOT NULL DEFAULT 56 CHECK (follow_up_days BETWEEN 7 AND 365),
    reminder_days    integer NOT NULL DEFAULT 7 CHECK (reminder_days BETWEEN 1 AND 60),
    reminders        integer NOT NULL DEFAULT 2 CHECK (reminders BETWEEN 0 AND 5),
    window_days      integer NOT NULL DEFAULT 28 CHECK (window_days BETWEEN 7 AND 180),
    plan_days        integer NOT NULL DEFAULT 14 CHECK (plan_days BETWEEN 1 AND 90),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

-- Participants are kept minimal: what the follow-up needs and no more.
CREATE TABLE participants (
    id               bigserial PRIMARY KEY,
    institution_id   bigint NOT NULL REFERENCES institutions (id),
    course_id        bigint NOT NULL REFERENCES courses (id),
    name             text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
    nip              text NOT NULL DEFAULT '' CHECK (nip = '' OR nip ~ '^[0-9]{18}$'),
    unit             text NOT NULL DEFAULT '' CHECK (length(unit) <= 200),
    email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    supervisor_name  text NOT NULL CHECK (length(supervisor_name) BETWEEN 2 AND 200),
    supervisor_email text NOT NULL CHECK (length(supervisor_email) BETWEEN 3 AND 254),
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (course_id, email)
);
CREATE UNIQUE INDEX participants_course_nip ON participants (course_id, nip) WHERE nip <> '';
CREATE INDEX participants_institution_idx ON participants (institution_id, course_id, id);

-- One link per purpose: the action plan form, the participant's progress
-- report, the supervisor's confirmation. Only the SHA-256 of the 256-bit
-- secret is kept.
CREATE TABLE impact_links (
    hash           bytea PRIMARY KEY CHECK (length(hash) = 32),
    institution_id bigint NOT NULL REFERENCES institutions (id),
    participant_id bigint NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    purpose        text NOT NULL CHECK (purpose IN ('plan', 'progress', 'confirm')),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL
);
CREATE INDEX impact_links_participant_idx ON impact_links (participant_id);

CREATE TABLE action_plans (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    participant_id bigint NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    position       integer NOT NULL CHECK (position BETWEEN 1 AND 3),
    change         text NOT NULL CHECK (length(change) BETWEEN 5 AND 1000),
    indicator      text NOT NULL CHECK (length(indicator) BETWEEN 2 AND 300),
    baseline       numeric(18, 4) NOT NULL,
    target         numeric(18, 4) NOT NULL CHECK (target <> baseline),
    due_date       date NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (participant_id, position)
);

-- The sessions a plan draws on, and the trainers of those sessions it
-- credits (what reports and matching count per trainer and per pair).
CREATE TABLE plan_sessions (
    plan_id    bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    session_id bigint NOT NULL REFERENCES sessions (id),
    PRIMARY KEY (plan_id, session_id)
);
CREATE TABLE plan_trainers (
    plan_id   bigint NOT NULL REFERENCES action_plans (id) ON DELETE CASCADE,
    person_id bigint NOT NULL REFERENCES people (id),
    PRIMARY KEY (plan_id, person_id)
);
CREATE INDEX plan_trainers_person_idx ON plan_trainers (person_id);

-- The follow-up of one participant: waiting until due_at, then open for
-- the participant's report, then reported (the supervisor is asked), then
-- confirmed; expired when nobody answered in time. next_at is when the
-- scheduler must look at it again.
CREATE TABLE follow_ups (
    participant_id       bigint PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
    institution_id       bigint NOT NULL REFERENCES institutions (id),
    course_id            bigint NOT NULL REFERENCES courses (id),
    state                text NOT NULL CHECK (state IN ('waiting', 'open', 'reported', 'confirmed', 'expired')),
    due_at               timestamptz NOT NULL,
    next_at              timestamptz,
    expires_at           timestamptz,
    reminders            integer NOT NULL DEFAULT 0,
    supervisor_reminders integer NOT NULL DEFAULT 0,
    opened_at            timestamptz,
    reported_at          timestamptz,
    confirmed_at         timestamptz,
    updated_at           timestamptz NOT NULL,
    CHECK ((state IN ('confirmed', 'expired')) = (next_at IS NULL))
);
CREATE INDEX follow_ups_due_idx ON follow_ups (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX follow_ups_course_idx ON follow_ups (course_id);

-- The participant's progress per plan, with evidence.
CREATE TABLE plan_progress (
    plan_id     bigint PRIMARY KEY REFERENCES action_plans (id) ON DELETE CASCADE,
    status      text NOT NULL CHECK (status IN ('done', 'partial', 'not_started')),
    value       numeric(18, 4),
    evidence    text NOT NULL DEFAULT '' CHECK (length(evidence) <= 2000),
    reported_at timestamptz NOT NULL
);

-- The supervisor's confirmation per plan: implemented or not, behaviour
-- change on a 1-4 Likert scale, and the indicator's value.
CREATE TABLE plan_confirmations (
    plan_id      bigint PRIMARY KEY REFERENCES action_plans (id) ON DELETE CASCADE,
    implemented  boolean NOT NULL,
    behaviour    integer NOT NULL CHECK (behaviour BETWEEN 1 AND 4),
    value        numeric(18, 4),
    comment      text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    confirmed_at timestamptz NOT NULL
);

-- Impact mail is keyed by participant; a follow-up message of one kind
-- (impact_follow_up, impact_reminder_1, impact_supervisor, ...) exists at
-- most once per participant, whatever number of schedulers run.
ALTER TABLE outbox ADD COLUMN participant_id bigint REFERENCES participants (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX outbox_impact_once ON outbox (participant_id, kind) WHERE participant_id IS NOT NULL AND kind <> 'impact_plan';

-- A confirmation changes the impact of the plan's trainers: matching
-- patches those people.
-- +goose StatementBegin
CREATE FUNCTION note_impact_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    e bigint;
BEGIN
    UPDATE matching_epoch SET epoch = epoch + 1 RETURNING epoch INTO e;
    INSERT INTO matching_changes (epoch, person_id)
        SELECT DISTINCT e, t.person_id FROM plan_trainers t JOIN changed_rows r ON r.plan_id = t.plan_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER plan_confirmations_changes_ins AFTER INSERT ON plan_confirmations REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_impact_changes();
CREATE TRIGGER plan_confirmations_changes_del AFTER DELETE ON plan_confirmations REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION note_impact_changes();

-- +goose Down
DROP TRIGGER plan_confirmations_changes_del ON plan_confirmations;
DROP TRIGGER plan_confirmations_changes_ins ON plan_confirmations;
DROP FUNCTION note_impact_changes();
DROP INDEX outbox_impact_once;
ALTER TABLE outbox DROP COLUMN participant_id;
DROP TABLE plan_confirmations;
DROP TABLE plan_progress;
DROP TABLE follow_ups;
DROP TABLE plan_trainers;
DROP TABLE plan_sessions;
DROP TABLE action_plans;
DROP TABLE impact_links;
DROP TABLE participants;
DROP TABLE impact_settings;
