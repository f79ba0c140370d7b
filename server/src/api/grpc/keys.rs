//! `tollgate.v1.KeysService`: LiteLLM's `/key/*` routes over gRPC. Each RPC authenticates from
//! the `authorization` metadata, applies the key's route restrictions with the RPC's HTTP path,
//! translates ([`convert`]) and calls [`crate::admin::keys`], like the REST routes.

#[path = "keys_convert.rs"]
mod convert;

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::keys_service_server::KeysService;
use tonic::{Request, Response, Status};

use super::call::{finish, respond};
use crate::admin::AdminContext;
use crate::admin::keys::{
    self, DeleteRequest, GenerateRequest, ListQuery, RegenerateRequest, UpdateRequest,
};
use crate::auth::routes::check_route;
use crate::error::Result;
use crate::pipeline::new_call_id;
use crate::state::AppState;

/// The keys service.
#[derive(Clone)]
pub struct KeysApi {
    state: AppState,
}

impl KeysApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }

    /// The caller, allowed to call `path` (the RPC's HTTP twin).
    async fn caller<T>(&self, request: &Request<T>, path: &str) -> Result<AdminContext> {
        let ctx = AdminContext::from_grpc(&self.state, request).await?;
        check_route(&ctx.principal, path)?;
        Ok(ctx)
    }
}

fn generated(g: &keys::Generated) -> pb::Key {
    convert::key(&g.record, Some(&g.secret))
}

#[tonic::async_trait]
impl KeysService for KeysApi {
    async fn generate_key(
        &self,
        request: Request<pb::GenerateKeyRequest>,
    ) -> Result<Response<pb::GenerateKeyResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/generate").await?;
            let req = GenerateRequest::from_json(&convert::generate(request.into_inner()))?;
            let g = keys::generate(&self.state, &ctx, req).await?;
            let key = Some(generated(&g));
            Ok(respond(pb::GenerateKeyResponse { key }, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn update_key(
        &self,
        request: Request<pb::UpdateKeyRequest>,
    ) -> Result<Response<pb::UpdateKeyResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/update").await?;
            let req = UpdateRequest::from_json(&convert::update(request.into_inner())?)?;
            let record = keys::update(&self.state, &ctx, req).await?;
            let key = Some(convert::key(&record, None));
            Ok(respond(pb::UpdateKeyResponse { key }, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn delete_keys(
        &self,
        request: Request<pb::DeleteKeysRequest>,
    ) -> Result<Response<pb::DeleteKeysResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/delete").await?;
            let r = request.into_inner();
            let req = DeleteRequest::new(r.keys, r.key_aliases)?;
            let deleted_keys = keys::delete(&self.state, &ctx, req).await?;
            Ok(respond(
                pb::DeleteKeysResponse { deleted_keys },
                &call_id,
                None,
            ))
        }
        .await;
        finish(result, &call_id)
    }

    async fn get_key_info(
        &self,
        request: Request<pb::GetKeyInfoRequest>,
    ) -> Result<Response<pb::GetKeyInfoResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/info").await?;
            let asked = request.into_inner().key;
            let (key, record) = keys::info(&self.state, &ctx, asked.as_deref()).await?;
            let info = Some(convert::key(&record, None));
            Ok(respond(
                pb::GetKeyInfoResponse { key, info },
                &call_id,
                None,
            ))
        }
        .await;
        finish(result, &call_id)
    }

    async fn list_keys(
        &self,
        request: Request<pb::ListKeysRequest>,
    ) -> Result<Response<pb::ListKeysResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/list").await?;
            let r = request.into_inner();
            let query = ListQuery::new(
                r.page.map(i64::from),
                r.size.map(i64::from),
                r.user_id,
                r.team_id,
                r.organization_id,
                r.key_alias,
                r.return_full_object.unwrap_or(false),
            )?;
            let page = keys::list(&self.state, &ctx, &query).await?;
            let answer = pb::ListKeysResponse {
                keys: page
                    .keys
                    .iter()
                    .map(|k| convert::listed(k, query.return_full_object))
                    .collect(),
                total_count: page.total_count,
                current_page: page.current_page,
                total_pages: u32::try_from(page.total_pages).unwrap_or(u32::MAX),
            };
            Ok(respond(answer, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn regenerate_key(
        &self,
        request: Request<pb::RegenerateKeyRequest>,
    ) -> Result<Response<pb::RegenerateKeyResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/regenerate").await?;
            let req = RegenerateRequest::from_json(&convert::regenerate(request.into_inner())?)?;
            let g = keys::regenerate(&self.state, &ctx, req).await?;
            let key = Some(generated(&g));
            Ok(respond(pb::RegenerateKeyResponse { key }, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn block_key(
        &self,
        request: Request<pb::BlockKeyRequest>,
    ) -> Result<Response<pb::BlockKeyResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/block").await?;
            let given = request.into_inner().key;
            let record = keys::set_blocked(&self.state, &ctx, &required(given)?, true).await?;
            let key = Some(convert::key(&record, None));
            Ok(respond(pb::BlockKeyResponse { key }, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn unblock_key(
        &self,
        request: Request<pb::UnblockKeyRequest>,
    ) -> Result<Response<pb::UnblockKeyResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = self.caller(&request, "/key/unblock").await?;
            let given = request.into_inner().key;
            let record = keys::set_blocked(&self.state, &ctx, &required(given)?, false).await?;
            let key = Some(convert::key(&record, None));
            Ok(respond(pb::UnblockKeyResponse { key }, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }
}

/// The `key` of a block or unblock request, as the REST body requires it.
fn required(key: String) -> Result<String> {
    keys::types::block_request_key(&serde_json::json!({ "key": key }))
}
