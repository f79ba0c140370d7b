//! Users, organizations and end users (customers) over LiteLLM's `/user/*`,
//! `/organization/*` and `/customer/*` routes and over gRPC, on every storage backend: the
//! lifecycles, bad input on every route (400/404 with a clear message, nothing half-written),
//! REST/gRPC parity and the permission checks.

use serde_json::{Value, json};
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::{MASTER_KEY, standard_config};
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::customers_service_client::CustomersServiceClient;
use tollgate_proto::tollgate::v1::organizations_service_client::OrganizationsServiceClient;
use tollgate_proto::tollgate::v1::users_service_client::UsersServiceClient;
use tonic::Code;
use tonic::transport::Channel;

async fn ok(res: reqwest::Response) -> Value {
    let status = res.status();
    let body: Value = res.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

async fn fails(res: reqwest::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().await.unwrap();
    assert_ne!(status, 200, "expected a failure, got {body}");
    (
        status,
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Runs `(method, path, body, status, needle)` cases and checks each fails as expected.
async fn refuses(gw: &Gateway, backend: &str, cases: Vec<(&str, &str, Value, u16, &str)>) {
    for (method, path, body, status, needle) in cases {
        let res = match method {
            "GET" => gw.get(path).await,
            "PATCH" | "DELETE" => gw
                .client
                .request(method.parse().unwrap(), gw.url(path))
                .bearer_auth(MASTER_KEY)
                .json(&body)
                .send()
                .await
                .unwrap(),
            _ => gw.post(path, &body).await,
        };
        let (got, message) = fails(res).await;
        assert_eq!(got, status, "{backend} {method} {path} {body}: {message}");
        assert!(
            message.contains(needle),
            "{method} {path} {body}: `{message}` lacks `{needle}`"
        );
    }
}

async fn chat(gw: &Gateway, key: &str, user: Option<&str>) -> u16 {
    let mut body = json!({"model": "demo", "messages": [{"role": "user", "content": "hi"}]});
    if let Some(u) = user {
        body["user"] = json!(u);
    }
    gw.client
        .post(gw.url("/v1/chat/completions"))
        .bearer_auth(key)
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn authed<T>(body: T) -> tonic::Request<T> {
    let mut req = tonic::Request::new(body);
    req.metadata_mut().insert(
        "authorization",
        format!("Bearer {MASTER_KEY}").parse().unwrap(),
    );
    req
}

async fn channel(gw: &Gateway) -> Channel {
    Channel::from_shared(format!("http://{}", gw.addr))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

// A user's lifecycle: created with teams, organizations and a real working key; read, listed
// and filtered, updated by id and by email, deleted with their key and memberships.
#[tokio::test]
async fn user_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw
            .post(
                "/team/new",
                &json!({"team_id": "tu", "team_alias": "Users"}),
            )
            .await)
        .await;
        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_id": "ou", "organization_alias": "Org"}),
            )
            .await)
        .await;
        let made = ok(gw
            .post(
                "/user/new",
                &json!({
                    "user_id": "u-1", "user_email": "U1@Example.com", "user_alias": "Una",
                    "user_role": "internal_user", "teams": ["tu"], "organizations": ["ou"],
                    "max_budget": 4.0, "budget_duration": "1d", "models": ["demo"],
                    "metadata": {"dept": "ml"}, "key_alias": "una-key", "duration": "1h"
                }),
            )
            .await)
        .await;
        let key = made["key"].as_str().unwrap().to_owned();
        assert!(key.starts_with("sk-") && key.len() > 25, "{}", db.backend);
        assert_eq!(made["key_name"], format!("sk-...{}", &key[key.len() - 4..]));
        assert_eq!(made["user_id"], "u-1");
        assert_eq!(made["user_email"], "U1@Example.com");
        assert_eq!(made["user_role"], "internal_user");
        assert_eq!(made["teams"], json!(["tu"]));
        assert_eq!(made["organization_memberships"][0]["organization_id"], "ou");
        assert_eq!(made["max_budget"], 4.0);
        assert_eq!(made["key_alias"], "una-key");
        assert!(made["expires"].as_str().unwrap().ends_with('Z'));
        assert_eq!(made["token_id"].as_str().unwrap().len(), 64);
        assert_eq!(
            chat(&gw, &key, None).await,
            200,
            "the auto-created key works"
        );

        let no_key = ok(gw.post("/user/new", &json!({"user_id": "u-2", "auto_create_key": false, "user_role": "internal_user_viewer"})).await).await;
        assert_eq!(no_key["key"], "");
        assert_eq!(no_key["token_id"], Value::Null);

        let info = ok(gw.get("/user/info?user_id=u-1").await).await;
        assert_eq!(info["user_id"], "u-1");
        assert_eq!(info["user_info"]["user_alias"], "Una");
        assert_eq!(info["user_info"]["metadata"]["dept"], "ml");
        assert_eq!(info["keys"][0]["token"], made["token_id"]);
        assert_eq!(info["keys"][0]["key_alias"], "una-key");
        assert_eq!(info["teams"][0]["team_id"], "tu");
        assert_eq!(info["teams"][0]["members_with_roles"][0]["user_id"], "u-1");
        // The user's own key reads their own info, not someone else's.
        assert_eq!(
            ok(gw
                .client
                .get(gw.url("/user/info"))
                .bearer_auth(&key)
                .send()
                .await
                .unwrap())
            .await["user_id"],
            "u-1"
        );
        let other = gw
            .client
            .get(gw.url("/user/info?user_id=u-2"))
            .bearer_auth(&key)
            .send()
            .await
            .unwrap();
        assert_eq!(other.status(), 403);

        let by_id = ok(gw
            .post("/user/update", &json!({"user_id": "u-1", "user_alias": "Uma", "max_budget": null, "user_role": "proxy_admin_viewer"}))
            .await)
        .await;
        assert_eq!(by_id["user_id"], "u-1");
        assert_eq!(by_id["data"]["user_alias"], "Uma");
        assert_eq!(by_id["data"]["max_budget"], Value::Null);
        assert_eq!(by_id["data"]["user_role"], "proxy_admin_viewer");
        assert_eq!(by_id["data"]["models"], json!(["demo"]));
        let by_email = ok(gw
            .post(
                "/user/update",
                &json!({"user_email": "u1@example.com", "tpm_limit": 3}),
            )
            .await)
        .await;
        assert_eq!(by_email["data"]["tpm_limit"], 3);
        assert_eq!(by_email["user_id"], "u-1");

        let page = ok(gw
            .get("/user/list?page_size=1&sort_by=user_id&sort_order=desc")
            .await)
        .await;
        assert_eq!(page["total"], 2);
        assert_eq!(page["total_pages"], 2);
        assert_eq!(page["page_size"], 1);
        assert_eq!(page["users"][0]["user_id"], "u-2");
        assert_eq!(page["users"][0]["key_count"], 0);
        let filtered = ok(gw
            .get("/user/list?user_email=EXAMPLE&team=tu&role=proxy_admin_viewer")
            .await)
        .await;
        assert_eq!(filtered["total"], 1);
        assert_eq!(filtered["users"][0]["key_count"], 1);
        assert_eq!(
            ok(gw.get("/user/list?user_ids=u-2,nobody").await).await["total"],
            1
        );

        let deleted = ok(gw.post("/user/delete", &json!({"user_ids": ["u-1"]})).await).await;
        assert_eq!(
            deleted,
            json!({"deleted_users": ["u-1"], "deleted_keys": 1})
        );
        assert_eq!(chat(&gw, &key, None).await, 401);
        assert_eq!(fails(gw.get("/user/info?user_id=u-1").await).await.0, 404);
        let team = ok(gw.get("/team/info?team_id=tu").await).await;
        assert_eq!(team["team_memberships"], json!([]));
        let org = ok(gw.get("/organization/info?organization_id=ou").await).await;
        assert_eq!(org["members"], json!([]));
        gw.stop().await;
    }
}

