-- Conversations: comments (public replies and internal notes), the assignee, tags, and what a queue
-- filters on. Every list filter below has an index that keeps keyset paging (ORDER BY id DESC) cheap.

CREATE TABLE ticket_comments (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id        bigint      NOT NULL REFERENCES tickets (id),
    author_kind      text        NOT NULL CHECK (author_kind IN ('agent', 'requester')),
    -- The agent who wrote it; null for requesters (and for staff signed in with an unmapped JWT).
    author_agent_id  bigint      REFERENCES agents (id),
    public           boolean     NOT NULL,
    body             text        NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
    idempotency_key  text        CHECK (length(idempotency_key) <= 200),
    request_hash     bytea,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- Requesters write public comments only; only agents are agents.
    CONSTRAINT ticket_comments_requester_public CHECK (author_kind = 'agent' OR (public AND author_agent_id IS NULL)),
    CONSTRAINT ticket_comments_idempotency_has_hash CHECK (idempotency_key IS NULL OR request_hash IS NOT NULL)
);

-- The conversation of a ticket, oldest first (keyset on id).
CREATE INDEX ticket_comments_ticket_idx ON ticket_comments (ticket_id, id);
-- A key names one comment per ticket, so a retried or concurrent create writes one row.
CREATE UNIQUE INDEX ticket_comments_idempotency_uq ON ticket_comments (ticket_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

ALTER TABLE tickets
    ADD COLUMN assignee_id             bigint REFERENCES agents (id),
    -- Lower-case slugs, sorted; ticket_tags holds the same set for the tag filter.
    ADD COLUMN tags                    text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
    -- Who wrote the last public comment (null: none yet); 'requester' means the ticket awaits an agent.
    ADD COLUMN last_public_comment_by  text   CHECK (last_public_comment_by IN ('agent', 'requester'));

-- One row per (tag, ticket): tag=x pages walk (tag, ticket_id) backwards, newest first, and join the
-- ticket by primary key, so a page reads about `limit` index entries whatever the tag's popularity.
CREATE TABLE ticket_tags (
    tag        text   NOT NULL CHECK (tag ~ '^[a-z0-9][a-z0-9-]*$' AND length(tag) <= 40),
    ticket_id  bigint NOT NULL REFERENCES tickets (id),
    PRIMARY KEY (tag, ticket_id)
);
-- No index on ticket_id alone: a change reads the ticket's tags from tickets.tags and deletes by
-- (tag, ticket_id); a second index would also tempt the planner to merge-join a whole range of ids.

-- assignee=me|{id} (alone and with status: an agent's open queue), assignee=none, awaiting=agent, sla=.
CREATE INDEX tickets_assignee_id_idx        ON tickets (assignee_id, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_assignee_status_id_idx ON tickets (assignee_id, status, id DESC) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_unassigned_id_idx      ON tickets (id DESC) WHERE assignee_id IS NULL;
CREATE INDEX tickets_awaiting_agent_id_idx  ON tickets (id DESC) WHERE last_public_comment_by = 'requester';
CREATE INDEX tickets_sla_attention_id_idx   ON tickets (sla_state, id DESC) WHERE sla_state IN ('warned', 'breached');
