-- Calendar: feed tokens, accept/decline link tokens, the e-mail outbox and
-- every received iTIP message.

-- +goose Up
CREATE TABLE feed_tokens (
    id             bigserial PRIMARY KEY,
    hash           bytea NOT NULL UNIQUE CHECK (length(hash) = 32),
    institution_id bigint NOT NULL REFERENCES institutions (id),
    person_id      bigint REFERENCES people (id),
    created_at     timestamptz NOT NULL DEFAULT now(),
    revoked_at     timestamptz
);
CREATE INDEX feed_tokens_owner_idx ON feed_tokens (institution_id, person_id);

CREATE TABLE link_tokens (
    hash       bytea PRIMARY KEY CHECK (length(hash) = 32),
    booking_id bigint NOT NULL REFERENCES bookings (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX link_tokens_booking_idx ON link_tokens (booking_id);

CREATE TABLE outbox (
    id              bigserial PRIMARY KEY,
    institution_id  bigint REFERENCES institutions (id),
    booking_id      bigint REFERENCES bookings (id),
    kind            text NOT NULL,
    recipient       text NOT NULL,
    message         bytea NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_institution_idx ON outbox (institution_id, status, id);

CREATE TABLE itip_messages (
    id             bigserial PRIMARY KEY,
    received_at    timestamptz NOT NULL DEFAULT now(),
    institution_id bigint REFERENCES institutions (id),
    booking_id     bigint REFERENCES bookings (id),
    message_id     text NOT NULL DEFAULT '',
    sender         text NOT NULL DEFAULT '',
    method         text NOT NULL DEFAULT '',
    uid            text NOT NULL DEFAULT '',
    attendee       text NOT NULL DEFAULT '',
    partstat       text NOT NULL DEFAULT '',
    sequence       integer,
    outcome        text NOT NULL CHECK (outcome IN ('applied', 'unchanged', 'ignored', 'rejected')),
    reason         text NOT NULL DEFAULT '',
    raw            bytea NOT NULL
);
CREATE INDEX itip_messages_booking_idx ON itip_messages (booking_id);

-- +goose Down
DROP TABLE itip_messages;
DROP TABLE outbox;
DROP TABLE link_tokens;
DROP TABLE feed_tokens;