// Bad input on every user route gets a 400 (or 404 for an unknown user) naming the problem,
// and a refused creation leaves no user, membership or key behind.
#[tokio::test]
async fn user_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/team/new", &json!({"team_id": "tu"})).await).await;
        ok(gw.post("/user/new", &json!({"user_id": "taken", "user_email": "taken@example.com", "key_alias": "taken-key"})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                ("POST", "/user/new", json!({"user_role": "god"}), 400, "god"),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "taken"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_email": "TAKEN@example.com"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["no-team"]}),
                    400,
                    "no-team",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": [{"team_id": "tu", "user_role": "owner"}]}),
                    400,
                    "owner",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "organizations": ["no-org"]}),
                    400,
                    "no-org",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "key_alias": "taken-key"}),
                    400,
                    "key_alias",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"max_budget": -1}),
                    400,
                    "max_budget",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"max_budget": "lots"}),
                    400,
                    "invalid type",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"budget_duration": "x"}),
                    400,
                    "budget_duration",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"user_id": "n1", "teams": ["tu"], "duration": "forever"}),
                    400,
                    "duration",
                ),
                (
                    "POST",
                    "/user/new",
                    json!({"models": "demo"}),
                    400,
                    "invalid type",
                ),
                ("POST", "/user/new", json!({"teams": [7]}), 400, "teams"),
                (
                    "POST",
                    "/user/update",
                    json!({"user_alias": "x"}),
                    400,
                    "user id or user email",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "ghost"}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "user_role": "god"}),
                    400,
                    "god",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "tpm_limit": -1}),
                    400,
                    "invalid value",
                ),
                (
                    "POST",
                    "/user/update",
                    json!({"user_id": "taken", "soft_budget": -1}),
                    400,
                    "soft_budget",
                ),
                (
                    "POST",
                    "/user/delete",
                    json!({"user_ids": []}),
                    400,
                    "user_ids",
                ),
                (
                    "POST",
                    "/user/delete",
                    json!({"user_ids": ["taken", "ghost"]}),
                    404,
                    "ghost",
                ),
                ("GET", "/user/info?user_id=ghost", json!(null), 404, "ghost"),
                ("GET", "/user/info", json!(null), 400, "user_id"),
                (
                    "GET",
                    "/user/list?page_size=500",
                    json!(null),
                    400,
                    "page_size",
                ),
                (
                    "GET",
                    "/user/list?page=abc",
                    json!(null),
                    400,
                    "query string",
                ),
                (
                    "GET",
                    "/user/list?sort_by=password",
                    json!(null),
                    400,
                    "sort_by",
                ),
                (
                    "GET",
                    "/user/list?sort_order=sideways",
                    json!(null),
                    400,
                    "sort_order",
                ),
                ("GET", "/user/list?role=god", json!(null), 400, "god"),
            ],
        )
        .await;
        let users = ok(gw.get("/user/list").await).await;
        assert_eq!(users["total"], 1, "only the first user exists: {users}");
        assert_eq!(
            ok(gw.get("/team/info?team_id=tu").await).await["team_memberships"],
            json!([])
        );
        let keys = ok(gw.get("/user/info?user_id=taken").await).await["keys"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(keys, 1);
        gw.stop().await;
    }
}

