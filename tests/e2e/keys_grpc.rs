//! The key lifecycle over gRPC `KeysService` and over REST, step by step, with the same
//! outcomes: each skin runs the scenario against its own gateway (same clock, same custom
//! secrets), every step is reduced to the same comparable form, and the two runs must match.

use serde_json::{Value, json};
use tollgate::governance::clock::to_rfc3339;
use tollgate_e2e::Gateway;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::MASTER_KEY;
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::keys_service_client::KeysServiceClient;
use tonic::Code;
use tonic::transport::Channel;

use super::support::{K1, K2, admin_get, admin_post, chat, hash, start};

/// Which skin the admin calls go through.
enum Skin {
    Rest,
    Grpc(KeysServiceClient<Channel>),
}

/// An outcome both skins can produce: a key (the fields compared), a list, or an error. The
/// secret is compared where it is returned (generate, regenerate); REST's update echoes the key
/// as given under `key`, which is not a secret being returned.
fn key_from_json(v: &Value, with_secret: bool) -> Value {
    json!({
        "key": if with_secret { v["key"].clone() } else { Value::Null },
        "token": v["token"], "key_name": v["key_name"], "key_alias": v["key_alias"],
        "models": v["models"], "max_budget": v["max_budget"], "team_id": v["team_id"],
        "organization_id": v["organization_id"], "blocked": v["blocked"], "spend": v["spend"],
        "expires": v["expires"], "metadata": v["metadata"], "tags": v["tags"],
        "user_id": v["user_id"],
    })
}

/// A `google.protobuf.Timestamp` (seconds, nanos) as the RFC 3339 text REST answers.
fn time(t: Option<(i64, i32)>) -> Value {
    t.map_or(Value::Null, |(seconds, nanos)| {
        json!(to_rfc3339(seconds * 1000 + i64::from(nanos / 1_000_000)))
    })
}

fn key_from_proto(k: pb::Key) -> Value {
    let metadata = k.metadata.map_or(json!({}), |s| {
        Value::Object(tollgate::api::grpc::convert::struct_to_map(s))
    });
    json!({
        "key": k.key, "token": k.token, "key_name": k.key_name, "key_alias": k.key_alias,
        "models": k.models, "max_budget": k.max_budget, "team_id": k.team_id,
        "organization_id": k.organization_id, "blocked": k.blocked, "spend": k.spend,
        "expires": time(k.expires.map(|t| (t.seconds, t.nanos))), "metadata": metadata, "tags": k.tags,
        "user_id": k.user_id,
    })
}

fn error_from_json(status: u16, v: &Value) -> Value {
    json!({"status": status, "message": v["error"]["message"]})
}

fn error_from_status(s: &tonic::Status) -> Value {
    let status = match s.code() {
        Code::InvalidArgument => 400,
        Code::Unauthenticated => 401,
        Code::PermissionDenied => 403,
        Code::NotFound => 404,
        other => panic!("unexpected code {other:?}: {}", s.message()),
    };
    json!({"status": status, "message": s.message()})
}

fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

impl Skin {
    async fn connect(gw: &Gateway, grpc: bool) -> Self {
        if !grpc {
            return Skin::Rest;
        }
        let channel = Channel::from_shared(format!("http://{}", gw.addr))
            .unwrap()
            .connect()
            .await
            .unwrap();
        Skin::Grpc(KeysServiceClient::new(channel))
    }

    async fn rest_key(gw: &Gateway, path: &str, body: Value) -> Value {
        let with_secret = path == "/key/generate" || path == "/key/regenerate";
        match admin_post(gw, path, body).await {
            (200, v) => key_from_json(&v, with_secret),
            (status, v) => error_from_json(status, &v),
        }
    }

