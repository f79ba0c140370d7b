//! Spend records and the spend API on every backend: records handed to the writer are queryable
//! through `/spend/logs` (and gRPC), reports and totals add up to the logs and survive pruning,
//! callers see only their own spend, and records survive a database outage, a graceful shutdown
//! and a restart, each written exactly once.

#[path = "spend_outage.rs"]
mod outage;

use std::collections::BTreeMap;

use serde_json::{Value, json};
use tollgate::auth::Principal;
use tollgate::error::Error;
use tollgate::spend::SpendRecord;
use tollgate::store::Store;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::spend_service_client::SpendServiceClient;

use self::outage::Outage;

const DAY_MS: i64 = 86_400_000;

/// Picks the group names of a log row.
type Pick = Box<dyn Fn(&Value) -> Vec<String>>;

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

async fn get_as(gw: &Gateway, key: &str, path: &str) -> (u16, Value) {
    let res = gw
        .client
        .get(gw.url(path))
        .bearer_auth(key)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

async fn grpc_client(gw: &Gateway) -> SpendServiceClient<tonic::transport::Channel> {
    let channel = tonic::transport::Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap();
    SpendServiceClient::new(channel)
}

/// A gRPC request with the master key.
fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

fn now_ms() -> i64 {
    tollgate::governance::Clock::System.now_ms()
}

fn day(ms: i64) -> String {
    tollgate::spend::day::of_ms(ms)
}

/// Sums `spend` of log rows by the value `field` picks.
fn sums(rows: &[Value], field: impl Fn(&Value) -> Vec<String>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for r in rows {
        for k in field(r) {
            *out.entry(k).or_insert(0.0) += r["spend"].as_f64().unwrap();
        }
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_sums(label: &str, got: &BTreeMap<String, f64>, want: &BTreeMap<String, f64>) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{label}"
    );
    for (k, v) in want {
        assert!(close(got[k], *v), "{label} {k}: {} != {v}", got[k]);
    }
}

/// Team `t-a` (alias Alpha) with user `u-a`, team `t-b`, customer `cust-1`; key A (user `u-a`,
/// team `t-a`, tag `key-tag`) and key B (team `t-b`, no user). Answers the two secrets.
async fn directory(gw: &Gateway) -> (String, String) {
    ok(gw
        .post(
            "/team/new",
            &json!({"team_id": "t-a", "team_alias": "Alpha"}),
        )
        .await)
    .await;
    ok(gw.post("/team/new", &json!({"team_id": "t-b"})).await).await;
    ok(gw
        .post(
            "/user/new",
            &json!({"user_id": "u-a", "user_role": "internal_user", "teams": ["t-a"], "auto_create_key": false}),
        )
        .await)
    .await;
    ok(gw
        .post("/customer/new", &json!({"user_id": "cust-1"}))
        .await)
    .await;
    let a = ok(gw
        .post(
            "/key/generate",
            &json!({"user_id": "u-a", "team_id": "t-a", "tags": ["key-tag"], "key_alias": "alpha-key"}),
        )
        .await)
    .await;
    let b = ok(gw.post("/key/generate", &json!({"team_id": "t-b"})).await).await;
    (
        a["key"].as_str().unwrap().to_owned(),
        b["key"].as_str().unwrap().to_owned(),
    )
}

/// Record `i` of the standard set: key B every third call, else key A; models alternate; every
/// fourth is end user `cust-1`; even ones carry tag `batch`; odd ones ran yesterday; the last one
/// failed.
fn record(i: usize, pa: &Principal, pb: &Principal, now: i64) -> SpendRecord {
    let principal = if i.is_multiple_of(3) { pb } else { pa };
    let started = now - (i as i64 % 2) * DAY_MS - i as i64;
    let tags: Vec<String> = if i.is_multiple_of(2) {
        vec!["batch".into()]
    } else {
        vec![]
    };
    let r = SpendRecord::new(
        format!("call-{i:03}"),
        "/v1/chat/completions",
        started,
        principal,
    )
    .model_group(["gpt-mock", "claude-mock"][i % 2])
    .end_user(i.is_multiple_of(4).then_some("cust-1"))
    .tags(&tags)
    .tokens(10 * i as u64, 5 * i as u64, i as u64)
    .cost(0.001 * (i + 1) as f64)
    .bodies(
        Some(json!({"messages": [{"role": "user", "content": "secret prompt"}]})),
        None,
    );
    if i == 11 {
        r.failed(started + 40, &Error::Timeout("upstream too slow".into()))
    } else {
        r.succeeded(started + 25)
    }
}

// Records handed to the writer are in /spend/logs with LiteLLM's fields, filterable by key
// (secret or hash), user, team, end user, request id and dates, pageable, summarised per day;
// entity spend moved by exactly their costs; gRPC answers the same rows.
#[tokio::test]
async fn records_are_queryable_on_every_backend() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let (key_a, key_b) = directory(&gw).await;
        let pa = gw.state.authenticate(Some(&key_a)).await.unwrap();
        let pb_ = gw.state.authenticate(Some(&key_b)).await.unwrap();
        let now = now_ms();
        let records: Vec<SpendRecord> = (0..12).map(|i| record(i, &pa, &pb_, now)).collect();
        for r in &records {
            gw.state.spend.record(r.clone());
        }
        assert!(gw.state.spend.flush().await, "{}", db.backend);

        let rows = ok(gw.get("/spend/logs").await).await;
        let rows = rows.as_array().unwrap().clone();
        assert_eq!(rows.len(), 12, "{}", db.backend);
        let row = rows.iter().find(|r| r["request_id"] == "call-004").unwrap();
        let hash_a = tollgate::keys::secret::hash(&key_a);
        assert_eq!(row["api_key"], hash_a.as_str());
        assert_eq!(row["user"], "u-a");
        assert_eq!(row["team_id"], "t-a");
        assert_eq!(row["end_user"], "cust-1");
        assert_eq!(row["model_group"], "gpt-mock");
        assert_eq!(row["call_type"], "acompletion");
        assert_eq!(row["request_tags"], json!(["key-tag", "batch"]));
        assert_eq!(row["prompt_tokens"], 40);
        assert_eq!(row["total_tokens"], 60);
        assert_eq!(row["cached_tokens"], 4);
        assert_eq!(row["status"], "success");
        assert_eq!(row["cache_hit"], "False");
        assert_eq!(row["request_duration_ms"], 25);
        assert_eq!(row["metadata"]["user_api_key_alias"], "alpha-key");
        assert_eq!(
            row["messages"],
            json!({}),
            "prompts are not stored by default"
        );
        assert!(row["startTime"].as_str().unwrap().ends_with('Z'));
        let failed = rows.iter().find(|r| r["request_id"] == "call-011").unwrap();
        assert_eq!(failed["status"], "failure");
        assert_eq!(failed["error_type"], "timeout");

        let count = |v: &Value| v.as_array().unwrap().len();
        let by_a = ok(gw.get(&format!("/spend/logs?api_key={key_a}")).await).await;
        assert_eq!(count(&by_a), 8);
        let by_hash = ok(gw.get(&format!("/spend/logs?api_key={hash_a}")).await).await;
        assert_eq!(by_hash, by_a);
        assert_eq!(count(&ok(gw.get("/spend/logs?user_id=u-a").await).await), 8);
        assert_eq!(count(&ok(gw.get("/spend/logs?team_id=t-b").await).await), 4);
        assert_eq!(
            count(&ok(gw.get("/spend/logs?end_user=cust-1").await).await),
            3
        );
        let one = ok(gw.get("/spend/logs?request_id=call-007").await).await;
        assert_eq!(one[0]["request_id"], "call-007");
        let today = day(now);
        let today_only = ok(gw
            .get(&format!(
                "/spend/logs?start_date={today}&end_date={today}&summarize=false"
            ))
            .await)
        .await;
        assert_eq!(count(&today_only), 6);
        let page = ok(gw.get("/spend/logs?page=2&page_size=5").await).await;
        assert_eq!(page["total"], 12);
        assert_eq!(page["total_pages"], 3);
        assert_eq!(page["data"].as_array().unwrap().len(), 5);
        assert_eq!(page["data"][0], rows[5], "pages follow the list order");
        let summary = ok(gw
            .get(&format!(
                "/spend/logs?start_date={}&end_date={today}",
                day(now - DAY_MS)
            ))
            .await)
        .await;
        let total: f64 = rows.iter().map(|r| r["spend"].as_f64().unwrap()).sum();
        let summed: f64 = summary
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["spend"].as_f64().unwrap())
            .sum();
        assert!(close(summed, total), "summary {summary}");

        // Every entity concerned was charged exactly its records' costs.
        let cost = |pick: &dyn Fn(&SpendRecord) -> bool| -> f64 {
            records.iter().filter(|r| pick(r)).map(|r| r.cost).sum()
        };
        let store = &gw.state.store;
        let key_a_spend = store.key(&hash_a).await.unwrap().unwrap().spend;
        assert!(close(
            key_a_spend,
            cost(&|r| r.key_hash.as_deref() == Some(hash_a.as_str()))
        ));
        let team_a = store.team("t-a").await.unwrap().unwrap().spend;
        assert!(close(team_a, key_a_spend));
        let team_b = store.team("t-b").await.unwrap().unwrap().spend;
        assert!(close(
            team_b,
            cost(&|r| r.team_id.as_deref() == Some("t-b"))
        ));
        let user = store.user("u-a").await.unwrap().unwrap().spend;
        assert!(close(user, key_a_spend));
        let member = store.team_memberships_of_user("u-a").await.unwrap();
        assert!(close(member[0].spend, key_a_spend));
        let customer = store.end_user("cust-1").await.unwrap().unwrap().spend;
        assert!(close(customer, cost(&|r| r.end_user.is_some())));

        // gRPC answers the same rows.
        let mut client = grpc_client(&gw).await;
        let req = authed(pb::GetSpendLogsRequest {
            team_id: Some("t-b".into()),
            ..Default::default()
        });
        let logs = client.get_spend_logs(req).await.unwrap().into_inner().logs;
        assert_eq!(logs.len(), 4);
        let from_rest = ok(gw.get("/spend/logs?team_id=t-b").await).await;
        for (g, r) in logs.iter().zip(from_rest.as_array().unwrap()) {
            assert_eq!(g.request_id, r["request_id"].as_str().unwrap());
            assert!(close(g.spend, r["spend"].as_f64().unwrap()));
            assert_eq!(g.team_id.as_deref(), Some("t-b"));
        }
        gw.stop().await;
    }
}

