//! Who may see which servers and tools (ARCHITECTURE §9, LiteLLM's MCP permissions).
//!
//! The gateway turns a caller into an [`Access`]: everything (the master key), or one [`Grant`]
//! per level that sets MCP permissions (key, team, organization). A server is visible when every
//! such level allows it, by name or through one of its access groups; a key with no grant of its
//! own therefore simply inherits its team's. With no grant at any level only servers marked
//! `allow_all_keys` are visible. A tool is visible when its server is, the server's own
//! `allowed_tools`/`disallowed_tools` let it through, and every level that lists tools for that
//! server lists it.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::ServerSpec;

/// One level's MCP permissions (LiteLLM's `object_permission`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grant {
    /// `mcp_servers`.
    pub servers: BTreeSet<String>,
    /// `mcp_access_groups`.
    pub access_groups: BTreeSet<String>,
    /// `mcp_tool_permissions`: server → the only tools allowed on it.
    pub tools: BTreeMap<String, BTreeSet<String>>,
}

impl Grant {
    fn allows_server(&self, spec: &ServerSpec) -> bool {
        self.servers.contains(&spec.name)
            || spec
                .access_groups
                .iter()
                .any(|g| self.access_groups.contains(g))
    }

    fn allows_tool(&self, server: &str, tool: &str) -> bool {
        self.tools
            .get(server)
            .is_none_or(|list| list.contains(tool))
    }
}

/// What one caller may reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Every server and every tool the servers expose (admins).
    Everything,
    /// The grants of every level that has one (possibly none).
    Grants(Vec<Grant>),
}

impl Access {
    pub fn server_visible(&self, spec: &ServerSpec) -> bool {
        match self {
            Access::Everything => true,
            Access::Grants(_) if spec.allow_all_keys => true,
            Access::Grants(grants) => {
                !grants.is_empty() && grants.iter().all(|g| g.allows_server(spec))
            }
        }
    }

    pub fn tool_visible(&self, spec: &ServerSpec, tool: &str) -> bool {
        if !self.server_visible(spec) || !spec.exposes(tool) {
            return false;
        }
        match self {
            Access::Everything => true,
            Access::Grants(grants) => grants.iter().all(|g| g.allows_tool(&spec.name, tool)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Transport;

    fn spec(name: &str, groups: &[&str]) -> ServerSpec {
        let mut s = ServerSpec::new(
            name,
            Transport::Http {
                url: "http://x".into(),
                headers: vec![],
            },
        );
        s.access_groups = groups.iter().map(|g| (*g).to_owned()).collect();
        s
    }

    fn grant(servers: &[&str], groups: &[&str]) -> Grant {
        Grant {
            servers: servers.iter().map(|s| (*s).to_owned()).collect(),
            access_groups: groups.iter().map(|s| (*s).to_owned()).collect(),
            tools: BTreeMap::new(),
        }
    }

    // Every level must allow a server; groups count as names; no grant sees only public ones.
    #[test]
    fn servers_need_every_level() {
        let (a, b, dev) = (spec("a", &[]), spec("b", &[]), spec("c", &["dev"]));
        let team_only = Access::Grants(vec![grant(&["a", "b"], &[])]);
        assert!(team_only.server_visible(&a) && team_only.server_visible(&b));
        let key_and_team = Access::Grants(vec![grant(&["a"], &[]), grant(&["a", "b"], &[])]);
        assert!(key_and_team.server_visible(&a) && !key_and_team.server_visible(&b));
        let by_group = Access::Grants(vec![grant(&[], &["dev"])]);
        assert!(by_group.server_visible(&dev) && !by_group.server_visible(&a));
        let none = Access::Grants(vec![]);
        let mut public = spec("p", &[]);
        assert!(!none.server_visible(&public));
        public.allow_all_keys = true;
        assert!(none.server_visible(&public));
        assert!(Access::Everything.server_visible(&a));
    }

    // Tool lists of the server and of each level narrow what is visible.
    #[test]
    fn tools_are_narrowed() {
        let mut s = spec("a", &[]);
        s.disallowed_tools = vec!["rm".into()];
        let mut g = grant(&["a"], &[]);
        g.tools
            .insert("a".into(), ["read".to_owned(), "rm".to_owned()].into());
        let access = Access::Grants(vec![g]);
        assert!(access.tool_visible(&s, "read"));
        assert!(!access.tool_visible(&s, "write"));
        assert!(!access.tool_visible(&s, "rm"));
        assert!(Access::Everything.tool_visible(&s, "write"));
        assert!(!Access::Everything.tool_visible(&s, "rm"));
    }
}
