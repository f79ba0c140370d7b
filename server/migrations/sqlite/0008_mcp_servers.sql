-- MCP hub (issue 10): MCP servers added at runtime (`/mcp/servers`, LiteLLM's `/v1/mcp/server`).
-- `server_name` is the name tools are prefixed with and `/mcp/<name>` serves; `definition` is
-- the server's JSON without credentials; `secrets` holds the credentials (auth value, static
-- header values, stdio env values) as one JSON object encrypted with AES-256-GCM (key from
-- TOLLGATE_SALT_KEY), NULL when there are none. Every instance polls (COUNT, MAX(updated_at))
-- to pick changes up; a removed server keeps its row with `deleted = 1` so others see it go.

CREATE TABLE mcp_servers (
    server_id TEXT PRIMARY KEY,
    server_name TEXT NOT NULL,
    definition TEXT NOT NULL,
    secrets TEXT,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX mcp_servers_live_name ON mcp_servers (server_name) WHERE deleted = 0;
CREATE INDEX mcp_servers_updated_at ON mcp_servers (updated_at);
