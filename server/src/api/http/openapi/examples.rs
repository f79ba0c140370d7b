//! Request and response examples of the most used operations, added to the document by
//! `(method, path)`. A test checks that each names a documented operation.

use serde_json::{Value, json};

/// `(method, path, request example, response example)`; `Null` for none.
pub fn all() -> Vec<(&'static str, &'static str, Value, Value)> {
    vec![
        (
            "post",
            "/v1/chat/completions",
            json!({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello!"}], "max_tokens": 100}),
            json!({"id": "chatcmpl-123", "object": "chat.completion", "created": 1_767_225_600, "model": "gpt-4o-mini-2024-07-18",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello! How can I help?"}, "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 9, "completion_tokens": 7, "total_tokens": 16}}),
        ),
        (
            "post",
            "/v1/embeddings",
            json!({"model": "text-embedding-3-small", "input": ["one", "two"]}),
            json!({"object": "list", "model": "text-embedding-3-small",
                   "data": [{"object": "embedding", "index": 0, "embedding": [0.01, -0.02]}, {"object": "embedding", "index": 1, "embedding": [0.03, 0.04]}],
                   "usage": {"prompt_tokens": 2, "completion_tokens": 0, "total_tokens": 2}}),
        ),
        (
            "post",
            "/key/generate",
            json!({"key_alias": "eng-ci", "team_id": "eng", "models": ["gpt-4o-mini"], "max_budget": 5, "budget_duration": "30d", "duration": "90d"}),
            json!({"key": "sk-0123456789abcdefghijkl", "token": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                   "key_alias": "eng-ci", "key_name": "sk-...ijkl", "team_id": "eng", "models": ["gpt-4o-mini"],
                   "max_budget": 5.0, "budget_duration": "30d", "spend": 0.0, "blocked": false}),
        ),
        (
            "post",
            "/key/update",
            json!({"key": "sk-0123456789abcdefghijkl", "max_budget": 10, "tpm_limit": 100_000}),
            Value::Null,
        ),
        (
            "post",
            "/key/delete",
            json!({"keys": ["sk-0123456789abcdefghijkl"]}),
            json!({"deleted_keys": ["sk-0123456789abcdefghijkl"]}),
        ),
        (
            "post",
            "/team/new",
            json!({"team_id": "eng", "team_alias": "Engineering", "models": ["gpt-4o-mini"], "max_budget": 100, "budget_duration": "30d"}),
            Value::Null,
        ),
        (
            "post",
            "/team/member_add",
            json!({"team_id": "eng", "member": [{"user_id": "ann", "role": "admin"}], "max_budget_in_team": 20}),
            Value::Null,
        ),
        (
            "post",
            "/customer/new",
            json!({"user_id": "acme", "max_budget": 10, "budget_duration": "30d"}),
            Value::Null,
        ),
    ]
}

/// Sets the examples on `doc`; an example of an undocumented operation is an error.
pub fn apply(doc: &mut Value) -> Result<(), String> {
    for (method, path, request, response) in all() {
        let operation = doc
            .pointer_mut(&format!("/paths/{}/{method}", path.replace('/', "~1")))
            .ok_or_else(|| format!("example for undocumented {method} {path}"))?;
        if !request.is_null() {
            operation["requestBody"]["content"]["application/json"]["example"] = request;
        }
        if !response.is_null() {
            operation["responses"]["200"]["content"]["application/json"]["example"] = response;
        }
    }
    Ok(())
}
