//! `tollgate.v1.McpService` over gRPC: a server added, read, checked, changed and removed like
//! over REST; credentials never come back; a non-admin key cannot change servers and lists
//! only those it may use.

use tollgate_e2e::Gateway;
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::mcp_service_client::McpServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use super::mcp_servers::{upstream, wait_for_tool};

fn with_key<T>(body: T, key: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut()
        .insert("authorization", format!("Bearer {key}").parse().unwrap());
    req
}

// The gRPC skin manages runtime servers exactly as REST does.
#[tokio::test]
async fn mcp_service_manages_runtime_servers() {
    let (addr, _) = upstream().await;
    let yaml = format!(
        "environment_variables: {{TOLLGATE_SALT_KEY: grpc-salt}}\ngeneral_settings:\n  master_key: {MASTER_KEY}\n"
    );
    let gw = Gateway::start(&yaml).await;
    let channel = Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = McpServiceClient::new(channel);
    let add = pb::AddMcpServerRequest {
        server_name: Some("g".into()),
        url: Some(format!("http://{addr}/mcp")),
        transport: Some("http".into()),
        auth_type: Some("bearer_token".into()),
        credentials: Some(pb::McpCredentials {
            auth_value: Some("grpc-secret-token".into()),
        }),
        static_headers: [("X-K".to_owned(), "grpc-header-secret".to_owned())].into(),
        mcp_access_groups: vec!["dev".into()],
        ..Default::default()
    };
    let created = client
        .add_mcp_server(with_key(add.clone(), MASTER_KEY))
        .await
        .unwrap()
        .into_inner()
        .server
        .unwrap();
    assert_eq!(
        (created.server_id.as_str(), created.source.as_str()),
        ("g", "db")
    );
    assert!(created.has_auth_value);
    assert_eq!(created.static_headers["X-K"], "****");
    assert_eq!(created.mcp_access_groups, ["dev"]);
    assert!(!format!("{created:?}").contains("secret"));

    wait_for_tool(&gw.url(""), "g-shout", true).await;
    let health = client
        .get_mcp_server_health(with_key(
            pb::GetMcpServerHealthRequest {
                server_id: "g".into(),
            },
            MASTER_KEY,
        ))
        .await
        .unwrap()
        .into_inner()
        .health
        .unwrap();
    assert!(health.healthy);
    assert_eq!((health.transport.as_str(), health.tool_count), ("http", 1));

    let update = pb::UpdateMcpServerRequest {
        server_id: "g".into(),
        description: Some("changed".into()),
        clear_fields: vec!["static_headers".into()],
        ..Default::default()
    };
    let updated = client
        .update_mcp_server(with_key(update, MASTER_KEY))
        .await
        .unwrap()
        .into_inner()
        .server
        .unwrap();
    assert_eq!(updated.description.as_deref(), Some("changed"));
    assert!(updated.static_headers.is_empty() && updated.has_auth_value);

    let list = client
        .list_mcp_servers(with_key(pb::ListMcpServersRequest {}, MASTER_KEY))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(list.servers.len(), 1);

    let key: serde_json::Value = gw
        .post("/key/generate", &serde_json::json!({}))
        .await
        .json()
        .await
        .unwrap();
    let key = key["key"].as_str().unwrap();
    let refused = client.add_mcp_server(with_key(add, key)).await.unwrap_err();
    assert_eq!(refused.code(), Code::PermissionDenied);
    // A key without MCP grants lists no server (it may use none).
    let listed = client
        .list_mcp_servers(with_key(pb::ListMcpServersRequest {}, key))
        .await
        .unwrap()
        .into_inner();
    assert!(listed.servers.is_empty());

    let removed = client
        .remove_mcp_server(with_key(
            pb::RemoveMcpServerRequest {
                server_id: "g".into(),
            },
            MASTER_KEY,
        ))
        .await
        .unwrap()
        .into_inner();
    assert!(removed.deleted);
    wait_for_tool(&gw.url(""), "g-shout", false).await;
    let gone = client
        .get_mcp_server(with_key(
            pb::GetMcpServerRequest {
                server_id: "g".into(),
            },
            MASTER_KEY,
        ))
        .await
        .unwrap_err();
    assert_eq!(gone.code(), Code::NotFound);
    gw.stop().await;
}
