-- Replays of an Idempotency-Key repeat the first response's Location and
-- ETag headers too.

-- +goose Up
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN headers;
