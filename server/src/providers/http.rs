//! Shared HTTP plumbing for providers: sending with a timeout and turning failures into [`Error`].
//!
//! One pooled `reqwest::Client` (rustls) is built at startup and cloned into every provider; no
//! request builds a client. Upstream error bodies are read (bounded) so the client sees the
//! provider's own message with the provider's status.

use std::time::Duration;

use reqwest::{RequestBuilder, Response, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Upper bound on an upstream error body we read to extract its message.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Builds the one HTTP client shared by all providers.
pub fn build_client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(90))
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .connect_timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| Error::internal(format!("cannot build the HTTP client: {e}")))
}

/// Sends `request` with `timeout` for the whole response head; maps transport failures and error
/// statuses. On success the body has not been read yet (streams read it incrementally).
pub async fn send(
    provider: &'static str,
    request: RequestBuilder,
    timeout: Duration,
) -> Result<Response> {
    let response = match tokio::time::timeout(timeout, request.send()).await {
        Ok(Ok(response)) => response,
        Ok(Err(err)) => return Err(transport_error(provider, &err)),
        Err(_) => return Err(timeout_error(provider, timeout)),
    };
    if response.status().is_success() {
        return Ok(response);
    }
    Err(status_error(provider, response).await)
}

/// Reads and decodes a JSON body, bounded by `timeout` (the rest of the call's time).
pub async fn json<T: DeserializeOwned>(
    provider: &'static str,
    response: Response,
    timeout: Duration,
) -> Result<T> {
    let bytes = match tokio::time::timeout(timeout, response.bytes()).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(err)) => return Err(transport_error(provider, &err)),
        Err(_) => return Err(timeout_error(provider, timeout)),
    };
    serde_json::from_slice(&bytes).map_err(|e| Error::UpstreamUnreachable {
        provider,
        message: format!("invalid response body: {e}"),
    })
}

pub fn timeout_error(provider: &'static str, timeout: Duration) -> Error {
    Error::Timeout(format!(
        "{provider} did not answer within {:.1}s",
        timeout.as_secs_f64()
    ))
}

pub fn transport_error(provider: &'static str, err: &reqwest::Error) -> Error {
    if err.is_timeout() {
        return Error::Timeout(format!("{provider} request timed out: {err}"));
    }
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    Error::UpstreamUnreachable { provider, message }
}

/// Turns an error response into [`Error::Upstream`], keeping the provider's message.
pub async fn status_error(provider: &'static str, response: Response) -> Error {
    let status = response.status();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let body = read_bounded(response).await;
    Error::Upstream {
        status: status.as_u16(),
        message: error_message(status, &body),
        provider,
        retry_after,
    }
}

async fn read_bounded(mut response: Response) -> Vec<u8> {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let room = MAX_ERROR_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    body
}

/// The message of an OpenAI (`{"error":{"message"}}`) or Anthropic (`{"error":{"message"}}`,
/// `{"message"}`) error body, or the raw text.
fn error_message(status: StatusCode, body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        let message = value
            .pointer("/error/message")
            .or_else(|| value.get("message"))
            .or_else(|| value.get("detail"))
            .and_then(|m| m.as_str());
        if let Some(m) = message {
            return m.to_owned();
        }
        if let Some(e) = value.get("error").and_then(|e| e.as_str()) {
            return e.to_owned();
        }
    }
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if text.is_empty() {
        status
            .canonical_reason()
            .unwrap_or("upstream error")
            .to_owned()
    } else {
        text.chars().take(2000).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Provider error messages are extracted from both OpenAI and bare shapes.
    #[test]
    fn extracts_error_messages() {
        let openai = br#"{"error":{"message":"Rate limit reached","type":"requests"}}"#;
        assert_eq!(
            error_message(StatusCode::TOO_MANY_REQUESTS, openai),
            "Rate limit reached"
        );
        assert_eq!(
            error_message(StatusCode::BAD_GATEWAY, b"  upstream exploded "),
            "upstream exploded"
        );
        assert_eq!(
            error_message(StatusCode::INTERNAL_SERVER_ERROR, b""),
            "Internal Server Error"
        );
    }
}
