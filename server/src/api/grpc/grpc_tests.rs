//! The gRPC skin end to end: the real router on 127.0.0.1:0, real tonic clients, a mock model.

use std::net::SocketAddr;

use futures_util::StreamExt;
use tokio::net::TcpListener;
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::completions_service_client::CompletionsServiceClient;
use tollgate_proto::tollgate::v1::models_service_client::ModelsServiceClient;
use tonic::transport::Channel;
use tonic_health::pb::health_check_response::ServingStatus;
use tonic_health::pb::health_client::HealthClient;

use super::routes;
use crate::state::{AppState, StateOptions};

const KEY: &str = "sk-grpc-test-master-key";

async fn serve() -> (AppState, SocketAddr) {
    let yaml = format!(
        r#"
model_list:
  - model_name: gpt-test
    litellm_params: {{model: openai/gpt-test, mock_response: "hello from the mock"}}
general_settings:
  master_key: {KEY}
  database_url: "sqlite::memory:"
"#
    );
    let loaded = crate::config::load_str(&yaml, false, &|_| None).unwrap();
    let (state, _) = AppState::build(loaded.config, StateOptions::default())
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = routes(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (state, addr)
}

async fn channel(addr: SocketAddr) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut()
        .insert("authorization", format!("Bearer {KEY}").parse().unwrap());
    req
}

fn chat_request() -> pb::ChatRequest {
    pb::ChatRequest {
        model: "gpt-test".into(),
        messages: vec![pb::ChatMessage {
            role: pb::Role::User.into(),
            content: Some(pb::chat_message::Content::Text("hi".into())),
            ..Default::default()
        }],
        ..Default::default()
    }
}

// A unary chat answers with the mock text, call info, and the call id in response metadata.
#[tokio::test]
async fn chat_answers_with_call_metadata() {
    let (_state, addr) = serve().await;
    let mut client = CompletionsServiceClient::new(channel(addr).await);
    let resp = client.chat(authed(chat_request())).await.unwrap();
    let call_id = resp
        .metadata()
        .get("x-tollgate-call-id")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(resp.metadata().get("x-tollgate-model-id").is_some());
    let body = resp.into_inner();
    let text = match body.choices[0].message.as_ref().unwrap().content.clone() {
        Some(pb::chat_message::Content::Text(t)) => t,
        other => panic!("unexpected content {other:?}"),
    };
    assert_eq!(text, "hello from the mock");
    assert_eq!(body.call_info.unwrap().call_id, call_id);
}

// A call without a key is UNAUTHENTICATED, and the error still carries a call id.
#[tokio::test]
async fn missing_key_is_unauthenticated_with_call_id() {
    let (_state, addr) = serve().await;
    let mut client = CompletionsServiceClient::new(channel(addr).await);
    let err = client.chat(chat_request()).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::Unauthenticated);
    assert!(err.metadata().get("x-tollgate-call-id").is_some());
    // A bad request is INVALID_ARGUMENT.
    let err = client
        .chat(authed(pb::ChatRequest {
            model: String::new(),
            ..chat_request()
        }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::InvalidArgument);
}

// A streamed chat yields chunks whose text adds up to the mock answer; only the first carries
// call info.
#[tokio::test]
async fn chat_stream_yields_chunks_with_call_info_first() {
    let (_state, addr) = serve().await;
    let mut client = CompletionsServiceClient::new(channel(addr).await);
    let req = pb::ChatStreamRequest {
        request: Some(chat_request()),
    };
    let mut stream = client.chat_stream(authed(req)).await.unwrap().into_inner();
    let mut text = String::new();
    let mut infos = 0;
    let mut n = 0;
    while let Some(item) = stream.next().await {
        let chunk = item.unwrap().chunk.unwrap();
        if chunk.call_info.is_some() {
            assert_eq!(n, 0, "call info only on the first chunk");
            infos += 1;
        }
        n += 1;
        for choice in chunk.choices {
            text.push_str(choice.delta.unwrap().content.as_deref().unwrap_or(""));
        }
    }
    assert_eq!(infos, 1);
    assert_eq!(text, "hello from the mock");
}