// An organization's lifecycle: created, given members (created as users when new) and teams,
// read, listed, updated (PATCH and POST), blocked, and deleted with its teams and keys.
#[tokio::test]
async fn organization_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let org = ok(gw
            .post(
                "/organization/new",
                &json!({
                    "organization_id": "acme", "organization_alias": "Acme", "models": ["demo"],
                    "max_budget": 100.0, "budget_duration": "30d", "metadata": {"tier": "gold"},
                    "object_permission": {"mcp_access_groups": ["dev"]}
                }),
            )
            .await)
        .await;
        assert_eq!(org["organization_id"], "acme", "{}", db.backend);
        assert_eq!(org["organization_alias"], "Acme");
        assert_eq!(org["litellm_budget_table"]["max_budget"], 100.0);
        assert_eq!(org["litellm_budget_table"]["budget_duration"], "30d");
        assert_eq!(
            org["object_permission"]["mcp_access_groups"],
            json!(["dev"])
        );
        assert_eq!(org["members"], json!([]));
        assert_eq!(org["spend"], 0.0);
        ok(gw
            .post(
                "/team/new",
                &json!({"team_id": "acme-t", "organization_id": "acme"}),
            )
            .await)
        .await;
        let team_key = ok(gw
            .post("/key/generate", &json!({"team_id": "acme-t"}))
            .await)
        .await["key"]
            .as_str()
            .unwrap()
            .to_owned();
        assert_eq!(chat(&gw, &team_key, None).await, 200);

        let added = ok(gw
            .post(
                "/organization/member_add",
                &json!({
                    "organization_id": "acme",
                    "member": [{"user_id": "o1", "role": "org_admin"}, {"user_email": "o2@example.com", "role": "internal_user"}],
                    "max_budget_in_organization": 20.0
                }),
            )
            .await)
        .await;
        assert_eq!(added["organization_id"], "acme");
        assert_eq!(added["updated_users"].as_array().unwrap().len(), 2);
        assert_eq!(added["updated_users"][1]["user_email"], "o2@example.com");
        assert_eq!(
            added["updated_organization_memberships"][0]["user_role"],
            "org_admin"
        );
        assert_eq!(
            added["updated_organization_memberships"][0]["max_budget_in_organization"],
            20.0
        );
        let single = ok(gw.post("/organization/member_add", &json!({"organization_id": "acme", "member": {"user_id": "o3", "role": "internal_user_viewer"}})).await).await;
        assert_eq!(single["updated_users"][0]["user_id"], "o3");

        let info = ok(gw.get("/organization/info?organization_id=acme").await).await;
        assert_eq!(info["members"].as_array().unwrap().len(), 3);
        assert_eq!(info["teams"][0]["team_id"], "acme-t");
        let many = ok(gw
            .post(
                "/organization/info",
                &json!({"organizations": ["acme", "other"]}),
            )
            .await)
        .await;
        assert_eq!(many.as_array().unwrap().len(), 1);
        let o1 = ok(gw.get("/user/info?user_id=o1").await).await;
        assert_eq!(
            o1["user_info"]["organization_memberships"][0]["user_role"],
            "org_admin"
        );

        let patched = ok(gw
            .client
            .patch(gw.url("/organization/update"))
            .bearer_auth(MASTER_KEY)
            .json(&json!({"organization_id": "acme", "organization_alias": "Acme 2", "max_budget": 50.0, "metadata": null}))
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(patched["organization_alias"], "Acme 2");
        assert_eq!(patched["max_budget"], 50.0);
        assert_eq!(patched["metadata"], json!({}));
        assert_eq!(patched["models"], json!(["demo"]));
        let blocked = ok(gw
            .post(
                "/organization/update",
                &json!({"organization_id": "acme", "blocked": true}),
            )
            .await)
        .await;
        assert_eq!(blocked["blocked"], true);
        assert_eq!(
            chat(&gw, &team_key, None).await,
            401,
            "a blocked organization's keys are refused"
        );
        ok(gw
            .post(
                "/organization/update",
                &json!({"organization_id": "acme", "blocked": false}),
            )
            .await)
        .await;
        assert_eq!(chat(&gw, &team_key, None).await, 200);

        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_alias": "Generated"}),
            )
            .await)
        .await;
        assert_eq!(
            ok(gw.get("/organization/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let deleted = ok(gw
            .client
            .delete(gw.url("/organization/delete"))
            .bearer_auth(MASTER_KEY)
            .json(&json!({"organization_ids": ["acme"]}))
            .send()
            .await
            .unwrap())
        .await;
        assert_eq!(deleted[0]["organization_id"], "acme");
        assert_eq!(deleted[0]["teams"][0]["team_id"], "acme-t");
        assert_eq!(chat(&gw, &team_key, None).await, 401);
        assert_eq!(
            fails(gw.get("/team/info?team_id=acme-t").await).await.0,
            404
        );
        assert_eq!(
            fails(gw.get("/organization/info?organization_id=acme").await)
                .await
                .0,
            404
        );
        let o1 = ok(gw.get("/user/info?user_id=o1").await).await;
        assert_eq!(o1["user_info"]["organization_memberships"], json!([]));
        assert_eq!(
            ok(gw.get("/organization/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            1
        );
        gw.stop().await;
    }
}

// Bad input on every organization route is refused with a clear message and changes nothing.
#[tokio::test]
async fn organization_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw
            .post(
                "/organization/new",
                &json!({"organization_id": "keep", "organization_alias": "Keep"}),
            )
            .await)
        .await;
        ok(gw.post("/organization/member_add", &json!({"organization_id": "keep", "member": {"user_id": "m1", "role": "internal_user"}})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                ("POST", "/organization/new", json!({"models": []}), 400, "organization_alias"),
                ("POST", "/organization/new", json!({"organization_id": "keep", "organization_alias": "x"}), 400, "already exists"),
                ("POST", "/organization/new", json!({"organization_alias": "x", "max_budget": -1}), 400, "max_budget"),
                ("POST", "/organization/new", json!({"organization_alias": "x", "budget_duration": "2 weeks"}), 400, "budget_duration"),
                ("POST", "/organization/new", json!({"organization_alias": 5}), 400, "invalid type"),
                ("PATCH", "/organization/update", json!({"organization_id": "ghost", "organization_alias": "x"}), 404, "ghost"),
                ("PATCH", "/organization/update", json!({"organization_id": "keep", "tpm_limit": "many"}), 400, "invalid type"),
                ("PATCH", "/organization/update", json!({"organization_id": "keep", "max_budget": -5}), 400, "max_budget"),
                ("DELETE", "/organization/delete", json!({"organization_ids": ["keep", "ghost"]}), 404, "ghost"),
                ("DELETE", "/organization/delete", json!({"organization_ids": []}), 400, "organization_ids"),
                ("POST", "/organization/member_add", json!({"organization_id": "ghost", "member": {"user_id": "a", "role": "internal_user"}}), 404, "ghost"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"user_id": "new-1", "role": "boss"}}), 400, "boss"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": [{"user_id": "new-1", "role": "internal_user"}, {"user_id": "m1", "role": "internal_user"}]}), 400, "already in organization"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"role": "internal_user"}}), 400, "user id or user email"),
                ("POST", "/organization/member_add", json!({"organization_id": "keep", "member": {"user_id": "new-1", "role": "internal_user"}, "max_budget_in_organization": -1}), 400, "max_budget_in_organization"),
                ("GET", "/organization/info", json!(null), 400, "organization_id"),
                ("GET", "/organization/info?organization_id=ghost", json!(null), 404, "ghost"),
                ("POST", "/organization/info", json!({"organizations": []}), 400, "organizations"),
            ],
        )
        .await;
        let orgs = ok(gw.get("/organization/list").await).await;
        assert_eq!(orgs.as_array().unwrap().len(), 1);
        assert_eq!(
            orgs[0]["members"].as_array().unwrap().len(),
            1,
            "no member half-added"
        );
        assert_eq!(
            fails(gw.get("/user/info?user_id=new-1").await).await.0,
            404,
            "no user half-created"
        );
        gw.stop().await;
    }
}

