//! Named budgets (`/budget/*`): their lifecycle with the audit log and the permission check, and
//! their enforcement for the customers and team members that follow them, on every storage
//! backend. Helpers shared with `tag_budgets.rs` are in `support.rs`, gRPC parity in `grpc.rs`.

mod grpc;
mod support;

pub use support::*;

use serde_json::json;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};

use crate::directory::{fails, ok};

// A budget's lifecycle: created (with LiteLLM's fields), read, listed, updated (null clears),
// refused while a customer follows it, deleted; every change audited; bad input refused;
// only admins change budgets.
#[tokio::test]
async fn budget_lifecycle_with_audit() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let made = ok(gw
            .post(
                "/budget/new",
                &json!({"budget_id": "gold", "max_budget": 5.0, "soft_budget": 4.0,
                    "rpm_limit": 10, "tpm_limit": 1000, "max_parallel_requests": 2,
                    "budget_duration": "7d", "model_max_budget": {"gpt-mock": {"max_budget": 1.0}}}),
            )
            .await)
        .await;
        assert_eq!(made["budget_id"], "gold", "{}", db.backend);
        assert_eq!(
            (&made["max_budget"], &made["soft_budget"]),
            (&json!(5.0), &json!(4.0))
        );
        assert_eq!(
            (&made["rpm_limit"], &made["tpm_limit"]),
            (&json!(10), &json!(1000))
        );
        assert_eq!(made["max_parallel_requests"], 2);
        assert_eq!(made["model_max_budget"]["gpt-mock"]["max_budget"], 1.0);
        assert!(made["budget_reset_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(made["created_by"], "master_key");
        let other = ok(gw.post("/budget/new", &json!({"max_budget": 1.0})).await).await;
        let other_id = other["budget_id"].as_str().unwrap().to_owned();
        assert!(other["budget_reset_at"].is_null());

        let (status, message) =
            fails(gw.post("/budget/new", &json!({"budget_id": "gold"})).await).await;
        assert_eq!(
            (status, message.as_str()),
            (400, "Budget with id 'gold' already exists.")
        );
        for bad in [
            json!({"max_budget": -1}),
            json!({"budget_duration": "soon"}),
            json!({"model_max_budget": {"m": 3}}),
        ] {
            assert_eq!(
                fails(gw.post("/budget/new", &bad).await).await.0,
                400,
                "{bad}"
            );
        }
        let info = ok(gw
            .post("/budget/info", &json!({"budgets": ["gold", "nope"]}))
            .await)
        .await;
        assert_eq!(info.as_array().unwrap().len(), 1);
        assert_eq!(
            fails(gw.post("/budget/info", &json!({"budgets": []})).await)
                .await
                .0,
            400
        );

        let updated = ok(gw
            .post(
                "/budget/update",
                &json!({"budget_id": "gold", "max_budget": 6.0, "tpm_limit": null}),
            )
            .await)
        .await;
        assert_eq!(updated["max_budget"], 6.0);
        assert!(updated["tpm_limit"].is_null());
        assert_eq!(updated["rpm_limit"], 10, "untouched fields stay");
        assert_eq!(
            fails(
                gw.post("/budget/update", &json!({"budget_id": "nope"}))
                    .await
            )
            .await
            .0,
            404
        );
        assert_eq!(
            fails(gw.post("/budget/update", &json!({"max_budget": 1})).await)
                .await
                .0,
            400
        );
        let listed = ok(gw.get("/budget/list").await).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);
        let settings = ok(gw.get("/budget/settings?budget_id=gold").await).await;
        let max = settings
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field_name"] == "max_budget");
        assert_eq!(max.unwrap()["field_value"], 6.0);

        ok(gw
            .post(
                "/customer/new",
                &json!({"user_id": "c1", "budget_id": "gold"}),
            )
            .await)
        .await;
        let (status, message) = fails(
            gw.post(
                "/customer/new",
                &json!({"user_id": "c2", "budget_id": "nope"}),
            )
            .await,
        )
        .await;
        assert!(
            status == 400 && message.contains("no budget with id `nope`"),
            "{message}"
        );
        let (status, message) =
            fails(gw.post("/budget/delete", &json!({"id": "gold"})).await).await;
        assert!(status == 400 && message.contains("c1"), "{message}");
        let deleted = ok(gw.post("/budget/delete", &json!({"id": other_id})).await).await;
        assert_eq!(deleted["max_budget"], 1.0);
        assert_eq!(
            fails(gw.post("/budget/delete", &json!({"id": other_id})).await)
                .await
                .0,
            404
        );
        assert_eq!(
            audited(&gw, "budget").await,
            ["budget.new", "budget.new", "budget.update", "budget.delete"]
        );

        let made = ok(gw
            .post(
                "/user/new",
                &json!({"user_id": "plain", "user_role": "internal_user"}),
            )
            .await)
        .await;
        let user_key = made["key"].as_str().unwrap();
        for (path, body) in [
            ("/budget/new", json!({"max_budget": 1.0})),
            ("/budget/info", json!({"budgets": ["gold"]})),
        ] {
            let res = gw
                .client
                .post(gw.url(path))
                .bearer_auth(user_key)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 403, "{path}");
        }
        gw.stop().await;
    }
}

