//! Route restrictions of a key: `allowed_routes` (paths, `/v1`-insensitive, or LiteLLM's route
//! groups) and `key_type` (`llm_api` keys call models only, `management` keys admin routes only,
//! `read_only` keys only read).

use super::Principal;
use crate::error::{Error, Result};

/// LLM routes (LiteLLM's `llm_api_routes` / `openai_routes`).
fn is_llm_route(path: &str) -> bool {
    let p = normalize(path);
    matches!(
        p,
        "/chat/completions"
            | "/completions"
            | "/embeddings"
            | "/messages"
            | "/messages/count_tokens"
            | "/models"
    ) || p.starts_with("/models/")
        || p.starts_with("/engines/")
        || p.starts_with("/openai/deployments/")
        || p.starts_with("/anthropic/")
        || p.starts_with("/mcp")
}

/// Read-only admin routes (LiteLLM's `info_routes`).
fn is_info_route(path: &str) -> bool {
    let p = normalize(path);
    p.ends_with("/info")
        || p.ends_with("/list")
        || p.starts_with("/spend/")
        || p.starts_with("/global/spend")
        || p == "/audit"
}

/// `/v1/x` and `/x` are the same route; `/anthropic/v1/messages` is `/messages`.
fn normalize(path: &str) -> &str {
    let p = path.strip_prefix("/anthropic").unwrap_or(path);
    p.strip_prefix("/v1")
        .filter(|r| r.starts_with('/'))
        .unwrap_or(p)
}

/// Whether `allowed` (an entry of `allowed_routes`) admits `path`.
fn admits(allowed: &str, path: &str) -> bool {
    match allowed {
        "llm_api_routes" | "openai_routes" | "anthropic_routes" => is_llm_route(path),
        "info_routes" => is_info_route(path),
        "management_routes" => !is_llm_route(path),
        pattern => match pattern.strip_suffix('*') {
            Some(prefix) => normalize(path).starts_with(normalize(prefix)),
            None => normalize(path) == normalize(pattern),
        },
    }
}

/// Refuses `path` if the principal's key may not call it.
pub fn check_route(principal: &Principal, path: &str) -> Result<()> {
    let Some(key) = &principal.key else {
        return Ok(());
    };
    let allowed = &key.settings.allowed_routes;
    if !allowed.is_empty() && !allowed.iter().any(|a| admits(a, path)) {
        return Err(Error::PermissionDenied(format!(
            "this key may not call {path}; its allowed_routes are {allowed:?}"
        )));
    }
    let refused = match principal.key_type() {
        Some("llm_api") => !is_llm_route(path),
        Some("management") => is_llm_route(path),
        Some("read_only") => !is_llm_route(path) && !is_info_route(path),
        _ => false,
    };
    if refused {
        return Err(Error::PermissionDenied(format!(
            "a key of key_type {} may not call {path}",
            principal.key_type().unwrap_or_default()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Paths match with or without /v1, prefixes with *, and LiteLLM's route groups.
    #[test]
    fn route_matching() {
        assert!(admits("/chat/completions", "/v1/chat/completions"));
        assert!(admits("/v1/chat/completions", "/chat/completions"));
        assert!(!admits("/chat/completions", "/v1/embeddings"));
        assert!(admits("/key/*", "/key/info"));
        assert!(admits("llm_api_routes", "/anthropic/v1/messages"));
        assert!(!admits("llm_api_routes", "/key/generate"));
        assert!(admits("info_routes", "/team/info"));
        assert!(admits("management_routes", "/team/new"));
    }
}
