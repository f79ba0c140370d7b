//! `tollgate.v1.ModelsService`: the models the caller's key may call, and the deployments stored
//! at runtime — the same operations as `/model/new`, `/model/update`, `/model/delete` and
//! `/model/info` ([`crate::admin::models_runtime`], [`crate::admin::models`]), translated.
//! Admin checks, audit entries and the removal of credentials happen there, once for both skins.

use prost_types::Struct;
use serde_json::{Map, Value, json};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::models_service_server::ModelsService;
use tonic::{Request, Response, Status};

use super::call::{authenticate, finish, respond};
use super::convert;
use super::convert::structs::{map_to_struct, struct_to_map};
use super::teams::run;
use crate::admin::{models, models_runtime};
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

type Reply<T> = std::result::Result<Response<T>, Status>;

#[tonic::async_trait]
impl ModelsService for ModelsApi {
    async fn list_models(
        &self,
        request: Request<pb::ListModelsRequest>,
    ) -> Reply<pb::ListModelsResponse> {
        let call_id = new_call_id();
        let result = async {
            let principal = authenticate(&self.state, request.metadata()).await?;
            let list = pipeline::list_models(&self.state, &principal);
            Ok(respond(convert::model_list(list), &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn add_model(
        &self,
        request: Request<pb::AddModelRequest>,
    ) -> Reply<pb::AddModelResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let body = json!({
                "model_name": r.model_name,
                "litellm_params": object(r.litellm_params),
                "model_info": object(r.model_info),
            });
            let shown = models_runtime::new(&state, &ctx, body).await?;
            Ok(pb::AddModelResponse {
                model: Some(deployment(shown)),
            })
        })
        .await
    }

    async fn update_model(
        &self,
        request: Request<pb::UpdateModelRequest>,
    ) -> Reply<pb::UpdateModelResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let mut info = object(r.model_info);
            info.insert("id".into(), Value::String(r.model_id));
            let mut body = json!({
                "litellm_params": object(r.litellm_params),
                "model_info": info,
            });
            if let (Some(name), Value::Object(map)) = (r.model_name, &mut body) {
                map.insert("model_name".into(), Value::String(name));
            }
            let shown = models_runtime::update(&state, &ctx, body).await?;
            Ok(pb::UpdateModelResponse {
                model: Some(deployment(shown)),
            })
        })
        .await
    }

    async fn delete_model(
        &self,
        request: Request<pb::DeleteModelRequest>,
    ) -> Reply<pb::DeleteModelResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let answer = models_runtime::delete(&state, &ctx, json!({"id": r.id})).await?;
            Ok(pb::DeleteModelResponse {
                message: text(&answer, "message"),
            })
        })
        .await
    }

    async fn get_model_info(
        &self,
        request: Request<pb::GetModelInfoRequest>,
    ) -> Reply<pb::GetModelInfoResponse> {
        run(&self.state, request, |state, ctx, r| async move {
            let list = models::info(&state, &ctx, r.model.as_deref());
            Ok(pb::GetModelInfoResponse {
                data: list.data.into_iter().map(info_entry).collect(),
            })
        })
        .await
    }
}

/// A `Struct` field as the JSON object the REST body carries (empty when absent).
fn object(value: Option<Struct>) -> Map<String, Value> {
    value.map(struct_to_map).unwrap_or_default()
}

fn text(value: &Value, field: &str) -> String {
    value
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn struct_of(value: Option<&Value>) -> Option<Struct> {
    match value {
        Some(Value::Object(map)) => Some(map_to_struct(map.clone())),
        _ => None,
    }
}

/// The REST view of a runtime deployment (credentials already removed) as a message.
fn deployment(shown: Value) -> pb::Deployment {
    pb::Deployment {
        model_id: text(&shown, "model_id"),
        model_name: text(&shown, "model_name"),
        litellm_params: struct_of(shown.get("litellm_params")),
        model_info: struct_of(shown.get("model_info")),
    }
}

fn info_entry(e: models::ModelInfoEntry) -> pb::ModelInfoEntry {
    let state = match e.state {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    pb::ModelInfoEntry {
        model_name: e.model_name,
        litellm_params: Some(map_to_struct(e.litellm_params)),
        model_info: Some(map_to_struct(e.model_info)),
        state: Some(map_to_struct(state)),
    }
}
