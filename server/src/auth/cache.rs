//! In-memory caches on the request path: key hash → [`Principal`], end user id → record.
//!
//! Entries live for a TTL and are dropped explicitly by every admin change that affects them,
//! so once warm a request reads nothing from the database. Unknown keys are cached briefly too
//! (negative entries), so a flood of bad keys does not reach the database. Locks are held for a
//! map operation only, never across an await.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use super::Principal;
use crate::directory::EndUserRecord;

/// How long a resolved key stays cached without being invalidated.
pub const PRINCIPAL_TTL: Duration = Duration::from_secs(60);
/// How long an unknown key is remembered as unknown.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(2);
/// Entries kept at most; past it the cache drops expired entries, then everything.
const MAX_ENTRIES: usize = 100_000;

/// A TTL map with explicit invalidation.
#[derive(Debug)]
pub struct TtlCache<V> {
    entries: RwLock<HashMap<String, (Instant, V)>>,
}

impl<V: Clone> Default for TtlCache<V> {
    fn default() -> Self {
        Self {
            entries: RwLock::new(HashMap::new()),
        }
    }
}

impl<V: Clone> TtlCache<V> {
    /// The live value for `key`.
    pub fn get(&self, key: &str) -> Option<V> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|(expires, _)| *expires > Instant::now())
            .map(|(_, v)| v.clone())
    }

    pub fn insert(&self, key: String, value: V, ttl: Duration) {
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let now = Instant::now();
            entries.retain(|_, (expires, _)| *expires > now);
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
        }
        entries.insert(key, (Instant::now() + ttl, value));
    }

    pub fn invalidate(&self, key: &str) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }

    pub fn invalidate_all(&self) {
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }
}

/// Key hash → resolved principal (`None`: known to be unknown).
#[derive(Debug, Default)]
pub struct PrincipalCache {
    inner: TtlCache<Option<Arc<Principal>>>,
}

impl PrincipalCache {
    pub fn get(&self, token: &str) -> Option<Option<Arc<Principal>>> {
        self.inner.get(token)
    }

    pub fn insert(&self, token: String, principal: Arc<Principal>) {
        self.inner.insert(token, Some(principal), PRINCIPAL_TTL);
    }

    pub fn insert_unknown(&self, token: String) {
        self.inner.insert(token, None, NEGATIVE_TTL);
    }

    /// Drops one key (after it changed).
    pub fn invalidate_token(&self, token: &str) {
        self.inner.invalidate(token);
    }

    /// Drops everything (after a team, user, organization or membership changed).
    pub fn invalidate_all(&self) {
        self.inner.invalidate_all();
    }
}

/// End user id → record.
#[derive(Debug, Default)]
pub struct EndUserCache {
    inner: TtlCache<Arc<EndUserRecord>>,
}

impl EndUserCache {
    pub fn get(&self, user_id: &str) -> Option<Arc<EndUserRecord>> {
        self.inner.get(user_id)
    }

    pub fn insert(&self, record: Arc<EndUserRecord>) {
        self.inner
            .insert(record.user_id.clone(), record, PRINCIPAL_TTL);
    }

    pub fn invalidate(&self, user_id: &str) {
        self.inner.invalidate(user_id);
    }

    pub fn invalidate_all(&self) {
        self.inner.invalidate_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values expire after their TTL and can be dropped explicitly.
    #[test]
    fn ttl_and_invalidation() {
        let c: TtlCache<u32> = TtlCache::default();
        c.insert("a".into(), 1, Duration::from_secs(60));
        c.insert("b".into(), 2, Duration::ZERO);
        assert_eq!(c.get("a"), Some(1));
        assert_eq!(c.get("b"), None);
        c.invalidate("a");
        assert_eq!(c.get("a"), None);
    }
}
