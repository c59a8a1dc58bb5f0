-- The create transaction exactly as TicketRepository.InsertAsync runs it: one statement that inserts the
-- ticket (with an idempotency key, as `opsdesk load create` sends one), inserts its ticket.created event
-- from the returned row, and returns the ticket. Values vary per transaction; the request hash is a
-- constant 32 bytes because the API computes it in .NET, not in the database. The description is
-- about as long as the mean of `opsdesk load create`'s (~220 characters, ~23 lexemes): most of
-- PostgreSQL's work per ticket is the generated search vector and its GIN entries, which grow with it.
\set n random(1, 9000000000000000000)
\set order random(100000, 9999999)
\set src random(1, 5)
WITH t AS (
    INSERT INTO tickets (subject, description, source, requester_email, idempotency_key, request_hash,
                         created_by_key_id, created_by_subject, access_token_hash)
    VALUES ('Payment failed for order #' || :order::text,
            'Hello, the amount of $42.10 was debited from my HDFC account but the order page says the payment failed. My bank statement shows two charges for the same order. My reference is REF-' || :n::text || '. Please help as soon as possible.',
            (ARRAY['web', 'email', 'chat', 'api', 'phone'])[:src::int],
            'user' || :order::text || '@example.com',
            'pgbench-' || :client_id::text || '-' || :n::text,
            '\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea,
            NULL, NULL,
            '\x2b1f6c0e9d7a4c53b8e1f0a2d3c4b5a69788a9bacbdcedfe0f1e2d3c4b5a6978'::bytea)
    ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id, subject, description, source, requester_email, status, category, priority, triage_status,
              sla_due_at, sla_warning_at, sla_state, created_at, updated_at
), e AS (
    INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at)
    SELECT id, 'ticket.created',
           jsonb_build_object('ticketId', id, 'subject', subject, 'source', source, 'status', status,
                              'triageStatus', triage_status, 'hasRequesterEmail', requester_email IS NOT NULL),
           'created', created_at
    FROM t
)
SELECT id, subject, description, source, requester_email, status, category, priority, triage_status,
       sla_due_at, sla_warning_at, sla_state, created_at, updated_at
FROM t;
