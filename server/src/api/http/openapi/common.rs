//! What every operation of the OpenAPI document shares: the OpenAI-shaped error body, the
//! standard error responses, the two ways to send a key, and the response-building helpers.

use serde_json::{Value, json};

/// The error body schema: [`crate::error::ErrorBody`], as every route answers errors.
pub fn error_schema() -> Value {
    json!({
        "type": "object",
        "description": "OpenAI's error shape. `type` is the gateway's error type; `code` the HTTP status as a string (LiteLLM's convention).",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type", "code"],
                "properties": {
                    "message": {"type": "string", "description": "What went wrong, for a person."},
                    "type": {"type": "string", "enum": [
                        "invalid_request_error", "authentication_error", "permission_denied",
                        "not_found", "budget_exceeded", "rate_limit_error", "timeout",
                        "api_error", "api_connection_error", "service_unavailable", "internal_error"
                    ]},
                    "param": {"type": ["string", "null"], "description": "The request field at fault, if one is."},
                    "code": {"type": "string", "description": "The HTTP status, e.g. \"400\"."}
                }
            }
        },
        "example": {"error": {"message": "Budget has been exceeded: key sk-...abcd spent 5.01 of 5.00", "type": "budget_exceeded", "param": null, "code": "400"}}
    })
}

/// `(status, response name, description)` of the errors any authenticated route can answer.
pub const ERROR_RESPONSES: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "The request is invalid (`invalid_request_error`), or a budget would be exceeded (`budget_exceeded`).",
    ),
    (
        "401",
        "Unauthorized",
        "No key, or an unknown, expired or blocked key (`authentication_error`).",
    ),
    (
        "403",
        "Forbidden",
        "The key may not use this model, route or resource (`permission_denied`).",
    ),
    (
        "404",
        "NotFound",
        "The named resource does not exist (`not_found`).",
    ),
    (
        "429",
        "TooManyRequests",
        "A rate limit refused the request (`rate_limit_error`); see `retry-after`.",
    ),
    (
        "500",
        "InternalError",
        "A bug or infrastructure failure of the gateway (`internal_error`), logged with the call id.",
    ),
];

/// The shared error responses, for `components.responses`.
pub fn error_responses() -> Value {
    let mut out = serde_json::Map::new();
    for (_, name, description) in ERROR_RESPONSES {
        out.insert(
            (*name).to_owned(),
            json!({
                "description": description,
                "headers": {"x-tollgate-call-id": {"$ref": "#/components/headers/CallId"}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            }),
        );
    }
    Value::Object(out)
}

/// Headers every response carries.
pub fn headers() -> Value {
    json!({
        "CallId": {"description": "The call's id, as in spend logs and the gateway's logs (also `x-litellm-call-id`).", "schema": {"type": "string"}},
        "Version": {"description": "The gateway's version (also `x-litellm-version`).", "schema": {"type": "string"}},
        "ResponseCost": {"description": "Cost of the call in USD (also `x-litellm-response-cost`).", "schema": {"type": "string"}},
        "ModelId": {"description": "The deployment that served the call (also `x-litellm-model-id`).", "schema": {"type": "string"}}
    })
}

/// A 200 answer with `schema` as JSON, plus the shared error responses.
pub fn responses(schema: Value) -> Value {
    responses_with(json!({
        "description": "Success.",
        "headers": {"x-tollgate-call-id": {"$ref": "#/components/headers/CallId"}},
        "content": {"application/json": {"schema": schema}}
    }))
}

/// `ok` as the 200 answer, plus the shared error responses.
pub fn responses_with(ok: Value) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("200".to_owned(), ok);
    for (status, name, _) in ERROR_RESPONSES {
        out.insert(
            (*status).to_owned(),
            json!({"$ref": format!("#/components/responses/{name}")}),
        );
    }
    Value::Object(out)
}

/// The ways to authenticate: `Authorization: Bearer <key>` or `x-api-key: <key>`.
pub fn security_schemes() -> Value {
    json!({
        "bearer": {"type": "http", "scheme": "bearer", "description": "A Tollgate key (`sk-...`) or the master key."},
        "apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key", "description": "The same key, as Anthropic clients send it."}
    })
}

/// `$ref` to a component schema.
pub fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The first sentence of a description, for an operation's summary.
pub fn summary(text: &str) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(end) => flat[..end].to_owned(),
        None => flat.trim_end_matches('.').to_owned(),
    }
}
