//! Tag budgets (`/tag/*`): the tag lifecycle with the audit log, a tag's budget refusing the
//! requests that carry the tag (in `metadata.tags` or the key's `tags`) and only those, 50
//! concurrent tagged requests never overspending it, `/tag/info` spend matching the spend logs,
//! and the tag's period reset surviving a restart — on every storage backend.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

use crate::directory::{fails, ok};
use crate::named_budgets::{
    REAL_COST_OF_ONE, audited, chat, max_cost_of_one, new_key, request, spend_until_refused,
};

/// The spend logs of `key` once `count` rows are there.
async fn spend_rows(gw: &Gateway, key: &str, count: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows: Value = ok(gw.get(&format!("/spend/logs?api_key={key}")).await).await;
        let rows = rows.as_array().cloned().unwrap_or_default();
        if rows.len() >= count {
            return rows;
        }
        assert!(
            Instant::now() < deadline,
            "spend rows never arrived: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// `/tag/info` of one tag.
async fn tag_info(gw: &Gateway, name: &str) -> Value {
    let info = ok(gw.post("/tag/info", &json!({"names": [name]})).await).await;
    info[name].clone()
}

// A tag's lifecycle: created with a budget (LiteLLM's answer), read, updated (its budget too),
// listed with the tags requests used without them being managed, deleted; audited; bad input
// refused.
#[tokio::test]
async fn tag_lifecycle_with_audit() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let made = ok(gw
            .post(
                "/tag/new",
                &json!({"name": "prod", "description": "production traffic", "models": ["gpt-mock"],
                    "max_budget": 1.0, "budget_duration": "1d"}),
            )
            .await)
        .await;
        assert_eq!(
            made["message"], "Tag prod created successfully",
            "{}",
            db.backend
        );
        let tag = &made["tag"];
        assert_eq!(
            (&tag["name"], &tag["models"]),
            (&json!("prod"), &json!(["gpt-mock"]))
        );
        assert_eq!(tag["litellm_budget_table"]["max_budget"], 1.0);
        assert!(
            tag["litellm_budget_table"]["budget_reset_at"]
                .as_str()
                .unwrap()
                .ends_with('Z')
        );
        assert_eq!(tag["spend"], 0.0);
        let budget_id = tag["budget_id"].as_str().unwrap().to_owned();

        let (status, message) = fails(gw.post("/tag/new", &json!({"name": "prod"})).await).await;
        assert_eq!((status, message.as_str()), (400, "Tag prod already exists"));
        let both = json!({"name": "x", "budget_id": budget_id, "max_budget": 1.0});
        assert_eq!(fails(gw.post("/tag/new", &both).await).await.0, 400);
        let unknown = json!({"name": "x", "budget_id": "nope"});
        assert_eq!(fails(gw.post("/tag/new", &unknown).await).await.0, 400);
        let (status, message) = fails(
            gw.post("/tag/info", &json!({"names": ["prod", "nope"]}))
                .await,
        )
        .await;
        assert!(status == 404 && message.contains("nope"), "{message}");

        let updated = ok(gw
            .post(
                "/tag/update",
                &json!({"name": "prod", "description": "prod", "max_budget": 2.0}),
            )
            .await)
        .await;
        assert_eq!(updated["message"], "Tag prod updated successfully");
        assert_eq!(updated["tag"]["description"], "prod");
        assert_eq!(
            updated["tag"]["models"],
            json!(["gpt-mock"]),
            "absent fields stay"
        );
        assert_eq!(
            updated["tag"]["budget_id"],
            budget_id.as_str(),
            "same budget, changed"
        );
        assert_eq!(updated["tag"]["litellm_budget_table"]["max_budget"], 2.0);
        assert_eq!(
            tag_info(&gw, "prod").await["litellm_budget_table"]["budget_duration"],
            "1d"
        );
        ok(gw.post("/tag/new", &json!({"name": "plain"})).await).await;
        assert!(tag_info(&gw, "plain").await["litellm_budget_table"].is_null());

        let key = new_key(&gw, json!({})).await;
        assert_eq!(chat(&gw, &key, None, &["only-used"]).await.0, 200);
        spend_rows(&gw, &key, 1).await;
        let listed = ok(gw.get("/tag/list").await).await;
        let names: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["plain", "prod", "only-used"]);
        assert!(listed[2]["models"].is_null());

        let deleted = ok(gw.post("/tag/delete", &json!({"name": "plain"})).await).await;
        assert_eq!(deleted["message"], "Tag plain deleted successfully");
        assert_eq!(
            fails(gw.post("/tag/delete", &json!({"name": "plain"})).await)
                .await
                .0,
            404
        );
        assert_eq!(
            audited(&gw, "tag").await,
            ["tag.new", "tag.update", "tag.new", "tag.delete"]
        );
        assert_eq!(
            audited(&gw, "budget").await,
            ["budget.new", "budget.update"]
        );
        gw.stop().await;
    }
}

