//! Resource subscriptions of client sessions, shared over the hub's upstream sessions.
//!
//! Several clients may subscribe to the same resource of the same upstream session (a server's
//! shared one, or the one opened with some caller's own credentials), but the upstream session
//! is one: it is subscribed when the first client subscribes and unsubscribed when the last one
//! unsubscribes or its session ends. A `notifications/resources/updated` of an upstream session
//! goes to the sessions subscribed to that URI through it, and to no one else. When the upstream
//! session is opened again (a stdio process restarted, an HTTP session re-initialised), every
//! URI that still has subscribers is subscribed again (`subscribe.rs`). Subscriptions live on
//! the instance that made them (where the upstream subscription is), like the GET stream they
//! are delivered on.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use crate::upstream::SessionKey;

/// (upstream session, resource URI) → the ids of the client sessions subscribed to it.
#[derive(Debug, Default)]
pub struct Subscriptions {
    map: Mutex<BTreeMap<(SessionKey, String), BTreeSet<String>>>,
}

impl Subscriptions {
    /// Records `session`'s subscription; true when it is the first one (subscribe upstream).
    pub fn add(&self, upstream: &SessionKey, uri: &str, session: &str) -> bool {
        let mut map = lock(&self.map);
        let subscribers = map.entry((upstream.clone(), uri.to_owned())).or_default();
        let first = subscribers.is_empty();
        subscribers.insert(session.to_owned());
        first
    }

    /// Forgets a subscription that could not be made upstream.
    pub fn undo(&self, upstream: &SessionKey, uri: &str, session: &str) {
        self.remove(upstream, uri, session);
    }

    /// Drops `session`'s subscription; true when it was the last one (unsubscribe upstream).
    pub fn remove(&self, upstream: &SessionKey, uri: &str, session: &str) -> bool {
        let mut map = lock(&self.map);
        let key = (upstream.clone(), uri.to_owned());
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

    /// The upstream sessions through which `session` is subscribed to `uri`.
    pub fn upstreams_of(&self, session: &str, uri: &str) -> Vec<SessionKey> {
        lock(&self.map)
            .iter()
            .filter(|((_, u), s)| u == uri && s.contains(session))
            .map(|((upstream, _), _)| upstream.clone())
            .collect()
    }

    /// The sessions subscribed to `uri` through `upstream`.
    pub fn subscribers(&self, upstream: &SessionKey, uri: &str) -> Vec<String> {
        lock(&self.map)
            .get(&(upstream.clone(), uri.to_owned()))
            .map(|s| s.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// The URIs subscribed through `upstream` (to subscribe again when it reconnects).
    pub fn uris(&self, upstream: &SessionKey) -> Vec<String> {
        lock(&self.map)
            .keys()
            .filter(|(u, _)| u == upstream)
            .map(|(_, uri)| uri.clone())
            .collect()
    }

    /// Whether any client is subscribed to anything through `upstream`.
    pub fn holds(&self, upstream: &SessionKey) -> bool {
        lock(&self.map).keys().any(|(u, _)| u == upstream)
    }

    /// Drops every subscription of an ended session; returns the (upstream session, URI) pairs
    /// that lost their last subscriber (to unsubscribe upstream).
    pub fn end_session(&self, session: &str) -> Vec<(SessionKey, String)> {
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
    // releases what only it held; a caller's own upstream session counts apart.
    #[test]
    fn counts_subscribers_per_upstream_session_and_uri() {
        let subs = Subscriptions::default();
        let (a, b) = (SessionKey::shared("a"), SessionKey::shared("b"));
        let mine = SessionKey {
            server: "a".into(),
            credentials: Some("authorization\u{0}Bearer x".into()),
        };
        assert!(subs.add(&a, "r://1", "s1"));
        assert!(!subs.add(&a, "r://1", "s2"));
        assert!(subs.add(&b, "r://1", "s1"));
        assert!(subs.add(&mine, "r://1", "s3"));
        assert_eq!(subs.upstreams_of("s1", "r://1"), [a.clone(), b.clone()]);
        assert_eq!(subs.subscribers(&a, "r://1"), ["s1", "s2"]);
        assert_eq!(subs.subscribers(&mine, "r://1"), ["s3"]);
        assert_eq!(subs.uris(&a), ["r://1"]);
        assert!(!subs.remove(&a, "r://1", "s1"));
        assert!(!subs.remove(&a, "r://1", "s1"));
        assert!(subs.remove(&a, "r://1", "s2"));
        assert!(subs.subscribers(&a, "r://1").is_empty());
        assert!(!subs.holds(&a) && subs.holds(&mine));
        assert_eq!(subs.end_session("s1"), [(b, "r://1".to_owned())]);
        assert!(subs.end_session("s1").is_empty());
    }
}
