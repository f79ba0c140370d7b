//! Servers added, replaced and removed while the hub runs (the gateway's `/mcp/servers`, on
//! every instance of a fleet).
//!
//! Replacing or removing a server stops its supervisor, which closes the upstream session (a
//! stdio child is killed, an HTTP session ended) together with every caller's own session of
//! it; `/mcp/<server>` sessions of a removed server are ended; sessions of `/mcp` that could
//! see the server are told `notifications/tools/list_changed`. A replacement announces its
//! tools again once it has connected (the supervisor's own notice).

use std::collections::BTreeMap;

use super::{Hub, read, write};
use crate::jsonrpc;
use crate::spec::ServerSpec;
use crate::upstream::Upstream;

/// What [`Hub::reconcile`] changed, by server name.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reconciled {
    pub added: Vec<String>,
    pub replaced: Vec<String>,
    pub removed: Vec<String>,
    /// Names taken by servers the hub started with (config servers): left alone.
    pub refused: Vec<String>,
}

impl Reconciled {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.replaced.is_empty() && self.removed.is_empty()
    }
}

impl Hub {
    /// Adds a server at runtime, or replaces the one of the same name when its settings
    /// differ (the old connection is closed and a new one opened). Returns false when nothing
    /// changed (same settings).
    pub fn add(&self, spec: ServerSpec) -> bool {
        if self
            .upstream(&spec.name)
            .is_some_and(|current| *current.spec() == spec)
        {
            return false;
        }
        let name = spec.name.clone();
        let upstream = Upstream::start(
            spec,
            self.http.clone(),
            self.events.clone(),
            &self.tasks,
            &self.shutdown,
        );
        write(&self.managed).insert(name.clone());
        let old = write(&self.upstreams).insert(name, upstream.clone());
        if let Some(old) = old {
            old.stop();
            self.announce(&[old.spec(), upstream.spec()]);
        }
        true
    }

    /// Removes a server (its connection is closed, a stdio child killed, its `/mcp/<server>`
    /// sessions ended); false if unknown.
    pub fn remove(&self, name: &str) -> bool {
        let Some(old) = write(&self.upstreams).remove(name) else {
            return false;
        };
        write(&self.managed).remove(name);
        old.stop();
        for session in self.sessions.all() {
            if session.server.as_deref() == Some(name) {
                self.sessions.close(&session.id);
            }
        }
        self.announce(&[old.spec()]);
        true
    }

    /// Makes the servers added at runtime exactly `desired`: new ones start, changed ones are
    /// replaced, the others are removed. Servers the hub started with are never touched.
    pub fn reconcile(&self, desired: Vec<ServerSpec>) -> Reconciled {
        let mut done = Reconciled::default();
        let mut wanted: BTreeMap<String, ServerSpec> = BTreeMap::new();
        for spec in desired {
            let fixed =
                self.upstream(&spec.name).is_some() && !read(&self.managed).contains(&spec.name);
            if fixed {
                done.refused.push(spec.name.clone());
            } else {
                wanted.insert(spec.name.clone(), spec);
            }
        }
        let managed: Vec<String> = read(&self.managed).iter().cloned().collect();
        for name in managed {
            if !wanted.contains_key(&name) && self.remove(&name) {
                done.removed.push(name);
            }
        }
        for (name, spec) in wanted {
            let existed = self.upstream(&name).is_some();
            if self.add(spec) {
                if existed {
                    done.replaced.push(name);
                } else {
                    done.added.push(name);
                }
            }
        }
        done
    }

    /// Whether `name` was added at runtime (and may be replaced or removed).
    pub fn is_runtime(&self, name: &str) -> bool {
        read(&self.managed).contains(name)
    }

    /// Tells the `/mcp` sessions that could see any of `specs` that their tool list changed.
    fn announce(&self, specs: &[&ServerSpec]) {
        let changed = jsonrpc::notification("notifications/tools/list_changed", None);
        for session in self.sessions.all() {
            let sees = specs.iter().any(|s| session.access.server_visible(s));
            if session.server.is_none() && sees {
                session.push(changed.clone());
            }
        }
    }
}
