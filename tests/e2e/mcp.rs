//! The MCP hub mounted in the gateway, against a minimal streamable-HTTP MCP server that answers
//! in plain JSON (the Python tests cover SSE answers, stdio and real SDK clients): auth, origin
//! checks, sessions, namespacing, routing, narrowing, and a forbidden server looking unknown.

use std::net::SocketAddr;

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use tollgate_e2e::Gateway;
use tollgate_e2e::gateway::MASTER_KEY;

/// A tools-only MCP server: `initialize` (session `s1`), `tools/list` (`shout`), `tools/call`.
async fn upstream() -> SocketAddr {
    async fn handle(headers: HeaderMap, Json(m): Json<Value>) -> Response {
        let id = m.get("id").cloned();
        let method = m["method"].as_str().unwrap_or("");
        if method != "initialize" && headers.get("mcp-session-id").is_none() {
            return StatusCode::BAD_REQUEST.into_response();
        }
        let result = match method {
            "initialize" => json!({"protocolVersion": "2025-06-18", "capabilities": {"tools": {}},
                                   "serverInfo": {"name": "json-upstream", "version": "1"}}),
            "tools/list" => json!({"tools": [{"name": "shout", "inputSchema": {
                "$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                "properties": {"text": {"type": "string"}}}}]}),
            "tools/call" => {
                let text = m["params"]["arguments"]["text"]
                    .as_str()
                    .unwrap_or("")
                    .to_uppercase();
                json!({"content": [{"type": "text", "text": text}]})
            }
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
    let app = axum::Router::new().route(
        "/mcp",
        post(handle).get(|| async { StatusCode::METHOD_NOT_ALLOWED }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn rpc(
    gw: &Gateway,
    path: &str,
    session: Option<&str>,
    extra: &[(&str, &str)],
    body: Value,
) -> reqwest::Response {
    let mut request = gw
        .client
        .post(gw.url(path))
        .header("authorization", format!("Bearer {MASTER_KEY}"))
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
    let sse = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream");
    let text = response.text().await.unwrap();
    if !sse {
        return serde_json::from_str(&text).unwrap();
    }
    let last = text
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .next_back()
        .unwrap();
    serde_json::from_str(last).unwrap()
}

fn init() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-03-26", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}})
}

async fn open(gw: &Gateway, path: &str) -> String {
    let response = rpc(gw, path, None, &[], init()).await;
    assert_eq!(response.status(), 200);
    let session = response.headers()["mcp-session-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = message(response).await;
    assert_eq!(
        body["result"]["protocolVersion"], "2025-03-26",
        "an older revision is negotiated"
    );
    session
}

// Tools are listed namespaced and called through the hub; /mcp/<server> is unprefixed;
// x-mcp-servers narrows; sessions, keys and origins are checked.
#[tokio::test]
async fn hub_routes_tools_of_a_json_upstream() {
    let addr = upstream().await;
    let config = format!(
        "general_settings:\n  master_key: {MASTER_KEY}\nmcp_servers:\n  loud:\n    url: http://{addr}/mcp\n  other:\n    url: http://{addr}/mcp\n    allowed_tools: [none]\n"
    );
    let gw = Gateway::start(&config).await;
    let session = open(&gw, "/mcp").await;
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let mut names = Vec::new();
    for _ in 0..100 {
        let listed = message(rpc(&gw, "/mcp", Some(&session), &[], list.clone()).await).await;
        names = listed["result"]["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect();
        if !names.is_empty() {
            assert_eq!(
                listed["result"]["tools"][0]["inputSchema"]["$schema"],
                "https://json-schema.org/draft/2020-12/schema"
            );
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(names, ["loud-shout"], "`other` exposes no tool");
    let call = json!({"jsonrpc": "2.0", "id": "c1", "method": "tools/call", "params": {"name": "loud-shout", "arguments": {"text": "hi"}}});
    let called = message(rpc(&gw, "/mcp", Some(&session), &[], call).await).await;
    assert_eq!(called["id"], "c1");
    assert_eq!(called["result"]["content"][0]["text"], "HI");
    let narrowed = message(
        rpc(
            &gw,
            "/mcp",
            Some(&session),
            &[("x-mcp-servers", "other")],
            list.clone(),
        )
        .await,
    )
    .await;
    assert_eq!(narrowed["result"]["tools"], json!([]));

    let one = open(&gw, "/mcp/loud").await;
    let direct = json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "shout", "arguments": {"text": "yo"}}});
    assert_eq!(
        message(rpc(&gw, "/mcp/loud", Some(&one), &[], direct).await).await["result"]["content"][0]
            ["text"],
        "YO"
    );
    let passed = json!({"jsonrpc": "2.0", "id": 4, "method": "completion/complete", "params": {}});
    assert_eq!(
        message(rpc(&gw, "/mcp/loud", Some(&one), &[], passed).await).await["error"]["message"],
        "no completion/complete",
        "unknown methods pass through"
    );
    assert_eq!(
        rpc(&gw, "/mcp/loud", Some(&session), &[], list.clone())
            .await
            .status(),
        404,
        "a session serves its own path only"
    );
    assert_eq!(
        rpc(&gw, "/mcp/nowhere", None, &[], init()).await.status(),
        404
    );
    assert_eq!(
        rpc(&gw, "/mcp", None, &[], list.clone()).await.status(),
        400,
        "no session id"
    );
    assert_eq!(
        rpc(&gw, "/mcp", Some("forged"), &[], list.clone())
            .await
            .status(),
        404
    );
    assert_eq!(
        rpc(
            &gw,
            "/mcp",
            None,
            &[("origin", "http://evil.example")],
            init()
        )
        .await
        .status(),
        403
    );
    let anonymous = gw
        .client
        .post(gw.url("/mcp"))
        .json(&init())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    gw.stop().await;
}
