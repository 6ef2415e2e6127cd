-- Who may co-train a course, an index for listing sessions across courses
-- by time, and the English form of a ledger row's basis.

-- +goose Up

-- The service brings people from the field next to widyaiswara: a course's
-- co-trainers are practitioners unless it says widyaiswara may co-train too.
ALTER TABLE courses ADD COLUMN co_trainers text NOT NULL DEFAULT 'practitioners'
    CHECK (co_trainers IN ('practitioners', 'practitioners_and_widyaiswara'));

-- GET /v1/sessions pages an institution's sessions by (starts_at, id).
CREATE INDEX sessions_institution_start_idx ON sessions (institution_id, starts_at, id);

-- A ledger row's basis is kept as told in Indonesian (basis, which the
-- treasurer's documents use) and in English (basis_en), so that each
-- reader gets it in their language; rows from before have only basis.
ALTER TABLE honoraria ADD COLUMN basis_en text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE honoraria DROP COLUMN basis_en;
DROP INDEX sessions_institution_start_idx;
ALTER TABLE courses DROP COLUMN co_trainers;
