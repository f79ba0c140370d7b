//! The budget ledger in Redis, shared by every instance: the same reserve-then-settle as the
//! in-memory ledger, each step one Lua script (`reserve.lua`, `settle.lua`). A scope Redis does
//! not hold yet is seeded from the database's spend and reset time; scopes idle for a day expire
//! and are seeded again when next used.

use std::sync::{Arc, LazyLock};

use super::{Scope, ScopeLimit};
use crate::governance::clock::to_rfc3339;
use crate::redis::{PREFIX, RedisLink, Unavailable};

/// How long an idle scope stays in Redis.
const TTL_MS: i64 = 86_400_000;

static RESERVE: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(include_str!("reserve.lua")));
static SETTLE: LazyLock<redis::Script> =
    LazyLock::new(|| redis::Script::new(include_str!("settle.lua")));

#[derive(Debug)]
pub(crate) struct SharedLedger {
    pub link: Arc<RedisLink>,
}

/// A scope's spend after a settlement (for alerts).
#[derive(Debug, Clone, PartialEq)]
pub struct Spent {
    pub scope: Scope,
    pub spent: f64,
    pub reset_at: Option<i64>,
}

/// The outcome of a reservation attempt.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reserved {
    Yes,
    /// Scope `index` has no room: its spend, reservations and reset time.
    No {
        index: usize,
        spent: f64,
        reserved: f64,
        reset_at: Option<i64>,
    },
}

impl SharedLedger {
    pub async fn reserve(
        &self,
        limits: &[ScopeLimit],
        amount: f64,
        now: i64,
    ) -> Result<Reserved, Unavailable> {
        let reply: Vec<String> = self.run_reserve(limits, amount, now).await?;
        match reply.first().map(String::as_str) {
            Some("1") => Ok(Reserved::Yes),
            Some("0") if reply.len() >= 5 => Ok(Reserved::No {
                index: reply[1].parse::<usize>().unwrap_or(1).saturating_sub(1),
                spent: reply[2].parse().unwrap_or(0.0),
                reserved: reply[3].parse().unwrap_or(0.0),
                reset_at: reply[4]
                    .parse::<f64>()
                    .ok()
                    .filter(|r| *r >= 0.0)
                    .map(|r| r as i64),
            }),
            _ => Err(self.unexpected(&reply)),
        }
    }

    /// The least any of `limits` has left now.
    pub async fn remaining(&self, limits: &[ScopeLimit], now: i64) -> Result<f64, Unavailable> {
        let reply: Vec<String> = self.run_reserve(limits, -1.0, now).await?;
        match (reply.first().map(String::as_str), reply.get(1)) {
            (Some("2"), Some(left)) => Ok(left.parse::<f64>().unwrap_or(0.0).max(0.0)),
            _ => Err(self.unexpected(&reply)),
        }
    }

    async fn run_reserve(
        &self,
        limits: &[ScopeLimit],
        amount: f64,
        now: i64,
    ) -> Result<Vec<String>, Unavailable> {
        let keys: Vec<String> = limits.iter().map(|l| key(&l.scope)).collect();
        let mut args = vec![now.to_string(), amount.to_string(), TTL_MS.to_string()];
        for l in limits {
            args.push(if l.max_budget.is_finite() {
                l.max_budget.to_string()
            } else {
                "-".into()
            });
            args.push(l.period_ms.unwrap_or(0).to_string());
            args.push(l.stored_spend.to_string());
            args.push(l.stored_reset_at.unwrap_or(-1).to_string());
        }
        self.link.run_script(&RESERVE, &keys, &args).await
    }

    /// Replaces `reserved` by `actual` on every scope; answers their spend afterwards.
    pub async fn settle(
        &self,
        scopes: &[Scope],
        reserved: f64,
        actual: f64,
    ) -> Result<Vec<Spent>, Unavailable> {
        let keys: Vec<String> = scopes.iter().map(key).collect();
        let args = [reserved.to_string(), actual.to_string(), TTL_MS.to_string()];
        let reply: Vec<String> = self.link.run_script(&SETTLE, &keys, &args).await?;
        Ok(scopes
            .iter()
            .zip(reply.chunks(2))
            .filter_map(|(scope, pair)| {
                let spent = pair.first()?.parse::<f64>().ok()?;
                let reset_at = pair
                    .get(1)
                    .and_then(|r| r.parse::<f64>().ok())
                    .filter(|r| *r >= 0.0)
                    .map(|r| r as i64);
                Some(Spent {
                    scope: scope.clone(),
                    spent,
                    reset_at,
                })
            })
            .collect())
    }

    /// Drops a scope (an admin changed its spend): the next request seeds it again.
    pub async fn forget(&self, scope: &Scope) {
        let _ = self
            .link
            .run::<i64>(redis::cmd("DEL").arg(key(scope)))
            .await;
    }

    fn unexpected(&self, reply: &[String]) -> Unavailable {
        tracing::error!(?reply, "unexpected answer from the budget script");
        Unavailable
    }
}

fn key(scope: &Scope) -> String {
    format!("{PREFIX}budget:{}", scope.storage_key())
}

/// The `budget_exceeded` message for a scope without room.
pub(crate) fn exceeded_message(
    limit: &ScopeLimit,
    spent: f64,
    reserved: f64,
    reset_at: Option<i64>,
    amount: f64,
) -> String {
    format!(
        "Budget has been exceeded: {} has spent ${spent:.6} (plus ${reserved:.6} reserved by requests in flight) of its ${:.6} budget; this request may cost up to ${amount:.6}{}",
        limit.scope.describe(),
        limit.max_budget,
        reset_at
            .map(|r| format!(" (the budget resets at {})", to_rfc3339(r)))
            .unwrap_or_default()
    )
}