// Reports per team, end user, key, user, model and tag, the per-key report, tag spend and
// global spend all add up to the sum of the logs; pruning old logs leaves every total intact.
#[tokio::test]
async fn reports_add_up_and_survive_pruning() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let (key_a, key_b) = directory(&gw).await;
        let pa = gw.state.authenticate(Some(&key_a)).await.unwrap();
        let pb_ = gw.state.authenticate(Some(&key_b)).await.unwrap();
        let now = now_ms();
        for i in 0..12 {
            gw.state.spend.record(record(i, &pa, &pb_, now));
        }
        assert!(gw.state.spend.flush().await);
        let logs = ok(gw.get("/spend/logs").await).await;
        let logs = logs.as_array().unwrap().clone();
        let range = format!("start_date={}&end_date={}", day(now - DAY_MS), day(now));

        let cases: Vec<(&str, &str, &str, Pick)> = vec![
            (
                "team",
                "teams",
                "team_id",
                Box::new(|r| text(&r["team_id"]).into_iter().collect()),
            ),
            (
                "customer",
                "customers",
                "customer",
                Box::new(|r| text(&r["end_user"]).into_iter().collect()),
            ),
            (
                "key",
                "keys",
                "api_key",
                Box::new(|r| text(&r["api_key"]).into_iter().collect()),
            ),
            (
                "user",
                "users",
                "user",
                Box::new(|r| {
                    text(&r["user"])
                        .filter(|u| !u.is_empty())
                        .into_iter()
                        .collect()
                }),
            ),
            (
                "model",
                "models",
                "model",
                Box::new(|r| text(&r["model_group"]).into_iter().collect()),
            ),
            (
                "tag",
                "tags",
                "tag",
                Box::new(|r| {
                    r["request_tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter_map(text)
                        .collect()
                }),
            ),
        ];
        let mut before = Vec::new();
        for (group_by, list, field, pick) in &cases {
            let report = ok(gw
                .get(&format!("/global/spend/report?group_by={group_by}&{range}"))
                .await)
            .await;
            let mut got = BTreeMap::new();
            for d in report.as_array().unwrap() {
                for g in d[*list].as_array().unwrap() {
                    let name = if *group_by == "team" {
                        &g["team_id"]
                    } else {
                        &g[*field]
                    };
                    if let Some(name) = name.as_str() {
                        *got.entry(name.to_owned()).or_insert(0.0) +=
                            g["total_spend"].as_f64().unwrap();
                    }
                    let items: f64 = g["metadata"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|m| m["spend"].as_f64().unwrap())
                        .sum();
                    assert!(
                        close(items, g["total_spend"].as_f64().unwrap()),
                        "{group_by}: items add up"
                    );
                }
            }
            assert_sums(
                &format!("{} {group_by}", db.backend),
                &got,
                &sums(&logs, pick),
            );
            before.push(report);
        }
        let by_key = ok(gw
            .get(&format!("/global/spend/report?group_by=api_key&{range}"))
            .await)
        .await;
        let got: BTreeMap<String, f64> = by_key
            .as_array()
            .unwrap()
            .iter()
            .map(|k| {
                (
                    k["api_key"].as_str().unwrap().to_owned(),
                    k["total_cost"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_sums(
            "api_key",
            &got,
            &sums(&logs, |r| vec![r["api_key"].as_str().unwrap().to_owned()]),
        );
        let tags = ok(gw.get("/spend/tags").await).await;
        let got: BTreeMap<String, f64> = tags
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["individual_request_tag"].as_str().unwrap().to_owned(),
                    t["total_spend"].as_f64().unwrap(),
                )
            })
            .collect();
        assert_sums(
            "tags",
            &got,
            &sums(&logs, |r| {
                r["request_tags"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t.as_str().unwrap().to_owned())
                    .collect()
            }),
        );
        assert_eq!(
            tags[0]["log_count"].as_i64().unwrap() + tags[1]["log_count"].as_i64().unwrap(),
            14
        );
        let total: f64 = logs.iter().map(|r| r["spend"].as_f64().unwrap()).sum();
        let global = ok(gw.get("/global/spend").await).await;
        assert!(close(global["spend"].as_f64().unwrap(), total), "{global}");
        assert_eq!(
            global["max_budget"],
            Value::Null,
            "no proxy budget configured"
        );

        // The gRPC skin answers the same totals.
        let mut client = grpc_client(&gw).await;
        let report = client
            .get_global_spend_report(authed(pb::GetGlobalSpendReportRequest {
                group_by: pb::SpendReportGroupBy::Team.into(),
                start_date: Some(day(now - DAY_MS)),
                end_date: Some(day(now)),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        let grpc_total: f64 = report
            .days
            .iter()
            .flat_map(|d| d.groups.iter().map(|g| g.total_spend))
            .sum();
        assert!(close(grpc_total, total));
        let keys = client
            .get_global_spend_report(authed(pb::GetGlobalSpendReportRequest {
                api_key: Some(key_a.clone()),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .keys;
        assert_eq!(keys.len(), 1, "api_key without group_by: the per-key shape");
        let tags = client
            .get_spend_tags(authed(pb::GetSpendTagsRequest::default()))
            .await
            .unwrap()
            .into_inner()
            .tags;
        assert_eq!(tags.len(), 2);
        let global = client
            .get_global_spend(authed(pb::GetGlobalSpendRequest {}))
            .await
            .unwrap()
            .into_inner();
        assert!(close(global.spend, total));

        // Retention deletes the logs, never the totals.
        let pruned = tollgate::spend::retention::prune_once(
            &gw.state.store,
            now + 2 * DAY_MS,
            std::time::Duration::from_secs(86_400),
        )
        .await
        .unwrap();
        assert_eq!(pruned, 12);
        assert_eq!(ok(gw.get("/spend/logs").await).await, json!([]));
        for ((group_by, ..), was) in cases.iter().zip(&before) {
            let now_report = ok(gw
                .get(&format!("/global/spend/report?group_by={group_by}&{range}"))
                .await)
            .await;
            assert_eq!(&now_report, was, "{group_by} report after pruning");
        }
        let global = ok(gw.get("/global/spend").await).await;
        assert!(close(global["spend"].as_f64().unwrap(), total));
        gw.stop().await;
    }
}

// A user's key sees only that user's spend and is refused another user's or a team it does not
// administer; a key without a user sees only its own calls.
#[tokio::test]
async fn callers_see_only_their_own_spend() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&standard_config(&mock)).await;
    let (key_a, key_b) = directory(&gw).await;
    let pa = gw.state.authenticate(Some(&key_a)).await.unwrap();
    let pb_ = gw.state.authenticate(Some(&key_b)).await.unwrap();
    let now = now_ms();
    for i in 0..12 {
        gw.state.spend.record(record(i, &pa, &pb_, now));
    }
    assert!(gw.state.spend.flush().await);
    let (status, mine) = get_as(&gw, &key_a, "/spend/logs").await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine.as_array().unwrap().len(), 8);
    assert!(mine.as_array().unwrap().iter().all(|r| r["user"] == "u-a"));
    for path in [
        "/spend/logs?user_id=someone-else",
        "/spend/logs?team_id=t-b",
        &format!("/spend/logs?api_key={key_b}"),
    ] {
        let (status, body) = get_as(&gw, &key_a, path).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, own) = get_as(&gw, &key_b, "/spend/logs").await;
    assert_eq!(status, 200);
    assert_eq!(own.as_array().unwrap().len(), 4);
    let (_, report) = get_as(&gw, &key_b, "/global/spend/report?group_by=team").await;
    let teams: Vec<&str> = report
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| {
            d["teams"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["team_id"].as_str().unwrap())
        })
        .collect();
    assert!(
        !teams.is_empty() && teams.iter().all(|t| *t == "t-b"),
        "{report}"
    );
    gw.stop().await;
}

/// `n` plain records (no directory) for the outage tests.
fn plain(from: usize, n: usize) -> Vec<SpendRecord> {
    let now = now_ms();
    (from..from + n)
        .map(|i| {
            SpendRecord::new(
                format!("o-{i:04}"),
                "/v1/embeddings",
                now - i as i64,
                &Principal::master(),
            )
            .model_group("embed-mock")
            .tokens(3, 0, 0)
            .cost(0.01)
            .succeeded(now)
        })
        .collect()
}

async fn count_and_sum(store: &Store) -> (usize, f64, usize) {
    let (rows, _) = store.spend_logs(&Default::default(), None).await.unwrap();
    let ids: std::collections::BTreeSet<_> = rows.iter().map(|r| r.request_id.clone()).collect();
    let daily = store
        .daily_spend_rows(&Default::default(), false)
        .await
        .unwrap();
    let requests: i64 = daily.iter().map(|d| d.requests).sum();
    (
        ids.len(),
        daily.iter().map(|d| d.spend).sum(),
        usize::try_from(requests).unwrap(),
    )
}

// The database goes away while records are being recorded: they wait (memory, then the
// journal), and once it is back every record is in spend_logs exactly once and counted once in
// the aggregates.
#[tokio::test]
async fn database_outage_loses_nothing_and_doubles_nothing() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let (url, mut outage) = Outage::new(db.backend, &db.url).await;
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(url)).await;
        for r in plain(0, 50) {
            gw.state.spend.record(r);
        }
        assert!(gw.state.spend.flush().await);
        outage.down().await;
        for r in plain(50, 150) {
            gw.state.spend.record(r);
        }
        assert!(
            !gw.state.spend.flush().await,
            "{}: nothing written while down",
            db.backend
        );
        assert!(gw.state.spend.stats().flush_failures > 0);
        outage.up().await;
        assert!(gw.state.spend.flush().await, "{}", db.backend);
        let (rows, spend, requests) = count_and_sum(&gw.state.store).await;
        assert_eq!((rows, requests), (200, 200), "{}", db.backend);
        assert!(close(spend, 2.0), "{}: {spend}", db.backend);
        let stats = gw.state.spend.stats();
        assert_eq!(
            (stats.queued, stats.written, stats.lost),
            (200, 200, 0),
            "{}",
            db.backend
        );
        gw.stop().await;
    }
}

