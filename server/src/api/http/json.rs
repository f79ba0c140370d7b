//! JSON bodies with errors in the protocol's shape instead of axum's plain-text rejections.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;

use crate::error::Error;

/// A JSON request body; a malformed one is a 400 `invalid_request_error` naming the problem.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| Error::invalid(format!("cannot read the request body: {e}")))?;
        parse(&bytes).map(JsonBody)
    }
}

/// Parses a JSON body, turning serde's message into a client-facing one.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::invalid(
            "the request body is empty; expected a JSON object",
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| from_serde(&e))
}

fn from_serde(e: &serde_json::Error) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            Error::invalid(format!("malformed JSON in the request body: {e}"))
        }
        Category::Data => {
            let message = e.to_string();
            let param = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
                .map(str::to_owned);
            match param {
                Some(p) => Error::invalid_param(format!("{p}: required parameter is missing"), p),
                None => Error::invalid(format!("invalid request body: {message}")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::openai::ChatRequest;

    // A missing required field names the parameter; wrong types and bad syntax are explained.
    #[test]
    fn explains_bad_bodies() {
        let missing = parse::<ChatRequest>(br#"{"messages":[]}"#).unwrap_err();
        assert!(
            matches!(missing, Error::InvalidRequest { param: Some(ref p), .. } if p == "model")
        );
        let wrong = parse::<ChatRequest>(br#"{"model":1,"messages":[]}"#).unwrap_err();
        assert!(wrong.to_string().contains("invalid type"));
        let syntax = parse::<ChatRequest>(b"{\"model\":").unwrap_err();
        assert!(syntax.to_string().starts_with("malformed JSON"));
        assert!(parse::<ChatRequest>(b"  ").is_err());
    }
}
