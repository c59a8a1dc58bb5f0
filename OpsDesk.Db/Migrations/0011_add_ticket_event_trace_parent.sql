-- The W3C traceparent of the span that wrote the event (null when tracing was off). The outbox relay
-- continues that trace when it publishes the event and hands it on in the CloudEvent (distributed
-- tracing extension), so a consumer joins the trace of the request that caused the event.
ALTER TABLE ticket_events ADD COLUMN trace_parent text
    CHECK (trace_parent IS NULL OR trace_parent ~ '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$');

-- Set at INSERT only, like every column but published_at. A trigger of its own, so the guard of
-- migration 0001 is not replaced (other migrations may extend it).
CREATE FUNCTION ticket_events_trace_parent_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.trace_parent IS DISTINCT FROM OLD.trace_parent THEN
        RAISE EXCEPTION 'ticket_events is append-only: only published_at may change (event %)', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ticket_events_trace_parent_immutable
    BEFORE UPDATE OF trace_parent ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_trace_parent_guard();