// A graceful shutdown writes the records still queued; one with the database down journals
// them, and the next start replays the journal: every record arrives once.
#[tokio::test]
async fn shutdown_flushes_and_restart_replays_the_journal() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("spend.jsonl");
        let config = format!(
            "{}  spend_logs_journal_path: \"{}\"\n",
            standard_config(&mock),
            journal.display()
        );
        let (url, mut outage) = Outage::new(db.backend, &db.url).await;

        let gw = Gateway::start_with_db(&config, Some(url.clone())).await;
        for r in plain(0, 30) {
            gw.state.spend.record(r);
        }
        gw.stop().await;
        let store = Store::connect(&db.url).await.unwrap();
        assert_eq!(
            count_and_sum(&store).await.0,
            30,
            "{}: flushed at shutdown",
            db.backend
        );

        let gw = Gateway::start_with_db(&config, Some(url.clone())).await;
        outage.down().await;
        for r in plain(30, 40) {
            gw.state.spend.record(r);
        }
        gw.stop().await;
        outage.up().await;
        let lines = std::fs::read_to_string(&journal).unwrap().lines().count();
        assert_eq!(lines, 40, "{}: journaled at shutdown", db.backend);
        assert_eq!(count_and_sum(&store).await.0, 30);

        let gw = Gateway::start_with_db(&config, Some(url.clone())).await;
        assert!(gw.state.spend.flush().await);
        assert_eq!(gw.state.spend.stats().replayed, 40, "{}", db.backend);
        let (rows, spend, requests) = count_and_sum(&store).await;
        assert_eq!((rows, requests), (70, 70), "{}", db.backend);
        assert!(close(spend, 0.7), "{}", db.backend);
        assert!(!journal.exists());
        gw.stop().await;
        store.close().await;
    }
}
