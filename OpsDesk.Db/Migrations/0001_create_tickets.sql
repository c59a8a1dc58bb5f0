-- Foundation schema: tickets, their AI triage, the immutable timeline (also the outbox),
-- the consumer idempotency store and the knowledge base.

CREATE TABLE tickets (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject           text        NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    description       text        NOT NULL CHECK (length(description) BETWEEN 1 AND 10000),
    source            text        NOT NULL CHECK (source IN ('web', 'email', 'api', 'chat', 'phone')),
    requester_email   text,
    status            text        NOT NULL DEFAULT 'open'
                                  CHECK (status IN ('open', 'pending', 'resolved', 'closed')),
    category          text,
    priority          text        CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
    triage_status     text        NOT NULL DEFAULT 'queued'
                                  CHECK (triage_status IN ('queued', 'running', 'classified', 'failed')),
    idempotency_key   text        CHECK (length(idempotency_key) <= 200),
    request_hash      bytea,
    sla_due_at        timestamptz,
    sla_warning_at    timestamptz,
    sla_state         text        CHECK (sla_state IN ('running', 'warned', 'breached', 'paused', 'completed')),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    search            tsvector    GENERATED ALWAYS AS (
                                      to_tsvector('english', subject || ' ' || description)) STORED,
    CONSTRAINT tickets_idempotency_has_hash CHECK (idempotency_key IS NULL OR request_hash IS NOT NULL)
);

CREATE UNIQUE INDEX tickets_idempotency_key_uq ON tickets (idempotency_key) WHERE idempotency_key IS NOT NULL;
-- The list is newest first (id desc) with optional equality filters; each filter gets its own keyset index.
CREATE INDEX tickets_status_id_idx   ON tickets (status, id DESC);
CREATE INDEX tickets_priority_id_idx ON tickets (priority, id DESC);
CREATE INDEX tickets_category_id_idx ON tickets (category, id DESC);
CREATE INDEX tickets_source_id_idx   ON tickets (source, id DESC);
CREATE INDEX tickets_search_idx      ON tickets USING gin (search);
-- The reconciler looks for tickets left queued.
CREATE INDEX tickets_queued_idx      ON tickets (created_at) WHERE triage_status = 'queued';

CREATE TABLE ticket_ai (
    ticket_id       bigint      PRIMARY KEY REFERENCES tickets (id),
    summary         text        NOT NULL,
    category        text        NOT NULL,
    priority        text        NOT NULL CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
    entities        jsonb       NOT NULL DEFAULT '[]'::jsonb,
    citations       jsonb       NOT NULL DEFAULT '[]'::jsonb,
    confidence      real        CHECK (confidence BETWEEN 0 AND 1),
    language        text,
    sentiment       text,
    provider        text        NOT NULL,
    model           text,
    prompt_version  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ticket_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id     bigint      NOT NULL REFERENCES tickets (id),
    type          text        NOT NULL CHECK (type ~ '^[a-z_]+(\.[a-z_]+)+$'),
    payload       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    dedupe_key    text,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz
);

CREATE UNIQUE INDEX ticket_events_dedupe_uq ON ticket_events (ticket_id, type, dedupe_key)
    WHERE dedupe_key IS NOT NULL;
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);
-- The outbox relay reads unpublished rows in id order.
CREATE INDEX ticket_events_unpublished_idx ON ticket_events (id) WHERE published_at IS NULL;

-- The timeline is immutable: no DELETE, and an UPDATE may only set published_at.
CREATE FUNCTION ticket_events_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ticket_events is append-only: DELETE of event % refused', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id IS DISTINCT FROM OLD.id
       OR NEW.ticket_id IS DISTINCT FROM OLD.ticket_id
       OR NEW.type IS DISTINCT FROM OLD.type
       OR NEW.payload IS DISTINCT FROM OLD.payload
       OR NEW.dedupe_key IS DISTINCT FROM OLD.dedupe_key
       OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at THEN
        RAISE EXCEPTION 'ticket_events is append-only: only published_at may change (event %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ticket_events_immutable
    BEFORE UPDATE OR DELETE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_guard();

CREATE FUNCTION ticket_events_guard_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_events is append-only: TRUNCATE refused' USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ticket_events_no_truncate
    BEFORE TRUNCATE ON ticket_events
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_guard_truncate();

-- Wake the outbox relay (and anything else listening) when a timeline row lands.
CREATE FUNCTION ticket_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- One constant payload per statement: PostgreSQL folds identical notifications within a
    -- transaction, so a bulk COPY wakes listeners once instead of once per row.
    PERFORM pg_notify('ticket_events', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER ticket_events_notify
    AFTER INSERT ON ticket_events
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_notify();

CREATE TABLE processed_events (
    consumer      text        NOT NULL,
    event_id      bigint      NOT NULL REFERENCES ticket_events (id),
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

CREATE TABLE kb_docs (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        text        NOT NULL UNIQUE,
    title       text        NOT NULL,
    body        text        NOT NULL,
    tags        text[]      NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    search      tsvector    GENERATED ALWAYS AS (
                    setweight(to_tsvector('english', title), 'A') ||
                    setweight(to_tsvector('english', body), 'B')) STORED
);

CREATE INDEX kb_docs_search_idx ON kb_docs USING gin (search);
