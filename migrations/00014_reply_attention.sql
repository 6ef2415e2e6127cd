-- Calendar replies that need a person: what a reply said beyond its
-- PARTSTAT (COMMENT, DELEGATED-TO), whether staff must look at it and
-- whether the trainer was sent a new answer link, and the retry schedule
-- of a reply whose DKIM key lookup failed temporarily (outcome deferred).
-- Answer links are checked against the service's clock.

-- +goose Up
ALTER TABLE itip_messages
    ADD COLUMN envelope_from   text NOT NULL DEFAULT '',
    ADD COLUMN comment         text NOT NULL DEFAULT '',
    ADD COLUMN delegated_to    text NOT NULL DEFAULT '',
    ADD COLUMN delegated_name  text NOT NULL DEFAULT '',
    ADD COLUMN attention       boolean NOT NULL DEFAULT false,
    ADD COLUMN trainer_told    boolean NOT NULL DEFAULT false,
    ADD COLUMN resolved_at     timestamptz,
    ADD COLUMN attempts        integer NOT NULL DEFAULT 1,
    ADD COLUMN next_attempt_at timestamptz,
    DROP CONSTRAINT itip_messages_outcome_check,
    ADD CONSTRAINT itip_messages_outcome_check
        CHECK (outcome IN ('applied', 'unchanged', 'ignored', 'rejected', 'held', 'deferred')),
    ADD CONSTRAINT itip_messages_deferred_due CHECK ((outcome = 'deferred') = (next_attempt_at IS NOT NULL));

CREATE INDEX itip_messages_attention_idx ON itip_messages (institution_id, id) WHERE attention AND resolved_at IS NULL;
CREATE INDEX itip_messages_deferred_idx ON itip_messages (next_attempt_at) WHERE outcome = 'deferred';

-- +goose Down
DROP INDEX itip_messages_deferred_idx;
DROP INDEX itip_messages_attention_idx;
DELETE FROM itip_messages WHERE outcome IN ('held', 'deferred');
ALTER TABLE itip_messages
    DROP CONSTRAINT itip_messages_deferred_due,
    DROP CONSTRAINT itip_messages_outcome_check,
    ADD CONSTRAINT itip_messages_outcome_check CHECK (outcome IN ('applied', 'unchanged', 'ignored', 'rejected')),
    DROP COLUMN next_attempt_at,
    DROP COLUMN attempts,
    DROP COLUMN resolved_at,
    DROP COLUMN trainer_told,
    DROP COLUMN attention,
    DROP COLUMN delegated_name,
    DROP COLUMN delegated_to,
    DROP COLUMN comment,
    DROP COLUMN envelope_from;
