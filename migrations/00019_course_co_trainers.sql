-- Who may co-train a course, and an index for listing sessions across
-- courses by time.

-- +goose Up

-- The service brings people from the field next to widyaiswara: a course's
-- co-trainers are practitioners unless it says widyaiswara may co-train too.
ALTER TABLE courses ADD COLUMN co_trainers text NOT NULL DEFAULT 'practitioners'
    CHECK (co_trainers IN ('practitioners', 'practitioners_and_widyaiswara'));

-- GET /v1/sessions pages an institution's sessions by (starts_at, id).
CREATE INDEX sessions_institution_start_idx ON sessions (institution_id, starts_at, id);

-- +goose Down
DROP INDEX sessions_institution_start_idx;
ALTER TABLE courses DROP COLUMN co_trainers;
