//! `BudgetsService` and `TagsService`: parity with `/budget/*` and `/tag/*`.

use serde_json::json;
use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::budgets_service_client::BudgetsServiceClient;
use tollgate_proto::tollgate::v1::tags_service_client::TagsServiceClient;
use tonic::Code;

use crate::directory::{authed, channel, ok};

// Budgets and tags over gRPC: the same operations as REST, the same views, the same errors.
#[tokio::test]
async fn budgets_and_tags_grpc_parity() {
    let mock = MockProvider::start().await;
    for db in backends().await {
        let gw = Gateway::start_with_db(&standard_config(&mock), Some(db.url.clone())).await;
        let ch = channel(&gw).await;
        let mut budgets = BudgetsServiceClient::new(ch.clone());
        let mut tags = TagsServiceClient::new(ch);

        let made = budgets
            .new_budget(authed(pb::NewBudgetRequest {
                budget_id: Some("g-budget".into()),
                limits: Some(pb::BudgetLimits {
                    max_budget: Some(4.0),
                    rpm_limit: Some(7),
                    budget_duration: Some("1d".into()),
                    ..Default::default()
                }),
                budget_reset_at: None,
            }))
            .await
            .unwrap()
            .into_inner()
            .budget
            .unwrap();
        let rest = ok(gw
            .post("/budget/info", &json!({"budgets": ["g-budget"]}))
            .await)
        .await;
        assert_eq!(
            made.max_budget,
            rest[0]["max_budget"].as_f64(),
            "{}",
            db.backend
        );
        assert_eq!(made.rpm_limit, rest[0]["rpm_limit"].as_u64());
        assert_eq!(
            made.budget_reset_at.as_deref(),
            rest[0]["budget_reset_at"].as_str()
        );
        assert_eq!(made.created_at, rest[0]["created_at"].as_str().unwrap());

        let updated = budgets
            .update_budget(authed(pb::UpdateBudgetRequest {
                budget_id: "g-budget".into(),
                max_budget: Some(5.0),
                clear_fields: vec!["rpm_limit".into()],
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .budget
            .unwrap();
        assert_eq!((updated.max_budget, updated.rpm_limit), (Some(5.0), None));
        let info = budgets
            .get_budget_info(authed(pb::GetBudgetInfoRequest {
                budgets: vec!["g-budget".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(info.budgets, vec![updated.clone()]);
        let listed = budgets
            .list_budgets(authed(pb::ListBudgetsRequest {}))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(listed.budgets.len(), 1);
        let missing = budgets
            .update_budget(authed(pb::UpdateBudgetRequest {
                budget_id: "nope".into(),
                ..Default::default()
            }))
            .await
            .unwrap_err();
        assert_eq!(missing.code(), Code::NotFound);

        let tag = tags
            .new_tag(authed(pb::NewTagRequest {
                name: "g-tag".into(),
                description: Some("from gRPC".into()),
                budget_id: Some("g-budget".into()),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(tag.message, "Tag g-tag created successfully");
        let rest = ok(gw.post("/tag/info", &json!({"names": ["g-tag"]})).await).await;
        let tag = tag.tag.unwrap();
        assert_eq!(
            tag.budget_id.as_deref(),
            rest["g-tag"]["budget_id"].as_str()
        );
        assert_eq!(tag.budget.unwrap().max_budget, Some(5.0));
        assert_eq!(
            tag.created_at,
            rest["g-tag"]["created_at"].as_str().unwrap()
        );
        let changed = tags
            .update_tag(authed(pb::UpdateTagRequest {
                name: "g-tag".into(),
                clear_fields: vec!["description".into()],
                limits: Some(pb::BudgetLimits {
                    soft_budget: Some(1.0),
                    ..Default::default()
                }),
                ..Default::default()
            }))
            .await
            .unwrap()
            .into_inner()
            .tag
            .unwrap();
        assert_eq!(changed.description, None);
        assert_eq!(changed.budget.unwrap().soft_budget, Some(1.0));
        let info = tags
            .get_tag_info(authed(pb::GetTagInfoRequest {
                names: vec!["g-tag".into()],
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(info.tags.len(), 1);
        let in_use = budgets
            .delete_budget(authed(pb::DeleteBudgetRequest {
                id: "g-budget".into(),
            }))
            .await
            .unwrap_err();
        assert_eq!(in_use.code(), Code::InvalidArgument);
        tags.delete_tag(authed(pb::DeleteTagRequest {
            name: "g-tag".into(),
        }))
        .await
        .unwrap();
        let gone = tags
            .get_tag_info(authed(pb::GetTagInfoRequest {
                names: vec!["g-tag".into()],
            }))
            .await
            .unwrap_err();
        assert_eq!(gone.code(), Code::NotFound);
        let deleted = budgets
            .delete_budget(authed(pb::DeleteBudgetRequest {
                id: "g-budget".into(),
            }))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(deleted.budget.unwrap().budget_id, "g-budget");
        assert!(
            tags.list_tags(authed(pb::ListTagsRequest {}))
                .await
                .unwrap()
                .into_inner()
                .tags
                .is_empty()
        );
        gw.stop().await;
    }
}
