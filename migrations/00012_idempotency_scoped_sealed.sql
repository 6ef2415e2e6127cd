-- Idempotency-Key records belong to the API key that made them (a replay
-- with another key never sees them), keep the Idempotency-Key only as a
-- hash, keep the response body sealed under a key derived from the bearer
-- secret and the Idempotency-Key (neither is stored), and hold a claim only
-- for a lease: a request that died frees its key within seconds.

-- +goose Up
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys DROP COLUMN key;
ALTER TABLE idempotency_keys ADD COLUMN api_key_id bigint NOT NULL;
ALTER TABLE idempotency_keys ADD COLUMN key_hash bytea NOT NULL CHECK (length(key_hash) = 32);
ALTER TABLE idempotency_keys ADD COLUMN lease_until timestamptz;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (api_key_id, key_hash);

-- +goose Down
DELETE FROM idempotency_keys;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys DROP COLUMN lease_until;
ALTER TABLE idempotency_keys DROP COLUMN key_hash;
ALTER TABLE idempotency_keys DROP COLUMN api_key_id;
ALTER TABLE idempotency_keys ADD COLUMN key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255);
ALTER TABLE idempotency_keys ADD PRIMARY KEY (institution_id, key);
