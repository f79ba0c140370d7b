//! Rate limits on one instance (in memory): tokens per minute settle to the real usage, per-model
//! and end-user limits, the `x-ratelimit-*` headers, and the refusal on HTTP and gRPC.

use serde_json::{Value, json};
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::mock_provider::{COMPLETION_TOKENS, PROMPT_TOKENS};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::completions_service_client::CompletionsServiceClient;

async fn setup() -> (MockProvider, Gateway) {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    (mock, gw)
}

async fn new_key(gw: &Gateway, body: Value) -> String {
    let response = gw.post("/key/generate", &body).await;
    assert_eq!(response.status(), 200);
    response.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn chat(gw: &Gateway, key: &str, body: Value) -> reqwest::Response {
    gw.client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn hello(model: &str) -> Value {
    json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
}

// The prompt's tokens are reserved on arrival and the real total counted at the end: once the
// real usage fills tpm_limit, the next request is refused.
#[tokio::test]
async fn tpm_limit_refuses_once_real_usage_fills_it() {
    let (_mock, gw) = setup().await;
    let per_call = PROMPT_TOKENS + COMPLETION_TOKENS;
    let key = new_key(&gw, json!({"tpm_limit": per_call * 2 + 4})).await;
    let first = chat(&gw, &key, hello("gpt-mock")).await;
    assert_eq!(first.status(), 200);
    let headers = first.headers();
    assert_eq!(
        headers["x-ratelimit-limit-tokens"].to_str().unwrap(),
        (per_call * 2 + 4).to_string()
    );
    assert!(headers.contains_key("x-ratelimit-remaining-tokens"));
    assert!(headers.contains_key("x-ratelimit-reset-tokens"));
    assert_eq!(chat(&gw, &key, hello("gpt-mock")).await.status(), 200);
    let refused = chat(&gw, &key, hello("gpt-mock")).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["type"], "rate_limit_error");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("tpm_limit") && message.contains("key"),
        "{message}"
    );
}

// rpm headers count down; the refusal names the limit.
#[tokio::test]
async fn rpm_headers_count_down() {
    let (_mock, gw) = setup().await;
    let key = new_key(&gw, json!({"rpm_limit": 3})).await;
    for remaining in ["2", "1", "0"] {
        let ok = chat(&gw, &key, hello("gpt-mock")).await;
        assert_eq!(ok.status(), 200);
        assert_eq!(ok.headers()["x-ratelimit-limit-requests"], "3");
        assert_eq!(ok.headers()["x-ratelimit-remaining-requests"], remaining);
    }
    let refused = chat(&gw, &key, hello("gpt-mock")).await;
    assert_eq!(refused.status(), 429);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("rpm_limit")
    );
}

// model_rpm_limit applies to its model only.
#[tokio::test]
async fn model_rpm_limit_applies_per_model() {
    let (_mock, gw) = setup().await;
    let key = new_key(&gw, json!({"model_rpm_limit": {"gpt-mock": 1}})).await;
    assert_eq!(chat(&gw, &key, hello("gpt-mock")).await.status(), 200);
    let refused = chat(&gw, &key, hello("gpt-mock")).await;
    assert_eq!(refused.status(), 429);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("model_rpm_limit")
    );
    assert_eq!(chat(&gw, &key, hello("demo")).await.status(), 200);
}

// An end user's rpm_limit (a customer) applies to requests naming it, whatever the key.
#[tokio::test]
async fn end_user_rpm_limit() {
    let (_mock, gw) = setup().await;
    let created = gw
        .post("/customer/new", &json!({"user_id": "acme", "rpm_limit": 1}))
        .await;
    assert_eq!(created.status(), 200);
    let key = new_key(&gw, json!({})).await;
    let mut body = hello("gpt-mock");
    body["user"] = json!("acme");
    assert_eq!(chat(&gw, &key, body.clone()).await.status(), 200);
    let refused = chat(&gw, &key, body).await;
    assert_eq!(refused.status(), 429);
    let text = refused.text().await.unwrap();
    assert!(text.contains("end user acme"), "{text}");
    assert_eq!(chat(&gw, &key, hello("gpt-mock")).await.status(), 200);
}

