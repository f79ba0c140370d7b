//! The in-memory budget ledger.
//!
//! One mutex guards the whole map: a reservation checks and updates all of a request's scopes
//! under it, which is what makes concurrent requests unable to overspend. The critical section
//! is a few hash lookups and additions, never an await.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, Result};
use crate::governance::Clock;

/// A budget scope: what is being limited.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Proxy,
    Organization(String),
    Team(String),
    TeamMember { team_id: String, user_id: String },
    User(String),
    Key(String),
    KeyModel { token: String, model: String },
    EndUser(String),
    Tag(String),
}

impl Scope {
    /// A stable storage key for the entity's counters (`kind:id`; ids of two-part scopes are
    /// length-prefixed so no id can pose as another).
    pub fn storage_key(&self) -> String {
        match self {
            Scope::Proxy => "proxy".into(),
            Scope::Organization(id) => format!("org:{id}"),
            Scope::Team(id) => format!("team:{id}"),
            Scope::TeamMember { team_id, user_id } => {
                format!("member:{}:{team_id}:{user_id}", team_id.len())
            }
            Scope::User(id) => format!("user:{id}"),
            Scope::Key(token) => format!("key:{token}"),
            Scope::KeyModel { token, model } => format!("keymodel:{token}:{model}"),
            Scope::EndUser(id) => format!("enduser:{id}"),
            Scope::Tag(tag) => format!("tag:{tag}"),
        }
    }

    /// How the entity is named in messages.
    pub fn describe(&self) -> String {
        match self {
            Scope::Proxy => "the proxy".into(),
            Scope::Organization(id) => format!("organization {id}"),
            Scope::Team(id) => format!("team {id}"),
            Scope::TeamMember { team_id, user_id } => format!("user {user_id} in team {team_id}"),
            Scope::User(id) => format!("user {id}"),
            Scope::Key(token) => format!("key {}", &token[..token.len().min(12)]),
            Scope::KeyModel { token, model } => {
                format!("key {} on model {model}", &token[..token.len().min(12)])
            }
            Scope::EndUser(id) => format!("end user {id}"),
            Scope::Tag(tag) => format!("tag {tag}"),
        }
    }
}

/// A scope's budget as the request sees it: the limit, the period, and the spend and reset
/// time known from the database (used only the first time the ledger sees the scope).
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeLimit {
    pub scope: Scope,
    /// USD; infinite for a scope that only has a soft budget.
    pub max_budget: f64,
    /// Spend at which an alert is sent (never refuses).
    pub soft_budget: Option<f64>,
    /// Reset period in ms (`budget_duration`), if any.
    pub period_ms: Option<i64>,
    pub stored_spend: f64,
    pub stored_reset_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry {
    spent: f64,
    reserved: f64,
    reset_at: Option<i64>,
}

/// Spend and reservations of every scope seen since start.
#[derive(Debug)]
pub struct BudgetLedger {
    entries: Mutex<HashMap<Scope, Entry>>,
    clock: Clock,
}

/// A reservation; settle it with the real cost, or drop it to release it.
#[derive(Debug)]
pub struct Reservation {
    ledger: Arc<BudgetLedger>,
    scopes: Vec<Scope>,
    amount: f64,
    done: bool,
}

impl BudgetLedger {
    pub fn new(clock: Clock) -> Arc<Self> {
        Arc::new(Self {
            entries: Mutex::new(HashMap::new()),
            clock,
        })
    }

    /// Reserves `amount` USD against every scope in `limits`, or none: refuses with
    /// `budget_exceeded` naming the first scope that cannot take it.
    pub fn reserve(self: &Arc<Self>, limits: &[ScopeLimit], amount: f64) -> Result<Reservation> {
        let amount = if amount.is_finite() {
            amount.max(0.0)
        } else {
            0.0
        };
        let now = self.clock.now_ms();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for limit in limits {
            let entry = entries.entry(limit.scope.clone()).or_insert_with(|| Entry {
                spent: limit.stored_spend,
                reserved: 0.0,
                reset_at: limit.stored_reset_at,
            });
            roll_period(entry, limit.period_ms, now);
            if entry.spent + entry.reserved + amount > limit.max_budget + 1e-12 {
                return Err(Error::BudgetExceeded(super::shared::exceeded_message(
                    limit,
                    entry.spent,
                    entry.reserved,
                    entry.reset_at,
                    amount,
                )));
            }
        }
        for limit in limits {
            if let Some(entry) = entries.get_mut(&limit.scope) {
                entry.reserved += amount;
            }
        }
        Ok(Reservation {
            ledger: self.clone(),
            scopes: limits.iter().map(|l| l.scope.clone()).collect(),
            amount,
            done: false,
        })
    }

    /// What a scope has left under `limit` now (for capping `max_tokens`).
    pub fn remaining(&self, limit: &ScopeLimit) -> f64 {
        let now = self.clock.now_ms();
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let entry = entries.entry(limit.scope.clone()).or_insert_with(|| Entry {
            spent: limit.stored_spend,
            reserved: 0.0,
            reset_at: limit.stored_reset_at,
        });
        roll_period(entry, limit.period_ms, now);
        (limit.max_budget - entry.spent - entry.reserved).max(0.0)
    }

    /// Spend and reservation of a scope, if the ledger has seen it.
    pub fn snapshot(&self, scope: &Scope) -> Option<(f64, f64, Option<i64>)> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(scope)
            .map(|e| (e.spent, e.reserved, e.reset_at))
    }

    /// Forgets a scope (its budget or spend was changed by an admin): the next request
    /// re-seeds it from the database.
    pub fn forget(&self, scope: &Scope) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.get(scope).is_some_and(|e| e.reserved <= 0.0) {
            entries.remove(scope);
        }
    }

    fn finish(&self, scopes: &[Scope], reserved: f64, actual: f64) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        for scope in scopes {
            if let Some(entry) = entries.get_mut(scope) {
                entry.reserved = (entry.reserved - reserved).max(0.0);
                entry.spent += actual;
            }
        }
    }
}

/// Resets `entry` if its period is over, moving `reset_at` past `now` by whole periods.
fn roll_period(entry: &mut Entry, period_ms: Option<i64>, now: i64) {
    let Some(period) = period_ms.filter(|p| *p > 0) else {
        return;
    };
    match entry.reset_at {
        None => entry.reset_at = Some(now + period),
        Some(at) if now >= at => {
            let periods = (now - at) / period + 1;
            entry.reset_at = Some(at + periods * period);
            entry.spent = 0.0;
        }
        Some(_) => {}
    }
}

impl Reservation {
    /// Replaces the reservation by the real cost.
    pub fn settle(mut self, actual_cost: f64) {
        let actual = if actual_cost.is_finite() {
            actual_cost.max(0.0)
        } else {
            0.0
        };
        self.ledger.finish(&self.scopes, self.amount, actual);
        self.done = true;
    }

    /// Gives the reservation back (the call failed before costing anything).
    pub fn release(mut self) {
        self.ledger.finish(&self.scopes, self.amount, 0.0);
        self.done = true;
    }

    pub fn amount(&self) -> f64 {
        self.amount
    }

    pub(crate) fn ledger(&self) -> &Arc<BudgetLedger> {
        &self.ledger
    }

    pub(crate) fn scopes(&self) -> &[Scope] {
        &self.scopes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if !self.done {
            self.ledger.finish(&self.scopes, self.amount, 0.0);
        }
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
