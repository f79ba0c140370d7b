//! Shared fixtures of the key tests: a gateway with a controlled clock on a given database, the
//! organizations, teams and users the keys refer to (written straight into the database, so
//! these tests depend only on the key routes), and small request helpers.

use reqwest::header::AUTHORIZATION;
use serde_json::{Value, json};
use sqlx::Connection;
use tollgate::governance::Clock;
use tollgate_e2e::Gateway;
use tollgate_e2e::gateway::MASTER_KEY;

/// The clock's start: 2026-11-23T12:00:00Z.
pub const T0: i64 = 1_795_435_200_000;

/// Two models answered by the gateway itself (no provider needed).
pub const CONFIG: &str = r#"
model_list:
  - model_name: demo
    litellm_params: {model: openai/demo, mock_response: "Hello from Tollgate!"}
  - model_name: other
    litellm_params: {model: openai/other, mock_response: "other"}
general_settings:
  master_key: sk-test-master-key-0123456789
"#;

/// Custom secrets (valid: `sk-` and 22+ URL-safe characters).
pub const K1: &str = "sk-keys-test-one-0123456789abcdef";
pub const K2: &str = "sk-keys-test-two-0123456789abcdef";
pub const K3: &str = "sk-keys-test-three-0123456789abcd";
pub const K4: &str = "sk-keys-test-four-0123456789abcdef";

/// Runs SQL statements against `url` (SQLite file or PostgreSQL database).
pub async fn seed(url: &str, statements: &[&str]) {
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(s.to_string()))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }
}

/// A gateway on `url` with a manual clock at [`T0`], and: organizations `org-1`, `org-2`;
/// teams `team-a` (in `org-1`) and `team-b` (no organization); users `alice` (internal_user,
/// admin of `team-b`) and `bob` (internal_user).
pub async fn start(url: &str) -> (Gateway, Clock) {
    let clock = Clock::manual(T0);
    let gw = Gateway::start_with_clock(CONFIG, Some(url.to_owned()), clock.clone()).await;
    seed(
        url,
        &[
            "INSERT INTO organizations (organization_id, organization_alias, created_at, updated_at) VALUES ('org-1', 'Org One', 0, 0)",
            "INSERT INTO organizations (organization_id, organization_alias, created_at, updated_at) VALUES ('org-2', 'Org Two', 0, 0)",
            "INSERT INTO teams (team_id, team_alias, organization_id, created_at, updated_at) VALUES ('team-a', 'A', 'org-1', 0, 0)",
            "INSERT INTO teams (team_id, team_alias, created_at, updated_at) VALUES ('team-b', 'B', 0, 0)",
            "INSERT INTO users (user_id, user_role, created_at, updated_at) VALUES ('alice', 'internal_user', 0, 0)",
            "INSERT INTO users (user_id, user_role, created_at, updated_at) VALUES ('bob', 'internal_user', 0, 0)",
            "INSERT INTO team_memberships (team_id, user_id, role, created_at) VALUES ('team-b', 'alice', 'admin', 0)",
        ],
    )
    .await;
    (gw, clock)
}

/// POSTs JSON with `key`.
pub async fn post_as(gw: &Gateway, key: &str, path: &str, body: &Value) -> reqwest::Response {
    gw.client
        .post(gw.url(path))
        .header(AUTHORIZATION, format!("Bearer {key}"))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// GETs with `key`.
pub async fn get_as(gw: &Gateway, key: &str, path: &str) -> reqwest::Response {
    gw.client
        .get(gw.url(path))
        .header(AUTHORIZATION, format!("Bearer {key}"))
        .send()
        .await
        .unwrap()
}

/// Status and JSON body.
pub async fn answer(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// POSTs with the master key; status and JSON body.
pub async fn admin_post(gw: &Gateway, path: &str, body: Value) -> (u16, Value) {
    answer(post_as(gw, MASTER_KEY, path, &body).await).await
}

/// GETs with the master key; status and JSON body.
pub async fn admin_get(gw: &Gateway, path: &str) -> (u16, Value) {
    answer(get_as(gw, MASTER_KEY, path).await).await
}

/// A chat call with `key` on `model`: status and error message (empty on success).
pub async fn chat(gw: &Gateway, key: &str, model: &str) -> (u16, String) {
    let body = json!({"model": model, "messages": [{"role": "user", "content": "hi"}]});
    let (status, body) = answer(post_as(gw, key, "/v1/chat/completions", &body).await).await;
    let message = body["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (status, message)
}

/// The key hash LiteLLM calls `token`.
pub fn hash(secret: &str) -> String {
    tollgate::keys::secret::hash(secret)
}
