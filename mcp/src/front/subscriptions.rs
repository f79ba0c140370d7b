//! Resource subscriptions of client sessions, shared over the hub's one session per upstream.
//!
//! Several clients may subscribe to the same resource of the same server, but the hub holds one
//! upstream session for all of them: the upstream is subscribed when the first client
//! subscribes and unsubscribed when the last one unsubscribes or its session ends. A
//! `notifications/resources/updated` of a server goes to the sessions subscribed to that URI on
//! that server, and to no one else. Subscriptions live on the instance that made them (where
//! the upstream subscription is), like the GET stream they are delivered on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

/// (server, resource URI) → the ids of the sessions subscribed to it.
#[derive(Debug, Default)]
pub struct Subscriptions {
    map: Mutex<BTreeMap<(String, String), BTreeSet<String>>>,
}

impl Subscriptions {
    /// Records `session`'s subscription; true when it is the first one (subscribe upstream).
    pub fn add(&self, server: &str, uri: &str, session: &str) -> bool {
        let mut map = lock(&self.map);
        let subscribers = map.entry((server.to_owned(), uri.to_owned())).or_default();
        let first = subscribers.is_empty();
        subscribers.insert(session.to_owned());
        first
    }

    /// Forgets a subscription that could not be made upstream.
    pub fn undo(&self, server: &str, uri: &str, session: &str) {
        self.remove(server, uri, session);
    }

    /// Drops `session`'s subscription; true when it was the last one (unsubscribe upstream).
    pub fn remove(&self, server: &str, uri: &str, session: &str) -> bool {
        let mut map = lock(&self.map);
        let key = (server.to_owned(), uri.to_owned());
        let Some(subscribers) = map.get_mut(&key) else {
            return false;
        };
        let removed = subscribers.remove(session);
        let last = removed && subscribers.is_empty();
        if subscribers.is_empty() {
            map.remove(&key);
        }
        last
    }

    /// The servers on which `session` is subscribed to `uri`.
    pub fn servers_of(&self, session: &str, uri: &str) -> Vec<String> {
        lock(&self.map)
            .iter()
            .filter(|((_, u), s)| u == uri && s.contains(session))
            .map(|((server, _), _)| server.clone())
            .collect()
    }

    /// The sessions subscribed to `uri` on `server`.
    pub fn subscribers(&self, server: &str, uri: &str) -> Vec<String> {
        lock(&self.map)
            .get(&(server.to_owned(), uri.to_owned()))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Drops every subscription of an ended session; returns the (server, URI) pairs that lost
    /// their last subscriber (to unsubscribe upstream).
    pub fn end_session(&self, session: &str) -> Vec<(String, String)> {
        let mut map = lock(&self.map);
        let mut orphaned = Vec::new();
        map.retain(|key, subscribers| {
            if subscribers.remove(session) && subscribers.is_empty() {
                orphaned.push(key.clone());
            }
            !subscribers.is_empty()
        });
        orphaned
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The first subscriber subscribes upstream, the last one unsubscribes; ending a session
    // releases what only it held.
    #[test]
    fn counts_subscribers_per_server_and_uri() {
        let subs = Subscriptions::default();
        assert!(subs.add("a", "r://1", "s1"));
        assert!(!subs.add("a", "r://1", "s2"));
        assert!(subs.add("b", "r://1", "s1"));
        assert_eq!(subs.servers_of("s1", "r://1"), ["a", "b"]);
        assert_eq!(subs.subscribers("a", "r://1"), ["s1", "s2"]);
        assert!(!subs.remove("a", "r://1", "s1"));
        assert!(!subs.remove("a", "r://1", "s1"));
        assert!(subs.remove("a", "r://1", "s2"));
        assert!(subs.subscribers("a", "r://1").is_empty());
        assert_eq!(
            subs.end_session("s1"),
            [("b".to_owned(), "r://1".to_owned())]
        );
        assert!(subs.end_session("s1").is_empty());
    }
}
