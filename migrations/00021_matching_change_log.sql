-- The matching change log without a lock. Until now every write that
-- touched what the matching index holds bumped the one matching_epoch row,
-- and held that row's lock to commit, so epochs committed in order: every
-- booking transaction waited for the one before it. Now each change is a
-- row of its own, stamped with its transaction's id (xid8), and readers
-- use snapshots instead of commit order: a reader that saw the log with a
-- snapshot whose oldest running transaction is X finds everything it has
-- not seen among the rows of transactions X and later (any transaction
-- that commits afterwards has an id of at least X). The writing
-- transaction also notifies channel sinergi_matching, so that replicas
-- listening refresh at once rather than on their next poll; a revoked or
-- deleted API key notifies sinergi_api_keys with its id, so that replicas
-- drop it from their caches.

-- +goose Up
CREATE TABLE matching_change_log (
    seq       bigserial PRIMARY KEY,
    xid       xid8 NOT NULL DEFAULT pg_current_xact_id(),
    person_id bigint NOT NULL
);
CREATE INDEX matching_change_log_xid_idx ON matching_change_log (xid);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION note_matching_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text := CASE TG_TABLE_NAME WHEN 'people' THEN 'id' ELSE 'person_id' END;
BEGIN
    IF TG_TABLE_NAME = 'sessions' THEN
        INSERT INTO matching_change_log (person_id)
            SELECT DISTINCT b.person_id FROM bookings b JOIN changed_rows r ON r.id = b.session_id;
    ELSE
        EXECUTE format('INSERT INTO matching_change_log (person_id) SELECT DISTINCT %I FROM changed_rows', col);
    END IF;
    -- Folded into one notification per transaction, sent at commit.
    PERFORM pg_notify('sinergi_matching', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION note_impact_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO matching_change_log (person_id)
        SELECT DISTINCT t.person_id FROM plan_trainers t JOIN changed_rows r ON r.plan_id = t.plan_id;
    PERFORM pg_notify('sinergi_matching', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION note_api_key_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('sinergi_api_keys', OLD.id::text);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER api_keys_revoked AFTER UPDATE OF revoked_at ON api_keys
    FOR EACH ROW WHEN (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at) EXECUTE FUNCTION note_api_key_revoked();
CREATE TRIGGER api_keys_deleted AFTER DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION note_api_key_revoked();

-- +goose Down
DROP TRIGGER api_keys_deleted ON api_keys;
DROP TRIGGER api_keys_revoked ON api_keys;
DROP FUNCTION note_api_key_revoked();
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION note_matching_changes() RETURNS trigger LANGUAGE plpgsql AS $$
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
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION note_impact_changes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    e bigint;
BEGIN
    UPDATE matching_epoch SET epoch = epoch + 1 RETURNING epoch INTO e;
    INSERT INTO matching_changes (epoch, person_id)
        SELECT DISTINCT e, t.person_id FROM plan_trainers t JOIN changed_rows r ON r.plan_id = t.plan_id
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
DROP TABLE matching_change_log;
