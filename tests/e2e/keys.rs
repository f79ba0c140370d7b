//! Virtual keys through LiteLLM's `/key/*` routes, on every storage backend: the whole
//! lifecycle (generate, info, list, update, block, regenerate with and without a grace period,
//! expiry with an injected clock, delete), bad input on every route, and who may do what.
//! The same scenario over gRPC is in `keys_grpc.rs`.

#[path = "keys_grpc.rs"]
mod grpc;
#[path = "keys_support.rs"]
mod support;

use serde_json::{Value, json};
use tollgate_e2e::db::backends;

use support::{K1, K2, K3, K4, T0, admin_get, admin_post, chat, hash, start};

const HOUR: i64 = 3_600_000;

// The whole lifecycle of a team's key over REST, in LiteLLM's shapes, on every backend.
#[tokio::test]
async fn key_lifecycle_over_rest() {
    for db in backends().await {
        let (gw, clock) = start(&db.url).await;
        let (status, g) = admin_post(
            &gw,
            "/key/generate",
            json!({"key_alias": "billing", "team_id": "team-a", "models": ["demo"],
                   "max_budget": 10, "budget_duration": "30d", "duration": "1h",
                   "metadata": {"app": "billing"}, "tags": ["prod"], "tpm_limit": 1000, "tpd_limit": 50000,
                   "object_permission": {"mcp_servers": ["github"], "mcp_access_groups": [],
                                         "mcp_tool_permissions": {"github": ["list_repos"]}}}),
        )
        .await;
        assert_eq!(status, 200, "{}: {g}", db.backend);
        let secret = g["key"].as_str().unwrap().to_owned();
        let token = hash(&secret);
        assert!(secret.starts_with("sk-") && secret.len() >= 25);
        assert_eq!(g["token"], token);
        assert_eq!(g["token_id"], token);
        assert_eq!(
            g["key_name"],
            format!("sk-...{}", &secret[secret.len() - 4..])
        );
        assert_eq!(
            g["organization_id"], "org-1",
            "a team's key joins its organization"
        );
        assert_eq!(g["expires"], "2026-11-23T13:00:00.000Z");
        assert_eq!(g["budget_reset_at"], "2026-12-23T12:00:00.000Z");
        assert_eq!(
            g["object_permission"]["mcp_tool_permissions"]["github"][0],
            "list_repos"
        );
        assert_eq!(g["metadata"]["tags"], json!(["prod"]));

        // The key calls its models only.
        assert_eq!(chat(&gw, &secret, "demo").await.0, 200);
        assert_eq!(chat(&gw, &secret, "other").await.0, 403);

        // Info by secret or hash echoes the key as given and never shows the secret.
        for given in [secret.as_str(), token.as_str()] {
            let (status, info) = admin_get(&gw, &format!("/key/info?key={given}")).await;
            assert_eq!(status, 200);
            assert_eq!(info["key"], given);
            assert_eq!(info["info"]["key_alias"], "billing");
            assert_eq!(info["info"]["spend"], 0.0);
            assert_eq!(info["info"]["max_budget"], 10.0);
            assert_eq!(info["info"]["budget_duration"], "30d");
            assert_eq!(info["info"]["tpm_limit"], 1000);
            assert_eq!(info["info"]["tpd_limit"], 50000);
            assert_eq!(info["info"]["team_id"], "team-a");
            assert!(!info["info"].to_string().contains(&secret));
        }

        // Listings show hashes (or whole keys with `key_name` only).
        let (_, page) = admin_get(&gw, "/key/list?team_id=team-a").await;
        assert_eq!(page["keys"], json!([token]));
        assert_eq!(
            (page["total_count"].as_u64(), page["current_page"].as_u64()),
            (Some(1), Some(1))
        );
        let (_, full) = admin_get(&gw, "/key/list?key_alias=billing&return_full_object=true").await;
        assert_eq!(full["keys"][0]["key_name"], g["key_name"]);
        assert!(!full.to_string().contains(&secret));

        // Update: sent fields change, null clears, the rest stays.
        let (status, u) = admin_post(
            &gw,
            "/key/update",
            json!({"key": secret, "max_budget": 20, "models": null, "key_alias": "billing-2",
                   "duration": "2h"}),
        )
        .await;
        assert_eq!(status, 200, "{u}");
        assert_eq!(u["key"], secret.as_str());
        assert_eq!(u["max_budget"], 20.0);
        assert_eq!(u["models"], json!([]));
        assert_eq!(u["key_alias"], "billing-2");
        assert_eq!(u["expires"], "2026-11-23T14:00:00.000Z");
        assert_eq!(u["metadata"]["app"], "billing");
        assert_eq!(
            chat(&gw, &secret, "other").await.0,
            200,
            "models cleared: all"
        );

        // Block and unblock take effect at once (the cached principal is dropped).
        let (status, b) = admin_post(&gw, "/key/block", json!({"key": token})).await;
        assert_eq!((status, b["blocked"].as_bool()), (200, Some(true)));
        let (status, message) = chat(&gw, &secret, "demo").await;
        assert_eq!(status, 401);
        assert!(message.contains("blocked"), "{message}");
        let (status, b) = admin_post(&gw, "/key/unblock", json!({"key": secret})).await;
        assert_eq!((status, b["blocked"].as_bool()), (200, Some(false)));
        assert_eq!(chat(&gw, &secret, "demo").await.0, 200);

        // Regenerate without grace: new secret, same settings; the old one stops at once.
        let (status, r) = admin_post(&gw, "/key/regenerate", json!({"key": secret})).await;
        assert_eq!(status, 200, "{r}");
        let second = r["key"].as_str().unwrap().to_owned();
        assert_ne!(second, secret);
        assert_eq!(r["token"], hash(&second));
        assert_eq!(
            (r["key_alias"].as_str(), r["max_budget"].as_f64()),
            (Some("billing-2"), Some(20.0))
        );
        assert_eq!(chat(&gw, &secret, "demo").await.0, 401);
        assert_eq!(chat(&gw, &second, "demo").await.0, 200);

        // Regenerate by path with a grace period and a change: the old secret works until the
        // grace period ends, with its settings following the key.
        let (status, r) = admin_post(
            &gw,
            &format!("/key/{}/regenerate", hash(&second)),
            json!({"grace_period": "30m", "new_key": K3, "duration": "1d"}),
        )
        .await;
        assert_eq!(status, 200, "{r}");
        assert_eq!(
            (r["key"].as_str(), r["expires"].as_str()),
            (Some(K3), Some("2026-11-24T12:00:00.000Z"))
        );
        assert_eq!(
            chat(&gw, &second, "demo").await.0,
            200,
            "within the grace period"
        );
        assert_eq!(chat(&gw, K3, "demo").await.0, 200);
        clock.advance_ms(HOUR);
        let (status, message) = chat(&gw, &second, "demo").await;
        assert_eq!(status, 401, "grace period over: {message}");
        assert_eq!(chat(&gw, K3, "demo").await.0, 200);

        // Expiry with the injected clock.
        clock.advance_ms(24 * HOUR);
        let (status, message) = chat(&gw, K3, "demo").await;
        assert_eq!(status, 401);
        assert!(message.contains("expired"), "{message}");
        let (_, info) = admin_get(&gw, &format!("/key/info?key={K3}")).await;
        assert_eq!(info["info"]["expires"], "2026-11-24T12:00:00.000Z");

        // Delete by alias: LiteLLM's answer, the key refused as deleted, info 404.
        let (status, d) =
            admin_post(&gw, "/key/delete", json!({"key_aliases": ["billing-2"]})).await;
        assert_eq!((status, d), (200, json!({"deleted_keys": ["billing-2"]})));
        let (status, message) = chat(&gw, K3, "demo").await;
        assert_eq!(status, 401);
        assert!(message.contains("deleted"), "{message}");
        assert_eq!(admin_get(&gw, &format!("/key/info?key={K3}")).await.0, 404);
        let (_, page) = admin_get(&gw, "/key/list").await;
        assert_eq!(page["total_count"], 0);

        // Every change is in the audit log, without secrets.
        let (_, audit) = admin_get(&gw, "/audit?target_type=key&page_size=50").await;
        let actions: Vec<&str> = audit["audit_logs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["action"].as_str())
            .collect();
        for action in [
            "key.generate",
            "key.update",
            "key.block",
            "key.unblock",
            "key.regenerate",
            "key.delete",
        ] {
            assert!(actions.contains(&action), "{action} in {actions:?}");
        }
        for s in [secret.as_str(), second.as_str(), K3] {
            assert!(!audit.to_string().contains(s), "secret in the audit log");
        }
        gw.stop().await;
    }
}

// Admin-chosen keys, deletion by secret and hash, pagination, and filters.
#[tokio::test]
async fn custom_keys_delete_and_pages() {
    for db in backends().await {
        let (gw, _clock) = start(&db.url).await;
        for (key, alias, team) in [
            (K1, "one", "team-a"),
            (K2, "two", "team-b"),
            (K3, "three", "team-b"),
        ] {
            let (status, g) = admin_post(
                &gw,
                "/key/generate",
                json!({"key": key, "key_alias": alias, "team_id": team, "user_id": "bob"}),
            )
            .await;
            assert_eq!(
                (status, g["key"].as_str()),
                (200, Some(key)),
                "{}: {g}",
                db.backend
            );
        }
        let (_, page) = admin_get(&gw, "/key/list?size=2&page=2").await;
        assert_eq!(
            (page["total_count"].as_u64(), page["total_pages"].as_u64()),
            (Some(3), Some(2))
        );
        assert_eq!(page["keys"].as_array().unwrap().len(), 1);
        let (_, page) = admin_get(&gw, "/key/list?team_id=team-b&user_id=bob").await;
        assert_eq!(page["total_count"], 2);
        let (_, page) = admin_get(&gw, "/key/list?organization_id=org-1").await;
        assert_eq!(page["keys"], json!([hash(K1)]));
        // A secret in use, current or in its grace period, cannot be chosen again.
        let (status, answer) =
            admin_post(&gw, "/key/regenerate", json!({"key": K1, "new_key": K2})).await;
        assert_eq!(
            (status, answer["error"]["param"].as_str()),
            (400, Some("new_key"))
        );
        let (status, _) = admin_post(
            &gw,
            "/key/regenerate",
            json!({"key": K3, "new_key": K4, "grace_period": "1h"}),
        )
        .await;
        assert_eq!(status, 200);
        let (status, answer) = admin_post(&gw, "/key/generate", json!({"key": K3})).await;
        assert_eq!(
            (status, answer["error"]["param"].as_str()),
            (400, Some("key"))
        );
        let (status, d) = admin_post(&gw, "/key/delete", json!({"keys": [K1, hash(K2)]})).await;
        assert_eq!((status, d), (200, json!({"deleted_keys": [K1, hash(K2)]})));
        let (_, page) = admin_get(&gw, "/key/list").await;
        assert_eq!(page["keys"], json!([hash(K4)]));
        gw.stop().await;
    }
}

// Previous secrets in their grace period follow the key through another regeneration, and a
// deletion refuses all of them as deleted.
#[tokio::test]
async fn grace_secrets_follow_the_key() {
    for db in backends().await {
        let (gw, clock) = start(&db.url).await;
        assert_eq!(
            admin_post(&gw, "/key/generate", json!({"key": K1})).await.0,
            200
        );
        for (old, new) in [(K1, K2), (K2, K3)] {
            let body = json!({"key": old, "new_key": new, "grace_period": "1h"});
            assert_eq!(
                admin_post(&gw, "/key/regenerate", body).await.0,
                200,
                "{}",
                db.backend
            );
        }
        clock.advance_ms(HOUR / 2);
        for key in [K1, K2, K3] {
            assert_eq!(chat(&gw, key, "demo").await.0, 200, "{key}");
        }
        let (status, _) = admin_post(&gw, "/key/delete", json!({"keys": [K3]})).await;
        assert_eq!(status, 200);
        for key in [K1, K2, K3] {
            let (status, message) = chat(&gw, key, "demo").await;
            assert_eq!(status, 401, "{key}");
            assert!(message.contains("deleted"), "{key}: {message}");
        }
        gw.stop().await;
    }
}

/// The number of keys and the info of `K1`, to prove a refused request changed nothing.
async fn snapshot(gw: &tollgate_e2e::Gateway) -> (Value, Value) {
    let (_, page) = admin_get(gw, "/key/list?return_full_object=true&size=100").await;
    let (_, info) = admin_get(gw, &format!("/key/info?key={K1}")).await;
    (page, info)
}

// Bad input on every key route is a 400 naming the problem, and writes nothing.
#[tokio::test]
async fn bad_input_is_refused_and_writes_nothing() {
    for db in backends().await {
        let (gw, _clock) = start(&db.url).await;
        let (status, _) = admin_post(
            &gw,
            "/key/generate",
            json!({"key": K1, "key_alias": "taken", "team_id": "team-a", "max_budget": 5}),
        )
        .await;
        assert_eq!(status, 200);
        let before = snapshot(&gw).await;
        let cases: Vec<(&str, Value, &str)> = vec![
            ("/key/generate", json!({"max_budget": -1}), "max_budget"),
            ("/key/generate", json!({"soft_budget": -2}), "soft_budget"),
            ("/key/generate", json!({"duration": "10 years"}), "duration"),
            (
                "/key/generate",
                json!({"budget_duration": "monthly"}),
                "budget_duration",
            ),
            ("/key/generate", json!({"models": "demo"}), "models"),
            ("/key/generate", json!({"tpm_limit": "many"}), "tpm_limit"),
            ("/key/generate", json!({"rpd_limit": -2}), "rpd_limit"),
            ("/key/generate", json!({"metadata": "x"}), "metadata"),
            (
                "/key/generate",
                json!({"team_id": "no-such-team"}),
                "team_id",
            ),
            (
                "/key/generate",
                json!({"organization_id": "no-such-org"}),
                "organization_id",
            ),
            (
                "/key/generate",
                json!({"team_id": "team-a", "organization_id": "org-2"}),
                "organization_id",
            ),
            ("/key/generate", json!({"key_alias": "taken"}), "key_alias"),
            ("/key/generate", json!({"key": "sk-short"}), "key"),
            (
                "/key/generate",
                json!({"key": "not-a-key-0123456789012345"}),
                "key",
            ),
            ("/key/generate", json!({"key": K1}), "key"),
            (
                "/key/generate",
                json!({"key_type": "superuser"}),
                "key_type",
            ),
            (
                "/key/generate",
                json!({"object_permission": {"mcp_servers": "github"}}),
                "object_permission",
            ),
            ("/key/update", json!({"max_budget": 1}), "key"),
            (
                "/key/update",
                json!({"key": K1, "max_budget": -3, "key_alias": "other"}),
                "max_budget",
            ),
            (
                "/key/update",
                json!({"key": K1, "team_id": "ghost", "max_budget": 1}),
                "team_id",
            ),
            (
                "/key/update",
                json!({"key": K1, "duration": "soon"}),
                "duration",
            ),
            (
                "/key/update",
                json!({"key": K1, "blocked": "yes"}),
                "blocked",
            ),
            (
                "/key/update",
                json!({"key": K1, "organization_id": "org-2"}),
                "organization_id",
            ),
            ("/key/delete", json!({}), "keys"),
            ("/key/delete", json!({"keys": "sk-x"}), "keys"),
            ("/key/regenerate", json!({}), "key"),
            (
                "/key/regenerate",
                json!({"key": K1, "grace_period": "a while"}),
                "grace_period",
            ),
            (
                "/key/regenerate",
                json!({"key": K1, "new_key": "sk-tiny"}),
                "new_key",
            ),
            (
                "/key/regenerate",
                json!({"key": K1, "new_key": K1}),
                "new_key",
            ),
            (
                "/key/regenerate",
                json!({"key": K1, "max_budget": -1}),
                "max_budget",
            ),
            ("/key/block", json!({}), "key"),
            ("/key/unblock", json!({"key": 42}), "key"),
        ];
        for (path, body, param) in cases {
            let (status, answer) = admin_post(&gw, path, body.clone()).await;
            assert_eq!(status, 400, "{} {path} {body}: {answer}", db.backend);
            assert_eq!(answer["error"]["type"], "invalid_request_error");
            assert_eq!(answer["error"]["param"], param, "{path} {body}: {answer}");
            let message = answer["error"]["message"].as_str().unwrap();
            assert!(
                message.starts_with(param) || message.contains(param),
                "{message}"
            );
        }
        // Malformed JSON and bad query parameters.
        let res = gw
            .client
            .post(gw.url("/key/generate"))
            .bearer_auth(tollgate_e2e::gateway::MASTER_KEY)
            .header("content-type", "application/json")
            .body("{\"max_budget\": ")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        for query in [
            "page=0",
            "size=1000",
            "page=x",
            "return_full_object=perhaps",
        ] {
            assert_eq!(
                admin_get(&gw, &format!("/key/list?{query}")).await.0,
                400,
                "{query}"
            );
        }
        // Unknown keys are 404s, and a delete naming one deletes nothing.
        assert_eq!(admin_get(&gw, &format!("/key/info?key={K2}")).await.0, 404);
        let (status, answer) = admin_post(&gw, "/key/delete", json!({"keys": [K1, K2]})).await;
        assert_eq!(status, 404, "{answer}");
        assert!(
            !answer.to_string().contains(K2),
            "secrets are masked in messages"
        );
        assert_eq!(
            admin_post(&gw, "/key/block", json!({"key": K2})).await.0,
            404
        );
        assert_eq!(
            admin_post(&gw, "/key/update", json!({"key": K2})).await.0,
            404
        );
        assert_eq!(
            admin_post(&gw, "/key/regenerate", json!({"key": K2}))
                .await
                .0,
            404
        );
        assert_eq!(
            snapshot(&gw).await,
            before,
            "{}: nothing was written",
            db.backend
        );
        assert_eq!(
            chat(&gw, K1, "demo").await.0,
            200,
            "the old secret still works"
        );
        gw.stop().await;
    }
}

// Internal users manage their own keys; blocking and setting spend are not theirs to do; a
// user's listing shows their keys only.
#[tokio::test]
async fn internal_users_manage_their_own_keys() {
    for db in backends().await {
        let (gw, _clock) = start(&db.url).await;
        let (status, _) =
            admin_post(&gw, "/key/generate", json!({"key": K1, "user_id": "alice"})).await;
        assert_eq!(status, 200);
        assert_eq!(
            admin_post(&gw, "/key/generate", json!({"key": K2, "user_id": "bob"}))
                .await
                .0,
            200
        );
        let alice = support::post_as;
        // Alice's key creates a key: it is hers without saying so.
        let (status, own) =
            support::answer(alice(&gw, K1, "/key/generate", &json!({"key_alias": "mine"})).await)
                .await;
        assert_eq!(
            (status, own["user_id"].as_str()),
            (200, Some("alice")),
            "{own}"
        );
        let mine = own["key"].as_str().unwrap().to_owned();
        // She may not create one for Bob, change Bob's, block her own, or set spend.
        let forbidden = [
            ("/key/generate", json!({"user_id": "bob"})),
            ("/key/update", json!({"key": K2, "max_budget": 1})),
            ("/key/block", json!({"key": mine})),
            ("/key/update", json!({"key": mine, "blocked": true})),
            ("/key/update", json!({"key": mine, "spend": 0})),
            ("/key/delete", json!({"keys": [K2]})),
        ];
        for (path, body) in forbidden {
            let (status, answer) = support::answer(alice(&gw, K1, path, &body).await).await;
            assert_eq!(status, 403, "{path} {body}: {answer}");
        }
        // But she may change her own key, and a team she administers may hold her keys.
        let (status, _) = support::answer(
            alice(
                &gw,
                K1,
                "/key/update",
                &json!({"key": mine, "max_budget": 3, "team_id": "team-b"}),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200);
        let (_, page) = support::answer(support::get_as(&gw, K1, "/key/list").await).await;
        let mut keys: Vec<String> = serde_json::from_value(page["keys"].clone()).unwrap();
        keys.sort();
        let mut expected = vec![hash(K1), hash(&mine)];
        expected.sort();
        assert_eq!(keys, expected, "only alice's keys");
        assert_eq!(
            support::answer(support::get_as(&gw, K1, &format!("/key/info?key={K2}")).await)
                .await
                .0,
            403
        );
        gw.stop().await;
    }
}

// The clock the tests inject is the one the gateway reads.
#[test]
fn clock_start_is_the_documented_instant() {
    assert_eq!(
        tollgate::governance::clock::to_rfc3339(T0),
        "2026-11-23T12:00:00.000Z"
    );
}
