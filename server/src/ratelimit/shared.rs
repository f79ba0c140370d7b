//! The counters in Redis, shared by every instance: one Lua script admits a request's checks
//! atomically (`acquire.lua`), one settles them (`settle.lua`). Parallel slots are leases: an
//! instance that dies mid-call frees its slots when their lease runs out ([`LEASE`]); live
//! instances renew the leases of their calls in flight ([`RENEW_EVERY`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::local::amount;
use super::window::bucket_ms;
use super::{Admitted, Check, Measure, Refusal};
use crate::redis::{PREFIX, RedisLink, Unavailable};

/// How long a parallel slot stays held without renewal.
const LEASE: Duration = Duration::from_secs(180);
const RENEW_EVERY: Duration = Duration::from_secs(60);

static ACQUIRE: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(include_str!("acquire.lua")));
static SETTLE: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(include_str!("settle.lua")));
static RENEW: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(include_str!("renew.lua")));

#[derive(Debug)]
pub(crate) struct SharedLimiter {
    link: Arc<RedisLink>,
    /// Permit id → the slot sets it holds, for lease renewal.
    held: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

/// What to do to one counter when a permit ends.
#[derive(Debug, Clone)]
pub(crate) enum Settlement {
    Adjust {
        key: String,
        bucket: i64,
        delta: i64,
    },
    Release {
        key: String,
    },
}

impl SharedLimiter {
    pub fn start(
        link: Arc<RedisLink>,
        clock: crate::governance::Clock,
        tasks: &TaskTracker,
        shutdown: CancellationToken,
    ) -> Self {
        let held: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
        let renewer = (link.clone(), held.clone());
        tasks.spawn(async move {
            let (link, held) = renewer;
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(RENEW_EVERY) => {}
                }
                let permits: Vec<(String, Vec<String>)> = held
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                let until = lease_until(clock.now_ms());
                for (permit, keys) in permits {
                    let _ = link
                        .run_script::<i64>(&RENEW, &keys, &[permit, until.to_string()])
                        .await;
                }
            }
        });
        Self { link, held }
    }

    pub fn is_up(&self) -> bool {
        self.link.is_up()
    }

    pub async fn acquire(
        &self,
        checks: &[Check],
        estimate: u64,
        now: i64,
        permit: &str,
    ) -> Result<Result<Admitted, Refusal>, Unavailable> {
        let keys: Vec<String> = checks.iter().map(redis_key).collect();
        let mut args = Vec::with_capacity(3 + checks.len() * 3);
        args.push(now.to_string());
        args.push(permit.to_owned());
        args.push(lease_until(now).to_string());
        for check in checks {
            args.push(check.limit.to_string());
            args.push(amount(check.measure, estimate).to_string());
            let bucket = match check.measure {
                Measure::Parallel => 0,
                m => bucket_ms(m.window_ms()),
            };
            args.push(bucket.to_string());
        }
        let reply: Vec<i64> = self.link.run_script(&ACQUIRE, &keys, &args).await?;
        match reply.first() {
            Some(1) => {
                let rest = &reply[1..];
                let admitted = Admitted {
                    used: rest.iter().step_by(3).map(|u| (*u).max(0) as u64).collect(),
                    reset_ms: rest.iter().skip(1).step_by(3).copied().collect(),
                    buckets: rest.iter().skip(2).step_by(3).copied().collect(),
                };
                let slots: Vec<String> = checks
                    .iter()
                    .zip(&keys)
                    .filter(|(c, _)| c.measure == Measure::Parallel)
                    .map(|(_, k)| k.clone())
                    .collect();
                if !slots.is_empty() {
                    self.held
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(permit.to_owned(), slots);
                }
                Ok(Ok(admitted))
            }
            Some(0) if reply.len() >= 4 => Ok(Err(Refusal {
                check: (reply[1].max(1) - 1) as usize,
                used: reply[2].max(0) as u64,
                retry_after_ms: reply[3],
            })),
            _ => {
                tracing::error!(?reply, "unexpected answer from the rate-limit script");
                Err(Unavailable)
            }
        }
    }

    /// Applies `settlements` for `permit`. Lost if Redis is down: a token adjustment then stays
    /// at its estimate and a slot is freed by its lease.
    pub async fn settle(&self, permit: &str, settlements: &[Settlement]) {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(permit);
        if settlements.is_empty() {
            return;
        }
        let mut keys = Vec::with_capacity(settlements.len());
        let mut args = vec![permit.to_owned()];
        for s in settlements {
            match s {
                Settlement::Adjust { key, bucket, delta } => {
                    keys.push(format!("{PREFIX}{key}"));
                    args.extend(["adjust".to_owned(), bucket.to_string(), delta.to_string()]);
                }
                Settlement::Release { key } => {
                    keys.push(format!("{PREFIX}{key}"));
                    args.extend(["release".to_owned(), "0".to_owned(), "0".to_owned()]);
                }
            }
        }
        let _ = self.link.run_script::<i64>(&SETTLE, &keys, &args).await;
    }
}

fn redis_key(check: &Check) -> String {
    format!("{PREFIX}{}", check.counter_key())
}

fn lease_until(now: i64) -> i64 {
    now + LEASE.as_millis() as i64
}
