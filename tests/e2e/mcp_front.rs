//! The MCP front's guards and governance: the loopback `Host` check (DNS rebinding), a session
//! ended on one instance of a fleet being gone on the other, and `tool_rpm_limit` as a key field
//! (set, shown, enforced, counted in the metrics). Against a minimal JSON-answering MCP server.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tollgate_e2e::Gateway;
use tollgate_e2e::binary::Instance;
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_e2e::redis_server::RedisServer;

/// A tools-only MCP server answering in JSON: one tool, `echo`.
async fn upstream() -> SocketAddr {
    async fn handle(headers: HeaderMap, Json(m): Json<Value>) -> Response {
        let id = m.get("id").cloned();
        let method = m["method"].as_str().unwrap_or("");
        if method != "initialize" && headers.get("mcp-session-id").is_none() {
            return StatusCode::BAD_REQUEST.into_response();
        }
        let result = match method {
            "initialize" => json!({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                   "serverInfo": {"name": "echo", "version": "1"}}),
            "tools/list" => json!({"tools": [{"name": "echo", "inputSchema": {"type": "object"}}]}),
            "tools/call" => json!({"content": [{"type": "text", "text": "ok"}]}),
            _ if id.is_none() => return StatusCode::ACCEPTED.into_response(),
            other => {
                let error = json!({"code": -32601, "message": format!("no {other}")});
                return Json(json!({"jsonrpc": "2.0", "id": id, "error": error})).into_response();
            }
        };
        let mut r = Json(json!({"jsonrpc": "2.0", "id": id, "result": result})).into_response();
        r.headers_mut()
            .insert("mcp-session-id", "s1".parse().unwrap());
        r
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().route("/mcp", post(handle));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn config(addr: SocketAddr, extra: &str) -> String {
    format!(
        "general_settings:\n  master_key: {MASTER_KEY}\n{extra}mcp_servers:\n  echo:\n    url: http://{addr}/mcp\n"
    )
}

fn init() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}})
}

/// A POST to `url` as `key`, with the session and extra headers given.
async fn rpc(
    client: &reqwest::Client,
    url: &str,
    key: &str,
    session: Option<&str>,
    extra: &[(&str, &str)],
    body: Value,
) -> reqwest::Response {
    let mut request = client
        .post(url)
        .header("authorization", format!("Bearer {key}"))
        .header("accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(s) = session {
        request = request.header("mcp-session-id", s);
    }
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    request.send().await.unwrap()
}

/// The JSON-RPC message of a JSON or SSE answer (the last one of a stream).
async fn message(response: reqwest::Response) -> Value {
    let text = response.text().await.unwrap();
    let last = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .unwrap_or(&text);
    serde_json::from_str(last).unwrap()
}

fn session_id(response: &reqwest::Response) -> String {
    response.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned()
}

fn ping() -> Value {
    json!({"jsonrpc": "2.0", "id": 2, "method": "ping"})
}

// On a loopback listener a request naming a foreign Host is refused with 403 (DNS rebinding);
// loopback names pass.
#[tokio::test]
async fn foreign_host_is_refused_on_a_loopback_listener() {
    let addr = upstream().await;
    let gw = Gateway::start(&config(addr, "")).await;
    let url = gw.url("/mcp");
    let evil = [("host", "evil.example:4000")];
    let refused = rpc(&gw.client, &url, MASTER_KEY, None, &evil, init()).await;
    assert_eq!(refused.status(), 403);
    let port = gw.addr.port().to_string();
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let extra = [("host", host.as_str())];
        let ok = rpc(&gw.client, &url, MASTER_KEY, None, &extra, init()).await;
        assert_eq!(ok.status(), 200, "{host}");
    }
    let path = gw.url("/mcp/echo");
    let refused = rpc(&gw.client, &path, MASTER_KEY, None, &evil, init()).await;
    assert_eq!(refused.status(), 403);
}

