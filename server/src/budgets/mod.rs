//! Budgets that never overspend: an atomic reserve-then-settle ledger over every budget scope
//! of a request (see README.md next to this file).

pub mod alerts;
mod book;
mod ledger;
pub mod reset;
mod shared;

pub use alerts::BudgetAlerts;
pub use book::{BudgetBook, BudgetHold};
pub use ledger::{BudgetLedger, Reservation, Scope, ScopeLimit};
pub use shared::Spent;
