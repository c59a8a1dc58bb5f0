-- A public agent reply exactly as CommentRepository.AddAsync runs it (with an Idempotency-Key, as
-- `opsdesk-bench comment` sends one, and no status change): one statement that locks the ticket, inserts
-- the comment unless the key was used or the ticket is closed, marks the ticket and appends
-- ticket.comment_added — an implicit transaction, one round trip. Tickets 1..:tickets, spread as the load
-- generator spreads them. The request hash and the event payload are constants: the API computes them in .NET.
\set n random(1, 9000000000000000000)
\set ticket random(1, :tickets)
WITH k AS (
    SELECT id, subject, description, source, requester_email, status, category, priority, triage_status, sla_due_at, sla_warning_at, sla_state, sla_first_response_due_at, sla_first_response_warning_at, sla_first_response_state, sla_resolution_due_at, sla_resolution_warning_at, sla_resolution_state, created_at, updated_at, assignee_id, tags, last_public_comment_by FROM tickets WHERE id = :ticket FOR UPDATE
), c AS (
    INSERT INTO ticket_comments (ticket_id, author_kind, author_agent_id, public, body, idempotency_key, request_hash)
    SELECT id, 'agent', 1, true, 'Thanks for writing in. We can see the failed payment and have asked the bank to reverse it; you will hear from us within a day.',
           'pgbench-' || :client_id::text || '-' || :n::text, '\x8f434346648f6b96df89dda901c5176b10a6d83961dd3c1ac88b59b2dc327aa4'::bytea FROM k
    WHERE status <> 'closed' AND NOT ('agent' = 'requester' AND status = ANY('{pending,resolved}'::text[]))
    ON CONFLICT (ticket_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING id, ticket_id, author_kind, author_agent_id, public, body, created_at
), t AS (
    UPDATE tickets SET last_public_comment_by = CASE WHEN true THEN 'agent' ELSE last_public_comment_by END, updated_at = now()
    WHERE id = :ticket AND EXISTS (SELECT FROM c)
    RETURNING id, subject, description, source, requester_email, status, category, priority, triage_status, sla_due_at, sla_warning_at, sla_state, sla_first_response_due_at, sla_first_response_warning_at, sla_first_response_state, sla_resolution_due_at, sla_resolution_warning_at, sla_resolution_state, created_at, updated_at, assignee_id, tags, last_public_comment_by
), e AS (
    INSERT INTO ticket_events (ticket_id, type, payload, dedupe_key, occurred_at, trace_parent)
    SELECT ticket_id, 'ticket.comment_added', jsonb_set('{"commentId": 0, "authorKind": "agent", "agentId": 1, "public": true}'::jsonb, '{commentId}', to_jsonb(id)), NULL, created_at, NULL
    FROM c
)
SELECT x.*, c.* FROM (SELECT * FROM t UNION ALL SELECT * FROM k WHERE NOT EXISTS (SELECT FROM t)) x LEFT JOIN c ON true;