// A client's DELETE on instance A ends its session on instance B too (fleet over Redis): B
// served the session before, and answers 404 after, as for an expired session.
#[tokio::test]
async fn session_ended_on_one_instance_is_gone_on_the_other() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let addr = upstream().await;
    let dir = tempfile::tempdir().unwrap();
    let redis_settings = format!("router_settings:\n  redis_url: \"{}\"\n", redis.url());
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, config(addr, &redis_settings)).unwrap();
    let a = Instance::start(&path, &[]);
    let b = Instance::start(&path, &[]);
    let (url_a, url_b) = (a.url("/mcp"), b.url("/mcp"));
    let opened = rpc(&a.client, &url_a, MASTER_KEY, None, &[], init()).await;
    assert_eq!(opened.status(), 200);
    let session = session_id(&opened);
    let on_b = rpc(&b.client, &url_b, MASTER_KEY, Some(&session), &[], ping()).await;
    assert_eq!(on_b.status(), 200, "B adopts the session A opened");
    let deleted = a
        .client
        .delete(&url_a)
        .header("authorization", format!("Bearer {MASTER_KEY}"))
        .header("mcp-session-id", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 200);
    // The invalidation has been delivered by Redis when DELETE answers; B applies it at once.
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut status = 0;
    while Instant::now() < deadline {
        status = rpc(&b.client, &url_b, MASTER_KEY, Some(&session), &[], ping())
            .await
            .status()
            .as_u16();
        if status == 404 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(status, 404, "{}", b.log());
    let on_a = rpc(&a.client, &url_a, MASTER_KEY, Some(&session), &[], ping()).await;
    assert_eq!(on_a.status(), 404);
    let reopened = rpc(&b.client, &url_b, MASTER_KEY, None, &[], init()).await;
    assert_eq!(
        reopened.status(),
        200,
        "the client initializes a new session"
    );
}

// `tool_rpm_limit` is a key field: set by /key/generate and /key/update, shown by /key/info,
// enforced on tool calls (a JSON-RPC error naming it), and refusals are counted in /metrics.
#[tokio::test]
async fn tool_rpm_limit_is_a_key_field() {
    let addr = upstream().await;
    let gw = Gateway::start(&config(addr, "")).await;
    let generated: Value = gw
        .post(
            "/key/generate",
            &json!({"tool_rpm_limit": 1, "object_permission": {"mcp_servers": ["echo"]}}),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = generated["key"].as_str().unwrap().to_owned();
    let info: Value = gw
        .get(&format!("/key/info?key={key}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["info"]["tool_rpm_limit"], 1);
    let updated = gw
        .post("/key/update", &json!({"key": key, "tool_rpm_limit": 2}))
        .await;
    assert_eq!(updated.status(), 200);
    let info: Value = gw
        .get(&format!("/key/info?key={key}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(info["info"]["tool_rpm_limit"], 2);

    let url = gw.url("/mcp");
    let opened = rpc(&gw.client, &url, &key, None, &[], init()).await;
    let session = session_id(&opened);
    let call = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                      "params": {"name": "echo-echo", "arguments": {}}});
    let mut answers = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    while answers.len() < 3 && Instant::now() < deadline {
        let answer =
            message(rpc(&gw.client, &url, &key, Some(&session), &[], call.clone()).await).await;
        let unknown_yet = answer["error"]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Unknown tool"));
        if unknown_yet {
            // The upstream is still connecting.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        }
        answers.push(answer);
    }
    assert_eq!(
        answers[0]["result"]["content"][0]["text"], "ok",
        "{answers:?}"
    );
    assert_eq!(
        answers[1]["result"]["content"][0]["text"], "ok",
        "{answers:?}"
    );
    assert_eq!(answers[2]["error"]["code"], -32001, "{answers:?}");
    let refusal = answers[2]["error"]["message"].as_str().unwrap();
    assert!(refusal.contains("tool_rpm_limit"), "{refusal}");

    let metrics = gw.get("/metrics").await.text().await.unwrap();
    for line in [
        r#"tollgate_mcp_tool_calls_total{server="echo",tool="echo",outcome="success"}"#,
        r#"tollgate_mcp_tool_calls_total{server="echo",tool="echo",outcome="refused"}"#,
        r#"tollgate_mcp_tool_call_duration_seconds_count{server="echo",tool="echo",outcome="success"}"#,
    ] {
        assert!(metrics.contains(line), "{line} missing from:\n{metrics}");
    }
}
