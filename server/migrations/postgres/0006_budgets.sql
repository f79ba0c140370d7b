-- Named budgets and tag budgets (issue 5, PostgreSQL twin of the SQLite migration), LiteLLM's `LiteLLM_BudgetTable` and
-- `LiteLLM_TagTable`. A named budget is a set of limits (max/soft budget, period, rpm/tpm,
-- parallel requests, per-model budgets) that customers (`end_users.settings.budget_id`), team
-- members (`team_memberships.budget_id`) and tags (`tags.budget_id`) follow; each of them keeps
-- its own spend. `budget_reset_at` is when the budget's period next ends (moved by the reset job).
-- The limits live in `settings` (JSON, like every other governed entity); times are Unix ms.

CREATE TABLE budgets (
    budget_id       TEXT PRIMARY KEY NOT NULL,
    budget_reset_at BIGINT,
    settings        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    created_by      TEXT,
    updated_by      TEXT
);
CREATE INDEX budgets_reset ON budgets (budget_reset_at);

-- Tags with a description, models and (optionally) a budget. A tag's spend is read from the
-- spend logs (every call records its tags), so it needs no column of its own.
CREATE TABLE tags (
    tag_name   TEXT PRIMARY KEY NOT NULL,
    budget_id  TEXT REFERENCES budgets (budget_id),
    settings   TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    created_by TEXT,
    updated_by TEXT
);
CREATE INDEX tags_budget ON tags (budget_id);

-- A member's budget row in a team (LiteLLM stores `max_budget_in_team` as one).
ALTER TABLE team_memberships ADD COLUMN budget_id TEXT REFERENCES budgets (budget_id);
CREATE INDEX team_memberships_budget ON team_memberships (budget_id);
