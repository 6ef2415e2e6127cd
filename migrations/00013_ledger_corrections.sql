-- Ledger corrections after a reversal, the sealed tax number, the
-- treasurer's signature block and the certificate signer's NIP.

-- +goose Up

-- A corrected draft for a booking whose paid row was reversed links to the
-- row it corrects. A booking has one row that is neither a reversal nor
-- reversed: the original until it is reversed, then its correction.
ALTER TABLE honoraria ADD COLUMN corrects_id bigint UNIQUE REFERENCES honoraria (id);
ALTER TABLE honoraria ADD CONSTRAINT honoraria_correction_is_not_reversal CHECK (corrects_id IS NULL OR reverses_id IS NULL);
DROP INDEX honoraria_one_per_booking;
CREATE UNIQUE INDEX honoraria_one_original_per_booking ON honoraria (booking_id) WHERE reverses_id IS NULL AND corrects_id IS NULL;

-- The NPWP or NIK is sealed with AES-256-GCM under SIGNING_KEK (the key
-- that seals the signing keys). The plaintext column stays only until the
-- service seals what it holds on its next start.
ALTER TABLE people ADD COLUMN tax_id_sealed bytea;
ALTER TABLE people DROP CONSTRAINT IF EXISTS people_tax_id_check;

-- The signature block of the treasurer's export.
ALTER TABLE incentive_settings
    ADD COLUMN ppk_name text NOT NULL DEFAULT '',
    ADD COLUMN ppk_nip text NOT NULL DEFAULT '' CHECK (ppk_nip = '' OR ppk_nip ~ '^[0-9]{18}$'),
    ADD COLUMN treasurer_name text NOT NULL DEFAULT '',
    ADD COLUMN treasurer_nip text NOT NULL DEFAULT '' CHECK (treasurer_nip = '' OR treasurer_nip ~ '^[0-9]{18}$');

-- The certificate signer is named with the NIP printed under the name.
ALTER TABLE certificate_settings ADD COLUMN signer_nip text NOT NULL DEFAULT '';
ALTER TABLE certificates ADD COLUMN signer_nip text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE certificates DROP COLUMN signer_nip;
ALTER TABLE certificate_settings DROP COLUMN signer_nip;
ALTER TABLE incentive_settings DROP COLUMN ppk_name, DROP COLUMN ppk_nip, DROP COLUMN treasurer_name, DROP COLUMN treasurer_nip;
ALTER TABLE people DROP COLUMN tax_id_sealed;
DROP INDEX honoraria_one_original_per_booking;
CREATE UNIQUE INDEX honoraria_one_per_booking ON honoraria (booking_id) WHERE reverses_id IS NULL;
ALTER TABLE honoraria DROP CONSTRAINT honoraria_correction_is_not_reversal;
ALTER TABLE honoraria DROP COLUMN corrects_id;