// Models list the configured names; embeddings return one float vector per input.
#[tokio::test]
async fn models_and_embeddings() {
    let (_state, addr) = serve().await;
    let models = ModelsServiceClient::new(channel(addr).await)
        .list_models(authed(pb::ListModelsRequest {}))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        models
            .data
            .iter()
            .map(|m| m.id.as_str())
            .collect::<Vec<_>>(),
        ["gpt-test"]
    );
    let emb = CompletionsServiceClient::new(channel(addr).await)
        .embed(authed(pb::EmbedRequest {
            model: "gpt-test".into(),
            input: vec!["a".into(), "b".into()],
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(emb.data.len(), 2);
    assert!(!emb.data[0].values.is_empty());
}

// Health is SERVING for the server and each service, NOT_SERVING once shutdown starts; services
// not served answer UNIMPLEMENTED.
#[tokio::test]
async fn health_and_unimplemented_services() {
    let (state, addr) = serve().await;
    let mut health = HealthClient::new(channel(addr).await);
    for service in [
        "",
        "tollgate.v1.CompletionsService",
        "tollgate.v1.ModelsService",
    ] {
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(status, i32::from(ServingStatus::Serving), "{service}");
    }
    let unknown = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: "nope".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);

    // A service that is not served answers UNIMPLEMENTED (grpc-status 12).
    let resp = reqwest::Client::builder()
        .http1_only()
        .build()
        .unwrap()
        .post(format!("http://{addr}/tollgate.v1.NoSuchService/Nothing"))
        .header("content-type", "application/grpc-web+proto")
        .header("authorization", format!("Bearer {KEY}"))
        .body(vec![0u8, 0, 0, 0, 0])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()["grpc-status"], "12");

    state.shutdown.cancel();
    let status = health
        .check(tonic_health::pb::HealthCheckRequest {
            service: String::new(),
        })
        .await
        .unwrap()
        .into_inner()
        .status;
    assert_eq!(status, i32::from(ServingStatus::NotServing));
}

// Both reflection versions build from the descriptor sets (a broken set would silently disable
// reflection at startup).
#[test]
fn reflection_builds() {
    assert!(super::reflection().build_v1().is_ok());
    assert!(super::reflection().build_v1alpha().is_ok());
}

// Reflection over the wire lists exactly the served services, and resolves a method's file
// (with its imports) so tools like grpcurl can call it.
#[tokio::test]
async fn reflection_lists_served_services() {
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;

    let (_state, addr) = serve().await;
    let mut client = ServerReflectionClient::new(channel(addr).await);
    let requests = [
        MessageRequest::ListServices(String::new()),
        MessageRequest::FileContainingSymbol("tollgate.v1.CompletionsService.Chat".into()),
    ]
    .map(|r| ServerReflectionRequest {
        host: String::new(),
        message_request: Some(r),
    });
    let mut responses = client
        .server_reflection_info(futures_util::stream::iter(requests))
        .await
        .unwrap()
        .into_inner();
    let Some(MessageResponse::ListServicesResponse(list)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected a service list");
    };
    let mut names: Vec<_> = list.service.into_iter().map(|s| s.name).collect();
    names.sort();
    let mut expected: Vec<&str> = super::ADVERTISED.to_vec();
    expected.sort_unstable();
    assert_eq!(names, expected);
    for core in [
        "tollgate.v1.CompletionsService",
        "tollgate.v1.ModelsService",
        "grpc.health.v1.Health",
    ] {
        assert!(names.iter().any(|n| n == core), "{core}");
    }
    let Some(MessageResponse::FileDescriptorResponse(files)) =
        responses.next().await.unwrap().unwrap().message_response
    else {
        panic!("expected file descriptors");
    };
    assert!(!files.file_descriptor_proto.is_empty());
}

// gRPC-Web over HTTP/1.1 works: a framed empty ListModelsRequest gets a gRPC-Web answer whose
// trailer frame says grpc-status 0.
#[tokio::test]
async fn grpc_web_over_http1() {
    let (_state, addr) = serve().await;
    let resp = reqwest::Client::builder()
        .http1_only()
        .build()
        .unwrap()
        .post(format!(
            "http://{addr}/tollgate.v1.ModelsService/ListModels"
        ))
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .header("authorization", format!("Bearer {KEY}"))
        .body(vec![0u8, 0, 0, 0, 0])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/grpc-web+proto");
    let body = resp.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("gpt-test"), "{text}");
    assert!(text.contains("grpc-status:0"), "{text}");
}
