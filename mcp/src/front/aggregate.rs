//! Prompts and resources on `/mcp`, gathered from every visible healthy server that offers them.
//! Prompt names are namespaced like tools (`<server>-<prompt>`); resource URIs are kept as the
//! servers give them (they are addresses, not names), and a read goes to the first server that
//! can answer it. A caller that sent its own credentials for a server (`x-mcp-<server>-*`, a
//! server's `extra_headers`) reaches that server through its own upstream session, as it does for
//! tools and on `/mcp/<server>`.

use std::sync::Arc;

use serde_json::{Value, json};

use crate::access::Access;
use crate::hub::{ClientHeaders, Hub, View};
use crate::jsonrpc;
use crate::upstream::{Connection, Upstream};

/// What one request may reach: the servers of `view` that `access` may see, each through the
/// caller's own upstream session where `personal` has credentials for it.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub hub: &'a Hub,
    pub access: &'a Access,
    pub view: &'a View,
    pub personal: &'a ClientHeaders,
}

impl Scope<'_> {
    /// The visible servers that are healthy and declared `capability`, each with the upstream
    /// session the caller uses (the shared one, or its own) and that session's connection.
    pub async fn offering(&self, capability: &str) -> Vec<(Arc<Upstream>, Arc<Connection>)> {
        let mut out = Vec::new();
        for server in self.hub.visible(self.access, self.view) {
            let session = self.hub.session_for(&server, self.personal);
            let connection = if session.key().credentials.is_some() {
                // The caller's own session opens on first use: wait for it a little.
                session.connection().await.ok()
            } else {
                session.connection_now()
            };
            if let Some(c) = connection.filter(|c| c.has_capability(capability)) {
                out.push((session, c));
            }
        }
        out
    }
}

/// Every page of a list method of one server (`field` holds the items).
pub(super) async fn list_all(connection: &Connection, method: &str, field: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut cursor: Option<Value> = None;
    loop {
        let params = cursor.take().map(|c| json!({"cursor": c}));
        let Ok(response) = connection.request(method, params, None).await else {
            break;
        };
        let Some(result) = response.get("result") else {
            break;
        };
        if let Some(page) = result.get(field).and_then(Value::as_array) {
            items.extend(page.iter().cloned());
        }
        match result.get("nextCursor") {
            Some(c) if !c.is_null() => cursor = Some(c.clone()),
            _ => break,
        }
    }
    items
}

/// `prompts/list`, `resources/list` or `resources/templates/list` on `/mcp`.
pub async fn list(scope: Scope<'_>, id: Value, method: &str) -> Value {
    let (capability, field) = match method {
        "prompts/list" => ("prompts", "prompts"),
        "resources/list" => ("resources", "resources"),
        _ => ("resources", "resourceTemplates"),
    };
    let mut all = Vec::new();
    for (upstream, connection) in scope.offering(capability).await {
        for mut item in list_all(&connection, method, field).await {
            if capability == "prompts"
                && let Some(name) = item.get("name").and_then(Value::as_str)
            {
                item["name"] = Value::String(scope.hub.public_name(upstream.name(), name));
            }
            all.push(item);
        }
    }
    jsonrpc::result(id, json!({ field: all }))
}

/// `prompts/get` on `/mcp`: the prompt's server from its prefix.
pub async fn get_prompt(scope: Scope<'_>, id: Value, mut params: Value) -> Value {
    let name = params
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let found = super::routed::prompt_server(scope, &name).await;
    let Some((connection, prompt)) = found else {
        return jsonrpc::error(
            id,
            jsonrpc::INVALID_PARAMS,
            format!("Unknown prompt: {name}"),
        );
    };
    params["name"] = Value::String(prompt);
    respond(
        connection.request("prompts/get", Some(params), None).await,
        id,
    )
}

/// `resources/read` on `/mcp`: the first server that reads the URI.
pub async fn read_resource(scope: Scope<'_>, id: Value, params: Value) -> Value {
    for (_, connection) in scope.offering("resources").await {
        if let Ok(response) = connection
            .request("resources/read", Some(params.clone()), None)
            .await
            && response.get("result").is_some()
        {
            return respond(Ok(response), id);
        }
    }
    let uri = params.get("uri").and_then(Value::as_str).unwrap_or("");
    jsonrpc::error(
        id,
        jsonrpc::INVALID_PARAMS,
        format!("Resource not found: {uri}"),
    )
}

fn respond(response: Result<Value, crate::upstream::UpstreamError>, id: Value) -> Value {
    match response {
        Ok(mut r) => {
            r["id"] = id;
            r
        }
        Err(e) => jsonrpc::error(id, jsonrpc::UPSTREAM_ERROR, e.to_string()),
    }
}
