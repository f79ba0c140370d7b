//! Anthropic-compatible routes (`/v1/messages`, `/v1/messages/count_tokens`, also under
//! `/anthropic`), so Claude Code and the Anthropic SDKs work with `ANTHROPIC_BASE_URL`.
//! Errors here use Anthropic's error shape; the status is the one [`Error::kind`] decides.

pub mod count_tokens;
pub mod messages;

use axum::Json;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

use crate::error::Error;
use crate::translate::anthropic::error_response;

/// An [`Error`] rendered as `{"type":"error","error":{"type","message"}}`.
#[derive(Debug)]
pub struct AnthropicError(pub Error);

impl From<Error> for AnthropicError {
    fn from(err: Error) -> Self {
        Self(err)
    }
}

impl IntoResponse for AnthropicError {
    fn into_response(self) -> Response {
        let status = self.0.kind().status;
        let retry_after = match &self.0 {
            Error::RateLimited { retry_after, .. } | Error::Upstream { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        };
        let mut response = (status, Json(error_response(&self.0))).into_response();
        if let Some(after) = retry_after
            && let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string())
        {
            response.headers_mut().insert("retry-after", v);
        }
        response
    }
}
