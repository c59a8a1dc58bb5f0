-- A public agent reply exactly as CommentRepository.AddAsync runs it (with an Idempotency-Key, as
-- `opsdesk-bench comment` sends one): lock the ticket, look for the key, insert the comment and mark the
-- ticket in one statement, append ticket.comment_added, commit. Tickets 1..:tickets, spread as the load
-- generator spreads them. The request hash is a constant: the API computes it in .NET.
\set n random(1, 9000000000000000000)
\set ticket random(1, :tickets)
BEGIN;
SELECT id, subject, description, source, requester_email, status, category, priority, triage_status, sla_due_at, sla_warning_at, sla_state, created_at, updated_at, assignee_id, tags, last_public_comment_by FROM tickets WHERE id = :ticket FOR UPDATE;
SELECT id, ticket_id, author_kind, author_agent_id, public, body, created_at, request_hash = '\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea AS same_request FROM ticket_comments WHERE ticket_id = :ticket AND idempotency_key = 'pgbench-' || :client_id::text || '-' || :n::text;
WITH c AS (
    INSERT INTO ticket_comments (ticket_id, author_kind, author_agent_id, public, body, idempotency_key, request_hash)
    VALUES (:ticket, 'agent', 1, true, 'Thanks for writing in. We can see the failed payment and have asked the bank to reverse it; you will hear from us within a day.',
            'pgbench-' || :client_id::text || '-' || :n::text, '\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea)
    RETURNING id, ticket_id, author_kind, author_agent_id, public, body, created_at
), t AS (
    UPDATE tickets SET last_public_comment_by = CASE WHEN true THEN 'agent' ELSE last_public_comment_by END, updated_at = now()
    WHERE id = :ticket
)
SELECT id, ticket_id, author_kind, author_agent_id, public, body, created_at FROM c;
INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at)
VALUES (:ticket, 'ticket.comment_added', ('{"commentId": ' || currval('ticket_comments_id_seq') || ', "authorKind": "agent", "agentId": 1, "public": true}')::jsonb, NULL, COALESCE(NULL::timestamptz, now()))
ON CONFLICT (ticket_id, type, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
RETURNING id;
COMMIT;
