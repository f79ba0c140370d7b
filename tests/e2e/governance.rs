//! Virtual keys on the request path: model access, `/v1/models` filtering, route restrictions,
//! blocked / expired / deleted keys, end users, and a warm cache that reads nothing.

use serde_json::{Value, json};
use tollgate::governance::Clock;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

async fn generate(gw: &Gateway, body: Value) -> String {
    let res = gw.post("/key/generate", &body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let body: Value = res.json().await.unwrap();
    body["key"].as_str().unwrap().to_owned()
}

async fn chat_with(gw: &Gateway, key: &str, model: &str, user: Option<&str>) -> reqwest::Response {
    let mut body = json!({"model": model, "messages": [{"role": "user", "content": "hi"}]});
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
}

async fn error_message(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    (
        status,
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

// Once a key is cached, 1,000 requests read nothing from the database.
#[tokio::test]
async fn warm_cache_reads_nothing() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(&gw, json!({"models": ["demo"]})).await;
    assert_eq!(
        chat_with(&gw, &key, "demo", Some("end-user-1"))
            .await
            .status(),
        200
    );
    let before = gw.state.store.reads();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..20 {
        let (client, url, key) = (
            gw.client.clone(),
            gw.url("/v1/chat/completions"),
            key.clone(),
        );
        tasks.spawn(async move {
            for _ in 0..50 {
                let res = client
                    .post(&url)
                    .bearer_auth(&key)
                    .json(&json!({"model": "demo", "user": "end-user-1", "messages": [{"role": "user", "content": "hi"}]}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
    assert_eq!(
        gw.state.store.reads() - before,
        0,
        "the warm request path read the database"
    );
    gw.stop().await;
}

// A key limited to some models calls those, is refused others with 403, and sees only them.
#[tokio::test]
async fn key_model_access() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(
        &gw,
        json!({"models": ["demo", "gpt-mock"], "aliases": {"cheap": "demo"}}),
    )
    .await;
    assert_eq!(chat_with(&gw, &key, "gpt-mock", None).await.status(), 200);
    assert_eq!(
        chat_with(&gw, &key, "cheap", None).await.status(),
        200,
        "alias"
    );
    let (status, message) = error_message(chat_with(&gw, &key, "claude-mock", None).await).await;
    assert_eq!(status, 403);
    assert!(message.contains("claude-mock"), "{message}");
    let models: Value = gw
        .client
        .get(gw.url("/v1/models"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut ids: Vec<&str> = models["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, ["cheap", "demo", "gpt-mock"]);
    gw.stop().await;
}

// A key restricted to some routes is refused the others with 403.
#[tokio::test]
async fn allowed_routes() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(&gw, json!({"allowed_routes": ["/chat/completions"]})).await;
    assert_eq!(chat_with(&gw, &key, "demo", None).await.status(), 200);
    let res = gw
        .client
        .get(gw.url("/v1/models"))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    gw.stop().await;
}

// Blocked, expired and deleted keys are refused with 401 and a message that says which.
#[tokio::test]
async fn blocked_expired_deleted_keys() {
    let mock = MockProvider::start().await;
    let clock = Clock::manual(1_800_000_000_000);
    let gw = Gateway::start_with_clock(&standard_config(&mock), None, clock.clone()).await;

    let blocked = generate(&gw, json!({"key_alias": "to-block"})).await;
    assert_eq!(chat_with(&gw, &blocked, "demo", None).await.status(), 200);
    assert_eq!(
        gw.post("/key/block", &json!({"key": blocked}))
            .await
            .status(),
        200
    );
    let (status, message) = error_message(chat_with(&gw, &blocked, "demo", None).await).await;
    assert_eq!(status, 401);
    assert!(message.contains("blocked"), "{message}");
    assert_eq!(
        gw.post("/key/unblock", &json!({"key": blocked}))
            .await
            .status(),
        200
    );
    assert_eq!(chat_with(&gw, &blocked, "demo", None).await.status(), 200);

    let expiring = generate(&gw, json!({"duration": "1h"})).await;
    assert_eq!(chat_with(&gw, &expiring, "demo", None).await.status(), 200);
    clock.advance_ms(3_600_001);
    let (status, message) = error_message(chat_with(&gw, &expiring, "demo", None).await).await;
    assert_eq!(status, 401);
    assert!(message.contains("expired"), "{message}");

    let deleted = generate(&gw, json!({})).await;
    assert_eq!(chat_with(&gw, &deleted, "demo", None).await.status(), 200);
    assert_eq!(
        gw.post("/key/delete", &json!({"keys": [deleted]}))
            .await
            .status(),
        200
    );
    let (status, message) = error_message(chat_with(&gw, &deleted, "demo", None).await).await;
    assert_eq!(status, 401);
    assert!(message.contains("deleted"), "{message}");

    let (status, _) =
        error_message(chat_with(&gw, "sk-never-existed-0000000000000000", "demo", None).await)
            .await;
    assert_eq!(status, 401);
    gw.stop().await;
}

// An unknown end user is created on first use; a blocked one is refused.
#[tokio::test]
async fn end_users_created_and_blocked() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(&gw, json!({})).await;
    assert_eq!(
        chat_with(&gw, &key, "demo", Some("customer-7"))
            .await
            .status(),
        200
    );
    let info = gw.get("/customer/info?end_user_id=customer-7").await;
    assert_eq!(info.status(), 200, "end user created on first use");
    assert_eq!(
        gw.post("/customer/block", &json!({"user_ids": ["customer-7"]}))
            .await
            .status(),
        200
    );
    let (status, message) =
        error_message(chat_with(&gw, &key, "demo", Some("customer-7")).await).await;
    assert_eq!(status, 403);
    assert!(message.contains("customer-7"), "{message}");
    assert_eq!(
        chat_with(&gw, &key, "demo", Some("someone-else"))
            .await
            .status(),
        200
    );
    gw.stop().await;
}

// Teams and keys declared in the config exist at startup, and a restart with a changed config
// updates them instead of failing or duplicating them.
#[tokio::test]
async fn declarative_bootstrap_is_idempotent() {
    let mock = MockProvider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/bootstrap.db", dir.path().display());
    let secret = "sk-bootstrap-key-0123456789abcdefgh";
    let config = |team_models: &str| {
        format!(
            "{}teams:\n  - {{team_id: eng, team_alias: Engineering, models: [{team_models}], max_budget: 10}}\nkeys:\n  - {{key: {secret}, key_alias: eng-ci, team_id: eng}}\n",
            standard_config(&mock)
        )
    };
    let gw = Gateway::start_with_db(&config("demo"), Some(db.clone())).await;
    let first = chat_with(&gw, secret, "demo", None).await;
    assert_eq!(first.status(), 200, "{}", first.text().await.unwrap());
    assert_eq!(
        chat_with(&gw, secret, "gpt-mock", None).await.status(),
        403,
        "the team narrows the key"
    );
    let team: Value = gw.get("/team/info?team_id=eng").await.json().await.unwrap();
    assert_eq!(team["team_info"]["team_alias"], "Engineering");
    gw.stop().await;

    let gw = Gateway::start_with_db(&config("demo, gpt-mock"), Some(db)).await;
    assert_eq!(
        chat_with(&gw, secret, "gpt-mock", None).await.status(),
        200,
        "the team was updated"
    );
    let keys: Value = gw
        .get("/key/list?key_alias=eng-ci")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(keys["total_count"], 1, "{keys}");
    gw.stop().await;
}
