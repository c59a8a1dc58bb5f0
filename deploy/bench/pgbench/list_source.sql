-- The list query of TicketRepository.ListAsync (columns, filter, order, LIMIT page size + 1).
SELECT id, subject, description, source, requester_email, status, category, priority, triage_status, sla_due_at, sla_warning_at, sla_state, created_at, updated_at FROM tickets WHERE true AND source = :source ORDER BY id DESC LIMIT :take;
