-- Agents: the people (or teams) behind agent and admin credentials. An agent survives key rotation:
-- its keys belong to it, a JWT subject can map to it, comments and assignments name it.

CREATE TABLE agents (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Unique among all agents, deactivated ones included: a retried create finds the first one.
    name         text        NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    email        text        CHECK (length(email) <= 254),
    role         text        NOT NULL CHECK (role IN ('agent', 'admin')),
    active       boolean     NOT NULL DEFAULT true,
    -- The JWT 'sub' claim that signs in as this agent (optional).
    jwt_subject  text        UNIQUE CHECK (length(jwt_subject) BETWEEN 1 AND 500),
    created_at   timestamptz NOT NULL DEFAULT now(),
    deactivated_at timestamptz
);

ALTER TABLE api_keys ADD COLUMN agent_id bigint REFERENCES agents (id);

-- Every agent or admin key that exists (revoked ones too) becomes one agent of its own, named after
-- the key; a name already taken by an earlier key gets the key id appended. The keys keep working.
DO $$
DECLARE
    k record;
    agent bigint;
BEGIN
    FOR k IN
        SELECT id, name, role, created_at,
               row_number() OVER (PARTITION BY name ORDER BY revoked_at NULLS FIRST, id) AS nth
        FROM api_keys WHERE role IN ('agent', 'admin') ORDER BY id
    LOOP
        INSERT INTO agents (name, role, created_at)
        VALUES (CASE WHEN k.nth = 1 THEN k.name ELSE left(k.name, 80) || ' (key ' || k.id || ')' END, k.role, k.created_at)
        RETURNING id INTO agent;
        UPDATE api_keys SET agent_id = agent WHERE id = k.id;
    END LOOP;
END;
$$;

-- Requester keys belong to no agent; agent and admin keys to exactly one.
ALTER TABLE api_keys ADD CONSTRAINT api_keys_staff_have_agent CHECK ((role = 'requester') = (agent_id IS NULL));
CREATE INDEX api_keys_agent_idx ON api_keys (agent_id) WHERE agent_id IS NOT NULL;