// A refused request does not use up the other limits: all or none are taken.
#[tokio::test]
async fn a_refusal_takes_nothing() {
    let (_mock, gw) = setup().await;
    let team: Value = gw
        .post("/team/new", &json!({"team_alias": "t", "rpm_limit": 2}))
        .await
        .json()
        .await
        .unwrap();
    let team_id = team["team_id"].as_str().unwrap();
    let tight = new_key(&gw, json!({"team_id": team_id, "rpm_limit": 1})).await;
    let other = new_key(&gw, json!({"team_id": team_id})).await;
    assert_eq!(chat(&gw, &tight, hello("gpt-mock")).await.status(), 200);
    // Refused by the key's own limit: the team's count must not move.
    assert_eq!(chat(&gw, &tight, hello("gpt-mock")).await.status(), 429);
    assert_eq!(chat(&gw, &other, hello("gpt-mock")).await.status(), 200);
    let refused = chat(&gw, &other, hello("gpt-mock")).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("team"));
}

// Over gRPC a refusal is RESOURCE_EXHAUSTED.
#[tokio::test]
async fn grpc_refusal_is_resource_exhausted() {
    let (_mock, gw) = setup().await;
    let key = new_key(&gw, json!({"rpm_limit": 1})).await;
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    let mut client = CompletionsServiceClient::new(channel);
    let request = || {
        let mut req = tonic::Request::new(pb::ChatRequest {
            model: "gpt-mock".into(),
            messages: vec![pb::ChatMessage {
                role: pb::Role::User.into(),
                content: Some(pb::chat_message::Content::Text("hi".into())),
                ..Default::default()
            }],
            ..Default::default()
        });
        req.metadata_mut()
            .insert("authorization", format!("Bearer {key}").parse().unwrap());
        req
    };
    let ok = client.chat(request()).await.unwrap();
    assert_eq!(
        ok.metadata().get("x-ratelimit-remaining-requests").unwrap(),
        "0"
    );
    let err = client.chat(request()).await.unwrap_err();
    assert_eq!(err.code(), tonic::Code::ResourceExhausted);
    assert!(err.message().contains("rpm_limit"));
}

// A named budget's rate limits apply to the customer and the team member that follow it.
#[tokio::test]
async fn named_budget_rate_limits_apply_to_customers_and_members() {
    let (_mock, gw) = setup().await;
    for (id, rpm) in [("cust-tier", 1), ("member-tier", 2)] {
        let created = gw
            .post("/budget/new", &json!({"budget_id": id, "rpm_limit": rpm}))
            .await;
        assert_eq!(created.status(), 200);
    }
    assert_eq!(
        gw.post(
            "/customer/new",
            &json!({"user_id": "acme", "budget_id": "cust-tier"})
        )
        .await
        .status(),
        200
    );
    let key = new_key(&gw, json!({})).await;
    let mut as_acme = hello("gpt-mock");
    as_acme["user"] = json!("acme");
    assert_eq!(chat(&gw, &key, as_acme.clone()).await.status(), 200);
    let refused = chat(&gw, &key, as_acme).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("end user acme"));

    assert_eq!(
        gw.post("/team/new", &json!({"team_id": "t1"}))
            .await
            .status(),
        200
    );
    let add = json!({"team_id": "t1", "member": {"user_id": "u1", "role": "user"}, "budget_id": "member-tier"});
    assert_eq!(gw.post("/team/member_add", &add).await.status(), 200);
    let member_key = new_key(&gw, json!({"user_id": "u1", "team_id": "t1"})).await;
    for _ in 0..2 {
        assert_eq!(
            chat(&gw, &member_key, hello("gpt-mock")).await.status(),
            200
        );
    }
    let refused = chat(&gw, &member_key, hello("gpt-mock")).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.text().await.unwrap().contains("user u1 in team t1"));
}
