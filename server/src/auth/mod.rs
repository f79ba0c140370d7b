//! Who is calling: credential extraction and key → [`Principal`].
//!
//! For now the only key is the master key (an admin); with no master key configured the gateway
//! is open and every caller is treated as an admin (a loud warning is logged at startup).
//! Virtual keys, teams and roles come with the keys issue and plug in here.

use axum::http::HeaderMap;

use crate::config::Secret;
use crate::error::{Error, Result};

/// The authenticated caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub role: Role,
    pub via: AuthMethod,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// LiteLLM's `proxy_admin`: everything.
    ProxyAdmin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    MasterKey,
    /// No master key is configured: the gateway is open.
    Open,
}

/// Checks `credential` against the configured keys.
pub fn authenticate(master_key: Option<&Secret>, credential: Option<&str>) -> Result<Principal> {
    let Some(master) = master_key else {
        return Ok(Principal {
            role: Role::ProxyAdmin,
            via: AuthMethod::Open,
        });
    };
    let Some(key) = credential.map(str::trim).filter(|k| !k.is_empty()) else {
        return Err(Error::Authentication(
            "Authentication Error, no API key passed in. Send it as `Authorization: Bearer <key>` (or `x-api-key`).".into(),
        ));
    };
    if constant_time_eq(key.as_bytes(), master.expose().as_bytes()) {
        return Ok(Principal {
            role: Role::ProxyAdmin,
            via: AuthMethod::MasterKey,
        });
    }
    if !key.starts_with("sk-") {
        return Err(Error::Authentication(
            "Authentication Error, invalid API key: keys start with 'sk-'.".into(),
        ));
    }
    Err(Error::Authentication(
        "Authentication Error, invalid API key.".into(),
    ))
}

/// The key a request carries: `Authorization: Bearer <key>` (or a bare value), else
/// `x-api-key` (Anthropic clients), `api-key` (Azure clients), `x-litellm-api-key`,
/// `x-tollgate-api-key`.
pub fn credential_from_headers(headers: &HeaderMap) -> Option<&str> {
    if let Some(value) = headers.get(http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let value = value.trim();
        let key = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .unwrap_or(value);
        return Some(key.trim());
    }
    ["x-api-key", "api-key", "x-litellm-api-key", "x-tollgate-api-key"]
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .map(str::trim)
}

/// Compares in time independent of where the inputs differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // The master key authenticates; others, and none, are refused with 401.
    #[test]
    fn master_key_auth() {
        let master = Secret::new("sk-master-123");
        assert!(authenticate(Some(&master), Some("sk-master-123")).is_ok());
        assert!(matches!(
            authenticate(Some(&master), Some("sk-other")),
            Err(Error::Authentication(_))
        ));
        assert!(matches!(
            authenticate(Some(&master), None),
            Err(Error::Authentication(_))
        ));
        assert_eq!(
            authenticate(None, None).unwrap().via,
            AuthMethod::Open
        );
    }

    // Credentials are read from every header clients use.
    #[test]
    fn reads_credentials_from_headers() {
        let mut h = HeaderMap::new();
        h.insert("x-api-key", "sk-a".parse().unwrap());
        assert_eq!(credential_from_headers(&h), Some("sk-a"));
        h.insert("authorization", "Bearer sk-b".parse().unwrap());
        assert_eq!(credential_from_headers(&h), Some("sk-b"));
    }
}
