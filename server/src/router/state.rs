//! The live state of one deployment, read by the strategies and `/model/info`: calls in flight,
//! recent latency and time to first token (moving averages), this minute's requests, tokens,
//! successes and failures, and the last health check. Minutes come from the injected
//! [`Clock`], so windows are tested without sleeping. Cooldowns are not here (see
//! `cooldown.rs`): they may be shared between instances, this state is per instance.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::Serialize;

use crate::governance::Clock;

/// Weight of the newest sample in the latency moving averages.
const EWMA_ALPHA: f64 = 0.3;

/// One deployment's counters.
#[derive(Debug)]
pub struct DeploymentState {
    clock: Clock,
    in_flight: AtomicU64,
    stats: Mutex<Stats>,
}

#[derive(Debug, Default, Clone)]
struct Stats {
    latency_ms: Option<f64>,
    ttft_ms: Option<f64>,
    /// Unix minute the counters below belong to.
    minute: i64,
    requests: u64,
    tokens: u64,
    successes: u64,
    failures: u64,
    health: Option<Health>,
}

/// The result of the last health check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub healthy: bool,
    pub checked_at_ms: i64,
    pub latency_ms: f64,
    pub error: Option<String>,
}

/// A copy of the state at one moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateView {
    pub in_flight: u64,
    /// Moving average of whole-call latency (ms); `None` before the first success.
    pub latency_ms: Option<f64>,
    /// Moving average of time to first token of streams (ms).
    pub ttft_ms: Option<f64>,
    /// Requests and tokens this minute (rpm / tpm use).
    pub rpm_used: u64,
    pub tpm_used: u64,
    pub successes_this_minute: u64,
    pub failures_this_minute: u64,
    /// `false` only when the last health check failed.
    pub healthy: bool,
    pub health: Option<Health>,
}

impl DeploymentState {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            in_flight: AtomicU64::new(0),
            stats: Mutex::new(Stats::default()),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Stats) -> R) -> R {
        let minute = self.clock.now_ms().div_euclid(60_000);
        let mut stats = self
            .stats
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if stats.minute != minute {
            stats.minute = minute;
            stats.requests = 0;
            stats.tokens = 0;
            stats.successes = 0;
            stats.failures = 0;
        }
        f(&mut stats)
    }

    /// A call starts: one more in flight and one more request this minute.
    pub fn begin(&self) {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        self.with(|s| s.requests += 1);
    }

    /// A call started with [`begin`](Self::begin) is over.
    pub fn end(&self) {
        let _ = self
            .in_flight
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
    }

    /// A call succeeded after `latency`, using `tokens`.
    pub fn record_success(&self, latency: Duration, tokens: u64) {
        let ms = latency.as_secs_f64() * 1000.0;
        self.with(|s| {
            s.successes += 1;
            s.tokens += tokens;
            s.latency_ms = Some(ewma(s.latency_ms, ms));
        });
    }

    /// Tokens of a call counted after it ended (a stream's usage).
    pub fn add_tokens(&self, tokens: u64) {
        self.with(|s| s.tokens += tokens);
    }

    /// A stream's first token came after `ttft`.
    pub fn record_ttft(&self, ttft: Duration) {
        let ms = ttft.as_secs_f64() * 1000.0;
        self.with(|s| s.ttft_ms = Some(ewma(s.ttft_ms, ms)));
    }

    /// A call failed; returns the failures this minute, this one included.
    pub fn record_failure(&self) -> u64 {
        self.with(|s| {
            s.failures += 1;
            s.failures
        })
    }

    /// Stores a health check result.
    pub fn set_health(&self, healthy: bool, latency: Duration, error: Option<String>) {
        let checked_at_ms = self.clock.now_ms();
        self.with(|s| {
            s.health = Some(Health {
                healthy,
                checked_at_ms,
                latency_ms: latency.as_secs_f64() * 1000.0,
                error,
            });
        });
    }

    pub fn in_flight(&self) -> u64 {
        self.in_flight.load(Ordering::SeqCst)
    }

    pub fn view(&self) -> StateView {
        let in_flight = self.in_flight();
        self.with(|s| StateView {
            in_flight,
            latency_ms: s.latency_ms,
            ttft_ms: s.ttft_ms,
            rpm_used: s.requests,
            tpm_used: s.tokens,
            successes_this_minute: s.successes,
            failures_this_minute: s.failures,
            healthy: s.health.as_ref().is_none_or(|h| h.healthy),
            health: s.health.clone(),
        })
    }
}

fn ewma(previous: Option<f64>, sample: f64) -> f64 {
    match previous {
        None => sample,
        Some(p) => p + EWMA_ALPHA * (sample - p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Minute counters reset when the injected clock enters a new minute; averages persist.
    #[test]
    fn minute_window_follows_the_clock() {
        let clock = Clock::manual(60_000);
        let s = DeploymentState::new(clock.clone());
        s.begin();
        s.record_success(Duration::from_millis(100), 50);
        assert_eq!(s.record_failure(), 1);
        let v = s.view();
        assert_eq!((v.rpm_used, v.tpm_used, v.failures_this_minute), (1, 50, 1));
        assert_eq!(v.in_flight, 1);
        clock.advance_ms(60_000);
        let v = s.view();
        assert_eq!((v.rpm_used, v.tpm_used, v.failures_this_minute), (0, 0, 0));
        assert_eq!(v.latency_ms, Some(100.0));
        s.end();
        s.end();
        assert_eq!(s.in_flight(), 0, "never below zero");
    }

    // The latency average moves towards new samples without jumping to them.
    #[test]
    fn latency_is_a_moving_average() {
        let s = DeploymentState::new(Clock::manual(0));
        s.record_success(Duration::from_millis(100), 0);
        s.record_success(Duration::from_millis(200), 0);
        let ms = s.view().latency_ms.unwrap_or_default();
        assert!((ms - 130.0).abs() < 1e-9, "{ms}");
    }

    // A failed health check marks the deployment unhealthy until a passing one.
    #[test]
    fn health_marks_and_unmarks() {
        let s = DeploymentState::new(Clock::manual(0));
        assert!(s.view().healthy);
        s.set_health(false, Duration::from_millis(5), Some("down".into()));
        assert!(!s.view().healthy);
        s.set_health(true, Duration::from_millis(5), None);
        assert!(s.view().healthy);
    }
}
