-- The create transaction exactly as TicketRepository.InsertAsync runs it: insert the ticket (with an
-- idempotency key, as `opsdesk load create` sends one), return its columns, insert its ticket.created
-- event, commit. Values vary per transaction; the request hash is a constant 32 bytes because the API
-- computes it in .NET, not in the database. (pgbench replaces :name even inside string literals, so the
-- JSON below keeps a space after every colon that precedes a letter.)
\set n random(1, 9000000000000000000)
\set order random(100000, 9999999)
\set src random(1, 5)
BEGIN;
INSERT INTO tickets (subject, description, source, requester_email, idempotency_key, request_hash, access_token_hash)
VALUES ('Payment failed for order #' || :order::text,
        'Hello, the amount of $42.10 was debited from my HDFC account but the order page says the payment failed. My reference is REF-' || :n::text || '. Please help as soon as possible.',
        (ARRAY['web', 'email', 'chat', 'api', 'phone'])[:src::int],
        'user' || :order::text || '@example.com',
        'pgbench-' || :client_id::text || '-' || :n::text,
        '\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea,
        '\x2b1f6c0e9d7a4c53b8e1f0a2d3c4b5a69788a9bacbdcedfe0f1e2d3c4b5a6978'::bytea)
ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
RETURNING id, subject, description, source, requester_email, status, category, priority, triage_status,
          sla_due_at, sla_warning_at, sla_state, created_at, updated_at \gset t_
INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at)
VALUES (:t_id::bigint, 'ticket.created',
        ('{"ticketId":' || :t_id::text || ',"subject":"Payment failed for order #' || :order::text || '","source":"web","status":"open","triageStatus":"queued","hasRequesterEmail": true}')::jsonb,
        'created', :t_created_at::timestamptz);
COMMIT;
