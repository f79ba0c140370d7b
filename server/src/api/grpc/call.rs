//! What every gRPC handler does around the pipeline: read the key from the request metadata,
//! and stamp `x-tollgate-call-id` / `x-tollgate-version` (plus LiteLLM's `x-litellm-*` twins and,
//! for completions, the call headers of ARCHITECTURE §6) on the response or on the error status.

use axum::http::HeaderMap;
use tonic::metadata::{AsciiMetadataKey, AsciiMetadataValue, MetadataMap};
use tonic::{Response, Status};

use crate::api::http::headers::call_headers;
use crate::auth::{self, Principal};
use crate::error::{Error, Result};
use crate::pipeline::CallMeta;
use crate::state::AppState;

/// The caller, from `authorization: Bearer <key>` metadata (or `x-api-key` and the other key
/// headers the HTTP skin accepts).
pub async fn authenticate(state: &AppState, metadata: &MetadataMap) -> Result<Principal> {
    state
        .authenticate(auth::credential_from_headers(metadata.as_ref()))
        .await
}

/// A successful response with the call's metadata.
pub fn respond<T>(body: T, call_id: &str, meta: Option<&CallMeta>) -> Response<T> {
    let mut response = Response::new(body);
    stamp(response.metadata_mut(), call_id);
    if let Some(meta) = meta {
        copy_headers(response.metadata_mut(), &call_headers(meta));
    }
    response
}

/// The gRPC status of an error, with the call id in its metadata.
pub fn status(err: &Error, call_id: &str) -> Status {
    if matches!(err, Error::Internal(_)) {
        tracing::error!(call_id, error = %err, "internal error");
    }
    let mut status = err.to_status();
    stamp(status.metadata_mut(), call_id);
    status
}

/// A handler result as tonic wants it.
pub fn finish<T>(result: Result<Response<T>>, call_id: &str) -> Result<Response<T>, Status> {
    result.map_err(|err| status(&err, call_id))
}

fn stamp(metadata: &mut MetadataMap, call_id: &str) {
    if let Ok(value) = AsciiMetadataValue::try_from(call_id) {
        metadata.insert("x-tollgate-call-id", value.clone());
        metadata.insert("x-litellm-call-id", value);
    }
    let version = AsciiMetadataValue::from_static(crate::VERSION);
    metadata.insert("x-tollgate-version", version.clone());
    metadata.insert("x-litellm-version", version);
}

fn copy_headers(metadata: &mut MetadataMap, headers: &HeaderMap) {
    for (name, value) in headers {
        if let (Ok(key), Ok(value)) = (
            AsciiMetadataKey::from_bytes(name.as_str().as_bytes()),
            AsciiMetadataValue::try_from(value.as_bytes()),
        ) {
            metadata.insert(key, value);
        }
    }
}