// An end user's lifecycle: created with a budget, region and default model; read (also under
// `/end_user/*`), updated, blocked and unblocked (taking effect on requests at once), deleted.
#[tokio::test]
async fn customer_lifecycle() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let key = ok(gw.post("/key/generate", &json!({})).await).await["key"]
            .as_str()
            .unwrap()
            .to_owned();
        let made = ok(gw
            .post(
                "/customer/new",
                &json!({
                    "user_id": "c1", "alias": "Cee", "max_budget": 2.0, "budget_duration": "1d",
                    "allowed_model_region": "eu", "default_model": "demo", "metadata": {"plan": "free"}
                }),
            )
            .await)
        .await;
        assert_eq!(made["user_id"], "c1", "{}", db.backend);
        assert_eq!(made["alias"], "Cee");
        assert_eq!(made["blocked"], false);
        assert_eq!(made["spend"], 0.0);
        assert_eq!(made["allowed_model_region"], "eu");
        assert_eq!(made["default_model"], "demo");
        assert_eq!(made["litellm_budget_table"]["max_budget"], 2.0);
        assert!(made["budget_reset_at"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            ok(gw.get("/customer/info?end_user_id=c1").await).await["alias"],
            "Cee"
        );
        assert_eq!(
            ok(gw.get("/end_user/info?end_user_id=c1").await).await["alias"],
            "Cee"
        );
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);

        let updated = ok(gw
            .post(
                "/customer/update",
                &json!({"user_id": "c1", "alias": "Sea", "max_budget": null, "blocked": true}),
            )
            .await)
        .await;
        assert_eq!(updated["alias"], "Sea");
        assert_eq!(updated["max_budget"], Value::Null);
        assert_eq!(updated["litellm_budget_table"]["budget_duration"], "1d");
        assert_eq!(chat(&gw, &key, Some("c1")).await, 403, "blocked by update");
        ok(gw
            .post(
                "/customer/update",
                &json!({"user_id": "c1", "blocked": false}),
            )
            .await)
        .await;
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);

        let blocked = ok(gw
            .post("/customer/block", &json!({"user_ids": ["c1", "c2"]}))
            .await)
        .await;
        assert_eq!(
            blocked["blocked_users"].as_array().unwrap().len(),
            2,
            "unknown ids are created blocked"
        );
        assert_eq!(chat(&gw, &key, Some("c1")).await, 403);
        assert_eq!(chat(&gw, &key, Some("c2")).await, 403);
        let unblocked = ok(gw
            .post("/customer/unblock", &json!({"user_ids": ["c1"]}))
            .await)
        .await;
        assert_eq!(unblocked["blocked_users"], json!(["c2"]));
        assert_eq!(unblocked["unblocked_users"][0]["user_id"], "c1");
        assert_eq!(chat(&gw, &key, Some("c1")).await, 200);
        assert_eq!(
            ok(gw.get("/customer/list").await)
                .await
                .as_array()
                .unwrap()
                .len(),
            2
        );

        let deleted = ok(gw
            .post("/customer/delete", &json!({"user_ids": ["c1", "c2"]}))
            .await)
        .await;
        assert_eq!(deleted["deleted_customers"], 2);
        assert!(deleted["message"].as_str().unwrap().contains("c1"));
        assert_eq!(
            fails(gw.get("/customer/info?end_user_id=c1").await).await.0,
            404
        );
        assert_eq!(ok(gw.get("/customer/list").await).await, json!([]));
        gw.stop().await;
    }
}

