//! Budgets that never overspend: concurrent requests reserve the most they can cost before the
//! provider is called, so the spend recorded never passes the budget.

use serde_json::{Value, json};
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

async fn generate(gw: &Gateway, body: Value) -> String {
    let res = gw.post("/key/generate", &body).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The most one request below can cost: its prompt (counted like the gateway does) plus 10
/// output tokens, at gpt-mock's prices (1e-6 in, 2e-6 out).
fn max_cost_of_one() -> f64 {
    let req: tollgate::types::openai::ChatRequest = serde_json::from_value(request()).unwrap();
    tollgate::tokens::count_chat(&req) as f64 * 1e-6 + 10.0 * 2e-6
}

fn request() -> Value {
    json!({"model": "gpt-mock", "max_tokens": 10, "messages": [{"role": "user", "content": "hello budget"}]})
}

/// Fires `n` concurrent requests, one per key in turn; returns (successes, budget refusals).
async fn race(gw: &Gateway, keys: &[String], n: usize) -> (usize, usize) {
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..n {
        let (client, url, key) = (
            gw.client.clone(),
            gw.url("/v1/chat/completions"),
            keys[i % keys.len()].clone(),
        );
        tasks.spawn(async move {
            let res = client
                .post(url)
                .bearer_auth(key)
                .json(&request())
                .send()
                .await
                .unwrap();
            let status = res.status().as_u16();
            let body: Value = res.json().await.unwrap();
            (status, body)
        });
    }
    let (mut ok, mut refused) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        let (status, body) = done.unwrap();
        match status {
            200 => ok += 1,
            400 => {
                assert_eq!(body["error"]["type"], "budget_exceeded", "{body}");
                refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    (ok, refused)
}

// 50 concurrent requests against a key whose budget fits 10: spend stays within the budget and
// the refused requests got budget_exceeded.
#[tokio::test]
async fn concurrent_requests_never_overspend_a_key() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let budget = 10.0 * max_cost_of_one();
    let key = generate(&gw, json!({"max_budget": budget})).await;
    let (ok, refused) = race(&gw, std::slice::from_ref(&key), 50).await;
    assert!(ok >= 10, "at least the 10 that fit succeed ({ok})");
    assert_eq!(ok + refused, 50);
    assert!(refused > 0);
    // Each success really cost 11 * 1e-6 + 7 * 2e-6 (the mock's usage).
    let spent = ok as f64 * 25e-6;
    assert!(spent <= budget + 1e-12, "spent {spent} > budget {budget}");
    let upstream_calls = mock.requests().len();
    assert_eq!(
        upstream_calls, ok,
        "refused requests never reached the provider"
    );
    gw.stop().await;
}

// A team budget shared by two keys holds across both.
#[tokio::test]
async fn team_budget_shared_by_two_keys() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let budget = 10.0 * max_cost_of_one();
    let res = gw
        .post(
            "/team/new",
            &json!({"team_id": "shared", "max_budget": budget}),
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let a = generate(&gw, json!({"team_id": "shared"})).await;
    let b = generate(&gw, json!({"team_id": "shared"})).await;
    let (ok, refused) = race(&gw, &[a, b], 50).await;
    assert!(ok >= 10 && refused > 0, "{ok} {refused}");
    assert!(ok as f64 * 25e-6 <= budget + 1e-12);
    gw.stop().await;
}

// Without max_tokens, a budgeted request is capped upstream to what the budget can pay for.
#[tokio::test]
async fn unbounded_request_is_capped_to_the_budget() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(&gw, json!({"max_budget": 0.0001})).await;
    let res = gw
        .client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(&key)
        .json(
            &json!({"model": "gpt-mock", "messages": [{"role": "user", "content": "write a lot"}]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cap = mock.last_request().body["max_tokens"]
        .as_u64()
        .expect("a cap was sent upstream");
    // (0.0001 - prompt cost) / 2e-6 output tokens at most.
    assert!(cap > 0 && cap <= 50, "{cap}");
    gw.stop().await;
}

// A spent budget stays spent across a restart; at the end of its period it resets, and the reset
// survives a restart too.
#[tokio::test]
async fn budget_period_reset_survives_restart() {
    let mock = MockProvider::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/budget.db", dir.path().display());
    let clock = tollgate::governance::Clock::manual(1_800_000_000_000);
    let config = standard_config(&mock);
    let chat = |gw: &Gateway, key: &str| {
        let req = gw
            .client
            .post(gw.url("/v1/chat/completions"))
            .bearer_auth(key.to_owned())
            .json(&request());
        async move { req.send().await.unwrap().status().as_u16() }
    };

    let gw = Gateway::start_with_clock(&config, Some(db.clone()), clock.clone()).await;
    let key = generate(
        &gw,
        json!({"max_budget": 3.0 * max_cost_of_one(), "budget_duration": "1h"}),
    )
    .await;
    let mut served = 0;
    while chat(&gw, &key).await == 200 {
        served += 1;
        assert!(served < 10, "the budget never ran out");
    }
    assert!(served >= 3);
    gw.stop().await;

    let gw = Gateway::start_with_clock(&config, Some(db.clone()), clock.clone()).await;
    assert_eq!(
        chat(&gw, &key).await,
        400,
        "spend was persisted across the restart"
    );
    gw.stop().await;

    clock.advance_ms(3_600_001);
    let gw = Gateway::start_with_clock(&config, Some(db), clock.clone()).await;
    assert_eq!(
        chat(&gw, &key).await,
        200,
        "the budget reset at the end of its period"
    );
    let info: Value = gw
        .get(&format!("/key/info?key={key}"))
        .await
        .json()
        .await
        .unwrap();
    let reset_at = info["info"]["budget_reset_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        reset_at.starts_with("2027-01-15T10:00:00"),
        "next reset one period after the first (09:00): {reset_at}"
    );
    gw.stop().await;
}

// Every call through the pipeline lands in the spend logs once, with its cost and request tags,
// and the key's spend is their sum.
#[tokio::test]
async fn calls_are_recorded_in_spend_logs() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = generate(&gw, json!({"tags": ["from-key"]})).await;
    for i in 0..3 {
        let mut body = request();
        body["metadata"] = json!({"tags": [format!("batch-{i}")]});
        let res = gw
            .client
            .post(gw.url("/v1/chat/completions"))
            .bearer_auth(&key)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let failed = gw
        .client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(&key)
        .json(&json!({"model": "fail-500", "messages": [{"role": "user", "content": "x"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 500);

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let rows = loop {
        let rows: Value = gw
            .get(&format!("/spend/logs?api_key={key}"))
            .await
            .json()
            .await
            .unwrap();
        if rows.as_array().is_some_and(|r| r.len() >= 4) {
            break rows;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "spend rows never arrived: {rows}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4, "{rows:?}");
    let ok: Vec<&Value> = rows
        .iter()
        .filter(|r| r["model_group"] == "gpt-mock" || r["model"] == "gpt-mock")
        .collect();
    assert_eq!(ok.len(), 3, "{rows:?}");
    let total: f64 = rows
        .iter()
        .map(|r| r["spend"].as_f64().unwrap_or(0.0))
        .sum();
    assert!((total - 3.0 * 25e-6).abs() < 1e-12, "{total}");
    let tags = serde_json::to_string(rows).unwrap();
    assert!(
        tags.contains("batch-1") && tags.contains("from-key"),
        "{tags}"
    );
    let info: Value = gw
        .get(&format!("/key/info?key={key}"))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        (info["info"]["spend"].as_f64().unwrap() - total).abs() < 1e-12,
        "{info}"
    );
    gw.stop().await;
}

// Crossing a soft budget sends one alert to the Slack webhook and one to the JSON webhook, once
// per period however many calls follow.
#[tokio::test]
async fn soft_budget_alert_sent_once() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let sink = received.clone();
    let app = axum::Router::new().route(
        "/{sink}",
        axum::routing::post(
            move |axum::extract::Path(name): axum::extract::Path<String>,
                  axum::Json(body): axum::Json<Value>| {
                let sink = sink.clone();
                async move {
                    sink.lock().unwrap().push((name, body));
                    "ok"
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hooks = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mock = MockProvider::start().await;
    let config = format!(
        "{}  alerting: [slack, webhook]\n  alerting_args: {{slack_webhook_url: \"http://{hooks}/slack\", webhook_url: \"http://{hooks}/hook\"}}\n",
        standard_config(&mock)
    );
    let gw = Gateway::start(&config).await;
    // One call costs 25e-6: the soft budget is crossed by the second call.
    let key = generate(
        &gw,
        json!({"soft_budget": 0.00004, "max_budget": 1.0, "key_alias": "alerted"}),
    )
    .await;
    for _ in 0..5 {
        let res = gw
            .client
            .post(gw.url("/v1/chat/completions"))
            .bearer_auth(&key)
            .json(&request())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while received.lock().unwrap().len() < 2 {
        assert!(std::time::Instant::now() < deadline, "alerts never arrived");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "one alert per sink, once: {got:?}");
    let slack = got.iter().find(|(n, _)| n == "slack").unwrap();
    assert!(
        slack.1["text"].as_str().unwrap().contains("soft budget"),
        "{slack:?}"
    );
    let hook = got.iter().find(|(n, _)| n == "hook").unwrap();
    assert_eq!(hook.1["event"], "soft_budget_crossed");
    assert_eq!(hook.1["event_group"], "key");
    assert!(hook.1["spend"].as_f64().unwrap() >= 0.00004);
    gw.stop().await;
}