// A customer following a named budget is refused with budget_exceeded once it is spent; raising
// the budget's max lets the very next request through.
#[tokio::test]
async fn customer_named_budget_is_enforced_and_updates_apply_at_once() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let key = new_key(&gw, json!({})).await;
        let budget = json!({"budget_id": "small", "max_budget": 3.0 * max_cost_of_one()});
        ok(gw.post("/budget/new", &budget).await).await;
        ok(gw
            .post(
                "/customer/new",
                &json!({"user_id": "cust", "budget_id": "small"}),
            )
            .await)
        .await;
        let info = ok(gw.get("/customer/info?end_user_id=cust").await).await;
        assert_eq!(info["budget_id"], "small");
        assert_eq!(
            info["litellm_budget_table"]["max_budget"],
            3.0 * max_cost_of_one()
        );
        let served = spend_until_refused(&gw, &key, Some("cust"), &[], "end user cust").await;
        assert!((2..=3).contains(&served), "{} served {served}", db.backend);
        assert_eq!(chat(&gw, &key, Some("someone-else"), &[]).await.0, 200);
        let raised = json!({"budget_id": "small", "max_budget": 100.0 * max_cost_of_one()});
        ok(gw.post("/budget/update", &raised).await).await;
        assert_eq!(
            chat(&gw, &key, Some("cust"), &[]).await.0,
            200,
            "raised at once"
        );
        gw.stop().await;
    }
}

// A team member's `max_budget_in_team` becomes a budget row that is enforced; changing that row
// applies to the next request; a member switched to a named budget follows it.
#[tokio::test]
async fn team_member_named_budget_is_enforced() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/team/new", &json!({"team_id": "t1"})).await).await;
        let add = json!({"team_id": "t1", "member": {"user_id": "u1", "role": "user"},
            "max_budget_in_team": 2.0 * max_cost_of_one()});
        let added = ok(gw.post("/team/member_add", &add).await).await;
        let budget_id = added["updated_team_memberships"][0]["budget_id"]
            .as_str()
            .expect("a budget row for the member")
            .to_owned();
        let row = ok(gw
            .post("/budget/info", &json!({"budgets": [budget_id]}))
            .await)
        .await;
        assert_eq!(
            row[0]["max_budget"],
            2.0 * max_cost_of_one(),
            "{}",
            db.backend
        );
        let key = new_key(&gw, json!({"user_id": "u1", "team_id": "t1"})).await;
        let served = spend_until_refused(&gw, &key, None, &[], "user u1 in team t1").await;
        assert!((1..=2).contains(&served), "served {served}");

        let raised = json!({"budget_id": budget_id, "max_budget": 100.0 * max_cost_of_one()});
        ok(gw.post("/budget/update", &raised).await).await;
        assert_eq!(chat(&gw, &key, None, &[]).await.0, 200, "raised at once");

        ok(gw
            .post(
                "/budget/new",
                &json!({"budget_id": "none-left", "max_budget": 0.0}),
            )
            .await)
        .await;
        let switch = json!({"team_id": "t1", "user_id": "u1", "budget_id": "none-left"});
        let updated = ok(gw.post("/team/member_update", &switch).await).await;
        assert_eq!(updated["user_id"], "u1");
        spend_until_refused(&gw, &key, None, &[], "user u1 in team t1").await;
        let info = ok(gw.get("/team/info?team_id=t1").await).await;
        assert_eq!(info["team_memberships"][0]["budget_id"], "none-left");
        gw.stop().await;
    }
}

