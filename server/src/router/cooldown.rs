//! Cooldowns: a deployment that keeps failing is taken out of every pick for a while.
//!
//! [`Cooldowns::mark_failure`] decides, after a failure that blames the deployment, whether it
//! cools, LiteLLM's way: more than `allowed_fails` failures within the current minute cool it
//! for `cooldown_time`; an upstream 429 cools it at once, for the upstream's `retry-after` when
//! given (at most `cooldown_time` × 12, a minute by default) and `cooldown_time` otherwise; an
//! authentication or not-found error cools it at once (its configuration is wrong). A group with
//! a single deployment is never cooled: there is nowhere else to send its traffic, and refusing
//! would only turn a passing error into a certain one. Time comes from the injected [`Clock`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use crate::governance::Clock;
use crate::providers::classify::ErrorClass;

/// The cooldown rules (`allowed_fails`, `cooldown_time`, `disable_cooldowns`).
#[derive(Debug, Clone, Copy)]
pub struct CooldownRules {
    pub allowed_fails: u32,
    pub cooldown_time: Duration,
    pub disabled: bool,
}

/// Why and until when a deployment cools.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Cooling {
    pub until_ms: i64,
    pub reason: String,
}

/// Cooling deployments by id.
#[derive(Debug)]
pub struct Cooldowns {
    clock: Clock,
    rules: CooldownRules,
    /// With Redis, a cooldown entered here is announced to the other instances
    /// ([`crate::fleet::Invalidation::Cooldown`]), which [`Cooldowns::enter`] it too: picks
    /// read only this map, never Redis.
    cooling: Mutex<HashMap<String, Cooling>>,
}

impl Cooldowns {
    pub fn new(clock: Clock, rules: CooldownRules) -> Self {
        Self {
            clock,
            rules,
            cooling: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Cooling>> {
        self.cooling
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records a failure of deployment `id` (whose group has `group_size` deployments) that
    /// failed `fails_this_minute` times this minute. Returns the cooldown it entered, if any.
    pub fn mark_failure(
        &self,
        id: &str,
        class: ErrorClass,
        fails_this_minute: u64,
        retry_after: Option<Duration>,
        group_size: usize,
    ) -> Option<Cooling> {
        if self.rules.disabled || group_size <= 1 || !class.blames_deployment() {
            return None;
        }
        let base = self.rules.cooldown_time;
        let (duration, reason) = match class {
            ErrorClass::RateLimit => (
                retry_after.map_or(base, |after| after.min(base * 12)),
                "rate limited by the upstream (429)".to_owned(),
            ),
            ErrorClass::Authentication | ErrorClass::NotFound => (
                base,
                "the upstream refused its credentials or model".to_owned(),
            ),
            _ if fails_this_minute > u64::from(self.rules.allowed_fails) => (
                base,
                format!(
                    "{fails_this_minute} failures this minute (allowed_fails: {})",
                    self.rules.allowed_fails
                ),
            ),
            _ => return None,
        };
        let cooling = Cooling {
            until_ms: self.clock.now_ms() + i64::try_from(duration.as_millis()).unwrap_or(0),
            reason,
        };
        tracing::warn!(deployment = id, until_ms = cooling.until_ms, reason = %cooling.reason, "deployment cooling down");
        self.map().insert(id.to_owned(), cooling.clone());
        Some(cooling)
    }

    /// Enters a cooldown another instance announced (keeps the later end if one is running).
    pub fn enter(&self, id: &str, cooling: Cooling) {
        if self.rules.disabled {
            return;
        }
        let mut map = self.map();
        if map.get(id).is_none_or(|c| c.until_ms < cooling.until_ms) {
            map.insert(id.to_owned(), cooling);
        }
    }

    /// The cooldown deployment `id` is in now, if any.
    pub fn cooling(&self, id: &str) -> Option<Cooling> {
        let now = self.clock.now_ms();
        let mut map = self.map();
        match map.get(id) {
            Some(c) if c.until_ms > now => Some(c.clone()),
            Some(_) => {
                map.remove(id);
                None
            }
            None => None,
        }
    }

    pub fn is_cooling(&self, id: &str) -> bool {
        self.cooling(id).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cooldowns(clock: &Clock) -> Cooldowns {
        Cooldowns::new(
            clock.clone(),
            CooldownRules {
                allowed_fails: 1,
                cooldown_time: Duration::from_secs(5),
                disabled: false,
            },
        )
    }

    // More than allowed_fails failures in a minute cool a deployment; it is back after cooldown_time.
    #[test]
    fn cooldown_entered_and_left() {
        let clock = Clock::manual(1_000_000);
        let c = cooldowns(&clock);
        let class = ErrorClass::InternalServer;
        assert!(c.mark_failure("a", class, 1, None, 2).is_none());
        assert!(!c.is_cooling("a"));
        let cooling = c.mark_failure("a", class, 2, None, 2).unwrap();
        assert_eq!(cooling.until_ms, 1_005_000);
        assert!(c.is_cooling("a"));
        clock.advance_ms(4_999);
        assert!(c.is_cooling("a"));
        clock.advance_ms(1);
        assert!(!c.is_cooling("a"));
    }

    // A 429 cools at once, for the upstream's retry-after; client errors and lone deployments never.
    #[test]
    fn rate_limits_cool_at_once() {
        let clock = Clock::manual(0);
        let c = cooldowns(&clock);
        let rl = ErrorClass::RateLimit;
        let cooling = c.mark_failure("a", rl, 1, Some(Duration::from_secs(2)), 3);
        assert_eq!(cooling.map(|c| c.until_ms), Some(2_000));
        assert!(c.mark_failure("b", rl, 1, None, 1).is_none(), "single");
        assert!(
            c.mark_failure("c", ErrorClass::BadRequest, 9, None, 3)
                .is_none()
        );
    }
}
