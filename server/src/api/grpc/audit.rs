//! `tollgate.v1.AuditService`: the audit log, the same operation as `GET /audit`.

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::audit_service_server::AuditService;
use tonic::{Request, Response, Status};

use super::call::{finish, respond};
use super::convert::structs::map_to_struct;
use crate::admin::AdminContext;
use crate::admin::audit::{self, AuditEntry, AuditFilter};
use crate::pipeline::new_call_id;
use crate::state::AppState;

#[derive(Clone)]
pub struct AuditApi {
    state: AppState,
}

impl AuditApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[tonic::async_trait]
impl AuditService for AuditApi {
    async fn list_audit_entries(
        &self,
        request: Request<pb::ListAuditEntriesRequest>,
    ) -> Result<Response<pb::ListAuditEntriesResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = AdminContext::from_grpc(&self.state, &request).await?;
            let r = request.into_inner();
            let filter = AuditFilter {
                target_type: r.target_type,
                target_id: r.target_id,
                actor: r.actor,
                action: r.action,
                page: r.page,
                page_size: r.page_size,
            };
            let page = audit::list(&self.state, &ctx, filter).await?;
            let body = pb::ListAuditEntriesResponse {
                audit_logs: page.audit_logs.into_iter().map(entry).collect(),
                total: page.total,
                page: page.page,
                page_size: page.page_size,
                total_pages: page.total_pages,
            };
            Ok(respond(body, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }
}

fn entry(e: AuditEntry) -> pb::AuditEntry {
    let diff = match e.diff {
        serde_json::Value::Object(map) => map,
        other => {
            let mut map = serde_json::Map::new();
            map.insert("value".into(), other);
            map
        }
    };
    pb::AuditEntry {
        id: e.id,
        created_at: e.created_at,
        actor: e.actor,
        actor_role: e.actor_role,
        action: e.action,
        target_type: e.target_type,
        target_id: e.target_id,
        diff: Some(map_to_struct(diff)),
        client_ip: e.client_ip,
        user_agent: e.user_agent,
    }
}
