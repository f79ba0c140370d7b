//! The rest of the protocol on `/mcp`, where one request must find its server among all the
//! visible ones: completions, and the lookups that resource subscriptions (`subscribe.rs`) and
//! prompts (`aggregate.rs`) need.
//!
//! - **Resources** keep their URIs on `/mcp` (they are addresses, and servers embed them in tool
//!   results and templates, which the hub does not rewrite). A URI belongs to the visible
//!   servers that list it or that have a template matching it.
//! - **Completions** follow their `ref`: a prompt by its prefixed name (`<server>-<prompt>`), a
//!   resource template by its URI template.
//!
//! A server the caller may not see is never considered, so its items answer exactly like items
//! that do not exist. Each server is reached through the caller's own upstream session where it
//! sent credentials for it ([`Scope`]).

use std::sync::Arc;

use serde_json::Value;

use super::aggregate::{Scope, list_all};
use crate::jsonrpc;
use crate::upstream::{Connection, Upstream};

/// `completion/complete` on `/mcp`: to the server of the prompt or resource template named in
/// `ref`.
pub async fn complete(scope: Scope<'_>, id: Value, mut params: Value) -> Value {
    let kind = params
        .pointer("/ref/type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let target = match kind.as_str() {
        "ref/prompt" => {
            let name = params
                .pointer("/ref/name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let Some((connection, prompt)) = prompt_server(scope, &name).await else {
                return jsonrpc::error(
                    id,
                    jsonrpc::INVALID_PARAMS,
                    format!("Unknown prompt: {name}"),
                );
            };
            params["ref"]["name"] = Value::String(prompt);
            Some(connection)
        }
        "ref/resource" => {
            let uri = params
                .pointer("/ref/uri")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            let Some(connection) = template_server(scope, &uri).await else {
                return not_found(id, &uri);
            };
            Some(connection)
        }
        _ => None,
    };
    let Some(connection) = target else {
        return jsonrpc::error(
            id,
            jsonrpc::INVALID_PARAMS,
            format!("Unknown completion reference type: {kind}"),
        );
    };
    match connection
        .request("completion/complete", Some(params), None)
        .await
    {
        Ok(mut r) => {
            r["id"] = id;
            r
        }
        Err(e) => jsonrpc::error(id, jsonrpc::UPSTREAM_ERROR, e.to_string()),
    }
}

/// The server of a prefixed prompt name and the prompt's own name. The longest server name that
/// prefixes it wins (servers `a` and `a-b`: `a-b-x` is `x` on `a-b`).
pub async fn prompt_server(scope: Scope<'_>, name: &str) -> Option<(Arc<Connection>, String)> {
    let separator = &scope.hub.options().separator;
    scope
        .offering("prompts")
        .await
        .into_iter()
        .filter_map(|(u, c)| {
            let rest = name
                .strip_prefix(u.name())?
                .strip_prefix(separator.as_str())?;
            Some((u.name().len(), c, rest.to_owned()))
        })
        .max_by_key(|(len, _, _)| *len)
        .map(|(_, c, rest)| (c, rest))
}

/// The visible servers a resource URI belongs to (they list it, or one of their templates
/// matches it), each with the upstream session the caller uses.
pub async fn owners(scope: Scope<'_>, uri: &str) -> Vec<(Arc<Upstream>, Arc<Connection>)> {
    let mut out = Vec::new();
    for (upstream, connection) in scope.offering("resources").await {
        let listed = list_all(&connection, "resources/list", "resources")
            .await
            .iter()
            .any(|r| r.get("uri").and_then(Value::as_str) == Some(uri));
        let templated = listed
            || list_all(&connection, "resources/templates/list", "resourceTemplates")
                .await
                .iter()
                .filter_map(|t| t.get("uriTemplate").and_then(Value::as_str))
                .any(|t| template_matches(t, uri));
        if templated {
            out.push((upstream, connection));
        }
    }
    out
}

/// The first visible server with the resource template `template` (or a resource of that URI).
async fn template_server(scope: Scope<'_>, template: &str) -> Option<Arc<Connection>> {
    for (_, connection) in scope.offering("resources").await {
        let has = list_all(&connection, "resources/templates/list", "resourceTemplates")
            .await
            .iter()
            .any(|t| t.get("uriTemplate").and_then(Value::as_str) == Some(template));
        if has {
            return Some(connection);
        }
    }
    None
}

/// Whether `uri` is an expansion of the URI template `template` (RFC 6570): its literal parts
/// in order, each expression standing for at least one character.
pub fn template_matches(template: &str, uri: &str) -> bool {
    let mut rest = uri;
    let mut template = template;
    loop {
        let Some(open) = template.find('{') else {
            return rest == template;
        };
        let Some(after) = rest.strip_prefix(&template[..open]) else {
            return false;
        };
        rest = after;
        let Some(close) = template[open..].find('}') else {
            return false;
        };
        template = &template[open + close + 1..];
        let literal = &template[..template.find('{').unwrap_or(template.len())];
        if literal.is_empty() {
            if template.is_empty() {
                return !rest.is_empty();
            }
            continue;
        }
        match rest.get(1..).and_then(|r| r.find(literal)) {
            Some(at) => rest = &rest[at + 1..],
            None => return false,
        }
    }
}

/// What an unknown resource, and one on a server the caller may not see, answers.
pub fn not_found(id: Value, uri: &str) -> Value {
    jsonrpc::error(
        id,
        jsonrpc::INVALID_PARAMS,
        format!("Resource not found: {uri}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Literal parts must match in order; each expression takes at least one character.
    #[test]
    fn matches_uri_templates() {
        assert!(template_matches("greeting://{name}", "greeting://ada"));
        assert!(!template_matches("greeting://{name}", "greeting://"));
        assert!(!template_matches("greeting://{name}", "config://app"));
        assert!(template_matches(
            "repo://{owner}/{name}/readme",
            "repo://a/b/readme"
        ));
        assert!(!template_matches(
            "repo://{owner}/{name}/readme",
            "repo://a/b/license"
        ));
        assert!(template_matches("config://app", "config://app"));
        assert!(!template_matches("config://app", "config://app2"));
        assert!(template_matches("file:///{+path}", "file:///a/b.txt"));
    }
}
