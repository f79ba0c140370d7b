//! Answering a request that goes upstream: as JSON, or — when the client accepts it — as an SSE
//! stream that first relays what the upstream sends for the call (progress, logs, sampling and
//! elicitation requests), then the response.

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::admit::Admitted;
use super::dispatch::{self, Call};
use super::session::Session;
use super::{Front, logging};
use crate::gateway::Gateway;
use crate::hub::{Hub, View};
use crate::jsonrpc;
use crate::sse;
use crate::upstream::Relayed;

pub(super) async fn request<G: Gateway>(
    front: Front<G>,
    admitted: Admitted<G>,
    session: Arc<Session>,
    view: View,
    message: Value,
    streams: bool,
) -> Response {
    if !streams {
        let call = Call {
            front: &front,
            caller: &admitted.caller,
            access: &admitted.access,
            session: &session,
            view: &view,
            personal: &admitted.personal,
        };
        return axum::Json(dispatch::answer(call, message, None).await).into_response();
    }
    let (out, body) = mpsc::channel::<Value>(64);
    let (relay, mut relayed) = mpsc::channel::<Relayed>(64);
    tokio::spawn(async move {
        let call = Call {
            front: &front,
            caller: &admitted.caller,
            access: &admitted.access,
            session: &session,
            view: &view,
            personal: &admitted.personal,
        };
        let work = dispatch::answer(call, message, Some(relay));
        tokio::pin!(work);
        let hub = &front.hub;
        loop {
            tokio::select! {
                response = &mut work => {
                    while let Ok(r) = relayed.try_recv() {
                        forward_relayed(hub, &session, &out, r).await;
                    }
                    let _ = out.send(response).await;
                    break;
                }
                Some(r) = relayed.recv() => forward_relayed(hub, &session, &out, r).await,
            }
        }
    });
    let stream = ReceiverStream::new(body).map(|m| Ok::<_, Infallible>(sse::message(&m)));
    sse_response(Body::from_stream(stream))
}

/// One message of the call for the client: a log only at or above the level it set (named
/// after its server on `/mcp`), a server request with a client-facing id.
async fn forward_relayed(
    hub: &Hub,
    session: &Session,
    out: &mpsc::Sender<Value>,
    relayed: Relayed,
) {
    let message = match relayed {
        Relayed::Notification {
            server,
            mut message,
        } => {
            if jsonrpc::method(&message) == "notifications/message" {
                if !logging::wanted(session, &message) {
                    return;
                }
                if session.server.is_none() {
                    logging::tag(&mut message, &server, &hub.options().separator);
                }
            }
            message
        }
        Relayed::Request { mut message, reply } => {
            message["id"] = Value::String(session.park(reply));
            message
        }
    };
    let _ = out.send(message).await;
}

pub(super) fn sse_response(body: Body) -> Response {
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
