//! gRPC and gRPC-Web on the same port as HTTP, through the real server, against the mock
//! provider: unary and streaming chat, errors as gRPC codes, a gRPC-Web call over HTTP/1.1.

use futures_util::StreamExt;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::completions_service_client::CompletionsServiceClient;
use tonic::Code;
use tonic::transport::Channel;

async fn setup() -> (MockProvider, Gateway, CompletionsServiceClient<Channel>) {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let channel = Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    (mock, gw, CompletionsServiceClient::new(channel))
}

fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

fn chat(model: &str, text: &str) -> pb::ChatRequest {
    pb::ChatRequest {
        model: model.into(),
        messages: vec![pb::ChatMessage {
            role: pb::Role::User.into(),
            content: Some(pb::chat_message::Content::Text(text.into())),
            ..Default::default()
        }],
        ..Default::default()
    }
}

// Unary chat through the provider, with usage and the call id in metadata.
#[tokio::test]
async fn unary_chat() {
    let (mock, gw, mut client) = setup().await;
    let res = client
        .chat(authed(chat("gpt-mock", "hello grpc")))
        .await
        .unwrap();
    assert!(res.metadata().get("x-tollgate-call-id").is_some());
    let body = res.into_inner();
    let message = body.choices[0].message.as_ref().unwrap();
    assert_eq!(
        message.content,
        Some(pb::chat_message::Content::Text("echo: hello grpc".into()))
    );
    assert_eq!(body.usage.unwrap().prompt_tokens, 11);
    assert_eq!(mock.last_request().body["model"], "gpt-4o-mini");
    gw.stop().await;
}

// Streaming chat: the deltas reassemble the provider's answer.
#[tokio::test]
async fn streaming_chat() {
    let (_mock, gw, mut client) = setup().await;
    let req = pb::ChatStreamRequest {
        request: Some(chat("claude-mock", "stream grpc")),
    };
    let mut stream = client.chat_stream(authed(req)).await.unwrap().into_inner();
    let mut text = String::new();
    while let Some(item) = stream.next().await {
        let chunk = item.unwrap().chunk.unwrap();
        for choice in chunk.choices {
            if let Some(delta) = choice.delta {
                text.push_str(delta.content.as_deref().unwrap_or(""));
            }
        }
    }
    assert_eq!(text, "echo: stream grpc");
    gw.stop().await;
}

// Errors arrive as gRPC codes: no key, unknown model, upstream 429, upstream timeout.
#[tokio::test]
async fn errors_as_grpc_codes() {
    let (_mock, gw, mut client) = setup().await;
    let err = client
        .chat(tonic::Request::new(chat("gpt-mock", "x")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::Unauthenticated);
    let err = client.chat(authed(chat("nope", "x"))).await.unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument);
    assert!(err.message().contains("nope"));
    let err = client
        .chat(authed(chat("fail-429", "x")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::ResourceExhausted);
    assert_eq!(
        err.metadata().get("x-tollgate-error-type").unwrap(),
        "rate_limit_error"
    );
    let err = client.chat(authed(chat("slow", "x"))).await.unwrap_err();
    assert_eq!(err.code(), Code::DeadlineExceeded);
    gw.stop().await;
}

// gRPC-Web over HTTP/1.1 on the same port: a framed ListModels call answers grpc-status 0.
#[tokio::test]
async fn grpc_web_call() {
    let (_mock, gw, _client) = setup().await;
    let res = reqwest::Client::builder()
        .http1_only()
        .build()
        .unwrap()
        .post(gw.url("/tollgate.v1.ModelsService/ListModels"))
        .header("content-type", "application/grpc-web+proto")
        .header("x-grpc-web", "1")
        .header("authorization", format!("Bearer {MASTER_KEY}"))
        .body(vec![0u8, 0, 0, 0, 0])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body = res.bytes().await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("gpt-mock"), "{text}");
    assert!(text.contains("grpc-status:0"), "{text}");
    gw.stop().await;
}
