-- The SLA dispatcher reads status and priority changes in id order and skips those it already
-- delivered (processed_events); this partial index keeps that scan to the change rows alone.
CREATE INDEX ticket_events_changes_idx ON ticket_events (id)
    WHERE type IN ('ticket.status_changed', 'ticket.priority_changed');
