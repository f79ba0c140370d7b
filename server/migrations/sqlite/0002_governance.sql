-- Governance: organizations → teams → users → keys, end users, memberships, audit log.
-- Columns that are looked up, filtered, unique or updated atomically (spend) are typed columns;
-- the remaining settings of an entity (models, limits, metadata, ...) live in `settings`, a JSON
-- object read and written whole. Times are Unix milliseconds (BIGINT) on both backends.

CREATE TABLE organizations (
    organization_id    TEXT PRIMARY KEY NOT NULL,
    organization_alias TEXT,
    blocked            BOOLEAN NOT NULL DEFAULT FALSE,
    spend              DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at    BIGINT,
    settings           TEXT NOT NULL DEFAULT '{}',
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    created_by         TEXT,
    updated_by         TEXT
);

CREATE TABLE teams (
    team_id         TEXT PRIMARY KEY NOT NULL,
    team_alias      TEXT,
    organization_id TEXT REFERENCES organizations (organization_id),
    blocked         BOOLEAN NOT NULL DEFAULT FALSE,
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at BIGINT,
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    created_by      TEXT,
    updated_by      TEXT
);
CREATE INDEX teams_organization ON teams (organization_id);

CREATE TABLE users (
    user_id         TEXT PRIMARY KEY NOT NULL,
    user_email      TEXT,
    user_role       TEXT NOT NULL DEFAULT 'internal_user',
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at BIGINT,
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    created_by      TEXT,
    updated_by      TEXT
);
CREATE INDEX users_email ON users (user_email);

CREATE TABLE team_memberships (
    team_id            TEXT NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
    user_id            TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role               TEXT NOT NULL DEFAULT 'user',
    max_budget_in_team DOUBLE PRECISION,
    spend              DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at         BIGINT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_memberships_user ON team_memberships (user_id);

CREATE TABLE organization_memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (organization_id) ON DELETE CASCADE,
    user_id         TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role            TEXT NOT NULL DEFAULT 'internal_user',
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_memberships_user ON organization_memberships (user_id);

-- `token` is the SHA-256 (hex) of the secret; the secret itself is never stored.
CREATE TABLE keys (
    token           TEXT PRIMARY KEY NOT NULL,
    key_name        TEXT NOT NULL,
    key_alias       TEXT UNIQUE,
    user_id         TEXT,
    team_id         TEXT REFERENCES teams (team_id),
    organization_id TEXT REFERENCES organizations (organization_id),
    blocked         BOOLEAN NOT NULL DEFAULT FALSE,
    expires         BIGINT,
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at BIGINT,
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    created_by      TEXT,
    updated_by      TEXT
);
CREATE INDEX keys_user ON keys (user_id);
CREATE INDEX keys_team ON keys (team_id);
CREATE INDEX keys_organization ON keys (organization_id);

-- A regenerated key's previous hash keeps working until `valid_until` (grace period).
CREATE TABLE key_grace_tokens (
    token       TEXT PRIMARY KEY NOT NULL,
    key_token   TEXT NOT NULL REFERENCES keys (token) ON DELETE CASCADE,
    valid_until BIGINT NOT NULL
);

-- End users: the OpenAI `user` field of a request (LiteLLM's customers).
CREATE TABLE end_users (
    user_id         TEXT PRIMARY KEY NOT NULL,
    alias           TEXT,
    blocked         BOOLEAN NOT NULL DEFAULT FALSE,
    spend           DOUBLE PRECISION NOT NULL DEFAULT 0,
    budget_reset_at BIGINT,
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE audit_log (
    id          TEXT PRIMARY KEY NOT NULL,
    created_at  BIGINT NOT NULL,
    actor       TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    action      TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    diff        TEXT NOT NULL DEFAULT '{}',
    client_ip   TEXT,
    user_agent  TEXT
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_target ON audit_log (target_type, target_id);

-- Hashes of deleted keys, so a deleted key is refused as "deleted", not "unknown".
CREATE TABLE deleted_keys (
    token      TEXT PRIMARY KEY NOT NULL,
    deleted_at BIGINT NOT NULL
);
