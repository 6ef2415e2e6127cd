-- The web console: people who sign in (staff and admins with a password,
-- trainers by a link sent to their e-mail), their server-side sessions,
-- failed sign-ins for throttling and single-use sign-in links. Every
-- secret is kept only as a SHA-256 hash; passwords as argon2id.

-- +goose Up
CREATE TABLE users (
    id             bigserial PRIMARY KEY,
    institution_id bigint REFERENCES institutions (id),
    person_id      bigint REFERENCES people (id),
    email          text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    name           text NOT NULL DEFAULT '',
    role           text NOT NULL CHECK (role IN ('admin', 'staff', 'trainer')),
    password_hash  text NOT NULL DEFAULT '',
    lang           text NOT NULL DEFAULT 'id' CHECK (lang IN ('id', 'en')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    disabled_at    timestamptz,
    CHECK ((role = 'admin') = (institution_id IS NULL)),
    CHECK ((role = 'trainer') = (person_id IS NOT NULL))
);
-- Staff and admins sign in by e-mail, so it names one of them; a trainer
-- has one account per person (a practitioner may be on two rosters).
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE role <> 'trainer';
CREATE UNIQUE INDEX users_person_key ON users (person_id);
CREATE INDEX users_institution_idx ON users (institution_id, id);

CREATE TABLE web_sessions (
    id           bigserial PRIMARY KEY,
    hash         bytea NOT NULL UNIQUE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    -- expires_at is the absolute end; the idle end is last_seen_at plus
    -- the service's idle timeout.
    expires_at   timestamptz NOT NULL
);
CREATE INDEX web_sessions_user_idx ON web_sessions (user_id);

CREATE TABLE login_failures (
    id    bigserial PRIMARY KEY,
    email text NOT NULL,
    at    timestamptz NOT NULL
);
CREATE INDEX login_failures_email_idx ON login_failures (email, at);

CREATE TABLE login_links (
    id         bigserial PRIMARY KEY,
    hash       bytea NOT NULL UNIQUE,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

-- Changes made in the console name the signed-in user.
ALTER TABLE audit_log ADD COLUMN actor_user_id bigint;

-- +goose Down
ALTER TABLE audit_log DROP COLUMN actor_user_id;
DROP TABLE login_links;
DROP TABLE login_failures;
DROP TABLE web_sessions;
DROP TABLE users;
