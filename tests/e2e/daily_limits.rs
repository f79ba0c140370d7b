//! The per-day limits `rpd_limit` and `tpd_limit` through the admin API: set over REST they are
//! enforced on the request path; set over gRPC they read back over REST.

use serde_json::{Value, json};
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;

use crate::teams::{authed, grpc, ok};

fn hello() -> Value {
    json!({"model": "gpt-mock", "messages": [{"role": "user", "content": "hi"}]})
}

// A key generated with `rpd_limit: 2` answers two chat calls and refuses the third with a 429
// naming the limit.
#[tokio::test]
async fn key_rpd_limit_refuses_the_third_call() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let generated = ok(gw.post("/key/generate", &json!({"rpd_limit": 2})).await).await;
    assert_eq!(generated["rpd_limit"], 2, "{generated}");
    let key = generated["key"].as_str().unwrap().to_owned();
    let mut statuses = Vec::new();
    let mut last = Value::Null;
    for _ in 0..3 {
        let response = gw
            .client
            .post(gw.url("/v1/chat/completions"))
            .bearer_auth(&key)
            .json(&hello())
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        last = response.json().await.unwrap();
    }
    assert_eq!(statuses, [200, 200, 429], "{last}");
    assert_eq!(last["error"]["type"], "rate_limit_error");
    let message = last["error"]["message"].as_str().unwrap();
    assert!(message.contains("rpd_limit"), "{message}");
}

// `tpd_limit` set on a team through gRPC (create, then update; `clear_fields` clears
// `rpd_limit`) is what REST `/team/info` shows.
#[tokio::test]
async fn team_tpd_limit_set_over_grpc_reads_back_over_rest() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let mut client = grpc(&gw).await;
    let created = client
        .new_team(authed(pb::NewTeamRequest {
            team_id: Some("daily".into()),
            tpd_limit: Some(5_000),
            rpd_limit: Some(50),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .team
        .unwrap();
    assert_eq!(
        (created.tpd_limit, created.rpd_limit),
        (Some(5_000), Some(50))
    );
    let info = ok(gw.get("/team/info?team_id=daily").await).await;
    assert_eq!(info["team_info"]["tpd_limit"], 5_000, "{info}");
    assert_eq!(info["team_info"]["rpd_limit"], 50, "{info}");

    let updated = client
        .update_team(authed(pb::UpdateTeamRequest {
            team_id: "daily".into(),
            tpd_limit: Some(6_000),
            clear_fields: vec!["rpd_limit".into()],
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner()
        .data
        .unwrap();
    assert_eq!((updated.tpd_limit, updated.rpd_limit), (Some(6_000), None));
    let info = ok(gw.get("/team/info?team_id=daily").await).await;
    assert_eq!(info["team_info"]["tpd_limit"], 6_000, "{info}");
    assert_eq!(info["team_info"]["rpd_limit"], Value::Null, "{info}");
}
