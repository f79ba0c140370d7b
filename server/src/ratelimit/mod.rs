//! Rate limits: requests and tokens per minute and per day, and requests in flight, for every
//! governed entity (key, key × model, user, team, team member, organization, end user).
//!
//! A request's checks are admitted all together or not at all: either every limit has room and
//! every counter is taken, or the request is refused with `rate_limit_error` naming the first
//! limit that has none, and nothing is counted. Requests are counted on arrival; tokens are
//! reserved from an estimate (the prompt's tokens) and settled to the real total when the call
//! ends; a parallel slot is held until the call or stream ends, the client leaves, or it fails.
//! Windows slide (see [`window`]): there is no burst of twice the limit at a minute boundary.
//!
//! With Redis the counters live there and every instance shares them ([`shared`], one Lua
//! script per admission); without it, or while Redis is down and `redis_failure_mode` is
//! `open`, they live in this instance's memory ([`local`]).

mod check;
mod local;
mod permit;
mod shared;
pub mod window;

use std::sync::Arc;

pub use check::{Check, Measure, RateStatus, Remaining};
pub use permit::Permit;

use crate::config::redis::FailureMode;
use crate::error::{Error, Result};
use crate::governance::Clock;
use crate::redis::RedisLink;
use local::LocalLimiter;
use permit::Backend;
use shared::SharedLimiter;

/// Counters of every limit, in memory and (when configured) in Redis.
#[derive(Debug)]
pub struct RateLimiter {
    local: LocalLimiter,
    shared: Option<SharedLimiter>,
    failure_mode: FailureMode,
    clock: Clock,
    tasks: tokio_util::task::TaskTracker,
}

/// Why a set of checks was not admitted: which check, and when to retry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Refusal {
    pub check: usize,
    pub used: u64,
    pub retry_after_ms: i64,
}

/// What an admission took: per check, the bucket it was counted in and the usage after it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Admitted {
    pub buckets: Vec<i64>,
    pub used: Vec<u64>,
    pub reset_ms: Vec<i64>,
}

impl RateLimiter {
    pub fn new(
        redis: Option<Arc<RedisLink>>,
        clock: Clock,
        tasks: tokio_util::task::TaskTracker,
        shutdown: tokio_util::sync::CancellationToken,
    ) -> Arc<Self> {
        let failure_mode = redis
            .as_ref()
            .map_or(FailureMode::Open, |r| r.settings().failure_mode);
        let shared = redis.map(|link| SharedLimiter::start(link, clock.clone(), &tasks, shutdown));
        Arc::new(Self {
            local: LocalLimiter::default(),
            shared,
            failure_mode,
            clock,
            tasks,
        })
    }

    /// Admits `checks` (all or none) for a request whose prompt has `estimate` tokens.
    pub async fn acquire(self: &Arc<Self>, checks: Vec<Check>, estimate: u64) -> Result<Permit> {
        if checks.is_empty() {
            return Ok(Permit::none());
        }
        let now = self.clock.now_ms();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let outcome = match &self.shared {
            Some(shared) => match shared.acquire(&checks, estimate, now, &id).await {
                Ok(outcome) => Some((Backend::Shared, outcome)),
                Err(crate::redis::Unavailable) if self.failure_mode == FailureMode::Closed => {
                    return Err(Error::Unavailable(
                        "Rate limits cannot be checked: Redis is unreachable and redis_failure_mode is closed".into(),
                    ));
                }
                Err(crate::redis::Unavailable) => None,
            },
            None => None,
        };
        let (backend, outcome) = match outcome {
            Some(found) => found,
            None => (Backend::Local, self.local.acquire(&checks, estimate, now)),
        };
        match outcome {
            Ok(admitted) => Ok(Permit::new(
                self.clone(),
                backend,
                id,
                checks,
                estimate,
                admitted,
            )),
            Err(refusal) => Err(refused(&checks, &refusal)),
        }
    }

    /// Whether the shared counters are in use now (false: Redis absent or down).
    pub fn is_shared(&self) -> bool {
        self.shared.as_ref().is_some_and(SharedLimiter::is_up)
    }
}

/// The `rate_limit_error` for a refusal, naming the limit and the entity.
fn refused(checks: &[Check], refusal: &Refusal) -> Error {
    let Some(check) = checks.get(refusal.check) else {
        return Error::RateLimited {
            message: "Rate limit exceeded".into(),
            retry_after: None,
        };
    };
    let retry_secs = (refusal.retry_after_ms.max(0) + 999) / 1000;
    let message = match check.measure {
        Measure::Parallel => format!(
            "Rate limit exceeded: {} allows {} parallel requests ({}), and {} are in flight",
            check.subject.describe(),
            check.limit,
            check.setting,
            refusal.used
        ),
        measure => format!(
            "Rate limit exceeded: {} allows {} {} ({}); {} used in the current window, retry in {retry_secs}s",
            check.subject.describe(),
            check.limit,
            measure.unit(),
            check.setting,
            refusal.used
        ),
    };
    Error::RateLimited {
        message,
        retry_after: Some(std::time::Duration::from_secs(retry_secs.max(1) as u64)),
    }
}
