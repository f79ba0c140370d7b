//! Users, organizations and end users (customers) over LiteLLM's `/user/*`,
//! `/organization/*` and `/customer/*` routes and over gRPC, on every storage backend: the
//! lifecycles, bad input on every route (400/404 with a clear message, nothing half-written),
//! REST/gRPC parity and the permission checks. One file per resource; the helpers here.

mod customers;
mod grpc;
mod organizations;
mod users;

use serde_json::{Value, json};
use tollgate_e2e::Gateway;
use tollgate_e2e::gateway::MASTER_KEY;
use tonic::transport::Channel;

pub async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

pub async fn fails(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_ne!(status, 200, "expected a failure, got {body}");
    (
        status,
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Runs `(method, path, body, status, needle)` cases and checks each fails as expected.
pub async fn refuses(gw: &Gateway, backend: &str, cases: Vec<(&str, &str, Value, u16, &str)>) {
    for (method, path, body, status, needle) in cases {
        let res = match method {
            "GET" => gw.get(path).await,
            "PATCH" | "DELETE" => gw
                .client
                .request(method.parse().unwrap(), gw.url(path))
                .bearer_auth(MASTER_KEY)
                .json(&body)
                .send()
                .await
                .unwrap(),
            _ => gw.post(path, &body).await,
        };
        let (got, message) = fails(res).await;
        assert_eq!(got, status, "{backend} {method} {path} {body}: {message}");
        assert!(
            message.contains(needle),
            "{method} {path} {body}: `{message}` lacks `{needle}`"
        );
    }
}

pub async fn chat(gw: &Gateway, key: &str, user: Option<&str>) -> u16 {
    let mut body = json!({"model": "demo", "messages": [{"role": "user", "content": "hi"}]});
    if let Some(u) = user {
        body["user"] = json!(u);
    }
    gw.client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

pub fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

pub async fn channel(gw: &Gateway) -> Channel {
    Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap()
}
