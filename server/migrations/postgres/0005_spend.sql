-- Spend accounting (issue 5, PostgreSQL twin of the SQLite migration): one row per call in `spend_logs`, daily aggregates that survive
-- `maximum_spend_logs_retention_period` pruning, and the same per tag.
-- Absent ids (no team, no end user, ...) are stored as '' so aggregate keys stay unique and
-- filters compare plainly. Times are Unix milliseconds; `day` is the UTC day `YYYY-MM-DD` of the
-- call's start. Written only by the batching spend writer (`server/src/spend/`), with the call id
-- as primary key so a replayed record is never counted twice.

CREATE TABLE spend_logs (
    request_id          TEXT PRIMARY KEY NOT NULL,
    call_type           TEXT NOT NULL DEFAULT '',
    route               TEXT NOT NULL DEFAULT '',
    api_key             TEXT NOT NULL DEFAULT '',
    key_alias           TEXT,
    user_id             TEXT NOT NULL DEFAULT '',
    team_id             TEXT NOT NULL DEFAULT '',
    organization_id     TEXT NOT NULL DEFAULT '',
    end_user            TEXT NOT NULL DEFAULT '',
    model_group         TEXT NOT NULL DEFAULT '',
    model_id            TEXT NOT NULL DEFAULT '',
    custom_llm_provider TEXT NOT NULL DEFAULT '',
    model               TEXT NOT NULL DEFAULT '',
    api_base            TEXT,
    prompt_tokens       BIGINT NOT NULL DEFAULT 0,
    completion_tokens   BIGINT NOT NULL DEFAULT 0,
    cached_tokens       BIGINT NOT NULL DEFAULT 0,
    spend               DOUBLE PRECISION NOT NULL DEFAULT 0,
    start_time          BIGINT NOT NULL,
    end_time            BIGINT NOT NULL,
    latency_ms          BIGINT NOT NULL DEFAULT 0,
    status              TEXT NOT NULL DEFAULT 'success',
    error_type          TEXT,
    cache_hit           BOOLEAN NOT NULL DEFAULT FALSE,
    request_tags        TEXT NOT NULL DEFAULT '[]',
    messages            TEXT,
    response            TEXT,
    metadata            TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX spend_logs_start ON spend_logs (start_time);
CREATE INDEX spend_logs_key ON spend_logs (api_key, start_time);
CREATE INDEX spend_logs_user ON spend_logs (user_id, start_time);
CREATE INDEX spend_logs_team ON spend_logs (team_id, start_time);
CREATE INDEX spend_logs_end_user ON spend_logs (end_user, start_time);

-- Totals per day and (key, team, user, end user, model group).
CREATE TABLE daily_spend (
    day                 TEXT NOT NULL,
    api_key             TEXT NOT NULL DEFAULT '',
    team_id             TEXT NOT NULL DEFAULT '',
    user_id             TEXT NOT NULL DEFAULT '',
    end_user            TEXT NOT NULL DEFAULT '',
    model               TEXT NOT NULL DEFAULT '',
    organization_id     TEXT NOT NULL DEFAULT '',
    requests            BIGINT NOT NULL DEFAULT 0,
    successful_requests BIGINT NOT NULL DEFAULT 0,
    failed_requests     BIGINT NOT NULL DEFAULT 0,
    prompt_tokens       BIGINT NOT NULL DEFAULT 0,
    completion_tokens   BIGINT NOT NULL DEFAULT 0,
    cached_tokens       BIGINT NOT NULL DEFAULT 0,
    spend               DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (day, api_key, team_id, user_id, end_user, model)
);
CREATE INDEX daily_spend_team ON daily_spend (team_id, day);
CREATE INDEX daily_spend_user ON daily_spend (user_id, day);
CREATE INDEX daily_spend_key ON daily_spend (api_key, day);

-- The same totals per request tag (a call with two tags counts once under each).
CREATE TABLE daily_tag_spend (
    day                 TEXT NOT NULL,
    tag                 TEXT NOT NULL,
    api_key             TEXT NOT NULL DEFAULT '',
    team_id             TEXT NOT NULL DEFAULT '',
    user_id             TEXT NOT NULL DEFAULT '',
    end_user            TEXT NOT NULL DEFAULT '',
    model               TEXT NOT NULL DEFAULT '',
    organization_id     TEXT NOT NULL DEFAULT '',
    requests            BIGINT NOT NULL DEFAULT 0,
    successful_requests BIGINT NOT NULL DEFAULT 0,
    failed_requests     BIGINT NOT NULL DEFAULT 0,
    prompt_tokens       BIGINT NOT NULL DEFAULT 0,
    completion_tokens   BIGINT NOT NULL DEFAULT 0,
    cached_tokens       BIGINT NOT NULL DEFAULT 0,
    spend               DOUBLE PRECISION NOT NULL DEFAULT 0,
    PRIMARY KEY (day, tag, api_key, team_id, user_id, end_user, model)
);
CREATE INDEX daily_tag_spend_tag ON daily_tag_spend (tag, day);
