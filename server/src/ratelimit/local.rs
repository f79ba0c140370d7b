//! The in-memory counters: this instance alone (no Redis, or Redis down with
//! `redis_failure_mode: open`). One mutex guards them; the critical section is a few map
//! lookups and additions, never an await.

use std::collections::HashMap;
use std::sync::Mutex;

use super::window::Window;
use super::{Admitted, Check, Measure, Refusal};

/// Drop idle counters every this many admissions.
const SWEEP_EVERY: u64 = 4096;

#[derive(Debug, Default)]
pub(crate) struct LocalLimiter {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    windows: HashMap<String, Window>,
    in_flight: HashMap<String, u64>,
    admissions: u64,
}

impl LocalLimiter {
    pub fn acquire(&self, checks: &[Check], estimate: u64, now: i64) -> Result<Admitted, Refusal> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.admissions += 1;
        if state.admissions.is_multiple_of(SWEEP_EVERY) {
            state.windows.retain(|_, w| !w.is_idle(now));
            state.in_flight.retain(|_, n| *n > 0);
        }
        let keys: Vec<String> = checks.iter().map(Check::counter_key).collect();
        let mut used = Vec::with_capacity(checks.len());
        for (i, (check, key)) in checks.iter().zip(&keys).enumerate() {
            let amount = amount(check.measure, estimate);
            let current = match check.measure {
                Measure::Parallel => state.in_flight.get(key).copied().unwrap_or(0),
                _ => state
                    .windows
                    .get(key)
                    .map_or(0, |w| w.used(now).max(0) as u64),
            };
            if current.saturating_add(amount) > check.limit {
                let retry_after_ms = match (check.measure, state.windows.get(key)) {
                    (Measure::Parallel, _) | (_, None) => 1_000,
                    (_, Some(w)) => w.wait_for(now, (current + amount - check.limit) as i64),
                };
                return Err(Refusal {
                    check: i,
                    used: current,
                    retry_after_ms,
                });
            }
            used.push(current + amount);
        }
        let mut buckets = Vec::with_capacity(checks.len());
        let mut reset_ms = Vec::with_capacity(checks.len());
        for (check, key) in checks.iter().zip(keys) {
            let amount = amount(check.measure, estimate);
            if check.measure == Measure::Parallel {
                *state.in_flight.entry(key).or_default() += 1;
                buckets.push(0);
                reset_ms.push(0);
            } else {
                let window = state
                    .windows
                    .entry(key)
                    .or_insert_with(|| Window::new(check.measure.window_ms()));
                buckets.push(window.add(now, amount as i64));
                reset_ms.push(window.reset_after(now));
            }
        }
        Ok(Admitted {
            buckets,
            used,
            reset_ms,
        })
    }

    /// Moves a token reservation counted in `bucket` by `delta`.
    pub fn adjust(&self, key: &str, bucket: i64, delta: i64, now: i64) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(window) = state.windows.get_mut(key) {
            window.adjust(now, bucket, delta);
        }
    }

    /// Gives back a parallel slot.
    pub fn release(&self, key: &str) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = state.in_flight.get_mut(key) {
            *n = n.saturating_sub(1);
        }
    }
}

/// What one admission adds to a check's counter.
pub(crate) fn amount(measure: Measure, estimate: u64) -> u64 {
    if measure.counts_tokens() { estimate } else { 1 }
}
