-- Which people each matching epoch changed, so replicas patch their
-- in-memory index instead of rebuilding it. The epoch row is updated under
-- a row lock held to commit, so epochs commit in order: a reader that sees
-- epoch E finds every change up to E.

-- +goose Up
CREATE TABLE matching_changes (
    epoch     bigint NOT NULL,
    person_id bigint NOT NULL,
    PRIMARY KEY (epoch, person_id)
);

-- +goose StatementBegin
CREATE FUNCTION note_matching_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    e bigint;
    col text := CASE TG_TABLE_NAME WHEN 'people' THEN 'id' ELSE 'person_id' END;
BEGIN
    UPDATE matching_epoch SET epoch = epoch + 1 RETURNING epoch INTO e;
    IF TG_TABLE_NAME = 'sessions' THEN
        INSERT INTO matching_changes (epoch, person_id)
            SELECT DISTINCT e, b.person_id FROM bookings b JOIN changed_rows r ON r.id = b.session_id
            ON CONFLICT DO NOTHING;
    ELSE
        EXECUTE format('INSERT INTO matching_changes (epoch, person_id) SELECT DISTINCT $1, %I FROM changed_rows ON CONFLICT DO NOTHING', col)
            USING e;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

DROP TRIGGER people_matching_epoch ON people;
DROP TRIGGER person_competencies_matching_epoch ON person_competencies;
DROP TRIGGER bookings_matching_epoch ON bookings;
DROP TRIGGER availability_matching_epoch ON availability;
DROP TRIGGER unavailable_periods_matching_epoch ON unavailable_periods;
DROP TRIGGER sessions_matching_epoch ON sessions;
DROP TRIGGER evaluations_matching_epoch ON evaluations;

CREATE TRIGGER people_changes_ins AFTER INSERT ON people REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER people_changes_upd AFTER UPDATE ON people REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER person_competencies_changes_ins AFTER INSERT ON person_competencies REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER person_competencies_changes_upd AFTER UPDATE ON person_competencies REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER person_competencies_changes_del AFTER DELETE ON person_competencies REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER bookings_changes_ins AFTER INSERT ON bookings REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER bookings_changes_upd AFTER UPDATE ON bookings REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER availability_changes_ins AFTER INSERT ON availability REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER availability_changes_upd AFTER UPDATE ON availability REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER unavailable_periods_changes_ins AFTER INSERT ON unavailable_periods REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER unavailable_periods_changes_del AFTER DELETE ON unavailable_periods REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER sessions_changes_upd AFTER UPDATE ON sessions REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();
CREATE TRIGGER evaluations_changes_ins AFTER INSERT ON evaluations REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION note_matching_changes();

-- +goose Down
DROP TRIGGER evaluations_changes_ins ON evaluations;
DROP TRIGGER sessions_changes_upd ON sessions;
DROP TRIGGER unavailable_periods_changes_del ON unavailable_periods;
DROP TRIGGER unavailable_periods_changes_ins ON unavailable_periods;
DROP TRIGGER availability_changes_upd ON availability;
DROP TRIGGER availability_changes_ins ON availability;
DROP TRIGGER bookings_changes_upd ON bookings;
DROP TRIGGER bookings_changes_ins ON bookings;
DROP TRIGGER person_competencies_changes_del ON person_competencies;
DROP TRIGGER person_competencies_changes_upd ON person_competencies;
DROP TRIGGER person_competencies_changes_ins ON person_competencies;
DROP TRIGGER people_changes_upd ON people;
DROP TRIGGER people_changes_ins ON people;
DROP FUNCTION note_matching_changes();
DROP TABLE matching_changes;
CREATE TRIGGER people_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON people
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER person_competencies_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON person_competencies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER bookings_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON bookings
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER availability_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON availability
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER unavailable_periods_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON unavailable_periods
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER sessions_matching_epoch AFTER UPDATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
CREATE TRIGGER evaluations_matching_epoch AFTER INSERT OR UPDATE OR DELETE ON evaluations
    FOR EACH STATEMENT EXECUTE FUNCTION bump_matching_epoch();
