//! `UsersService`, `OrganizationsService` and `CustomersService`: parity with REST.

use tollgate_e2e::db::backends;
use tollgate_e2e::gateway::standard_config;
use tollgate_e2e::{Gateway, MockProvider};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::customers_service_client::CustomersServiceClient;
use tollgate_proto::tollgate::v1::organizations_service_client::OrganizationsServiceClient;
use tollgate_proto::tollgate::v1::users_service_client::UsersServiceClient;
use tonic::Code;

use super::{authed, channel, chat, ok};

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
