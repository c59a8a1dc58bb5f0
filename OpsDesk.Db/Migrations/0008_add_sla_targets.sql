-- Two SLA targets per ticket (#16): first response and resolution, each with its deadline, warning
-- time and state. sla_due_at / sla_warning_at / sla_state stay: the nearest deadline still running
-- and the worst state over both targets (the list filter sla= reads sla_state).
ALTER TABLE tickets
    ADD COLUMN sla_first_response_due_at     timestamptz,
    ADD COLUMN sla_first_response_warning_at timestamptz,
    ADD COLUMN sla_first_response_state      text
        CHECK (sla_first_response_state IN ('running', 'warned', 'breached', 'paused', 'completed')),
    ADD COLUMN sla_resolution_due_at         timestamptz,
    ADD COLUMN sla_resolution_warning_at     timestamptz,
    ADD COLUMN sla_resolution_state          text
        CHECK (sla_resolution_state IN ('running', 'warned', 'breached', 'paused', 'completed'));

-- Clocks started before this migration have one target, which ran until resolution.
UPDATE tickets
SET sla_resolution_due_at = sla_due_at, sla_resolution_warning_at = sla_warning_at, sla_resolution_state = sla_state
WHERE sla_state IS NOT NULL;

-- The SLA dispatcher also reads agents' public comments (the first one is the first response).
CREATE INDEX ticket_events_public_agent_comments_idx ON ticket_events (id)
    WHERE type = 'ticket.comment_added' AND payload->>'authorKind' = 'agent' AND payload->>'public' = 'true';
