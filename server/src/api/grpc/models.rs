//! `tollgate.v1.ModelsService`: the models the caller's key may call.

use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::models_service_server::ModelsService;
use tonic::{Request, Response, Status};

use super::call::{authenticate, finish, respond};
use super::convert;
use crate::pipeline::{self, new_call_id};
use crate::state::AppState;

/// The models service.
#[derive(Clone)]
pub struct ModelsApi {
    state: AppState,
}

impl ModelsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[tonic::async_trait]
impl ModelsService for ModelsApi {
    async fn list_models(
        &self,
        request: Request<pb::ListModelsRequest>,
    ) -> Result<Response<pb::ListModelsResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let principal = authenticate(&self.state, request.metadata()).await?;
            let list = pipeline::list_models(&self.state, &principal);
            Ok(respond(convert::model_list(list), &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }
}
