-- Router (issue 7): deployments added at runtime with `/model/new`. `litellm_params` is the
-- JSON of the deployment's parameters with every credential (`api_key`, ...) encrypted
-- (AES-256-GCM, key from TOLLGATE_SALT_KEY); `model_info` is plain JSON. Every instance polls
-- `updated_at` to pick changes up; a deleted model leaves a row with `deleted = 1` so other
-- instances see the deletion.

CREATE TABLE router_models (
    model_id TEXT PRIMARY KEY,
    model_name TEXT NOT NULL,
    litellm_params TEXT NOT NULL,
    model_info TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX router_models_updated_at ON router_models (updated_at);
