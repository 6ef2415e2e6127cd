-- +goose Up
-- Queued mail carries answer links (/r/{token}) whose tokens are secrets:
-- the message is sealed at rest under the key encryption key, and this
-- says which rows are. Rows queued before are sealed when the service
-- starts (OutboxStore.SealMessages).
ALTER TABLE outbox ADD COLUMN sealed boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE outbox DROP COLUMN sealed;
