//! The gRPC skin: `tollgate.v1` services over gRPC and gRPC-Web, on the same port as HTTP.
//!
//! Served: `CompletionsService`, `ModelsService`, `grpc.health.v1.Health` and gRPC reflection
//! (v1 and v1alpha), and the admin services (`KeysService`, `TeamsService`, `SpendService`, ...);
//! calls to anything else get UNIMPLEMENTED (tonic's fallback). Handlers only
//! authenticate, translate ([`convert`]) and call [`crate::pipeline`]; every response and error
//! carries `x-tollgate-call-id` metadata. Which requests reach this router (by `content-type`) is
//! decided in [`crate::server`].

pub mod audit;
pub mod budgets;
mod call;
pub mod completions;
pub mod convert;
pub mod customers;
mod health;
pub mod keys;
pub mod mcp;
pub mod models;
pub mod organizations;
pub mod spend;
pub mod teams;
pub mod users;

use tollgate_proto::tollgate::v1::audit_service_server::{self, AuditServiceServer};
use tollgate_proto::tollgate::v1::completions_service_server::{self, CompletionsServiceServer};
use tollgate_proto::tollgate::v1::keys_service_server::{self, KeysServiceServer};
use tollgate_proto::tollgate::v1::models_service_server::{self, ModelsServiceServer};
use tollgate_proto::tollgate::v1::spend_service_server::{self, SpendServiceServer};
use tonic::service::Routes;
use tonic_health::pb::health_server::HealthServer;
use tonic_web::GrpcWebLayer;

use crate::state::AppState;

pub use completions::CompletionsApi;
pub use models::ModelsApi;

/// Largest request message accepted (chat requests carry base64 images), as for HTTP bodies.
const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The `tollgate.v1` services served (health reports each of them).
const SERVED: &[&str] = &[
    audit_service_server::SERVICE_NAME,
    completions_service_server::SERVICE_NAME,
    keys_service_server::SERVICE_NAME,
    models_service_server::SERVICE_NAME,
    spend_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::teams_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::users_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::organizations_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::customers_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::budgets_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::tags_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::mcp_service_server::SERVICE_NAME,
];

/// The services reflection advertises: ours, health and reflection itself.
const ADVERTISED: &[&str] = &[
    audit_service_server::SERVICE_NAME,
    completions_service_server::SERVICE_NAME,
    keys_service_server::SERVICE_NAME,
    models_service_server::SERVICE_NAME,
    spend_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::teams_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::users_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::organizations_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::customers_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::budgets_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::tags_service_server::SERVICE_NAME,
    tollgate_proto::tollgate::v1::mcp_service_server::SERVICE_NAME,
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
];

/// Every gRPC service, as one axum router that also speaks gRPC-Web (`application/grpc-web*`,
/// HTTP/1.1 or HTTP/2). Plain gRPC needs HTTP/2. Unknown services and methods answer
/// UNIMPLEMENTED.
pub fn routes(state: AppState) -> axum::Router {
    let completions = CompletionsServiceServer::new(CompletionsApi::new(state.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES);
    let models = ModelsServiceServer::new(ModelsApi::new(state.clone()));
    let health = HealthServer::new(health::HealthApi::new(SERVED, state.shutdown.clone()));
    let mut routes = Routes::new(completions)
        .add_service(models)
        .add_service(KeysServiceServer::new(keys::KeysApi::new(state.clone())))
        .add_service(AuditServiceServer::new(audit::AuditApi::new(state.clone())))
        .add_service(SpendServiceServer::new(spend::SpendApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::teams_service_server::TeamsServiceServer::new(teams::TeamsApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::users_service_server::UsersServiceServer::new(users::UsersApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::organizations_service_server::OrganizationsServiceServer::new(organizations::OrganizationsApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::customers_service_server::CustomersServiceServer::new(customers::CustomersApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::budgets_service_server::BudgetsServiceServer::new(budgets::BudgetsApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::tags_service_server::TagsServiceServer::new(budgets::BudgetsApi::new(state.clone())))
        .add_service(tollgate_proto::tollgate::v1::mcp_service_server::McpServiceServer::new(mcp::McpApi::new(state.clone())))
        .add_service(health);
    match (reflection().build_v1(), reflection().build_v1alpha()) {
        (Ok(v1), Ok(v1alpha)) => routes = routes.add_service(v1).add_service(v1alpha),
        (Err(err), _) | (_, Err(err)) => {
            tracing::error!(error = %err, "gRPC reflection disabled: bad descriptor set");
        }
    }
    routes.into_axum_router().layer(GrpcWebLayer::new())
}

/// A reflection builder with every descriptor set served here, so any advertised service
/// resolves under either reflection version.
fn reflection() -> tonic_reflection::server::Builder<'static> {
    let mut builder = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(tollgate_proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_reflection::pb::v1::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_reflection::pb::v1alpha::FILE_DESCRIPTOR_SET);
    for name in ADVERTISED {
        builder = builder.with_service_name(*name);
    }
    builder
}

#[cfg(test)]
#[path = "grpc_tests.rs"]
mod tests;
