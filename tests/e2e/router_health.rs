//! Health checks marking and unmarking deployments (on demand and in the background),
//! tag-based routing and session affinity.

use std::time::Duration;

use serde_json::{Value, json};
use tollgate_e2e::mock_provider::Script;
use tollgate_e2e::{Gateway, MockProvider};

use super::router::{call, chat, config};

fn deployment_state(info: &Value, id: &str) -> Value {
    info["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["model_info"]["id"] == id)
        .map(|d| d["state"].clone())
        .unwrap()
}

// A failed /health check marks a deployment unhealthy (traffic avoids it); a passing one
// marks it healthy again.
#[tokio::test]
async fn health_marks_and_unmarks_a_deployment() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::failing(500));
    let deployments = [
        ("g", "r1", "heavy", "weight: 1000"),
        ("g", "r2", "light", "weight: 1"),
    ];
    let gw = Gateway::start(&config(&mock, &deployments, "")).await;
    let report: Value = gw.get("/health").await.json().await.unwrap();
    assert_eq!(report["healthy_count"], 1, "{report}");
    assert_eq!(report["unhealthy_count"], 1);
    assert_eq!(report["unhealthy_endpoints"][0]["model_id"], "heavy");
    assert!(
        report["unhealthy_endpoints"][0]["error"]
            .as_str()
            .unwrap()
            .contains("500")
    );
    for _ in 0..5 {
        assert_eq!(call(&gw, &chat("g")).await, (200, "light".to_owned()));
    }
    let info: Value = gw.get("/model/info").await.json().await.unwrap();
    assert_eq!(deployment_state(&info, "heavy")["healthy"], false);
    let ready: Value = gw.get("/health/readiness").await.json().await.unwrap();
    assert_eq!(
        ready["deployments"],
        json!({"total": 2, "unhealthy": 1, "cooling": 0})
    );

    mock.script("r1", Script::default());
    let report: Value = gw.get("/health").await.json().await.unwrap();
    assert_eq!(report["healthy_count"], 2, "{report}");
    let mut heavy = 0;
    for _ in 0..5 {
        if call(&gw, &chat("g")).await.1 == "heavy" {
            heavy += 1;
        }
    }
    assert!(
        heavy >= 4,
        "the healthy heavy deployment takes its traffic back"
    );
    gw.stop().await;
}

// Background checks every health_check_interval find a failing deployment on their own.
#[tokio::test]
async fn background_checks_mark_unhealthy() {
    let mock = MockProvider::start().await;
    mock.script("r1", Script::failing(503));
    let deployments = [("g", "r1", "a", ""), ("g", "r2", "b", "")];
    let yaml = config(&mock, &deployments, "").replace(
        "general_settings:\n",
        "general_settings:\n  background_health_checks: true\n  health_check_interval: 0.2\n",
    );
    let gw = Gateway::start(&yaml).await;
    let mut unhealthy = false;
    for _ in 0..50 {
        let info: Value = gw.get("/model/info").await.json().await.unwrap();
        if deployment_state(&info, "a")["healthy"] == false {
            unhealthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        unhealthy,
        "the background check marked the failing deployment"
    );
    let info: Value = gw.get("/model/info").await.json().await.unwrap();
    assert_eq!(deployment_state(&info, "b")["healthy"], true);
    gw.stop().await;
}

// /health is for admin keys only (it calls every deployment).
#[tokio::test]
async fn health_is_admin_only() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&config(&mock, &[("g", "r1", "a", "")], "")).await;
    let res = gw.post("/key/generate", &json!({})).await;
    let key = res.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = gw
        .client
        .get(gw.url("/health"))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    gw.stop().await;
}

// With tag filtering a request's tags choose the deployments carrying them.
#[tokio::test]
async fn tag_routing_keeps_to_matching_deployments() {
    let mock = MockProvider::start().await;
    let deployments = [
        ("g", "r1", "eu", "tags: [eu]"),
        ("g", "r2", "us", "tags: [us, default]"),
    ];
    let gw = Gateway::start(&config(&mock, &deployments, "enable_tag_filtering: true")).await;
    for _ in 0..5 {
        let mut body = chat("g");
        body["metadata"] = json!({"tags": ["eu"]});
        assert_eq!(call(&gw, &body).await.1, "eu");
        assert_eq!(
            call(&gw, &chat("g")).await.1,
            "us",
            "untagged requests go to default"
        );
    }
    gw.stop().await;
}

// With session affinity the same user keeps the same deployment.
#[tokio::test]
async fn session_affinity_keeps_the_deployment() {
    let mock = MockProvider::start().await;
    let deployments = [
        ("g", "r1", "a", ""),
        ("g", "r2", "b", ""),
        ("g", "r3", "c", ""),
    ];
    let router = "optional_pre_call_checks: [deployment_affinity]";
    let gw = Gateway::start(&config(&mock, &deployments, router)).await;
    for user in ["alice", "bob"] {
        let mut body = chat("g");
        body["user"] = json!(user);
        let first = call(&gw, &body).await.1;
        for _ in 0..8 {
            assert_eq!(call(&gw, &body).await.1, first);
        }
    }
    gw.stop().await;
}
