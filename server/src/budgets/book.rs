//! The budget bookkeeping the request path uses: the shared ledger in Redis when configured and
//! up, else this instance's in-memory ledger. While Redis is down, `redis_budget_failure_mode`
//! decides: `closed` (default) refuses budgeted requests with 503, since a budget shared by
//! several instances cannot be kept exact without the shared ledger; `open` carries on with
//! this instance's ledger (each instance then enforces the budget on its own).

use std::sync::Arc;

use tokio_util::task::TaskTracker;

use super::shared::{Reserved, SharedLedger, Spent, exceeded_message};
use super::{BudgetLedger, Reservation, Scope, ScopeLimit};
use crate::config::redis::FailureMode;
use crate::error::{Error, Result};
use crate::governance::Clock;
use crate::redis::{RedisLink, Unavailable};

#[derive(Debug)]
pub struct BudgetBook {
    local: Arc<BudgetLedger>,
    shared: Option<Arc<SharedLedger>>,
    failure_mode: FailureMode,
    clock: Clock,
    tasks: TaskTracker,
}

/// A reservation in whichever ledger took it; settle it, release it, or drop it (releases).
#[derive(Debug)]
pub enum BudgetHold {
    Local(Reservation),
    Shared(SharedHold),
}

#[derive(Debug)]
pub struct SharedHold {
    ledger: Arc<SharedLedger>,
    tasks: TaskTracker,
    scopes: Vec<Scope>,
    amount: f64,
    done: bool,
}

impl BudgetBook {
    pub fn new(clock: Clock, redis: Option<Arc<RedisLink>>, tasks: TaskTracker) -> Self {
        let failure_mode = redis
            .as_ref()
            .map_or(FailureMode::Open, |r| r.settings().budget_failure_mode);
        Self {
            local: BudgetLedger::new(clock.clone()),
            shared: redis.map(|link| Arc::new(SharedLedger { link })),
            failure_mode,
            clock,
            tasks,
        }
    }

    /// The in-memory ledger (used alone without Redis).
    pub fn local(&self) -> &Arc<BudgetLedger> {
        &self.local
    }

    /// Reserves `amount` against every scope of `limits`, or refuses with `budget_exceeded`.
    pub async fn reserve(&self, limits: &[ScopeLimit], amount: f64) -> Result<BudgetHold> {
        let amount = if amount.is_finite() {
            amount.max(0.0)
        } else {
            0.0
        };
        if let Some(shared) = self.usable_shared()? {
            match shared.reserve(limits, amount, self.clock.now_ms()).await {
                Ok(Reserved::Yes) => {
                    return Ok(BudgetHold::Shared(SharedHold {
                        ledger: shared.clone(),
                        tasks: self.tasks.clone(),
                        scopes: limits.iter().map(|l| l.scope.clone()).collect(),
                        amount,
                        done: false,
                    }));
                }
                Ok(Reserved::No {
                    index,
                    spent,
                    reserved,
                    reset_at,
                }) => {
                    let message = limits.get(index).map_or_else(
                        || "Budget has been exceeded".to_owned(),
                        |l| exceeded_message(l, spent, reserved, reset_at, amount),
                    );
                    return Err(Error::BudgetExceeded(message));
                }
                Err(Unavailable) => self.fall_back()?,
            }
        }
        self.local.reserve(limits, amount).map(BudgetHold::Local)
    }

    /// The least any of `limits` has left now.
    pub async fn remaining(&self, limits: &[ScopeLimit]) -> Result<f64> {
        if let Some(shared) = self.usable_shared()? {
            match shared.remaining(limits, self.clock.now_ms()).await {
                Ok(left) => return Ok(left),
                Err(Unavailable) => self.fall_back()?,
            }
        }
        Ok(limits
            .iter()
            .map(|l| self.local.remaining(l))
            .fold(f64::INFINITY, f64::min))
    }

    /// Forgets a scope everywhere (an admin changed its spend).
    pub async fn forget(&self, scope: &Scope) {
        self.local.forget(scope);
        if let Some(shared) = &self.shared {
            shared.forget(scope).await;
        }
    }

    /// The shared ledger if it is to be used now; an error if Redis is down and budgets fail
    /// closed; `None` to use the local ledger.
    fn usable_shared(&self) -> Result<Option<&Arc<SharedLedger>>> {
        match &self.shared {
            None => Ok(None),
            Some(shared) if shared.link.is_up() => Ok(Some(shared)),
            Some(_) => self.fall_back().map(|()| None),
        }
    }

    fn fall_back(&self) -> Result<()> {
        match self.failure_mode {
            FailureMode::Open => Ok(()),
            FailureMode::Closed => Err(Error::Unavailable(
                "Budgets cannot be checked: Redis is unreachable and redis_budget_failure_mode is closed".into(),
            )),
        }
    }
}

impl BudgetHold {
    pub fn amount(&self) -> f64 {
        match self {
            Self::Local(r) => r.amount(),
            Self::Shared(h) => h.amount,
        }
    }

    /// Replaces the reservation by the real cost, then hands the scopes' new spend to
    /// `settled` (at once for the local ledger, once Redis answers for the shared one).
    pub fn settle(self, actual_cost: f64, settled: impl FnOnce(Vec<Spent>) + Send + 'static) {
        let actual = if actual_cost.is_finite() {
            actual_cost.max(0.0)
        } else {
            0.0
        };
        match self {
            Self::Local(r) => {
                let ledger = r.ledger().clone();
                let scopes = r.scopes().to_vec();
                r.settle(actual);
                settled(
                    scopes
                        .into_iter()
                        .filter_map(|scope| {
                            let (spent, _, reset_at) = ledger.snapshot(&scope)?;
                            Some(Spent {
                                scope,
                                spent,
                                reset_at,
                            })
                        })
                        .collect(),
                );
            }
            Self::Shared(mut h) => {
                h.done = true;
                let (ledger, scopes, amount) =
                    (h.ledger.clone(), std::mem::take(&mut h.scopes), h.amount);
                h.tasks.spawn(async move {
                    if let Ok(spent) = ledger.settle(&scopes, amount, actual).await {
                        settled(spent);
                    }
                });
            }
        }
    }

    /// Gives the reservation back (the call failed before costing anything).
    pub fn release(self) {
        match self {
            Self::Local(r) => r.release(),
            Self::Shared(h) => drop(h),
        }
    }
}

impl Drop for SharedHold {
    fn drop(&mut self) {
        if self.done || tokio::runtime::Handle::try_current().is_err() {
            return;
        }
        let (ledger, scopes, amount) = (
            self.ledger.clone(),
            std::mem::take(&mut self.scopes),
            self.amount,
        );
        self.tasks.spawn(async move {
            let _ = ledger.settle(&scopes, amount, 0.0).await;
        });
    }
}
