//! MCP servers at runtime over REST (`/mcp/servers`, LiteLLM's `/v1/mcp/server`), on SQLite and
//! PostgreSQL: added, used through `/mcp`, changed, removed; credentials reach the upstream but
//! are never returned nor stored in clear; config-file servers are read-only; `servers` is a
//! reserved name; non-admin keys cannot change servers and list only those they may use; every
//! change is audited.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tollgate_e2e::Gateway;
use tollgate_e2e::gateway::MASTER_KEY;

const TOKEN: &str = "upstream-token-secret-123";
const HEADER_SECRET: &str = "static-header-secret-456";

/// The `Authorization` headers an upstream received.
pub type Seen = Arc<Mutex<Vec<String>>>;

/// A tools-only MCP server (`shout`) over streamable HTTP (JSON answers), recording the
/// `Authorization` header of each request.
pub async fn upstream() -> (SocketAddr, Seen) {
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let handle = move |headers: HeaderMap, Json(m): Json<Value>| {
        let record = record.clone();
        async move {
            if let Some(a) = headers.get("authorization") {
                record.lock().unwrap().push(a.to_str().unwrap().to_owned());
            }
            let id = m.get("id").cloned();
            let result = match m["method"].as_str().unwrap_or("") {
                "initialize" => {
                    json!({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                       "serverInfo": {"name": "runtime-upstream", "version": "1"}})
                }
                "tools/list" => {
                    json!({"tools": [{"name": "shout", "inputSchema": {"type": "object"}}]})
                }
                "tools/call" => {
                    let text = m["params"]["arguments"]["text"].as_str().unwrap_or("");
                    json!({"content": [{"type": "text", "text": text.to_uppercase()}]})
                }
                _ if id.is_none() => return StatusCode::ACCEPTED.into_response(),
                other => {
                    let error = json!({"code": -32601, "message": format!("no {other}")});
                    return Json(json!({"jsonrpc": "2.0", "id": id, "error": error}))
                        .into_response();
                }
            };
            let mut r: Response =
                Json(json!({"jsonrpc": "2.0", "id": id, "result": result})).into_response();
            r.headers_mut()
                .insert("mcp-session-id", "s1".parse().unwrap());
            r
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route(
        "/mcp",
        post(handle).get(|| async { StatusCode::METHOD_NOT_ALLOWED }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, seen)
}

/// One JSON-RPC exchange with an MCP endpoint (`base` + `/mcp`), as `key`.
pub async fn rpc(
    base: &str,
    key: &str,
    session: Option<&str>,
    body: Value,
) -> (Option<String>, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/mcp"))
        .bearer_auth(key)
        .header("accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(s) = session {
        request = request.header("mcp-session-id", s);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    let session = response
        .headers()
        .get("mcp-session-id")
        .map(|v| v.to_str().unwrap().to_owned());
    let text = response.text().await.unwrap();
    let json = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .map_or_else(|| serde_json::from_str(&text), serde_json::from_str)
        .unwrap();
    (session, json)
}

/// The tool names `/mcp` lists to `key` (a fresh session).
pub async fn tool_names(base: &str, key: &str) -> Vec<String> {
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}});
    let (session, _) = rpc(base, key, None, init).await;
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let (_, answer) = rpc(base, key, session.as_deref(), list).await;
    answer["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Waits until `/mcp` on `base` lists (or no longer lists) `tool`.
pub async fn wait_for_tool(base: &str, tool: &str, present: bool) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let names = tool_names(base, MASTER_KEY).await;
        if names.iter().any(|n| n == tool) == present {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{tool} present={present} never became true on {base}: {names:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn call(
    gw: &Gateway,
    key: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = gw
        .client
        .request(method.parse().unwrap(), gw.url(path))
        .bearer_auth(key);
    if let Some(b) = body {
        request = request.json(&b);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn config(upstream: SocketAddr) -> String {
    format!(
        "environment_variables: {{TOLLGATE_SALT_KEY: mcp-test-salt}}\ngeneral_settings:\n  master_key: {MASTER_KEY}\nmcp_servers:\n  cfg:\n    url: http://{upstream}/mcp\n"
    )
}

// The whole REST life of a runtime server, on every storage backend.
#[tokio::test]
async fn runtime_servers_over_rest_on_every_backend() {
    for db in tollgate_e2e::db::backends().await {
        let (addr, seen) = upstream().await;
        let gw = Gateway::start_with_db(&config(addr), Some(db.url.clone())).await;
        let base = gw.url("");
        let body = json!({
            "server_name": "rt", "url": format!("http://{addr}/mcp"), "transport": "http",
            "auth_type": "bearer_token", "credentials": {"auth_value": TOKEN},
            "static_headers": {"X-Secret": HEADER_SECRET}, "description": "runtime"
        });
        let (status, created) = call(&gw, MASTER_KEY, "POST", "/mcp/servers", Some(body)).await;
        assert_eq!(status, 201, "{}: {created}", db.backend);
        assert_eq!(created["server_id"], "rt");
        assert_eq!(created["source"], "db");
        assert_eq!(created["static_headers"], json!({"X-Secret": "****"}));
        assert_eq!(created["has_auth_value"], true);

        wait_for_tool(&base, "rt-shout", true).await;
        assert!(
            seen.lock()
                .unwrap()
                .iter()
                .any(|a| a == &format!("Bearer {TOKEN}"))
        );
        let (status, health) = call(&gw, MASTER_KEY, "GET", "/mcp/servers/rt/health", None).await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                health["transport"].clone(),
                health["healthy"].clone(),
                health["tool_count"].clone()
            ),
            (json!("http"), json!(true), json!(1))
        );

        // Listings show both kinds and never a credential; the row holds them sealed.
        let (status, list) = call(&gw, MASTER_KEY, "GET", "/v1/mcp/server", None).await;
        assert_eq!(status, 200);
        let sources: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["server_name"].clone(), s["source"].clone()))
            .collect();
        assert_eq!(
            sources,
            [(json!("cfg"), json!("config")), (json!("rt"), json!("db"))]
        );
        let rows = gw.state.store.mcp_servers().await.unwrap();
        for text in [list.to_string(), format!("{rows:?}")] {
            assert!(
                !text.contains(TOKEN) && !text.contains(HEADER_SECRET),
                "{text}"
            );
        }

        // An update keeps the credentials it does not name and changes what the hub runs.
        let patch = json!({"allowed_tools": ["nothing"]});
        let (status, updated) = call(&gw, MASTER_KEY, "PUT", "/mcp/servers/rt", Some(patch)).await;
        assert_eq!(status, 202, "{updated}");
        assert_eq!(updated["has_auth_value"], true);
        wait_for_tool(&base, "rt-shout", false).await;
        let patch = json!({"server_id": "rt", "allowed_tools": null});
        let (status, _) = call(&gw, MASTER_KEY, "PUT", "/v1/mcp/server", Some(patch)).await;
        assert_eq!(status, 202);
        wait_for_tool(&base, "rt-shout", true).await;
        assert!(
            seen.lock()
                .unwrap()
                .iter()
                .all(|a| a == &format!("Bearer {TOKEN}"))
        );

        // Refusals: config servers are read-only, names are checked, non-admins are refused.
        let (status, e) = call(
            &gw,
            MASTER_KEY,
            "PUT",
            "/mcp/servers/cfg",
            Some(json!({"description": "x"})),
        )
        .await;
        assert_eq!(status, 400, "{e}");
        assert!(e.to_string().contains("read-only"));
        let (status, _) = call(&gw, MASTER_KEY, "DELETE", "/mcp/servers/cfg", None).await;
        assert_eq!(status, 400);
        for name in ["servers", "bad name", "cfg", "rt"] {
            let body = json!({"server_name": name, "url": format!("http://{addr}/mcp")});
            let (status, e) = call(&gw, MASTER_KEY, "POST", "/mcp/servers", Some(body)).await;
            assert_eq!(status, 400, "{name}: {e}");
        }
        let (_, key) = call(&gw, MASTER_KEY, "POST", "/key/generate", Some(json!({}))).await;
        let key = key["key"].as_str().unwrap();
        let body = json!({"server_name": "mine", "command": "sh", "args": ["-c", "true"]});
        assert_eq!(
            call(&gw, key, "POST", "/mcp/servers", Some(body)).await.0,
            403
        );
        // A non-admin lists only the servers it may use: none for this key, `rt` once granted.
        let (status, listed) = call(&gw, key, "GET", "/mcp/servers", None).await;
        assert_eq!(status, 200, "{listed}");
        assert_eq!(listed, json!([]));
        assert_eq!(call(&gw, key, "GET", "/mcp/servers/rt", None).await.0, 404);
        let grant = json!({"object_permission": {"mcp_servers": ["rt"]}});
        let (_, granted) = call(&gw, MASTER_KEY, "POST", "/key/generate", Some(grant)).await;
        let granted = granted["key"].as_str().unwrap();
        let (status, listed) = call(&gw, granted, "GET", "/mcp/servers", None).await;
        assert_eq!(status, 200, "{listed}");
        let names: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["server_name"].as_str())
            .collect();
        assert_eq!(names, ["rt"]);
        assert_eq!(
            call(&gw, granted, "GET", "/mcp/servers/rt", None).await.0,
            200
        );
        assert_eq!(
            call(&gw, key, "DELETE", "/mcp/servers/rt", None).await.0,
            403
        );

        // Removal: the server is gone from the API and from /mcp.
        let (status, _) = call(&gw, MASTER_KEY, "DELETE", "/v1/mcp/server/rt", None).await;
        assert_eq!(status, 202);
        assert_eq!(
            call(&gw, MASTER_KEY, "GET", "/mcp/servers/rt", None)
                .await
                .0,
            404
        );
        wait_for_tool(&base, "rt-shout", false).await;

        // Every change is audited, without credentials.
        let (_, audit) = call(
            &gw,
            MASTER_KEY,
            "GET",
            "/audit?target_type=mcp_server",
            None,
        )
        .await;
        let mut actions: Vec<String> = audit["audit_logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect();
        actions.sort();
        assert_eq!(
            actions,
            [
                "mcp_server.delete",
                "mcp_server.new",
                "mcp_server.update",
                "mcp_server.update"
            ],
            "{}",
            db.backend
        );
        assert!(!audit.to_string().contains(TOKEN));
        gw.stop().await;
    }
}

// A stored server with credentials needs a salt key: without one it is refused, not stored.
#[tokio::test]
async fn credentials_need_a_salt_key() {
    let (addr, _) = upstream().await;
    let yaml = format!("general_settings:\n  master_key: {MASTER_KEY}\n");
    let gw = Gateway::start(&yaml).await;
    let body = json!({"server_name": "rt", "url": format!("http://{addr}/mcp"),
                      "auth_type": "bearer_token", "credentials": {"auth_value": TOKEN}});
    let (status, e) = call(&gw, MASTER_KEY, "POST", "/mcp/servers", Some(body)).await;
    assert_eq!(status, 400, "{e}");
    assert!(e.to_string().contains("TOLLGATE_SALT_KEY"));
    let body = json!({"server_name": "open", "url": format!("http://{addr}/mcp")});
    assert_eq!(
        call(&gw, MASTER_KEY, "POST", "/mcp/servers", Some(body))
            .await
            .0,
        201
    );
    wait_for_tool(&gw.url(""), "open-shout", true).await;
    gw.stop().await;
}
