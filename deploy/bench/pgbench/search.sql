-- The list query of TicketRepository.ListAsync (columns, filter, order, LIMIT page size + 1).
-- Full-text search (q=).
SELECT id, subject, description, source, requester_email, status, category, priority, triage_status, sla_due_at, sla_warning_at, sla_state, created_at, updated_at FROM tickets WHERE true AND search @@ websearch_to_tsquery('english', :q) ORDER BY id DESC LIMIT :take;
