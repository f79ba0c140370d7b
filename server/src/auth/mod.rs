//! Who is calling and what they may call: credential extraction, key → [`Principal`] resolution
//! through an in-memory cache, route restrictions (`allowed_routes`, `key_type`) and model access
//! (allow-lists, access groups, wildcards, aliases).

pub mod cache;
pub mod models;
mod principal;
mod resolve;
pub mod routes;

use axum::http::HeaderMap;

pub use principal::{AuthMethod, Principal};
pub use resolve::authenticate;

/// The key a request carries: `Authorization: Bearer <key>` (or a bare value), else
/// `x-api-key` (Anthropic clients), `api-key` (Azure clients), `x-litellm-api-key`,
/// `x-tollgate-api-key`.
pub fn credential_from_headers(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        let key = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value);
        return Some(key.trim());
    }
    [
        "x-api-key",
        "api-key",
        "x-litellm-api-key",
        "x-tollgate-api-key",
    ]
    .iter()
    .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
    .map(str::trim)
}

/// Compares in time independent of where the inputs differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Credentials are read from every header clients use.
    #[test]
    fn reads_credentials_from_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-api-key", "sk-a".parse().unwrap());
        assert_eq!(credential_from_headers(&h), Some("sk-a"));
        h.insert("authorization", "Bearer sk-b".parse().unwrap());
        assert_eq!(credential_from_headers(&h), Some("sk-b"));
    }

    // Equal inputs compare equal; any difference does not.
    #[test]
    fn constant_time_comparison() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
