//! What the budget tests share: a priced request, its most and real cost, sending it, spending
//! a budget until refused, keys and the audit trail.

use serde_json::{Value, json};
use tollgate_e2e::Gateway;

use crate::directory::ok;

/// A chat request to gpt-mock (priced 1e-6 in, 2e-6 out) with 10 output tokens at most.
pub fn request(user: Option<&str>, tags: &[&str]) -> Value {
    let mut body = json!({"model": "gpt-mock", "max_tokens": 10,
        "messages": [{"role": "user", "content": "hello budget"}]});
    if let Some(u) = user {
        body["user"] = json!(u);
    }
    if !tags.is_empty() {
        body["metadata"] = json!({ "tags": tags });
    }
    body
}

/// The most one [`request`] can cost: its prompt as the gateway counts it, plus 10 output tokens.
pub fn max_cost_of_one() -> f64 {
    let req: tollgate::types::openai::ChatRequest =
        serde_json::from_value(request(None, &[])).unwrap();
    tollgate::tokens::count_chat(&req) as f64 * 1e-6 + 10.0 * 2e-6
}

/// What one [`request`] really costs (the mock answers with 11 prompt and 7 completion tokens).
pub const REAL_COST_OF_ONE: f64 = 25e-6;

/// Sends one [`request`]; answers the status and the body.
pub async fn chat(gw: &Gateway, key: &str, user: Option<&str>, tags: &[&str]) -> (u16, Value) {
    let res = gw
        .client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(&request(user, tags))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// Sends requests until one is refused; checks it was for the budget of `who` and answers how
/// many were served.
pub async fn spend_until_refused(
    gw: &Gateway,
    key: &str,
    user: Option<&str>,
    tags: &[&str],
    who: &str,
) -> usize {
    for served in 0..20 {
        let (status, body) = chat(gw, key, user, tags).await;
        if status != 200 {
            assert_eq!(status, 400, "{body}");
            assert_eq!(body["error"]["type"], "budget_exceeded", "{body}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(message.contains(who), "`{message}` names {who}");
            return served;
        }
    }
    panic!("the budget of {who} never ran out");
}

pub async fn new_key(gw: &Gateway, body: Value) -> String {
    ok(gw.post("/key/generate", &body).await).await["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The audit actions recorded for `target_type`, oldest first.
pub async fn audited(gw: &Gateway, target_type: &str) -> Vec<String> {
    let page = ok(gw
        .get(&format!("/audit?target_type={target_type}&page_size=500"))
        .await)
    .await;
    let mut actions: Vec<String> = page["audit_logs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    actions.reverse();
    actions
}