// Bad input on every customer route is refused with a clear message and changes nothing.
#[tokio::test]
async fn customer_bad_input() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        ok(gw.post("/customer/new", &json!({"user_id": "keep"})).await).await;
        refuses(
            &gw,
            db.backend,
            vec![
                (
                    "POST",
                    "/customer/new",
                    json!({"alias": "x"}),
                    400,
                    "user_id",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "keep"}),
                    400,
                    "already exists",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "max_budget": 1, "budget_id": "b"}),
                    400,
                    "not both",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "allowed_model_region": "mars"}),
                    400,
                    "allowed_model_region",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "default_model": "gpt-99"}),
                    400,
                    "gpt-99",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "max_budget": -1}),
                    400,
                    "max_budget",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "budget_duration": "daily"}),
                    400,
                    "budget_duration",
                ),
                (
                    "POST",
                    "/customer/new",
                    json!({"user_id": "n", "blocked": "no"}),
                    400,
                    "invalid type",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "ghost", "alias": "x"}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "keep", "allowed_model_region": "moon"}),
                    400,
                    "allowed_model_region",
                ),
                (
                    "POST",
                    "/customer/update",
                    json!({"user_id": "keep", "rpm_limit": -1}),
                    400,
                    "invalid value",
                ),
                (
                    "POST",
                    "/customer/delete",
                    json!({"user_ids": []}),
                    400,
                    "user_ids",
                ),
                (
                    "POST",
                    "/customer/delete",
                    json!({"user_ids": ["keep", "ghost"]}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/unblock",
                    json!({"user_ids": ["ghost"]}),
                    404,
                    "ghost",
                ),
                (
                    "POST",
                    "/customer/block",
                    json!({"user_ids": "keep"}),
                    400,
                    "invalid type",
                ),
                ("GET", "/customer/info", json!(null), 400, "end_user_id"),
                (
                    "GET",
                    "/customer/info?end_user_id=ghost",
                    json!(null),
                    404,
                    "ghost",
                ),
            ],
        )
        .await;
        let all = ok(gw.get("/customer/list").await).await;
        assert_eq!(all.as_array().unwrap().len(), 1, "{all}");
        assert_eq!(all[0]["alias"], Value::Null);
        gw.stop().await;
    }
}

