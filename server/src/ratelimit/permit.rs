//! A granted admission. [`Permit::settle`] replaces the token estimate by the real count and
//! frees the parallel slots; dropping a permit without settling (an error, a client that left)
//! frees the slots and leaves the estimate counted.

use std::sync::Arc;

use super::shared::Settlement;
use super::{Admitted, Check, Measure, RateLimiter, RateStatus};

/// Where the counters of a permit live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Local,
    Shared,
}

#[derive(Debug)]
pub struct Permit {
    inner: Option<Held>,
    /// The tightest request and token limits after this admission (for headers).
    pub status: RateStatus,
}

#[derive(Debug)]
struct Held {
    limiter: Arc<RateLimiter>,
    backend: Backend,
    id: String,
    checks: Vec<Check>,
    buckets: Vec<i64>,
    estimate: u64,
}

impl Permit {
    /// A permit for a request no limit applies to.
    pub fn none() -> Self {
        Self {
            inner: None,
            status: RateStatus::default(),
        }
    }

    pub(crate) fn new(
        limiter: Arc<RateLimiter>,
        backend: Backend,
        id: String,
        checks: Vec<Check>,
        estimate: u64,
        admitted: Admitted,
    ) -> Self {
        let status = RateStatus::of(&checks, &admitted.used, &admitted.reset_ms);
        Self {
            inner: Some(Held {
                limiter,
                backend,
                id,
                checks,
                buckets: admitted.buckets,
                estimate,
            }),
            status,
        }
    }

    /// Ends the permit with the call's real token total.
    pub fn settle(mut self, total_tokens: u64) {
        if let Some(held) = self.inner.take() {
            held.finish(Some(total_tokens));
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(held) = self.inner.take() {
            held.finish(None);
        }
    }
}

impl Held {
    fn finish(self, total_tokens: Option<u64>) {
        let delta = total_tokens.map(|t| t as i64 - self.estimate as i64);
        let mut settlements = Vec::new();
        for (check, bucket) in self.checks.iter().zip(&self.buckets) {
            match (check.measure, delta) {
                (Measure::Parallel, _) => settlements.push(Settlement::Release {
                    key: check.counter_key(),
                }),
                (m, Some(delta)) if m.counts_tokens() && delta != 0 => {
                    settlements.push(Settlement::Adjust {
                        key: check.counter_key(),
                        bucket: *bucket,
                        delta,
                    });
                }
                _ => {}
            }
        }
        if settlements.is_empty() {
            return;
        }
        let limiter = self.limiter;
        match self.backend {
            Backend::Local => {
                let now = limiter.clock.now_ms();
                for s in &settlements {
                    match s {
                        Settlement::Adjust { key, bucket, delta } => {
                            limiter.local.adjust(key, *bucket, *delta, now);
                        }
                        Settlement::Release { key } => limiter.local.release(key),
                    }
                }
            }
            Backend::Shared => {
                let id = self.id;
                let tasks = limiter.tasks.clone();
                if tokio::runtime::Handle::try_current().is_ok() {
                    tasks.spawn(async move {
                        if let Some(shared) = &limiter.shared {
                            shared.settle(&id, &settlements).await;
                        }
                    });
                }
            }
        }
    }
}
