//! Budgets that never overspend: an atomic reserve-then-settle ledger over every budget scope
//! of a request (see README.md next to this file).

pub mod alerts;
mod ledger;
pub mod reset;

pub use alerts::BudgetAlerts;
pub use ledger::{BudgetLedger, Reservation, Scope, ScopeLimit};