// Once a tag's budget is spent, requests carrying the tag (in the body or through the key's
// tags) are refused with budget_exceeded; requests without it still pass.
#[tokio::test]
async fn tag_budget_refuses_only_tagged_requests() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let capped = json!({"name": "capped", "max_budget": 2.0 * max_cost_of_one()});
        ok(gw.post("/tag/new", &capped).await).await;
        let key = new_key(&gw, json!({})).await;
        let served = spend_until_refused(&gw, &key, None, &["capped", "other"], "tag capped").await;
        assert!((1..=2).contains(&served), "{} served {served}", db.backend);
        assert_eq!(chat(&gw, &key, None, &[]).await.0, 200, "untagged passes");
        assert_eq!(
            chat(&gw, &key, None, &["other"]).await.0,
            200,
            "other tags pass"
        );
        let tagged_key = new_key(&gw, json!({"tags": ["capped"]})).await;
        spend_until_refused(&gw, &tagged_key, None, &[], "tag capped").await;
        gw.stop().await;
    }
}

// 50 concurrent requests (max_tokens set) against a tag budget that fits 10: the spend recorded
// stays within the budget, the refused ones got budget_exceeded, and `/tag/info` spend is the sum
// of the spend logs.
#[tokio::test]
async fn concurrent_requests_never_overspend_a_tag() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let budget = 10.0 * max_cost_of_one();
        ok(gw
            .post("/tag/new", &json!({"name": "burst", "max_budget": budget}))
            .await)
        .await;
        let key = new_key(&gw, json!({})).await;
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..50 {
            let req = gw
                .client
                .post(gw.url("/v1/chat/completions"))
                .bearer_auth(&key)
                .json(&request(None, &["burst"]));
            tasks.spawn(async move {
                let res = req.send().await.unwrap();
                (res.status().as_u16(), res.json::<Value>().await.unwrap())
            });
        }
        let (mut served, mut refused) = (0, 0);
        while let Some(done) = tasks.join_next().await {
            match done.unwrap() {
                (200, _) => served += 1,
                (400, body) => {
                    assert_eq!(body["error"]["type"], "budget_exceeded", "{body}");
                    refused += 1;
                }
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(
            served >= 10 && refused > 0,
            "{} {served} {refused}",
            db.backend
        );
        let rows = spend_rows(&gw, &key, served).await;
        let logged: f64 = rows.iter().filter_map(|r| r["spend"].as_f64()).sum();
        assert!(logged <= budget + 1e-12, "spent {logged} > budget {budget}");
        assert!((logged - served as f64 * REAL_COST_OF_ONE).abs() < 1e-9);
        let info = tag_info(&gw, "burst").await;
        assert!(
            (info["spend"].as_f64().unwrap() - logged).abs() < 1e-9,
            "{info} vs {logged}"
        );
        gw.stop().await;
    }
}

// A tag budget with a period: spent, it stays spent across a restart; at the period's end it
// resets, also for a restarted gateway, and its `budget_reset_at` moves one period on.
#[tokio::test]
async fn tag_budget_period_resets_and_survives_restart() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let clock = tollgate::governance::Clock::manual(1_800_000_000_000);
        let config = standard_config(&mock);
        let start = || Gateway::start_with_clock(&config, Some(db.url.clone()), clock.clone());
        let gw = start().await;
        let key = new_key(&gw, json!({})).await;
        let tag = json!({"name": "hourly", "max_budget": 2.0 * max_cost_of_one(), "budget_duration": "1h"});
        let made = ok(gw.post("/tag/new", &tag).await).await;
        let first_reset = made["tag"]["litellm_budget_table"]["budget_reset_at"]
            .as_str()
            .unwrap()
            .to_owned();
        spend_until_refused(&gw, &key, None, &["hourly"], "tag hourly").await;
        gw.stop().await;

        let gw = start().await;
        assert_eq!(
            chat(&gw, &key, None, &["hourly"]).await.0,
            400,
            "spend persisted ({})",
            db.backend
        );
        assert!(tag_info(&gw, "hourly").await["spend"].as_f64().unwrap() > 0.0);
        clock.advance_ms(3_600_001);
        assert_eq!(
            chat(&gw, &key, None, &["hourly"]).await.0,
            200,
            "reset in memory"
        );
        gw.stop().await;

        let gw = start().await;
        let info = tag_info(&gw, "hourly").await;
        let next = info["litellm_budget_table"]["budget_reset_at"]
            .as_str()
            .unwrap();
        assert!(next > first_reset.as_str(), "{next} after {first_reset}");
        assert!(
            info["spend"].as_f64().unwrap() <= REAL_COST_OF_ONE + 1e-12,
            "{info}"
        );
        assert_eq!(
            chat(&gw, &key, None, &["hourly"]).await.0,
            200,
            "reset after a restart"
        );
        gw.stop().await;
    }
}
