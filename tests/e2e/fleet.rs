//! Several gateway instances (real binaries) sharing one database and one Redis: rate limits,
//! parallel limits and budgets hold across the fleet, a Redis outage degrades to local counters
//! without hanging, and an admin change on one instance is seen by the other at once.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};
use tollgate_e2e::MockProvider;
use tollgate_e2e::binary::Instance;
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_e2e::redis_server::RedisServer;

/// Two instances on one database and `redis`, in front of `mock`.
struct Fleet {
    a: Instance,
    b: Instance,
    _db: tollgate_e2e::db::TestDb,
    _dir: tempfile::TempDir,
}

async fn fleet(mock: &MockProvider, redis: &RedisServer, extra_router: &str) -> Fleet {
    // PostgreSQL when the suite has one (as in production), else a shared SQLite file.
    let db = tollgate_e2e::db::backends().await.pop().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let openai = mock.openai_base();
    let config = format!(
        r#"
environment_variables: {{TOLLGATE_SALT_KEY: fleet-test-salt}}
model_list:
  - model_name: gpt-mock
    litellm_params: {{model: openai/gpt-4o-mini, api_base: "{openai}", api_key: sk-up, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}}
  - model_name: slow-ok
    litellm_params: {{model: openai/slow-ok, api_base: "{openai}", api_key: sk-up}}
  - model_name: flaky
    litellm_params: {{model: openai/error-429, api_base: "{openai}", api_key: sk-up, order: 1}}
  - model_name: flaky
    litellm_params: {{model: openai/gpt-4o-mini, api_base: "{openai}", api_key: sk-up, order: 2}}
router_settings:
  redis_url: "{redis}"
  redis_timeout: 0.2
{extra_router}
general_settings:
  master_key: {MASTER_KEY}
  database_url: "{db_url}"
"#,
        redis = redis.url(),
        db_url = db.url,
    );
    let path = dir.path().join("config.yaml");
    std::fs::write(&path, config).unwrap();
    let a = Instance::start(&path, &[]);
    let b = Instance::start(&path, &[]);
    Fleet {
        a,
        b,
        _db: db,
        _dir: dir,
    }
}

async fn new_key(instance: &Instance, body: Value) -> String {
    let response = instance.post("/key/generate", &body).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["key"].as_str().unwrap().to_owned()
}

