//! The routes the protos do not annotate: OpenAI's and Anthropic's APIs (their bodies are the
//! OpenAI types of [`crate::types::openai`], derived with `utoipa::ToSchema`, and Anthropic's
//! Messages shape), operations routes, model info, and LiteLLM's alias paths of annotated
//! routes (`/end_user/*` for `/customer/*`, `POST` twins of `PATCH`/`DELETE` organization routes).

use serde_json::{Value, json};

use super::common::{responses, responses_with, schema};

/// One documented operation: where, what, and its request/response bodies.
pub struct Route {
    pub method: &'static str,
    pub paths: &'static [&'static str],
    pub tag: &'static str,
    pub operation_id: &'static str,
    pub description: &'static str,
    pub request: Option<Value>,
    pub responses: Value,
    pub parameters: Value,
    /// Public routes need no key.
    pub public: bool,
}

/// Alias paths: `(method, path, documented as this method and path)`.
pub const ALIASES: &[(&str, &str, &str, &str)] = &[
    ("post", "/end_user/new", "post", "/customer/new"),
    ("get", "/end_user/info", "get", "/customer/info"),
    ("post", "/end_user/update", "post", "/customer/update"),
    ("post", "/end_user/delete", "post", "/customer/delete"),
    ("get", "/end_user/list", "get", "/customer/list"),
    ("post", "/end_user/block", "post", "/customer/block"),
    ("post", "/end_user/unblock", "post", "/customer/unblock"),
    (
        "post",
        "/organization/update",
        "patch",
        "/organization/update",
    ),
    (
        "post",
        "/organization/delete",
        "delete",
        "/organization/delete",
    ),
];

fn json_body(schema: Value) -> Option<Value> {
    Some(json!({"required": true, "content": {"application/json": {"schema": schema}}}))
}

fn model_path() -> Value {
    json!([{"name": "model", "in": "path", "required": true, "description": "The model name (it replaces `model` in the body).", "schema": {"type": "string"}}])
}

fn chat_responses() -> Value {
    responses_with(json!({
        "description": "The completion; with `stream: true`, server-sent events of `chat.completion.chunk` objects ending with `data: [DONE]`.",
        "headers": {
            "x-tollgate-call-id": {"$ref": "#/components/headers/CallId"},
            "x-tollgate-response-cost": {"$ref": "#/components/headers/ResponseCost"},
            "x-tollgate-model-id": {"$ref": "#/components/headers/ModelId"}
        },
        "content": {
            "application/json": {"schema": schema("ChatResponse")},
            "text/event-stream": {"schema": {"type": "string", "description": "`data: <ChatChunk JSON>` lines (see the ChatChunk schema), then `data: [DONE]`."}}
        }
    }))
}

fn anthropic_request() -> Value {
    json!({
        "type": "object",
        "description": "Anthropic's Messages request. Any model of the gateway answers: `anthropic/` deployments natively, the others translated.",
        "required": ["model", "messages", "max_tokens"],
        "properties": {
            "model": {"type": "string"},
            "messages": {"type": "array", "items": {"type": "object", "properties": {
                "role": {"type": "string", "enum": ["user", "assistant"]},
                "content": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]}
            }}},
            "max_tokens": {"type": "integer", "minimum": 1},
            "system": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}]},
            "stream": {"type": "boolean"},
            "temperature": {"type": "number"},
            "tools": {"type": "array", "items": {"type": "object"}},
            "metadata": {"type": "object"}
        },
        "example": {"model": "claude-sonnet", "max_tokens": 256, "messages": [{"role": "user", "content": "Hello!"}]}
    })
}

fn object(description: &str) -> Value {
    json!({"type": "object", "description": description, "additionalProperties": true})
}

