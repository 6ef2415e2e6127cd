-- Co-trainer certificates, their gapless numbering, signing keys.

-- +goose Up
CREATE TABLE certificate_settings (
    institution_id  bigint PRIMARY KEY REFERENCES institutions (id),
    number_template text NOT NULL CHECK (number_template LIKE '%{seq%' AND number_template LIKE '%{year}%'),
    signer_name     text NOT NULL,
    signer_title    text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One row per institution and year; the row lock taken by the increment
-- serialises issuance, and a rolled-back issuance rolls the number back,
-- so numbers are unique and gapless.
CREATE TABLE certificate_sequences (
    institution_id bigint NOT NULL REFERENCES institutions (id),
    year           integer NOT NULL,
    last           integer NOT NULL,
    PRIMARY KEY (institution_id, year)
);

-- Private keys are sealed with AES-256-GCM under the configured key
-- encryption key; retired keys stay for verification.
CREATE TABLE signing_keys (
    kid         text PRIMARY KEY,
    public_key  bytea NOT NULL CHECK (length(public_key) = 32),
    sealed_key  bytea,
    active      boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now(),
    retired_at  timestamptz
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (active) WHERE active;

CREATE TABLE certificates (
    id                  bigserial PRIMARY KEY,
    institution_id      bigint NOT NULL REFERENCES institutions (id),
    number              text NOT NULL,
    year                integer NOT NULL,
    seq                 integer NOT NULL CHECK (seq > 0),
    person_id           bigint NOT NULL REFERENCES people (id),
    holder_name         text NOT NULL,
    holder_nip          text NOT NULL DEFAULT '',
    holder_organisation text NOT NULL DEFAULT '',
    role                text NOT NULL CHECK (role IN ('lead', 'co_trainer')),
    course_id           bigint NOT NULL REFERENCES courses (id),
    course_name         text NOT NULL,
    start_date          date NOT NULL,
    end_date            date NOT NULL,
    place               text NOT NULL,
    jp                  integer NOT NULL CHECK (jp > 0),
    issuer              text NOT NULL,
    issuer_code         text NOT NULL,
    signer_name         text NOT NULL,
    signer_title        text NOT NULL,
    issued_at           timestamptz NOT NULL,
    kid                 text NOT NULL REFERENCES signing_keys (kid),
    signature           bytea NOT NULL CHECK (length(signature) = 64),
    code                text NOT NULL UNIQUE,
    status              text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked')),
    revoked_at          timestamptz,
    revoked_reason      text NOT NULL DEFAULT '',
    replaces_id         bigint REFERENCES certificates (id),
    UNIQUE (institution_id, number),
    UNIQUE (institution_id, year, seq),
    CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
);
CREATE UNIQUE INDEX certificates_one_valid ON certificates (course_id, person_id) WHERE status = 'valid';
CREATE INDEX certificates_revoked_idx ON certificates (id) WHERE status = 'revoked';

-- +goose Down
DROP TABLE certificates;
DROP TABLE signing_keys;
DROP TABLE certificate_sequences;
DROP TABLE certificate_settings;
