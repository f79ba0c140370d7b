//! `tollgate.v1.CompletionsService`: Chat, ChatStream and Embed, translated to and from the
//! pipeline's OpenAI types by [`super::convert`]. No business logic: auth, then the pipeline.

use std::pin::Pin;

use futures_util::{Stream, StreamExt};
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::completions_service_server::CompletionsService;
use tonic::{Request, Response, Status};

use super::call::{authenticate, finish, respond, status};
use super::convert;
use crate::error::Error;
use crate::pipeline::{self, CallMeta, new_call_id};
use crate::providers::ChunkStream;
use crate::state::AppState;

/// The chat and embeddings service.
#[derive(Clone)]
pub struct CompletionsApi {
    state: AppState,
}

impl CompletionsApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

/// The proto chunks of a streamed chat.
pub type ChunkResponseStream =
    Pin<Box<dyn Stream<Item = Result<pb::ChatStreamResponse, Status>> + Send>>;

#[tonic::async_trait]
impl CompletionsService for CompletionsApi {
    async fn chat(
        &self,
        request: Request<pb::ChatRequest>,
    ) -> Result<Response<pb::ChatResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let principal = authenticate(&self.state, request.metadata()).await?;
            let req = convert::chat_request(request.into_inner(), false)?;
            let done = pipeline::chat(&self.state, &principal, call_id.clone(), req).await?;
            let body = convert::chat_response(done.body, &done.meta);
            Ok(respond(body, &call_id, Some(&done.meta)))
        }
        .await;
        finish(result, &call_id)
    }

    type ChatStreamStream = ChunkResponseStream;

    async fn chat_stream(
        &self,
        request: Request<pb::ChatStreamRequest>,
    ) -> Result<Response<Self::ChatStreamStream>, Status> {
        let call_id = new_call_id();
        let result = async {
            let principal = authenticate(&self.state, request.metadata()).await?;
            let req = request
                .into_inner()
                .request
                .ok_or_else(|| Error::invalid_param("`request` is required", "request"))?;
            let req = convert::chat_request(req, true)?;
            let streaming =
                pipeline::chat_stream(&self.state, &principal, call_id.clone(), req).await?;
            let stream = proto_chunks(streaming.stream, streaming.meta.clone());
            Ok(respond(stream, &call_id, Some(&streaming.meta)))
        }
        .await;
        finish(result, &call_id)
    }

    async fn embed(
        &self,
        request: Request<pb::EmbedRequest>,
    ) -> Result<Response<pb::EmbedResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let principal = authenticate(&self.state, request.metadata()).await?;
            let req = convert::embed_request(request.into_inner())?;
            let done = pipeline::embeddings(&self.state, &principal, call_id.clone(), req).await?;
            let body = convert::embed_response(done.body, &done.meta)?;
            Ok(respond(body, &call_id, Some(&done.meta)))
        }
        .await;
        finish(result, &call_id)
    }
}

/// The pipeline's chunks as proto messages: the first carries the call info; an error item
/// becomes the stream's final status (with the call id) and ends it.
pub fn proto_chunks(upstream: ChunkStream, meta: CallMeta) -> ChunkResponseStream {
    Box::pin(async_stream::stream! {
        let mut upstream = upstream;
        let mut first = true;
        while let Some(item) = upstream.next().await {
            match item {
                Ok(chunk) => {
                    let info = first.then_some(&meta);
                    first = false;
                    yield Ok(convert::chat_chunk(chunk, info));
                }
                Err(err) => {
                    yield Err(status(&err, &meta.call_id));
                    break;
                }
            }
        }
    })
}
