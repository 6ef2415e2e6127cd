-- Tenants, API keys, people, competencies and the audit log.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE DOMAIN indonesian_zone AS text
    CHECK (VALUE IN ('Asia/Jakarta', 'Asia/Pontianak', 'Asia/Makassar', 'Asia/Jayapura'));

CREATE TABLE institutions (
    id          bigserial PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,19}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 3 AND 200),
    kind        text NOT NULL CHECK (kind IN ('bpsdm_provinsi', 'pusdiklat_kementerian', 'lainnya')),
    zone        indonesian_zone NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE people (
    id               bigserial PRIMARY KEY,
    institution_id   bigint NOT NULL REFERENCES institutions (id),
    kind             text NOT NULL CHECK (kind IN ('widyaiswara', 'practitioner')),
    name             text NOT NULL CHECK (length(name) BETWEEN 2 AND 200),
    email            text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    phone            text NOT NULL DEFAULT '' CHECK (phone = '' OR phone ~ '^\+62[1-9][0-9]{7,11}$'),
    nip              text CHECK (nip ~ '^[0-9]{18}$'),
    jenjang          text CHECK (jenjang IN ('ahli_pertama', 'ahli_muda', 'ahli_madya', 'ahli_utama')),
    golongan         text CHECK (golongan ~ '^((I|II|III)/[a-d]|IV/[a-e])$'),
    organisation     text NOT NULL DEFAULT '',
    unit             text NOT NULL DEFAULT '',
    employment       text NOT NULL CHECK (employment IN ('pns', 'pppk', 'non_asn')),
    tax_id_status    text NOT NULL DEFAULT 'none' CHECK (tax_id_status IN ('npwp', 'nik', 'none')),
    expertise        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(expertise) = 'array'),
    experience_years integer NOT NULL DEFAULT 0 CHECK (experience_years BETWEEN 0 AND 70),
    zone             indonesian_zone NOT NULL,
    share_profile    boolean NOT NULL DEFAULT false,
    version          integer NOT NULL DEFAULT 1,
    archived_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (kind <> 'widyaiswara' OR (nip IS NOT NULL AND jenjang IS NOT NULL AND golongan IS NOT NULL)),
    CHECK (kind = 'widyaiswara' OR jenjang IS NULL)
);
CREATE UNIQUE INDEX people_institution_nip_key ON people (institution_id, nip) WHERE nip IS NOT NULL;
CREATE UNIQUE INDEX people_institution_email_key ON people (institution_id, email);
CREATE INDEX people_institution_name_idx ON people (institution_id, name, id);
CREATE INDEX people_shared_idx ON people (id) WHERE share_profile AND kind = 'practitioner' AND archived_at IS NULL;

CREATE TABLE api_keys (
    id             bigserial PRIMARY KEY,
    prefix         text NOT NULL,
    hash           bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    role           text NOT NULL CHECK (role IN ('admin', 'staff', 'trainer', 'mail_gateway')),
    institution_id bigint REFERENCES institutions (id),
    person_id      bigint REFERENCES people (id),
    name           text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz,
    revoked_at     timestamptz,
    CHECK (CASE role
        WHEN 'admin' THEN institution_id IS NULL AND person_id IS NULL
        WHEN 'trainer' THEN institution_id IS NOT NULL AND person_id IS NOT NULL
        ELSE institution_id IS NOT NULL AND person_id IS NULL END)
);
CREATE INDEX api_keys_institution_idx ON api_keys (institution_id);

-- National competencies have no institution; teknis ones belong to one.
CREATE TABLE competencies (
    id             bigserial PRIMARY KEY,
    institution_id bigint REFERENCES institutions (id),
    type           text NOT NULL CHECK (type IN ('manajerial', 'sosial_kultural', 'teknis')),
    code           text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_.-]{1,63}$'),
    name           text NOT NULL,
    description    text NOT NULL DEFAULT '',
    CHECK ((type = 'teknis') = (institution_id IS NOT NULL)),
    UNIQUE NULLS NOT DISTINCT (institution_id, code)
);

CREATE TABLE person_competencies (
    person_id       bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    competency_id   bigint NOT NULL REFERENCES competencies (id),
    level           smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    years           integer NOT NULL DEFAULT 0 CHECK (years BETWEEN 0 AND 70),
    sessions_taught integer NOT NULL DEFAULT 0 CHECK (sessions_taught >= 0),
    evidence        text NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, competency_id)
);
CREATE INDEX person_competencies_competency_idx ON person_competencies (competency_id, level);

CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL DEFAULT now(),
    institution_id bigint,
    actor_key_id   bigint,
    actor_role     text NOT NULL,
    request_id     text NOT NULL DEFAULT '',
    action         text NOT NULL,
    entity         text NOT NULL,
    entity_id      bigint,
    before         jsonb,
    after          jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
CREATE INDEX audit_log_institution_idx ON audit_log (institution_id, at);

-- The competency taxonomy of PermenPANRB 38/2017: eight manajerial
-- competencies and the one sosial kultural competency.
INSERT INTO competencies (type, code, name) VALUES
    ('manajerial', 'integritas', 'Integritas'),
    ('manajerial', 'kerjasama', 'Kerjasama'),
    ('manajerial', 'komunikasi', 'Komunikasi'),
    ('manajerial', 'orientasi_hasil', 'Orientasi pada Hasil'),
    ('manajerial', 'pelayanan_publik', 'Pelayanan Publik'),
    ('manajerial', 'pengembangan_diri', 'Pengembangan Diri dan Orang Lain'),
    ('manajerial', 'mengelola_perubahan', 'Mengelola Perubahan'),
    ('manajerial', 'pengambilan_keputusan', 'Pengambilan Keputusan'),
    ('sosial_kultural', 'perekat_bangsa', 'Perekat Bangsa');

-- +goose Down
DROP TABLE audit_log;
DROP TABLE person_competencies;
DROP TABLE competencies;
DROP TABLE api_keys;
DROP TABLE people;
DROP TABLE institutions;
DROP DOMAIN indonesian_zone;
DROP EXTENSION IF EXISTS btree_gist;