/// Every route documented here (the rest come from the protos).
pub fn all() -> Vec<Route> {
    let model_query = json!([{"name": "model", "in": "query", "description": "Only this model name.", "schema": {"type": "string"}}]);
    vec![
        Route {
            method: "post",
            paths: &["/v1/chat/completions", "/chat/completions"],
            tag: "OpenAI",
            operation_id: "createChatCompletion",
            description: "Creates a chat completion (OpenAI's API), routed, limited, budgeted and logged by the gateway. Unknown parameters are passed to the provider untouched.",
            request: json_body(schema("ChatRequest")),
            responses: chat_responses(),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "post",
            paths: &[
                "/engines/{model}/chat/completions",
                "/openai/deployments/{model}/chat/completions",
            ],
            tag: "OpenAI",
            operation_id: "createChatCompletionForModel",
            description: "A chat completion with the model named in the path (LiteLLM's engine and Azure-style paths).",
            request: json_body(schema("ChatRequest")),
            responses: chat_responses(),
            parameters: model_path(),
            public: false,
        },
        Route {
            method: "post",
            paths: &["/v1/completions", "/completions"],
            tag: "OpenAI",
            operation_id: "createCompletion",
            description: "Creates a legacy text completion (served by the chat API of the deployment).",
            request: json_body(schema("CompletionRequest")),
            responses: responses(schema("CompletionResponse")),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "post",
            paths: &["/v1/embeddings", "/embeddings"],
            tag: "OpenAI",
            operation_id: "createEmbedding",
            description: "Creates embeddings of one or more inputs.",
            request: json_body(schema("EmbeddingsRequest")),
            responses: responses(schema("EmbeddingsResponse")),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "get",
            paths: &["/v1/models", "/models"],
            tag: "OpenAI",
            operation_id: "listModels",
            description: "Lists the models the key may call.",
            request: None,
            responses: responses(schema("ModelList")),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "get",
            paths: &["/v1/models/{id}", "/models/{id}"],
            tag: "OpenAI",
            operation_id: "retrieveModel",
            description: "One model the key may call.",
            request: None,
            responses: responses(schema("ModelCard")),
            parameters: json!([{"name": "id", "in": "path", "required": true, "description": "The model name (may contain `/`).", "schema": {"type": "string"}}]),
            public: false,
        },
        Route {
            method: "post",
            paths: &["/v1/messages", "/anthropic/v1/messages"],
            tag: "Anthropic",
            operation_id: "createMessage",
            description: "Creates a message (Anthropic's Messages API; Claude Code works against it). Authenticate with `x-api-key` or `Authorization: Bearer`.",
            request: json_body(anthropic_request()),
            responses: responses_with(json!({
                "description": "The message; with `stream: true`, Anthropic's server-sent events.",
                "content": {
                    "application/json": {"schema": object("Anthropic's Message object: id, type, role, content blocks, model, stop_reason, usage.")},
                    "text/event-stream": {"schema": {"type": "string"}}
                }
            })),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "post",
            paths: &[
                "/v1/messages/count_tokens",
                "/anthropic/v1/messages/count_tokens",
            ],
            tag: "Anthropic",
            operation_id: "countMessageTokens",
            description: "Counts the input tokens of a Messages request, for any model of the gateway.",
            request: json_body(anthropic_request()),
            responses: responses(
                json!({"type": "object", "required": ["input_tokens"], "properties": {"input_tokens": {"type": "integer"}}}),
            ),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "get",
            paths: &["/health"],
            tag: "Operations",
            operation_id: "checkDeployments",
            description: "Calls every deployment (or those of `model`) with a minimal request and reports which answer. Admin keys only: it costs tokens.",
            request: None,
            responses: responses(object(
                "`healthy_endpoints`, `unhealthy_endpoints` and their counts.",
            )),
            parameters: model_query,
            public: false,
        },
        Route {
            method: "get",
            paths: &["/budget/settings"],
            tag: "Budgets",
            operation_id: "budgetSettings",
            description: "The settable fields of a budget, with their types and current values (LiteLLM's `/budget/settings`).",
            request: None,
            responses: responses(
                json!({"type": "array", "items": object("One setting: `field_name`, `field_type`, `field_value`, `field_description`.")}),
            ),
            parameters: json!([{"name": "budget_id", "in": "query", "required": true, "schema": {"type": "string"}}]),
            public: false,
        },
        Route {
            method: "post",
            paths: &["/organization/info"],
            tag: "Organizations",
            operation_id: "organizationsInfo",
            description: "Several organizations at once, by id.",
            request: json_body(
                json!({"type": "object", "required": ["organizations"], "properties": {"organizations": {"type": "array", "items": {"type": "string"}}}}),
            ),
            responses: responses(json!({"type": "array", "items": schema("Organization")})),
            parameters: json!([]),
            public: false,
        },
        Route {
            method: "get",
            paths: &["/health/liveliness", "/health/liveness"],
            tag: "Operations",
            operation_id: "liveliness",
            description: "The process answers (LiteLLM's body).",
            request: None,
            responses: json!({"200": {"description": "Alive.", "content": {"application/json": {"schema": {"type": "string", "example": "I'm alive!"}}}}}),
            parameters: json!([]),
            public: true,
        },
        Route {
            method: "get",
            paths: &["/health/readiness"],
            tag: "Operations",
            operation_id: "readiness",
            description: "The store answers and the gateway is not shutting down; also says whether Redis answers.",
            request: None,
            responses: json!({
                "200": {"description": "Ready.", "content": {"application/json": {"schema": object("`status`, `db`, `db_backend`, `redis`, `tollgate_version`, ...")}}},
                "503": {"description": "Not ready (database down or shutting down).", "content": {"application/json": {"schema": object("As for 200, with `status: unhealthy`.")}}}
            }),
            parameters: json!([]),
            public: true,
        },
        Route {
            method: "get",
            paths: &["/metrics"],
            tag: "Operations",
            operation_id: "metrics",
            description: "Prometheus metrics (requests, latency, tokens, spend, rate limits).",
            request: None,
            responses: json!({"200": {"description": "Prometheus text format.", "content": {"text/plain": {"schema": {"type": "string"}}}}}),
            parameters: json!([]),
            public: true,
        },
        Route {
            method: "get",
            paths: &["/openapi.json"],
            tag: "Operations",
            operation_id: "openapi",
            description: "This document.",
            request: None,
            responses: json!({"200": {"description": "OpenAPI 3.1 JSON.", "content": {"application/json": {"schema": {"type": "object"}}}}}),
            parameters: json!([]),
            public: true,
        },
        Route {
            method: "get",
            paths: &["/docs"],
            tag: "Operations",
            operation_id: "docs",
            description: "The API reference of this document, as a web page (works offline).",
            request: None,
            responses: json!({"200": {"description": "HTML.", "content": {"text/html": {"schema": {"type": "string"}}}}}),
            parameters: json!([]),
            public: true,
        },
    ]
}
