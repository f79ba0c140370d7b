//! The one error type of the request path, and its single mapping to HTTP and gRPC.
//!
//! Every failure a client can see is an [`Error`]. [`Error::kind`] is the only place that decides
//! the HTTP status, the OpenAI error `type`, and the gRPC code; the `match` there is exhaustive so a
//! new variant cannot be forgotten. The HTTP body is OpenAI's `{"error":{message,type,param,code}}`
//! (LiteLLM puts the status as a string in `code`; so do we). Errors also say whether a retry on
//! another deployment could help ([`Error::is_retryable`]), which the router reads.

use std::time::Duration;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    /// The client's request is malformed or names something invalid.
    #[error("{message}")]
    InvalidRequest {
        message: String,
        param: Option<String>,
    },
    /// No key, or a key that is unknown, expired or blocked.
    #[error("{0}")]
    Authentication(String),
    /// The key is valid but may not use this model, route or tool.
    #[error("{0}")]
    PermissionDenied(String),
    /// The named resource does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this HTTP method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// A budget would be exceeded by this request.
    #[error("{0}")]
    BudgetExceeded(String),
    /// A rate limit of the gateway refused the request.
    #[error("{message}")]
    RateLimited {
        message: String,
        retry_after: Option<Duration>,
    },
    /// The provider answered with an error status; passed on with its status and message.
    #[error("{provider} error ({status}): {message}")]
    Upstream {
        status: u16,
        message: String,
        provider: &'static str,
        retry_after: Option<Duration>,
    },
    /// The provider could not be reached (connection refused, reset, TLS, bad response body).
    #[error("{provider} unreachable: {message}")]
    UpstreamUnreachable {
        message: String,
        provider: &'static str,
    },
    /// The provider did not answer in time.
    #[error("{0}")]
    Timeout(String),
    /// The gateway cannot serve this now (no deployment available, shutting down).
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an infrastructure failure of the gateway itself.
    #[error("{0}")]
    Internal(String),
}

/// How an error is presented on each protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorKind {
    pub status: StatusCode,
    /// OpenAI error `type`.
    pub kind: &'static str,
    pub grpc: tonic::Code,
}

impl Error {
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
            param: None,
        }
    }

    pub fn invalid_param(message: impl Into<String>, param: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
            param: Some(param.into()),
        }
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        Error::Internal(err.to_string())
    }

    /// The single mapping of every variant to HTTP status, OpenAI type and gRPC code.
    pub fn kind(&self) -> ErrorKind {
        use tonic::Code;
        let (status, kind, grpc) = match self {
            Error::InvalidRequest { .. } => (
                StatusCode::BAD_REQUEST,
                "invalid_request_error",
                Code::InvalidArgument,
            ),
            Error::Authentication(_) => (
                StatusCode::UNAUTHORIZED,
                "authentication_error",
                Code::Unauthenticated,
            ),
            Error::PermissionDenied(_) => (
                StatusCode::FORBIDDEN,
                "permission_denied",
                Code::PermissionDenied,
            ),
            Error::NotFound(_) => (StatusCode::NOT_FOUND, "not_found", Code::NotFound),
            Error::MethodNotAllowed(_) => (
                StatusCode::METHOD_NOT_ALLOWED,
                "invalid_request_error",
                Code::Unimplemented,
            ),
            Error::BudgetExceeded(_) => (
                StatusCode::BAD_REQUEST,
                "budget_exceeded",
                Code::FailedPrecondition,
            ),
            Error::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_error",
                Code::ResourceExhausted,
            ),
            Error::Upstream { status, .. } => {
                let status =
                    StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                (status, upstream_type(status), grpc_code_for_status(status))
            }
            Error::UpstreamUnreachable { .. } => (
                StatusCode::BAD_GATEWAY,
                "api_connection_error",
                Code::Unavailable,
            ),
            Error::Timeout(_) => (
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                Code::DeadlineExceeded,
            ),
            Error::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "service_unavailable",
                Code::Unavailable,
            ),
            Error::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal_error",
                Code::Internal,
            ),
        };
        ErrorKind { status, kind, grpc }
    }

    /// Whether trying again (on this or another deployment) could succeed: upstream 5xx, 429,
    /// timeouts and connection failures yes; anything the client caused, no.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Upstream { status, .. } => *status == 429 || *status == 408 || *status >= 500,
            Error::UpstreamUnreachable { .. } | Error::Timeout(_) => true,
            Error::InvalidRequest { .. }
            | Error::Authentication(_)
            | Error::PermissionDenied(_)
            | Error::NotFound(_)
            | Error::MethodNotAllowed(_)
            | Error::BudgetExceeded(_)
            | Error::RateLimited { .. }
            | Error::Unavailable(_)
            | Error::Internal(_) => false,
        }
    }

    fn param(&self) -> Option<&str> {
        match self {
            Error::InvalidRequest { param, .. } => param.as_deref(),
            _ => None,
        }
    }

    fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } | Error::Upstream { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// The OpenAI-shaped error body.
    pub fn body(&self) -> ErrorBody {
        let kind = self.kind();
        ErrorBody {
            error: ErrorDetail {
                message: self.to_string(),
                kind: kind.kind.to_owned(),
                param: self.param().map(str::to_owned),
                code: kind.status.as_u16().to_string(),
            },
        }
    }

    /// The gRPC status, with the OpenAI error type in `x-tollgate-error-type` metadata.
    pub fn to_status(&self) -> tonic::Status {
        let kind = self.kind();
        let mut status = tonic::Status::new(kind.grpc, self.to_string());
        if let Ok(v) = kind.kind.parse() {
            status.metadata_mut().insert("x-tollgate-error-type", v);
        }
        if let Some(after) = self.retry_after()
            && let Ok(v) = after.as_secs().max(1).to_string().parse()
        {
            status.metadata_mut().insert("retry-after", v);
        }
        status
    }
}

