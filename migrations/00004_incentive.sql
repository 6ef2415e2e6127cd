-- Honorarium rate tables, PPh 21 rules, the honorarium ledger and tax ids.

-- +goose Up
ALTER TABLE people ADD COLUMN tax_id text NOT NULL DEFAULT '' CHECK (tax_id = '' OR tax_id ~ '^[0-9]{15,16}$');

-- National lines (institution_id NULL) are ceilings; an institution's own
-- lines are held at or below them by the service.
CREATE TABLE rate_tables (
    id             bigserial PRIMARY KEY,
    institution_id bigint REFERENCES institutions (id),
    regulation     text NOT NULL,
    fiscal_year    integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
    funding        text NOT NULL CHECK (funding IN ('APBN', 'APBD')),
    region         text NOT NULL DEFAULT '',
    class          text NOT NULL CHECK (class IN ('widyaiswara_internal', 'pengajar_luar_satker', 'penceramah',
                       'narasumber_menteri', 'narasumber_eselon_i', 'narasumber_eselon_ii', 'narasumber_eselon_iii',
                       'narasumber_pakar_praktisi', 'moderator', 'pembawa_acara')),
    unit           text NOT NULL CHECK (unit IN ('per_jp', 'per_kali', 'per_kegiatan')),
    amount         bigint NOT NULL CHECK (amount > 0),
    source         text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (institution_id, fiscal_year, funding, region, class)
);

-- PMK 49/2023, Standar Biaya Masukan TA 2024: honorarium narasumber per
-- orang per jam (OJ), moderator per kali, pembawa acara per kegiatan.
-- The diklat classes (pengajar, penceramah) have no confirmed 2024 figure;
-- admins add them from the PMK text.
INSERT INTO rate_tables (regulation, fiscal_year, funding, class, unit, amount, source) VALUES
    ('PMK 49/2023', 2024, 'APBN', 'narasumber_menteri', 'per_jp', 1700000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium narasumber/pembahas'),
    ('PMK 49/2023', 2024, 'APBN', 'narasumber_eselon_i', 'per_jp', 1400000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium narasumber/pembahas'),
    ('PMK 49/2023', 2024, 'APBN', 'narasumber_eselon_ii', 'per_jp', 1000000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium narasumber/pembahas'),
    ('PMK 49/2023', 2024, 'APBN', 'narasumber_eselon_iii', 'per_jp', 900000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium narasumber/pembahas'),
    ('PMK 49/2023', 2024, 'APBN', 'moderator', 'per_kali', 700000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium moderator'),
    ('PMK 49/2023', 2024, 'APBN', 'pembawa_acara', 'per_kegiatan', 400000, 'PMK 49/2023 Lampiran (SBM TA 2024), honorarium pembawa acara');

-- PPh 21 rules by year (from year_from on, until a later row replaces them).
CREATE TABLE tax_rules (
    id        bigserial PRIMARY KEY,
    year_from integer NOT NULL,
    rule      text NOT NULL CHECK (rule IN ('final_golongan', 'pasal17_band', 'non_employee_base', 'no_tax_id_surcharge')),
    key       text NOT NULL DEFAULT '',
    upper     bigint,
    rate_bp   integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    source    text NOT NULL,
    UNIQUE (year_from, rule, key)
);
INSERT INTO tax_rules (year_from, rule, key, upper, rate_bp, source) VALUES
    (2024, 'final_golongan', 'I', NULL, 0, 'PP 80/2010 Pasal 4; PMK 262/2010'),
    (2024, 'final_golongan', 'II', NULL, 0, 'PP 80/2010 Pasal 4; PMK 262/2010'),
    (2024, 'final_golongan', 'III', NULL, 500, 'PP 80/2010 Pasal 4; PMK 262/2010'),
    (2024, 'final_golongan', 'IV', NULL, 1500, 'PP 80/2010 Pasal 4; PMK 262/2010'),
    (2024, 'pasal17_band', '1', 60000000, 500, 'UU 7/2021 (HPP) Pasal 17(1)(a)'),
    (2024, 'pasal17_band', '2', 250000000, 1500, 'UU 7/2021 (HPP) Pasal 17(1)(a)'),
    (2024, 'pasal17_band', '3', 500000000, 2500, 'UU 7/2021 (HPP) Pasal 17(1)(a)'),
    (2024, 'pasal17_band', '4', 5000000000, 3000, 'UU 7/2021 (HPP) Pasal 17(1)(a)'),
    (2024, 'pasal17_band', '5', NULL, 3500, 'UU 7/2021 (HPP) Pasal 17(1)(a)'),
    (2024, 'non_employee_base', '', NULL, 5000, 'PMK 168/2023 Pasal 10: 50% of gross for bukan pegawai'),
    (2024, 'no_tax_id_surcharge', '', NULL, 2000, 'UU PPh Pasal 21(5a): 20% higher without NPWP/NIK');

CREATE TABLE incentive_settings (
    institution_id bigint PRIMARY KEY REFERENCES institutions (id),
    minimum_jp     integer NOT NULL DEFAULT 0 CHECK (minimum_jp BETWEEN 0 AND 2000),
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE honoraria (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    booking_id     bigint NOT NULL REFERENCES bookings (id),
    person_id      bigint NOT NULL REFERENCES people (id),
    course_id      bigint NOT NULL REFERENCES courses (id),
    session_id     bigint NOT NULL REFERENCES sessions (id),
    reverses_id    bigint UNIQUE REFERENCES honoraria (id),
    class          text NOT NULL,
    unit           text NOT NULL,
    rate_id        bigint REFERENCES rate_tables (id),
    jp             integer NOT NULL,
    paid_jp        integer NOT NULL,
    rate           bigint NOT NULL,
    gross          bigint NOT NULL,
    tax            bigint NOT NULL,
    net            bigint NOT NULL CHECK (net = gross - tax),
    tax_base       bigint NOT NULL DEFAULT 0,
    basis          text NOT NULL DEFAULT '',
    fiscal_year    integer NOT NULL,
    month          integer NOT NULL,
    status         text NOT NULL CHECK (status IN ('draft', 'approved', 'paid')),
    approved_by    bigint,
    approved_at    timestamptz,
    paid_by        bigint,
    paid_at        timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    CHECK (status = 'draft' OR approved_at IS NOT NULL),
    CHECK (status <> 'paid' OR paid_at IS NOT NULL)
);
CREATE UNIQUE INDEX honoraria_one_per_booking ON honoraria (booking_id) WHERE reverses_id IS NULL;
CREATE INDEX honoraria_person_year_idx ON honoraria (person_id, fiscal_year);
CREATE INDEX honoraria_course_idx ON honoraria (institution_id, course_id);

-- A paid row is never edited: corrections are reversal rows.
-- +goose StatementBegin
CREATE FUNCTION honoraria_paid_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'paid' THEN
        RAISE EXCEPTION 'honorarium % is paid and cannot change', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER honoraria_paid_is_final BEFORE UPDATE OR DELETE ON honoraria
    FOR EACH ROW EXECUTE FUNCTION honoraria_paid_is_final();

-- +goose Down
DROP TRIGGER honoraria_paid_is_final ON honoraria;
DROP FUNCTION honoraria_paid_is_final();
DROP TABLE honoraria;
DROP TABLE incentive_settings;
DROP TABLE tax_rules;
DROP TABLE rate_tables;
ALTER TABLE people DROP COLUMN tax_id;
