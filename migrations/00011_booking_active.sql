-- The active-booking condition, defined once for the database: every query,
-- the no-overlap constraint and the one-lead index use booking_active. Its
-- Go twin is scheduling.Status.Active; a test keeps the two equal.

-- +goose Up
CREATE FUNCTION booking_active(status text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN status NOT IN ('declined', 'cancelled');

ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (person_id WITH =, during WITH &&) WHERE (booking_active(status));
DROP INDEX bookings_one_lead;
CREATE UNIQUE INDEX bookings_one_lead ON bookings (session_id) WHERE role = 'lead' AND booking_active(status);
CREATE INDEX bookings_person_active_idx ON bookings (person_id) WHERE booking_active(status);

-- +goose Down
DROP INDEX bookings_person_active_idx;
DROP INDEX bookings_one_lead;
CREATE UNIQUE INDEX bookings_one_lead ON bookings (session_id) WHERE role = 'lead' AND status NOT IN ('declined', 'cancelled');
ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap;
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap
    EXCLUDE USING gist (person_id WITH =, during WITH &&) WHERE (status NOT IN ('declined', 'cancelled'));
DROP FUNCTION booking_active(text);
