//! A principal's MCP permissions: LiteLLM's `object_permission` on the key, its team and its
//! organization, turned into the hub's [`Access`] (see `tollgate_mcp::access` for the rules).
//! Admins see everything. A level with no MCP field set adds no grant (so a key inherits its
//! team's); `no-mcp-servers` in `mcp_servers` is a grant of nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use tollgate_mcp::{Access, Grant};

use crate::auth::Principal;

/// LiteLLM's sentinel for "no MCP server at all".
const NO_SERVERS: &str = "no-mcp-servers";

pub fn of(principal: &Principal) -> Access {
    if principal.is_proxy_admin() {
        return Access::Everything;
    }
    let levels = [
        principal
            .key
            .as_ref()
            .and_then(|k| k.settings.object_permission.as_ref()),
        principal
            .team
            .as_ref()
            .and_then(|t| t.settings.object_permission.as_ref()),
        principal
            .organization
            .as_ref()
            .and_then(|o| o.settings.object_permission.as_ref()),
    ];
    Access::Grants(levels.into_iter().flatten().filter_map(grant).collect())
}

/// The grant of one `object_permission`, or `None` when it sets no MCP permission.
fn grant(permission: &Value) -> Option<Grant> {
    let strings = |field: &str| -> BTreeSet<String> {
        permission
            .get(field)
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut servers = strings("mcp_servers");
    let access_groups = strings("mcp_access_groups");
    let tools: BTreeMap<String, BTreeSet<String>> = permission
        .get("mcp_tool_permissions")
        .and_then(Value::as_object)
        .map(|map| {
            map.iter()
                .map(|(server, list)| {
                    let list = list
                        .as_array()
                        .map(|l| {
                            l.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    (server.clone(), list)
                })
                .collect()
        })
        .unwrap_or_default();
    if servers.is_empty() && access_groups.is_empty() && tools.is_empty() {
        return None;
    }
    if servers.remove(NO_SERVERS) {
        return Some(Grant::default());
    }
    if servers.is_empty() && access_groups.is_empty() {
        // Tool permissions alone name the servers they narrow.
        servers = tools.keys().cloned().collect();
    }
    Some(Grant {
        servers,
        access_groups,
        tools,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    // Empty permissions add no grant; the sentinel grants nothing; tool lists name servers.
    #[test]
    fn grants_from_object_permission() {
        assert_eq!(grant(&json!({})), None);
        assert_eq!(grant(&json!({"mcp_servers": [], "models": ["x"]})), None);
        assert_eq!(
            grant(&json!({"mcp_servers": ["no-mcp-servers"]})),
            Some(Grant::default())
        );
        let g = grant(&json!({"mcp_tool_permissions": {"a": ["t"]}})).unwrap();
        assert_eq!(g.servers, BTreeSet::from(["a".to_owned()]));
        let g = grant(&json!({"mcp_servers": ["a"], "mcp_access_groups": ["dev"]})).unwrap();
        assert!(g.servers.contains("a") && g.access_groups.contains("dev"));
        assert_eq!(of(&Principal::master()), Access::Everything);
    }
}
