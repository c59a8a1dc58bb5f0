-- The ASP.NET data-protection key ring, shared by every API instance: a console cookie or an
-- antiforgery token issued by one instance is read by any other. Keys are XML documents the
-- framework writes once and never changes (it revokes by adding a revocation element).
CREATE TABLE data_protection_keys (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name  text        NOT NULL UNIQUE,
    xml            text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- The console home counts failed triages; a partial index keeps that count to the few rows
-- concerned instead of a scan of every ticket (the other counts use 0007's indexes).
CREATE INDEX tickets_triage_failed_idx ON tickets (id) WHERE triage_status = 'failed';
