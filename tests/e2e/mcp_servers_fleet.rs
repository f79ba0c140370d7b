//! Two gateway instances (real binaries) sharing Redis and a database: an MCP server added at
//! runtime on instance A appears on instance B (its tools listed and called through B's
//! `/mcp`), a change made on B reaches A, and a removal on A disappears from B.

use serde_json::json;
use tollgate_e2e::binary::Instance;
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_e2e::redis_server::RedisServer;

use super::mcp_servers::{rpc, upstream, wait_for_tool};

// A runtime server follows across the fleet, both ways, and leaves it.
#[tokio::test]
async fn runtime_server_added_on_a_appears_on_b() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let db = tollgate_e2e::db::backends().await.pop().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "environment_variables: {{TOLLGATE_SALT_KEY: fleet-test-salt}}\nrouter_settings:\n  redis_url: \"{}\"\ngeneral_settings:\n  master_key: {MASTER_KEY}\n  database_url: \"{}\"\n",
        redis.url(),
        db.url
    );
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, config).unwrap();
    let a = Instance::start(&path, &[]);
    let b = Instance::start(&path, &[]);
    let (addr, seen) = upstream().await;
    let (base_a, base_b) = (a.url(""), b.url(""));
    wait_for_tool(&base_b, "fleet-shout", false).await;

    let body = json!({"server_name": "fleet", "url": format!("http://{addr}/mcp"),
                      "auth_type": "bearer_token", "credentials": {"auth_value": "fleet-token"}});
    let response = a.post("/mcp/servers", &body).await;
    assert_eq!(response.status(), 201, "{}", a.log());
    wait_for_tool(&base_b, "fleet-shout", true).await;

    // B calls the tool with the credential it opened from the shared database.
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}}});
    let (session, _) = rpc(&base_b, MASTER_KEY, None, init).await;
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                      "params": {"name": "fleet-shout", "arguments": {"text": "hi"}}});
    let (_, answer) = rpc(&base_b, MASTER_KEY, session.as_deref(), call).await;
    assert_eq!(answer["result"]["content"][0]["text"], "HI", "{answer}");
    assert!(
        seen.lock()
            .unwrap()
            .iter()
            .all(|h| h == "Bearer fleet-token")
    );

    // A change on B reaches A.
    let patch = json!({"server_id": "fleet", "allowed_tools": ["other"]});
    let response = reqwest::Client::new()
        .put(b.url("/v1/mcp/server"))
        .bearer_auth(MASTER_KEY)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    wait_for_tool(&base_a, "fleet-shout", false).await;

    // Removal on A disappears from B.
    let patch = json!({"allowed_tools": null});
    let response = reqwest::Client::new()
        .put(a.url("/mcp/servers/fleet"))
        .bearer_auth(MASTER_KEY)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    wait_for_tool(&base_b, "fleet-shout", true).await;
    let response = reqwest::Client::new()
        .delete(a.url("/mcp/servers/fleet"))
        .bearer_auth(MASTER_KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    wait_for_tool(&base_b, "fleet-shout", false).await;
    let listed = b.get("/mcp/servers").await.text().await.unwrap();
    assert_eq!(listed, "[]");
}
