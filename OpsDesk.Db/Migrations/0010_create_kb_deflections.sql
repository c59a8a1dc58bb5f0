-- Deflection data (#18): which public articles the portal's create form showed a requester, which one
-- they opened, and whether they still submitted a ticket. One row per form session (the client's
-- random key), so a retried or repeated record updates instead of counting twice. No ticket text.
CREATE TABLE kb_deflections (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    session_key   text        NOT NULL UNIQUE CHECK (length(session_key) BETWEEN 1 AND 200),
    shown_ids     bigint[]    NOT NULL DEFAULT '{}',
    opened_id     bigint      NULL,
    submitted     boolean     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX kb_deflections_created_idx ON kb_deflections (created_at);