// A named budget's period ends: the customers following it are reset in the database (so a
// restarted gateway serves them again) and the budget's `budget_reset_at` moves one period on.
#[tokio::test]
async fn named_budget_period_resets_and_survives_restart() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let clock = tollgate::governance::Clock::manual(1_800_000_000_000);
        let config = standard_config(&mock);
        let start = || Gateway::start_with_clock(&config, Some(db.url.clone()), clock.clone());
        let gw = start().await;
        let key = new_key(&gw, json!({})).await;
        let budget = json!({"budget_id": "hourly", "max_budget": 2.0 * max_cost_of_one(), "budget_duration": "1h"});
        let made = ok(gw.post("/budget/new", &budget).await).await;
        let first_reset = made["budget_reset_at"].as_str().unwrap().to_owned();
        ok(gw
            .post(
                "/customer/new",
                &json!({"user_id": "hc", "budget_id": "hourly"}),
            )
            .await)
        .await;
        spend_until_refused(&gw, &key, Some("hc"), &[], "end user hc").await;
        gw.stop().await;

        let gw = start().await;
        assert_eq!(
            chat(&gw, &key, Some("hc"), &[]).await.0,
            400,
            "spend persisted ({})",
            db.backend
        );
        gw.stop().await;

        clock.advance_ms(3_600_001);
        let gw = start().await;
        assert_eq!(
            chat(&gw, &key, Some("hc"), &[]).await.0,
            200,
            "reset at the period's end"
        );
        let row = ok(gw
            .post("/budget/info", &json!({"budgets": ["hourly"]}))
            .await)
        .await;
        let next = row[0]["budget_reset_at"].as_str().unwrap();
        assert!(next > first_reset.as_str(), "{next} after {first_reset}");
        gw.stop().await;
    }
}

// Once warm, requests that follow named budgets (a customer's, a tag's) read nothing from the
// database: the budgets come from memory.
#[tokio::test]
async fn warm_named_budgets_read_nothing() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let key = new_key(&gw, json!({"tags": ["from-key"]})).await;
    ok(gw
        .post(
            "/budget/new",
            &json!({"budget_id": "roomy", "max_budget": 10.0}),
        )
        .await)
    .await;
    ok(gw
        .post(
            "/customer/new",
            &json!({"user_id": "warm", "budget_id": "roomy"}),
        )
        .await)
    .await;
    for tag in ["from-key", "from-body"] {
        ok(gw
            .post("/tag/new", &json!({"name": tag, "max_budget": 10.0}))
            .await)
        .await;
    }
    assert_eq!(chat(&gw, &key, Some("warm"), &["from-body"]).await.0, 200);
    let before = gw.state.store.reads();
    for _ in 0..20 {
        assert_eq!(chat(&gw, &key, Some("warm"), &["from-body"]).await.0, 200);
    }
    assert_eq!(
        gw.state.store.reads() - before,
        0,
        "the warm request path read the database"
    );
    gw.stop().await;
}
