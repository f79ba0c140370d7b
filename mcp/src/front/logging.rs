//! Logging: `logging/setLevel` and the log notifications (`notifications/message`) clients get.
//!
//! The hub shares an upstream session between clients, so the level is kept per client session:
//! each upstream session is set to the most verbose level any session that follows the server
//! asked for (and set again when it reconnects), and each client gets only the logs at or above
//! its own level (all of them until it sets one).
//!
//! On `/mcp` a log's `logger` names the server it came from, namespaced like tools and prompts:
//! `<server><separator><logger>`, or `<server>` alone when the server gave no logger. On
//! `/mcp/<server>` it is the server's own.

use serde_json::{Value, json};

use super::aggregate::Scope;
use super::session::Session;
use crate::hub::Hub;
use crate::jsonrpc;
use crate::upstream::{Connection, SessionKey};

/// The levels of MCP (RFC 5424), least severe first.
const LEVELS: [&str; 8] = [
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
];

fn severity(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level)
}

/// The level named in `logging/setLevel`'s params, if it is one.
fn requested(params: &Value) -> Option<&'static str> {
    let level = params.get("level").and_then(Value::as_str)?;
    LEVELS.iter().find(|l| **l == level).copied()
}

/// Records the level `params` asks for as `session`'s; the error response (without id) when it
/// names no level.
pub fn record(session: &Session, params: &Value) -> Result<(), Value> {
    let Some(level) = requested(params) else {
        let level = params.get("level").cloned().unwrap_or(Value::Null);
        return Err(jsonrpc::error(
            Value::Null,
            jsonrpc::INVALID_PARAMS,
            format!("Unknown logging level: {level}"),
        ));
    };
    session.set_log_level(level);
    Ok(())
}

/// The level for `server`'s upstream sessions: the most verbose one a client session that
/// follows the server set, if any did.
pub fn upstream_level(hub: &Hub, server: &str) -> Option<&'static str> {
    let spec = hub.upstream(server)?.spec().clone();
    hub.sessions
        .all()
        .iter()
        .filter(|s| s.follows(server) && s.access.server_visible(&spec))
        .filter_map(|s| s.log_level())
        .min_by_key(|l| severity(l))
}

/// `logging/setLevel` on `/mcp`: the session's level, and every visible healthy server that
/// offers logging set to the level its clients need.
pub async fn set_level(scope: Scope<'_>, session: &Session, id: Value, params: Value) -> Value {
    if let Err(mut e) = record(session, &params) {
        e["id"] = id;
        return e;
    }
    for (upstream, connection) in scope.offering("logging").await {
        let Some(level) = upstream_level(scope.hub, upstream.name()) else {
            continue;
        };
        let sent = connection
            .request("logging/setLevel", Some(json!({"level": level})), None)
            .await;
        if let Err(e) = sent {
            tracing::debug!(server = upstream.name(), error = %e, "logging/setLevel failed");
        }
    }
    jsonrpc::result(id, json!({}))
}

/// The upstream session `key` was opened again: it gets the level its clients need.
pub async fn restore(hub: &Hub, key: &SessionKey, connection: &Connection) {
    let Some(level) = upstream_level(hub, &key.server) else {
        return;
    };
    if !connection.has_capability("logging") {
        return;
    }
    let params = json!({"level": level});
    if let Err(e) = connection
        .request("logging/setLevel", Some(params), None)
        .await
    {
        tracing::debug!(server = %key.server, error = %e, "logging level not restored");
    }
}

/// Whether `session` wants the log `message` (at or above the level it set).
pub fn wanted(session: &Session, message: &Value) -> bool {
    let Some(floor) = session.log_level().and_then(severity) else {
        return true;
    };
    message
        .pointer("/params/level")
        .and_then(Value::as_str)
        .and_then(severity)
        .is_none_or(|level| level >= floor)
}

/// Names `server` in the `logger` of a log sent on `/mcp` (see the module documentation).
pub fn tag(message: &mut Value, server: &str, separator: &str) {
    let Some(params) = message.get_mut("params").and_then(Value::as_object_mut) else {
        return;
    };
    let logger = match params.get("logger").and_then(Value::as_str) {
        Some(own) if !own.is_empty() => format!("{server}{separator}{own}"),
        _ => server.to_owned(),
    };
    params.insert("logger".into(), Value::String(logger));
}

#[cfg(test)]
mod tests {
    use super::*;

    // The logger names the server, before the server's own logger if it has one.
    #[test]
    fn tags_logger_with_server() {
        let mut log = json!({"method": "notifications/message",
                             "params": {"level": "info", "data": "x"}});
        tag(&mut log, "local", "-");
        assert_eq!(log["params"]["logger"], "local");
        let mut log = json!({"method": "notifications/message",
                             "params": {"level": "info", "logger": "db", "data": "x"}});
        tag(&mut log, "local", "-");
        assert_eq!(log["params"]["logger"], "local-db");
    }

    // A session gets every log until it sets a level, then those at or above it.
    #[test]
    fn filters_by_the_session_level() {
        let sessions = crate::front::session::Sessions::default();
        let session = sessions.open(
            "s".into(),
            "o".into(),
            None,
            "2025-06-18".into(),
            crate::access::Access::Everything,
        );
        let log = |level: &str| json!({"params": {"level": level, "data": "x"}});
        assert!(wanted(&session, &log("debug")));
        assert!(record(&session, &json!({"level": "loud"})).is_err());
        assert!(record(&session, &json!({"level": "warning"})).is_ok());
        assert!(!wanted(&session, &log("info")));
        assert!(wanted(&session, &log("warning")) && wanted(&session, &log("alert")));
    }

    // Levels are ordered as RFC 5424; unknown ones are refused.
    #[test]
    fn levels() {
        assert!(severity("debug") < severity("warning"));
        assert!(severity("error") < severity("emergency"));
        assert_eq!(requested(&json!({"level": "notice"})), Some("notice"));
        assert_eq!(requested(&json!({"level": "loud"})), None);
    }
}
