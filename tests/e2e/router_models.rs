//! Models at runtime: `/model/new` on instance A is used by instance B (same database) without
//! a restart; credentials are stored encrypted and never returned; `/model/update` and
//! `/model/delete` reach B too; config-file models stay read-only.

use std::time::Duration;

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::{Gateway, MockProvider};

use super::router::{call, chat, config};

const SECRET: &str = "sk-runtime-secret-123";

fn yaml(mock: &MockProvider) -> String {
    config(
        mock,
        &[("base", "r0", "base-1", "")],
        "model_refresh_interval: 0.2",
    )
    .replace(
        "model_list:\n",
        "environment_variables: {TOLLGATE_SALT_KEY: test-salt}\nmodel_list:\n",
    )
}

/// Polls `gw` until `model` answers with `status` (bounded).
async fn wait_for(gw: &Gateway, model: &str, status: u16) -> (u16, String) {
    let mut last = (0, String::new());
    for _ in 0..40 {
        last = call(gw, &chat(model)).await;
        if last.0 == status {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    last
}

// A model added on instance A serves on instance B; its key is sealed at rest and never shown.
// On SQLite and PostgreSQL.
#[tokio::test]
async fn runtime_model_added_on_a_is_used_by_b() {
    for db in backends().await {
        eprintln!("backend: {}", db.backend);
        added_on_a_used_by_b(&db.url).await;
    }
}

async fn added_on_a_used_by_b(url: &str) {
    let mock = MockProvider::start().await;
    let a = Gateway::start_with_db(&yaml(&mock), Some(url.to_owned())).await;
    let b = Gateway::start_with_db(&yaml(&mock), Some(url.to_owned())).await;
    assert_eq!(call(&b, &chat("added")).await.0, 400, "unknown before");

    let body = json!({
        "model_name": "added",
        "litellm_params": {"model": "openai/added-up", "api_base": mock.openai_base(), "api_key": SECRET},
        "model_info": {"id": "added-1"}
    });
    let res = a.post("/model/new", &body).await;
    assert_eq!(res.status(), 200);
    let created = res.text().await.unwrap();
    assert!(
        !created.contains(SECRET),
        "the key is never returned: {created}"
    );
    assert_eq!(call(&a, &chat("added")).await, (200, "added-1".to_owned()));

    assert_eq!(
        wait_for(&b, "added", 200).await,
        (200, "added-1".to_owned())
    );
    let auth = mock.last_request().headers["authorization"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(auth, format!("Bearer {SECRET}"));
    let rows = b.state.store.router_models().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert!(!rows[0].litellm_params.contains(SECRET), "stored encrypted");
    assert!(rows[0].litellm_params.contains("enc:v1:"));
    let info = b.get("/model/info?model=added").await.text().await.unwrap();
    assert!(info.contains("added-1") && !info.contains(SECRET), "{info}");

    let update = json!({"model_info": {"id": "added-1"}, "model_name": "renamed"});
    assert_eq!(a.post("/model/update", &update).await.status(), 200);
    assert_eq!(wait_for(&b, "renamed", 200).await.0, 200);
    assert_eq!(wait_for(&b, "added", 400).await.0, 400);
    assert_eq!(
        mock.last_request().headers["authorization"],
        format!("Bearer {SECRET}").as_str(),
        "the update kept the sealed key"
    );

    let res = a.post("/model/delete", &json!({"id": "added-1"})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(wait_for(&b, "renamed", 400).await.0, 400);
    a.stop().await;
    b.stop().await;
}

// Config-file models cannot be changed at runtime; other keys cannot add models.
#[tokio::test]
async fn config_models_are_read_only() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&yaml(&mock)).await;
    let res = gw.post("/model/delete", &json!({"id": "base-1"})).await;
    assert_eq!(res.status(), 404);
    let body = json!({"model_name": "x", "litellm_params": {"model": "openai/x"}, "model_info": {"id": "base-1"}});
    assert_eq!(gw.post("/model/new", &body).await.status(), 400);
    let key = gw
        .post("/key/generate", &json!({}))
        .await
        .json::<Value>()
        .await
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = gw
        .client
        .post(gw.url("/model/new"))
        .bearer_auth(key)
        .json(&json!({"model_name": "y", "litellm_params": {"model": "openai/y"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    gw.stop().await;
}
