-- API keys (only a hash of each key is stored) and who may read a ticket: the key or JWT
-- subject that created it, or the holder of its per-ticket access token (hash only).

CREATE TABLE api_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Non-secret lookup id, also the visible part of the key: odk_<prefix>_<secret>.
    prefix        text        NOT NULL UNIQUE CHECK (length(prefix) BETWEEN 8 AND 40),
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role          text        NOT NULL CHECK (role IN ('requester', 'agent', 'admin')),
    -- SHA-256 of the whole key.
    key_hash      bytea       NOT NULL CHECK (length(key_hash) = 32),
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);

-- A name names one active key, so retrying a create cannot mint a second key.
CREATE UNIQUE INDEX api_keys_active_name_uq ON api_keys (name) WHERE revoked_at IS NULL;

ALTER TABLE tickets
    ADD COLUMN created_by_key_id  bigint REFERENCES api_keys (id),
    ADD COLUMN created_by_subject text   CHECK (length(created_by_subject) <= 500),
    ADD COLUMN access_token_hash  bytea  CHECK (length(access_token_hash) = 32);

-- A requester lists only its own tickets, newest first.
CREATE INDEX tickets_created_by_key_idx     ON tickets (created_by_key_id, id DESC) WHERE created_by_key_id IS NOT NULL;
CREATE INDEX tickets_created_by_subject_idx ON tickets (created_by_subject, id DESC) WHERE created_by_subject IS NOT NULL;
