-- The outbox relay's fencing token, and the events it parked because the broker can never take them.

-- One row. The relay holding the leader lock (pg_try_advisory_lock) bumps epoch before it
-- publishes anything, registers each batch (batch_until) on its lock session before producing,
-- and marks the batch published in a transaction that checks epoch. So a relay that lost the lock
-- can neither start another batch nor mark one once a successor has begun, and a successor waits
-- (up to batch_until, which an in-flight batch keeps extending) until the predecessor's last
-- batch is marked: no event is published by two relays.
CREATE TABLE outbox_leader (
    singleton    boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch        bigint      NOT NULL DEFAULT 0,
    holder       text,
    since        timestamptz,
    batch_until  timestamptz
);

INSERT INTO outbox_leader DEFAULT VALUES;

-- Poison events: too large for the broker, or refused by it for good. ticket_events stays
-- immutable (published_at stays NULL); the parking lives here. While an event is parked, the
-- later events of its ticket wait behind it, so a ticket's order on Kafka never breaks.
--   parked   : not sent; later events of the ticket held
--   replayed : an operator asked for it to be sent again (opsdesk events parked --replay)
--   skipped  : an operator gave up on it; the ticket's later events flow, it is never sent
CREATE TABLE outbox_parked (
    event_id      bigint      PRIMARY KEY REFERENCES ticket_events (id),
    ticket_id     bigint      NOT NULL REFERENCES tickets (id),
    state         text        NOT NULL DEFAULT 'parked' CHECK (state IN ('parked', 'replayed', 'skipped')),
    reason        text        NOT NULL,
    times_parked  integer     NOT NULL DEFAULT 1,
    parked_at     timestamptz NOT NULL DEFAULT now(),
    resolved_at   timestamptz,
    resolved_by   text
);

-- The relay's read skips the events behind a parked one: looked up by ticket.
CREATE INDEX outbox_parked_holding_idx ON outbox_parked (ticket_id, event_id) WHERE state = 'parked';