    async fn generate(&mut self, gw: &Gateway, key: &str, alias: &str, team: &str) -> Value {
        match self {
            Skin::Rest => {
                let body = json!({"key": key, "key_alias": alias, "team_id": team,
                    "models": ["demo"], "max_budget": 10, "duration": "1h",
                    "metadata": {"app": "billing"}, "tags": ["prod"]});
                Self::rest_key(gw, "/key/generate", body).await
            }
            Skin::Grpc(c) => {
                let req = pb::GenerateKeyRequest {
                    key: Some(key.into()),
                    key_alias: Some(alias.into()),
                    team_id: Some(team.into()),
                    models: vec!["demo".into()],
                    max_budget: Some(10.0),
                    duration: Some("1h".into()),
                    metadata: Some(tollgate::api::grpc::convert::map_to_struct(
                        json!({"app": "billing"}).as_object().unwrap().clone(),
                    )),
                    tags: vec!["prod".into()],
                    ..Default::default()
                };
                match c.generate_key(authed(req)).await {
                    Ok(r) => key_from_proto(r.into_inner().key.unwrap()),
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }

    async fn update(&mut self, gw: &Gateway, key: &str) -> Value {
        match self {
            Skin::Rest => {
                let body = json!({"key": key, "max_budget": 20, "models": null, "blocked": false});
                Self::rest_key(gw, "/key/update", body).await
            }
            Skin::Grpc(c) => {
                let req = pb::UpdateKeyRequest {
                    key: key.into(),
                    max_budget: Some(20.0),
                    blocked: Some(false),
                    clear_fields: vec!["models".into()],
                    ..Default::default()
                };
                match c.update_key(authed(req)).await {
                    Ok(r) => key_from_proto(r.into_inner().key.unwrap()),
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }

    async fn info(&mut self, gw: &Gateway, key: &str) -> Value {
        match self {
            Skin::Rest => match admin_get(gw, &format!("/key/info?key={key}")).await {
                (200, v) => json!({"key": v["key"], "info": key_from_json(&v["info"], false)}),
                (status, v) => error_from_json(status, &v),
            },
            Skin::Grpc(c) => {
                let req = pb::GetKeyInfoRequest {
                    key: Some(key.into()),
                };
                match c.get_key_info(authed(req)).await {
                    Ok(r) => {
                        let r = r.into_inner();
                        json!({"key": r.key, "info": key_from_proto(r.info.unwrap())})
                    }
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }

    async fn list(&mut self, gw: &Gateway, team: &str) -> Value {
        match self {
            Skin::Rest => {
                let (_, v) = admin_get(gw, &format!("/key/list?team_id={team}&size=5")).await;
                json!({"keys": v["keys"], "total_count": v["total_count"], "total_pages": v["total_pages"]})
            }
            Skin::Grpc(c) => {
                let req = pb::ListKeysRequest {
                    team_id: Some(team.into()),
                    size: Some(5),
                    ..Default::default()
                };
                let r = c.list_keys(authed(req)).await.unwrap().into_inner();
                let keys: Vec<String> = r.keys.into_iter().map(|k| k.token).collect();
                json!({"keys": keys, "total_count": r.total_count, "total_pages": r.total_pages})
            }
        }
    }

    async fn block(&mut self, gw: &Gateway, key: &str, blocked: bool) -> Value {
        match self {
            Skin::Rest => {
                let path = if blocked {
                    "/key/block"
                } else {
                    "/key/unblock"
                };
                Self::rest_key(gw, path, json!({"key": key})).await
            }
            Skin::Grpc(c) => {
                let result = if blocked {
                    let req = pb::BlockKeyRequest { key: key.into() };
                    c.block_key(authed(req)).await.map(|r| r.into_inner().key)
                } else {
                    let req = pb::UnblockKeyRequest { key: key.into() };
                    c.unblock_key(authed(req)).await.map(|r| r.into_inner().key)
                };
                match result {
                    Ok(k) => key_from_proto(k.unwrap()),
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }

    async fn regenerate(&mut self, gw: &Gateway, key: &str, new_key: &str, grace: &str) -> Value {
        match self {
            Skin::Rest => {
                let body = json!({"key": key, "new_key": new_key, "grace_period": grace, "duration": "1d"});
                Self::rest_key(gw, "/key/regenerate", body).await
            }
            Skin::Grpc(c) => {
                let req = pb::RegenerateKeyRequest {
                    key: key.into(),
                    new_key: Some(new_key.into()),
                    grace_period: Some(grace.into()),
                    duration: Some("1d".into()),
                    ..Default::default()
                };
                match c.regenerate_key(authed(req)).await {
                    Ok(r) => key_from_proto(r.into_inner().key.unwrap()),
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }

    async fn delete(&mut self, gw: &Gateway, aliases: &[&str]) -> Value {
        match self {
            Skin::Rest => {
                match admin_post(gw, "/key/delete", json!({"key_aliases": aliases})).await {
                    (200, v) => v,
                    (status, v) => error_from_json(status, &v),
                }
            }
            Skin::Grpc(c) => {
                let req = pb::DeleteKeysRequest {
                    keys: vec![],
                    key_aliases: aliases.iter().map(|a| a.to_string()).collect(),
                };
                match c.delete_keys(authed(req)).await {
                    Ok(r) => json!({"deleted_keys": r.into_inner().deleted_keys}),
                    Err(s) => error_from_status(&s),
                }
            }
        }
    }
}

/// The lifecycle through one skin; every step's outcome, in order.
async fn scenario(url: &str, grpc: bool) -> Vec<Value> {
    let (gw, clock) = start(url).await;
    let mut skin = Skin::connect(&gw, grpc).await;
    let mut out = vec![
        skin.generate(&gw, K1, "svc", "team-a").await,
        json!(chat(&gw, K1, "demo").await),
        json!(chat(&gw, K1, "other").await),
        skin.info(&gw, K1).await,
        skin.info(&gw, &hash(K1)).await,
        skin.generate(&gw, K2, "svc", "team-a").await,
        skin.generate(&gw, K2, "svc-2", "no-such-team").await,
        skin.update(&gw, K1).await,
        skin.block(&gw, &hash(K1), true).await,
        json!(chat(&gw, K1, "demo").await),
        skin.block(&gw, K1, false).await,
        json!(chat(&gw, K1, "other").await),
        skin.regenerate(&gw, K1, K2, "30m").await,
        json!(chat(&gw, K1, "demo").await),
        json!(chat(&gw, K2, "demo").await),
    ];
    clock.advance_ms(3_600_000);
    out.extend([
        json!(chat(&gw, K1, "demo").await),
        json!(chat(&gw, K2, "demo").await),
        skin.list(&gw, "team-a").await,
        skin.info(&gw, K1).await,
        skin.delete(&gw, &["svc"]).await,
        skin.delete(&gw, &["svc"]).await,
        json!(chat(&gw, K2, "demo").await),
        skin.info(&gw, K2).await,
    ]);
    gw.stop().await;
    out
}

// The same key lifecycle over REST and over gRPC has the same outcome at every step.
#[tokio::test]
async fn grpc_and_rest_have_the_same_outcomes() {
    for db in backends().await {
        let rest = scenario(&db.url, false).await;
        // A fresh database for the gRPC run: the same custom secrets must be free again.
        let second = backends()
            .await
            .into_iter()
            .find(|d| d.backend == db.backend)
            .unwrap();
        let grpc = scenario(&second.url, true).await;
        assert_eq!(rest.len(), grpc.len());
        for (step, (r, g)) in rest.iter().zip(&grpc).enumerate() {
            assert_eq!(
                r, g,
                "{}: step {step} differs between REST and gRPC",
                db.backend
            );
        }
        // And the outcomes are the intended ones.
        assert_eq!(rest[0]["key"], K1);
        assert_eq!(rest[0]["organization_id"], "org-1");
        assert_eq!(rest[0]["expires"], "2026-11-23T13:00:00.000Z");
        assert_eq!(rest[1], json!([200, ""]));
        assert_eq!(rest[2][0], 403);
        assert_eq!(rest[3]["key"], K1);
        assert_eq!(rest[4]["key"], hash(K1));
        assert_eq!(rest[5]["status"], 400, "duplicate alias");
        assert!(rest[5]["message"].as_str().unwrap().contains("key_alias"));
        assert_eq!(rest[6]["status"], 400, "unknown team");
        assert!(
            rest[6]["message"]
                .as_str()
                .unwrap()
                .contains("no-such-team")
        );
        assert_eq!(
            (rest[7]["max_budget"].as_f64(), rest[7]["models"].clone()),
            (Some(20.0), json!([]))
        );
        assert_eq!(
            (rest[8]["blocked"].as_bool(), rest[9][0].as_u64()),
            (Some(true), Some(401))
        );
        assert_eq!(
            (rest[10]["blocked"].as_bool(), rest[11][0].as_u64()),
            (Some(false), Some(200))
        );
        assert_eq!(
            (rest[12]["key"].as_str(), rest[12]["token"].as_str()),
            (Some(K2), Some(hash(K2).as_str()))
        );
        assert_eq!(
            (rest[13][0].as_u64(), rest[14][0].as_u64()),
            (Some(200), Some(200)),
            "grace"
        );
        assert_eq!(
            (rest[15][0].as_u64(), rest[16][0].as_u64()),
            (Some(401), Some(200)),
            "after grace"
        );
        assert_eq!(
            rest[17],
            json!({"keys": [hash(K2)], "total_count": 1, "total_pages": 1})
        );
        assert_eq!(rest[18]["status"], 404);
        assert_eq!(rest[19], json!({"deleted_keys": ["svc"]}));
        assert_eq!(rest[20]["status"], 404);
        assert_eq!(rest[21][0], 401);
        assert_eq!(rest[22]["status"], 404);
    }
}
