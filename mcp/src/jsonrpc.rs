//! JSON-RPC 2.0 messages as the hub relays them: untyped `serde_json::Value`s, classified and
//! built here. Keeping them untyped is what lets every MCP method, current or future, pass
//! through unchanged (see the README).

use serde_json::{Value, json};

pub const PARSE_ERROR: i64 = -32700;
pub const INVALID_REQUEST: i64 = -32600;
pub const METHOD_NOT_FOUND: i64 = -32601;
pub const INVALID_PARAMS: i64 = -32602;
pub const INTERNAL_ERROR: i64 = -32603;
/// Implementation-defined server errors (-32000 to -32099): the upstream failed or timed out.
pub const UPSTREAM_ERROR: i64 = -32000;
/// The gateway refused the call (rate limit, budget).
pub const REFUSED: i64 = -32001;

/// What a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Has `method` and `id`.
    Request,
    /// Has `method`, no `id`.
    Notification,
    /// Has `id` and `result` or `error`, no `method`.
    Response,
    Invalid,
}

/// Classifies one message.
pub fn kind(message: &Value) -> Kind {
    let Some(object) = message.as_object() else {
        return Kind::Invalid;
    };
    let has_id = object.get("id").is_some_and(|id| !id.is_null());
    match (object.get("method").and_then(Value::as_str), has_id) {
        (Some(_), true) => Kind::Request,
        (Some(_), false) => Kind::Notification,
        (None, true) if object.contains_key("result") || object.contains_key("error") => {
            Kind::Response
        }
        (None, _) => Kind::Invalid,
    }
}

pub fn method(message: &Value) -> &str {
    message.get("method").and_then(Value::as_str).unwrap_or("")
}

pub fn id(message: &Value) -> Value {
    message.get("id").cloned().unwrap_or(Value::Null)
}

pub fn params(message: &Value) -> Option<&Value> {
    message.get("params")
}

pub fn request(id: impl Into<Value>, method: &str, params: Option<Value>) -> Value {
    let mut m = json!({"jsonrpc": "2.0", "id": id.into(), "method": method});
    if let Some(p) = params {
        m["params"] = p;
    }
    m
}

pub fn notification(method: &str, params: Option<Value>) -> Value {
    let mut m = json!({"jsonrpc": "2.0", "method": method});
    if let Some(p) = params {
        m["params"] = p;
    }
    m
}

pub fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

pub fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

/// Whether a response is a JSON-RPC error, or a tool result flagged `isError`.
pub fn is_failure(response: &Value) -> bool {
    response.get("error").is_some()
        || response
            .pointer("/result/isError")
            .and_then(Value::as_bool)
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Requests, notifications and responses are told apart; a null id is no id.
    #[test]
    fn classifies() {
        assert_eq!(kind(&request(1, "ping", None)), Kind::Request);
        assert_eq!(
            kind(&notification("notifications/initialized", None)),
            Kind::Notification
        );
        assert_eq!(kind(&result(json!("a"), json!({}))), Kind::Response);
        assert_eq!(kind(&error(json!(2), -1, "x")), Kind::Response);
        assert_eq!(
            kind(&json!({"jsonrpc": "2.0", "id": null, "method": "m"})),
            Kind::Notification
        );
        assert_eq!(kind(&json!([1])), Kind::Invalid);
        assert!(is_failure(&json!({"result": {"isError": true}})));
        assert!(!is_failure(&json!({"result": {"content": []}})));
    }
}