async fn chat(instance: &Instance, key: &str, model: &str) -> reqwest::Response {
    instance
        .post_as(
            key,
            "/v1/chat/completions",
            &json!({"model": model, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await
}

/// Statuses of `n` chat calls spread over both instances, `concurrency` at a time.
async fn spread(fleet: &Fleet, key: &str, model: &str, n: usize, concurrency: usize) -> Vec<u16> {
    let mut statuses = Vec::new();
    for wave in (0..n).collect::<Vec<_>>().chunks(concurrency) {
        let calls = wave.iter().map(|i| {
            let instance = if i % 2 == 0 { &fleet.a } else { &fleet.b };
            chat(instance, key, model)
        });
        for response in join_all(calls).await {
            let status = response.status().as_u16();
            if status == 429 {
                assert!(response.headers().contains_key("retry-after"));
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"]["type"], "rate_limit_error");
            }
            statuses.push(status);
        }
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

// 300 requests over two instances against rpm_limit 100: exactly 100 pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rpm_limit_is_exact_across_two_instances() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    let key = new_key(&fleet.a, json!({"rpm_limit": 100})).await;
    let statuses = spread(&fleet, &key, "gpt-mock", 300, 25).await;
    assert_eq!(count(&statuses, 200), 100, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 200);
}

// max_parallel_requests 5 with slow upstream calls: never more than 5 in flight at the
// provider, across both instances.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_limit_holds_across_two_instances() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    mock.script(
        "slow-ok",
        tollgate_e2e::mock_provider::Script {
            delay: Duration::from_millis(400),
            ..Default::default()
        },
    );
    let fleet = fleet(&mock, &redis, "").await;
    let key = new_key(&fleet.a, json!({"max_parallel_requests": 5})).await;
    let statuses = spread(&fleet, &key, "slow-ok", 40, 40).await;
    assert!(
        mock.max_in_flight() <= 5,
        "{} in flight",
        mock.max_in_flight()
    );
    assert_eq!(count(&statuses, 200), 5, "{statuses:?}");
    // The slots come back when the calls end.
    let again = spread(&fleet, &key, "slow-ok", 4, 4).await;
    assert_eq!(count(&again, 200), 4, "{again:?}");
}

// A key blocked through instance A is refused by instance B on its very next request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_blocked_on_one_instance_is_refused_by_the_other() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    let key = new_key(&fleet.a, json!({})).await;
    // B resolves and caches the key.
    assert_eq!(chat(&fleet.b, &key, "gpt-mock").await.status(), 200);
    assert_eq!(chat(&fleet.b, &key, "gpt-mock").await.status(), 200);
    let blocked = fleet.a.post("/key/block", &json!({"key": key})).await;
    assert_eq!(blocked.status(), 200);
    let refused = chat(&fleet.b, &key, "gpt-mock").await;
    assert_eq!(refused.status(), 401, "{}", refused.text().await.unwrap());
}

async fn readiness(instance: &Instance) -> Value {
    instance
        .get("/health/readiness")
        .await
        .json::<Value>()
        .await
        .unwrap()
}

async fn wait_for_redis(instance: &Instance, state: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if readiness(instance).await["redis"] == state {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "redis never {state}:\n{}",
            instance.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

// Redis killed mid-test: both instances keep answering on local limits and say so in
// readiness; Redis back: shared limits resume.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_redis_outage_degrades_to_local_limits_and_recovers() {
    let Some(mut redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    let key = new_key(&fleet.a, json!({"rpm_limit": 1000})).await;
    wait_for_redis(&fleet.a, "connected").await;
    assert_eq!(readiness(&fleet.a).await["rate_limits"], "shared");

    redis.stop();
    let started = Instant::now();
    let statuses = spread(&fleet, &key, "gpt-mock", 20, 10).await;
    assert_eq!(count(&statuses, 200), 20, "{statuses:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "requests hung on a dead Redis"
    );
    for instance in [&fleet.a, &fleet.b] {
        wait_for_redis(instance, "disconnected").await;
        let ready = instance.get("/health/readiness").await;
        assert_eq!(ready.status(), 200);
        assert_eq!(ready.json::<Value>().await.unwrap()["rate_limits"], "local");
    }

    redis.resume();
    wait_for_redis(&fleet.a, "connected").await;
    wait_for_redis(&fleet.b, "connected").await;
    let tight = new_key(&fleet.a, json!({"rpm_limit": 3})).await;
    let statuses = spread(&fleet, &tight, "gpt-mock", 10, 5).await;
    assert_eq!(count(&statuses, 200), 3, "shared again: {statuses:?}");
}

// 50 concurrent requests over two instances against a key budget that fits 10: the recorded
// spend never passes the budget and the refused ones got budget_exceeded.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_budget_holds_across_two_instances() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    // Each call reserves at most (prompt + 10 output tokens); 10 of them fit.
    let per_call_max = 20.0 * 0.000_001 + 10.0 * 0.000_002;
    let budget = per_call_max * 10.0 + per_call_max / 2.0;
    let key = new_key(&fleet.a, json!({"max_budget": budget})).await;
    let calls = (0..50).map(|i| {
        let instance = if i % 2 == 0 { &fleet.a } else { &fleet.b };
        chat(instance, &key, "gpt-mock")
    });
    let mut ok = 0;
    for response in join_all(calls).await {
        match response.status().as_u16() {
            200 => ok += 1,
            status => {
                let body: Value = response.json().await.unwrap();
                assert_eq!(body["error"]["type"], "budget_exceeded", "{status}: {body}");
            }
        }
    }
    assert!(ok >= 10, "{ok} passed");
    // The spend of the calls that passed, as the gateway records it.
    let deadline = Instant::now() + Duration::from_secs(20);
    let spent = loop {
        let info: Value = fleet
            .a
            .get(&format!("/key/info?key={key}"))
            .await
            .json()
            .await
            .unwrap();
        let logs: Value = fleet
            .a
            .get(&format!("/spend/logs?api_key={key}"))
            .await
            .json()
            .await
            .unwrap();
        let rows = logs.as_array().map_or(0, Vec::len);
        if rows >= ok || Instant::now() > deadline {
            break info["info"]["spend"].as_f64().unwrap_or(0.0);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert!(spent > 0.0);
    assert!(spent <= budget + 1e-12, "spent {spent} > budget {budget}");
}

// A named budget tightened through instance A applies on instance B within moments.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_named_budget_changed_on_one_instance_applies_on_the_other() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    let created = fleet
        .a
        .post(
            "/budget/new",
            &json!({"budget_id": "free", "max_budget": 100.0}),
        )
        .await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    let customer = fleet
        .a
        .post(
            "/customer/new",
            &json!({"user_id": "acme", "budget_id": "free"}),
        )
        .await;
    assert_eq!(customer.status(), 200);
    let key = new_key(&fleet.a, json!({})).await;
    let as_acme = json!({"model": "gpt-mock", "max_tokens": 10, "user": "acme",
        "messages": [{"role": "user", "content": "hi"}]});
    let first = fleet
        .b
        .post_as(&key, "/v1/chat/completions", &as_acme)
        .await;
    assert_eq!(first.status(), 200);
    let updated = fleet
        .a
        .post(
            "/budget/update",
            &json!({"budget_id": "free", "max_budget": 0.0}),
        )
        .await;
    assert_eq!(updated.status(), 200);
    // B reloads the budget from the database when told; allow it the moment that takes.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let refused = fleet
            .b
            .post_as(&key, "/v1/chat/completions", &as_acme)
            .await;
        if refused.status() == 400 {
            let body: Value = refused.json().await.unwrap();
            assert_eq!(body["error"]["type"], "budget_exceeded");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "B still serves on the old budget"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// A deployment cooling down on instance A (an upstream 429) is skipped by instance B too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cooldown_entered_on_one_instance_is_shared() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "").await;
    let key = new_key(&fleet.a, json!({})).await;
    // Tier 1 is the failing deployment: A tries it, gets a 429, and cools it.
    let failed = chat(&fleet.a, &key, "flaky").await;
    assert_eq!(failed.status(), 429);
    assert_eq!(mock.count("error-429"), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    // B never tried it, yet skips it while it cools.
    let served = chat(&fleet.b, &key, "flaky").await;
    assert_eq!(served.status(), 200, "{}", served.text().await.unwrap());
    assert_eq!(
        mock.count("error-429"),
        1,
        "B sent a request to the cooling deployment"
    );
}

// A model added at runtime on instance A serves on instance B within moments (pushed over
// Redis; B's periodic check is an hour away).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_runtime_model_added_on_one_instance_serves_on_the_other() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let mock = MockProvider::start().await;
    let fleet = fleet(&mock, &redis, "  model_refresh_interval: 3600").await;
    let key = new_key(&fleet.a, json!({})).await;
    assert_eq!(chat(&fleet.b, &key, "added").await.status(), 400);
    let body = json!({
        "model_name": "added",
        "litellm_params": {"model": "openai/gpt-4o-mini", "api_base": mock.openai_base(), "api_key": "sk-up"},
        "model_info": {"id": "added-1"}
    });
    let created = fleet.a.post("/model/new", &body).await;
    assert_eq!(created.status(), 200, "{}", created.text().await.unwrap());
    // B reloads its table from the database when told; allow it the moment that takes.
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let served = chat(&fleet.b, &key, "added").await;
        if served.status() == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{}\n{}",
            served.text().await.unwrap(),
            fleet.b.log()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