fn upstream_type(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 422 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_denied",
        404 => "not_found",
        408 => "timeout",
        429 => "rate_limit_error",
        _ => "api_error",
    }
}

fn grpc_code_for_status(status: StatusCode) -> tonic::Code {
    use tonic::Code;
    match status.as_u16() {
        400 | 422 => Code::InvalidArgument,
        401 => Code::Unauthenticated,
        403 => Code::PermissionDenied,
        404 => Code::NotFound,
        408 | 504 => Code::DeadlineExceeded,
        429 => Code::ResourceExhausted,
        501 => Code::Unimplemented,
        502 | 503 => Code::Unavailable,
        _ => Code::Internal,
    }
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, serde::Deserialize)]
pub struct ErrorDetail {
    pub message: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub param: Option<String>,
    pub code: String,
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let kind = self.kind();
        if matches!(self, Error::Internal(_)) {
            tracing::error!(error = %self, "internal error");
        }
        let mut response = (kind.status, axum::Json(self.body())).into_response();
        if let Some(after) = self.retry_after()
            && let Ok(v) = HeaderValue::from_str(&after.as_secs().max(1).to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}

impl From<sqlx::Error> for Error {
    fn from(err: sqlx::Error) -> Self {
        Error::Internal(format!("database error: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Upstream statuses pass through to the client unchanged, with a matching type.
    #[test]
    fn upstream_status_passes_through() {
        let err = Error::Upstream {
            status: 429,
            message: "slow down".into(),
            provider: "openai",
            retry_after: Some(Duration::from_secs(7)),
        };
        let kind = err.kind();
        assert_eq!(kind.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(kind.kind, "rate_limit_error");
        assert_eq!(kind.grpc, tonic::Code::ResourceExhausted);
        assert!(err.is_retryable());
        assert_eq!(err.body().error.code, "429");
    }

    // Client mistakes are never retried.
    #[test]
    fn client_errors_are_not_retryable() {
        assert!(!Error::invalid("bad").is_retryable());
        assert!(
            !Error::Upstream {
                status: 400,
                message: "bad".into(),
                provider: "openai",
                retry_after: None
            }
            .is_retryable()
        );
    }
}
