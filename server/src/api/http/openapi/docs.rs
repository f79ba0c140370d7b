//! `GET /docs`: the API reference, one self-written HTML page (`docs.html`, embedded in the
//! binary) that reads `/openapi.json` and renders every operation, parameter and schema. No
//! script, style or font is loaded from anywhere else, so it works offline and behind firewalls.

use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;

const PAGE: &str = include_str!("docs.html");

pub async fn page() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
                ),
            ),
        ],
        PAGE,
    )
}
