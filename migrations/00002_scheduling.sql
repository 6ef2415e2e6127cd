-- Courses, sessions, availability, holidays, bookings and idempotency keys.

-- +goose Up
CREATE TABLE holidays (
    date    date PRIMARY KEY,
    kind    text NOT NULL CHECK (kind IN ('libur_nasional', 'cuti_bersama')),
    name_id text NOT NULL,
    name_en text NOT NULL DEFAULT '',
    status  text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'estimated')),
    source  text NOT NULL
);

CREATE TABLE courses (
    id                        bigserial PRIMARY KEY,
    institution_id            bigint NOT NULL REFERENCES institutions (id),
    name                      text NOT NULL,
    organising_unit           text NOT NULL,
    funding                   text NOT NULL CHECK (funding IN ('APBN', 'APBD')),
    region                    text NOT NULL,
    start_date                date NOT NULL,
    end_date                  date NOT NULL CHECK (end_date >= start_date),
    lead_min_jenjang          text CHECK (lead_min_jenjang IN ('ahli_pertama', 'ahli_muda', 'ahli_madya', 'ahli_utama')),
    practitioner_outside_unit boolean NOT NULL DEFAULT true,
    version                   integer NOT NULL DEFAULT 1,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX courses_institution_idx ON courses (institution_id, id);

CREATE TABLE sessions (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    course_id      bigint NOT NULL REFERENCES courses (id),
    topic          text NOT NULL,
    requirements   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(requirements) = 'array'),
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL CHECK (ends_at > starts_at),
    zone           indonesian_zone NOT NULL,
    jp             integer NOT NULL CHECK (jp BETWEEN 1 AND 16),
    mode           text NOT NULL CHECK (mode IN ('offline', 'online', 'hybrid')),
    venue          text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_course_idx ON sessions (course_id, starts_at);

-- Weekly windows (RRULE + clock range in the person's zone) and one-off
-- unavailable periods.
CREATE TABLE availability (
    person_id  bigint PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    windows    jsonb NOT NULL DEFAULT '[]',
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE unavailable_periods (
    id        bigserial PRIMARY KEY,
    person_id bigint NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    during    tstzrange NOT NULL CHECK (NOT isempty(during)),
    reason    text NOT NULL DEFAULT ''
);
CREATE INDEX unavailable_periods_person_idx ON unavailable_periods USING gist (person_id, during);

-- A person never holds two active bookings that overlap: the EXCLUDE
-- constraint decides, even under concurrent requests.
CREATE TABLE bookings (
    id             bigserial PRIMARY KEY,
    institution_id bigint NOT NULL REFERENCES institutions (id),
    session_id     bigint NOT NULL REFERENCES sessions (id),
    person_id      bigint NOT NULL REFERENCES people (id),
    role           text NOT NULL CHECK (role IN ('lead', 'co_trainer')),
    status         text NOT NULL CHECK (status IN ('proposed', 'invited', 'accepted', 'declined', 'tentative', 'confirmed', 'completed', 'cancelled')),
    during         tstzrange NOT NULL CHECK (NOT isempty(during)),
    uid            text NOT NULL UNIQUE,
    sequence       integer NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    flags          jsonb NOT NULL DEFAULT '[]',
    forced         boolean NOT NULL DEFAULT false,
    actual_jp      integer CHECK (actual_jp BETWEEN 0 AND 16),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (person_id WITH =, during WITH &&)
        WHERE (status NOT IN ('declined', 'cancelled'))
);
CREATE UNIQUE INDEX bookings_one_lead ON bookings (session_id) WHERE role = 'lead' AND status NOT IN ('declined', 'cancelled');
CREATE INDEX bookings_session_idx ON bookings (session_id);
CREATE INDEX bookings_institution_idx ON bookings (institution_id, id);

-- Idempotency-Key: the first response to a key is replayed byte for byte.
CREATE TABLE idempotency_keys (
    institution_id bigint NOT NULL,
    key            text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    request_hash   bytea NOT NULL,
    state          text NOT NULL CHECK (state IN ('running', 'done')),
    status         integer,
    content_type   text,
    body           bytea,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (institution_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- National holidays and cuti bersama 2025-2027 (SKB 3 Menteri), with sources.
-- Compiled Nov 2026; 2027 Idul Fitri and Iduladha may still move by a day.
INSERT INTO holidays (date, kind, name_id, name_en, status, source) VALUES
    ('2025-01-01', 'libur_nasional', 'Tahun Baru 2025 Masehi', 'New Year''s Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-01-27', 'libur_nasional', 'Isra Mikraj Nabi Muhammad SAW', 'Isra and Mi''raj', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-01-28', 'cuti_bersama', 'Cuti Bersama Tahun Baru Imlek 2576 Kongzili', 'Joint leave: Chinese New Year', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-01-29', 'libur_nasional', 'Tahun Baru Imlek 2576 Kongzili', 'Chinese New Year', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-03-28', 'cuti_bersama', 'Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1947)', 'Joint leave: Day of Silence (Nyepi)', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-03-29', 'libur_nasional', 'Hari Suci Nyepi (Tahun Baru Saka 1947)', 'Day of Silence (Nyepi)', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-03-31', 'libur_nasional', 'Idul Fitri 1446 Hijriah', 'Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-01', 'libur_nasional', 'Idul Fitri 1446 Hijriah (hari kedua)', 'Eid al-Fitr (second day)', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-02', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1446 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-03', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1446 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-04', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1446 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-07', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1446 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-18', 'libur_nasional', 'Wafat Yesus Kristus', 'Good Friday', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-04-20', 'libur_nasional', 'Kebangkitan Yesus Kristus (Paskah)', 'Easter Sunday', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-05-01', 'libur_nasional', 'Hari Buruh Internasional', 'International Labour Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-05-12', 'libur_nasional', 'Hari Raya Waisak 2569 BE', 'Vesak Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-05-13', 'cuti_bersama', 'Cuti Bersama Hari Raya Waisak 2569 BE', 'Joint leave: Vesak Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-05-29', 'libur_nasional', 'Kenaikan Yesus Kristus', 'Ascension Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-05-30', 'cuti_bersama', 'Cuti Bersama Kenaikan Yesus Kristus', 'Joint leave: Ascension Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-06-01', 'libur_nasional', 'Hari Lahir Pancasila', 'Pancasila Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-06-06', 'libur_nasional', 'Idul Adha 1446 Hijriah', 'Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-06-09', 'cuti_bersama', 'Cuti Bersama Idul Adha 1446 Hijriah', 'Joint leave: Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-06-27', 'libur_nasional', '1 Muharam Tahun Baru Islam 1447 Hijriah', 'Islamic New Year', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-08-17', 'libur_nasional', 'Proklamasi Kemerdekaan Republik Indonesia', 'Independence Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-08-18', 'cuti_bersama', 'Cuti Bersama HUT ke-80 Kemerdekaan Republik Indonesia', 'Joint leave: Independence Day (80th anniversary)', 'confirmed', 'SKB 3 Menteri 2025 perubahan (7 Agu 2025); vacanza/holidays tests'),
    ('2025-09-05', 'libur_nasional', 'Maulid Nabi Muhammad SAW', 'Prophet Muhammad''s Birthday', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-12-25', 'libur_nasional', 'Kelahiran Yesus Kristus (Hari Raya Natal)', 'Christmas Day', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2025-12-26', 'cuti_bersama', 'Cuti Bersama Kelahiran Yesus Kristus (Natal)', 'Joint leave: Christmas', 'confirmed', 'SKB 3 Menteri 2025 (1017/2/2 Th 2024); vacanza/holidays tests'),
    ('2026-01-01', 'libur_nasional', 'Tahun Baru 2026 Masehi', 'New Year''s Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-01-16', 'libur_nasional', 'Isra Mikraj Nabi Muhammad SAW', 'Isra and Mi''raj', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-02-16', 'cuti_bersama', 'Cuti Bersama Tahun Baru Imlek 2577 Kongzili', 'Joint leave: Chinese New Year', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-02-17', 'libur_nasional', 'Tahun Baru Imlek 2577 Kongzili', 'Chinese New Year', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-18', 'cuti_bersama', 'Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)', 'Joint leave: Day of Silence (Nyepi)', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-19', 'libur_nasional', 'Hari Suci Nyepi (Tahun Baru Saka 1948)', 'Day of Silence (Nyepi)', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-20', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-21', 'libur_nasional', 'Idul Fitri 1447 Hijriah', 'Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-22', 'libur_nasional', 'Idul Fitri 1447 Hijriah (hari kedua)', 'Eid al-Fitr (second day)', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-23', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-03-24', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1447 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-04-03', 'libur_nasional', 'Wafat Yesus Kristus', 'Good Friday', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-04-05', 'libur_nasional', 'Kebangkitan Yesus Kristus (Paskah)', 'Easter Sunday', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-01', 'libur_nasional', 'Hari Buruh Internasional', 'International Labour Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-14', 'libur_nasional', 'Kenaikan Yesus Kristus', 'Ascension Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-15', 'cuti_bersama', 'Cuti Bersama Kenaikan Yesus Kristus', 'Joint leave: Ascension Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-27', 'libur_nasional', 'Idul Adha 1447 Hijriah', 'Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-28', 'cuti_bersama', 'Cuti Bersama Idul Adha 1447 Hijriah', 'Joint leave: Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-05-31', 'libur_nasional', 'Hari Raya Waisak 2570 BE', 'Vesak Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-06-01', 'libur_nasional', 'Hari Lahir Pancasila', 'Pancasila Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-06-16', 'libur_nasional', '1 Muharam Tahun Baru Islam 1448 Hijriah', 'Islamic New Year', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-08-17', 'libur_nasional', 'Proklamasi Kemerdekaan Republik Indonesia', 'Independence Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-08-25', 'libur_nasional', 'Maulid Nabi Muhammad SAW', 'Prophet Muhammad''s Birthday', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-12-24', 'cuti_bersama', 'Cuti Bersama Kelahiran Yesus Kristus (Natal)', 'Joint leave: Christmas', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2026-12-25', 'libur_nasional', 'Kelahiran Yesus Kristus (Hari Raya Natal)', 'Christmas Day', 'confirmed', 'SKB 3 Menteri 2026 (1497/2/5 Th 2025); vacanza/holidays tests'),
    ('2027-01-01', 'libur_nasional', 'Tahun Baru 2027 Masehi', 'New Year''s Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-01-05', 'libur_nasional', 'Isra Mikraj Nabi Muhammad SAW (1448 H)', 'Isra and Mi''raj', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-02-05', 'cuti_bersama', 'Cuti Bersama Tahun Baru Imlek 2578 Kongzili', 'Joint leave: Chinese New Year', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-02-06', 'libur_nasional', 'Tahun Baru Imlek 2578 Kongzili', 'Chinese New Year', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-08', 'libur_nasional', 'Hari Suci Nyepi (Tahun Baru Saka 1949)', 'Day of Silence (Nyepi)', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-09', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1448 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-10', 'libur_nasional', 'Idul Fitri 1448 Hijriah', 'Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-11', 'libur_nasional', 'Idul Fitri 1448 Hijriah (hari kedua)', 'Eid al-Fitr (second day)', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-12', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1448 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-15', 'cuti_bersama', 'Cuti Bersama Idul Fitri 1448 Hijriah', 'Joint leave: Eid al-Fitr', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-25', 'cuti_bersama', 'Cuti Bersama Wafat Yesus Kristus', 'Joint leave: Good Friday', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-26', 'libur_nasional', 'Wafat Yesus Kristus', 'Good Friday', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-03-28', 'libur_nasional', 'Kebangkitan Yesus Kristus (Paskah)', 'Easter Sunday', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-01', 'libur_nasional', 'Hari Buruh Internasional', 'International Labour Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-06', 'libur_nasional', 'Kenaikan Yesus Kristus', 'Ascension Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-17', 'libur_nasional', 'Idul Adha 1448 Hijriah', 'Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-18', 'cuti_bersama', 'Cuti Bersama Idul Adha 1448 Hijriah', 'Joint leave: Eid al-Adha', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-19', 'cuti_bersama', 'Cuti Bersama Hari Raya Waisak 2571 BE', 'Joint leave: Vesak Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-05-20', 'libur_nasional', 'Hari Raya Waisak 2571 BE', 'Vesak Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-06-01', 'libur_nasional', 'Hari Lahir Pancasila', 'Pancasila Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-06-06', 'libur_nasional', '1 Muharam Tahun Baru Islam 1449 Hijriah', 'Islamic New Year', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-08-15', 'libur_nasional', 'Maulid Nabi Muhammad SAW', 'Prophet Muhammad''s Birthday', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-08-17', 'libur_nasional', 'Proklamasi Kemerdekaan Republik Indonesia', 'Independence Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-12-24', 'cuti_bersama', 'Cuti Bersama Kelahiran Yesus Kristus (Natal)', 'Joint leave: Christmas', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-12-25', 'libur_nasional', 'Kelahiran Yesus Kristus (Hari Raya Natal)', 'Christmas Day', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)'),
    ('2027-12-26', 'libur_nasional', 'Isra Mikraj Nabi Muhammad SAW (1449 H)', 'Isra and Mi''raj', 'confirmed', 'SKB 3 Menteri 2027 (1205/3/2 Th 2026)');

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE bookings;
DROP TABLE unavailable_periods;
DROP TABLE availability;
DROP TABLE sessions;
DROP TABLE courses;
DROP TABLE holidays;