// Users, organizations and customers over gRPC: the same operations as REST, the same views,
// the same error codes.
#[tokio::test]
async fn directory_grpc_parity() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let ch = channel(&gw).await;
        let mut users = UsersServiceClient::new(ch.clone());
        let mut orgs = OrganizationsServiceClient::new(ch.clone());
        let mut customers = CustomersServiceClient::new(ch);

        let org = orgs
            .new_organization(authed(pb::NewOrganizationRequest {
                organization_id: Some("g-org".into()),
                organization_alias: "GOrg".into(),
                max_budget: Some(9.0),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .organization
            .unwrap();
        assert_eq!(org.organization_id, "g-org", "{}", db.backend);
        let made = users
            .new_user(authed(pb::NewUserRequest {
                user_id: Some("g-user".into()),
                user_email: Some("g@example.com".into()),
                user_role: pb::UserRole::InternalUser.into(),
                organizations: vec!["g-org".into()],
                models: vec!["demo".into()],
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(made.key.starts_with("sk-"));
        assert_eq!(chat(&gw, &made.key, None).await, 200);
        let user = made.user.unwrap();
        let rest = ok(gw.get("/user/info?user_id=g-user").await).await;
        assert_eq!(
            user.user_email.as_deref(),
            rest["user_info"]["user_email"].as_str()
        );
        assert_eq!(
            user.created_at,
            rest["user_info"]["created_at"].as_str().unwrap()
        );
        assert_eq!(user.organization_memberships[0].organization_id, "g-org");
        let info = users
            .get_user_info(authed(pb::GetUserInfoRequest {
                user_id: Some("g-user".into()),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(info.keys.len(), 1);
        let updated = users
            .update_user(authed(pb::UpdateUserRequest {
                user_id: Some("g-user".into()),
                user_alias: Some("Gee".into()),
                clear_fields: vec!["models".into()],
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .data
            .unwrap();
        assert_eq!(updated.user_alias.as_deref(), Some("Gee"));
        assert!(updated.models.is_empty());
        let listed = users
            .list_users(authed(pb::ListUsersRequest {
                role: pb::UserRole::InternalUser.into(),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!((listed.total, listed.users[0].key_count), (1, Some(1)));

        let added = orgs
            .add_organization_members(authed(pb::AddOrganizationMembersRequest {
                organization_id: "g-org".into(),
                member: vec![pb::OrganizationMember {
                    user_email: Some("new@example.com".into()),
                    role: "org_admin".into(),
                    ..Default::default()
                }],
                max_budget_in_organization: None,
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(
            added.updated_users[0].user_email.as_deref(),
            Some("new@example.com")
        );
        let org_info = orgs
            .get_organization_info(authed(pb::GetOrganizationInfoRequest {
                organization_id: "g-org".into(),
            }))
            .await
            .unwrap()
            .into_inner()
            .organization
            .unwrap();
        let rest_org = ok(gw.get("/organization/info?organization_id=g-org").await).await;
        assert_eq!(
            org_info.members.len(),
            rest_org["members"].as_array().unwrap().len()
        );
        assert_eq!(org_info.max_budget, rest_org["max_budget"].as_f64());
        let patched = orgs
            .update_organization(authed(pb::UpdateOrganizationRequest {
                organization_id: "g-org".into(),
                clear_fields: vec!["max_budget".into()],
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .organization
            .unwrap();
        assert_eq!(patched.max_budget, None);
        assert_eq!(
            orgs.list_organizations(authed(pb::ListOrganizationsRequest {}))
                .await
                .unwrap()
                .into_inner()
                .organizations
                .len(),
            1
        );

        let c = customers
            .new_customer(authed(pb::NewCustomerRequest {
                user_id: "g-cust".into(),
                allowed_model_region: Some("us".into()),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .customer
            .unwrap();
        let rest_c = ok(gw.get("/customer/info?end_user_id=g-cust").await).await;
        assert_eq!(
            c.allowed_model_region.as_deref(),
            rest_c["allowed_model_region"].as_str()
        );
        assert_eq!(c.created_at, rest_c["created_at"].as_str().unwrap());
        customers
            .block_customers(authed(pb::BlockCustomersRequest {
                user_ids: vec!["g-cust".into()],
            }))
            .await
            .unwrap();
        assert_eq!(chat(&gw, &made.key, Some("g-cust")).await, 403);
        let unblocked = customers
            .unblock_customers(authed(pb::UnblockCustomersRequest {
                user_ids: vec!["g-cust".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert!(unblocked.blocked_users.is_empty());
        let changed = customers
            .update_customer(authed(pb::UpdateCustomerRequest {
                user_id: "g-cust".into(),
                alias: Some("Gus".into()),
                clear_fields: vec!["allowed_model_region".into()],
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .customer
            .unwrap();
        assert_eq!(
            (changed.alias.as_deref(), changed.allowed_model_region),
            (Some("Gus"), None)
        );
        assert_eq!(
            customers
                .list_customers(authed(pb::ListCustomersRequest {}))
                .await
                .unwrap()
                .into_inner()
                .customers
                .len(),
            1
        );
        let got = customers
            .get_customer_info(authed(pb::GetCustomerInfoRequest {
                end_user_id: "g-cust".into(),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(got.customer.unwrap().alias.as_deref(), Some("Gus"));

        // The same refusals as REST, as gRPC codes.
        let dup = users
            .new_user(authed(pb::NewUserRequest {
                user_id: Some("g-user".into()),
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(dup.code(), Code::InvalidArgument);
        let missing = orgs
            .get_organization_info(authed(pb::GetOrganizationInfoRequest {
                organization_id: "ghost".into(),
            }))
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);
        let region = customers
            .new_customer(authed(pb::NewCustomerRequest {
                user_id: "x".into(),
                allowed_model_region: Some("mars".into()),
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(region.code(), Code::InvalidArgument);
        let bad_role = users
            .new_user(authed(pb::NewUserRequest {
                user_role: 99,
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(bad_role.code(), Code::InvalidArgument);
        let denied = users
            .list_users({
                let mut req = tonic::Request::new(pb::ListUsersRequest::default());
                req.metadata_mut().insert(
                    "authorization",
                    format!("Bearer {}", made.key).parse().unwrap(),
                );
                req
            })
            .await
            .unwrap_err();
        assert_eq!(denied.code(), Code::PermissionDenied);

        // Deletes.
        let gone = customers
            .delete_customers(authed(pb::DeleteCustomersRequest {
                user_ids: vec!["g-cust".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(gone.deleted_customers, 1);
        let gone = users
            .delete_users(authed(pb::DeleteUsersRequest {
                user_ids: vec!["g-user".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(gone.deleted_keys, 1);
        let gone = orgs
            .delete_organizations(authed(pb::DeleteOrganizationsRequest {
                organization_ids: vec!["g-org".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(gone.organizations[0].organization_id, "g-org");
        assert_eq!(chat(&gw, &made.key, None).await, 401);
        gw.stop().await;
    }
}
