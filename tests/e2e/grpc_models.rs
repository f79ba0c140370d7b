//! `tollgate.v1.ModelsService` over gRPC: runtime models added, called through gRPC
//! Completions, updated and deleted, audited like REST; a non-admin key is refused; the
//! provider key never appears in any answer.

use std::time::Duration;

use serde_json::{Map, Value, json};
use tollgate::api::grpc::convert::structs::{map_to_struct, struct_to_map};
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::completions_service_client::CompletionsServiceClient;
use tollgate_proto::tollgate::v1::models_service_client::ModelsServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use super::router::config;

const SECRET: &str = "sk-grpc-runtime-secret-456";

struct Clients {
    models: ModelsServiceClient<Channel>,
    completions: CompletionsServiceClient<Channel>,
}

async fn setup() -> (MockProvider, Gateway, Clients) {
    let mock = MockProvider::start().await;
    let yaml = config(&mock, &[("base", "r0", "base-1", "")], "").replace(
        "model_list:\n",
        "environment_variables: {TOLLGATE_SALT_KEY: test-salt}\nmodel_list:\n",
    );
    let gw = Gateway::start(&yaml).await;
    let channel = Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let clients = Clients {
        models: ModelsServiceClient::new(channel.clone()),
        completions: CompletionsServiceClient::new(channel),
    };
    (mock, gw, clients)
}

fn with_key<T>(body: T, key: &str) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut()
        .insert("authorization", format!("Bearer {key}").parse().unwrap());
    req
}

fn admin<T>(body: T) -> tonic::Request<T> {
    with_key(body, MASTER_KEY)
}

fn object(value: Value) -> Map<String, Value> {
    let Value::Object(map) = value else {
        panic!("not an object: {value}")
    };
    map
}

fn add_request(mock: &MockProvider) -> pb::AddModelRequest {
    pb::AddModelRequest {
        model_name: "added".into(),
        litellm_params: Some(map_to_struct(object(json!({
            "model": "openai/added-up", "api_base": mock.openai_base(), "api_key": SECRET, "rpm": 100
        })))),
        model_info: Some(map_to_struct(object(json!({"id": "added-1"})))),
    }
}

fn chat(model: &str) -> pb::ChatRequest {
    pb::ChatRequest {
        model: model.into(),
        messages: vec![pb::ChatMessage {
            role: pb::Role::User.into(),
            content: Some(pb::chat_message::Content::Text("hi".into())),
            ..Default::default()
        }],
        ..Default::default()
    }
}

// Added over gRPC, a model serves gRPC Completions; updated, it moves upstream; deleted, it is
// gone. Every answer is free of the provider key, and every change is in the audit log.
#[tokio::test]
async fn runtime_model_lifecycle_over_grpc() {
    let (mock, gw, mut c) = setup().await;
    let added = c.models.add_model(admin(add_request(&mock))).await.unwrap();
    assert!(!format!("{added:?}").contains(SECRET), "{added:?}");
    let model = added.into_inner().model.unwrap();
    assert_eq!(
        (model.model_id.as_str(), model.model_name.as_str()),
        ("added-1", "added")
    );
    let params = struct_to_map(model.litellm_params.unwrap());
    assert_eq!(params["model"], "openai/added-up");
    assert_eq!(params["rpm"], 100);

    let res = c.completions.chat(admin(chat("added"))).await.unwrap();
    assert_eq!(
        res.metadata().get("x-tollgate-model-id").unwrap(),
        "added-1"
    );
    assert_eq!(mock.count("added-up"), 1);
    assert_eq!(
        mock.last_request().headers["authorization"],
        format!("Bearer {SECRET}")
    );

    let info = c.models.get_model_info(admin(pb::GetModelInfoRequest {
        model: Some("added".into()),
    }));
    let info = info.await.unwrap();
    assert!(!format!("{info:?}").contains(SECRET), "{info:?}");
    let data = info.into_inner().data;
    assert_eq!(data.len(), 1);
    let model_info = struct_to_map(data[0].model_info.clone().unwrap());
    assert_eq!(model_info["id"], "added-1");
    assert!(data[0].state.is_some());

    let update = pb::UpdateModelRequest {
        model_id: "added-1".into(),
        model_name: None,
        litellm_params: Some(map_to_struct(object(json!({"model": "openai/moved-up"})))),
        model_info: None,
    };
    let updated = c.models.update_model(admin(update)).await.unwrap();
    assert!(!format!("{updated:?}").contains(SECRET), "{updated:?}");
    let model = updated.into_inner().model.unwrap();
    let params = struct_to_map(model.litellm_params.unwrap());
    assert_eq!(params["model"], "openai/moved-up");
    c.completions.chat(admin(chat("added"))).await.unwrap();
    assert_eq!(mock.count("moved-up"), 1, "the update moved it");
    assert_eq!(
        mock.last_request().headers["authorization"],
        format!("Bearer {SECRET}"),
        "the stored key is kept"
    );

    let deleted = c.models.delete_model(admin(pb::DeleteModelRequest {
        id: "added-1".into(),
    }));
    assert!(
        deleted
            .await
            .unwrap()
            .into_inner()
            .message
            .contains("deleted")
    );
    let gone = c.completions.chat(admin(chat("added"))).await.unwrap_err();
    assert_eq!(gone.code(), Code::InvalidArgument, "{gone:?}");
    let missing = c.models.delete_model(admin(pb::DeleteModelRequest {
        id: "added-1".into(),
    }));
    assert_eq!(missing.await.unwrap_err().code(), Code::NotFound);

    let mut actions = Vec::new();
    for _ in 0..50 {
        let audit: Value = gw
            .get("/audit?target_type=model")
            .await
            .json()
            .await
            .unwrap();
        assert!(
            !audit.to_string().contains(SECRET),
            "secret in the audit log"
        );
        actions = audit["audit_logs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap().to_owned())
            .collect();
        if actions.len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    actions.sort();
    assert_eq!(actions, ["model.delete", "model.new", "model.update"]);
    gw.stop().await;
}

// A key that is not an admin's may read model info but not add, change or delete models.
#[tokio::test]
async fn non_admin_key_is_refused() {
    let (mock, gw, mut c) = setup().await;
    let res = gw.post("/key/generate", &json!({})).await;
    let key: Value = res.json().await.unwrap();
    let key = key["key"].as_str().unwrap().to_owned();
    let err = c
        .models
        .add_model(with_key(add_request(&mock), &key))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let update = pb::UpdateModelRequest {
        model_id: "base-1".into(),
        ..Default::default()
    };
    let err = c
        .models
        .update_model(with_key(update, &key))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let delete = pb::DeleteModelRequest {
        id: "base-1".into(),
    };
    let err = c
        .models
        .delete_model(with_key(delete, &key))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::PermissionDenied, "{err:?}");
    let info = c
        .models
        .get_model_info(with_key(pb::GetModelInfoRequest::default(), &key))
        .await
        .unwrap();
    assert_eq!(info.into_inner().data.len(), 1, "the config model");
    assert_eq!(mock.requests().len(), 0);
    gw.stop().await;
}
