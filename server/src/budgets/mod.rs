//! Budgets that never overspend: an atomic reserve-then-settle ledger over every budget scope
//! of a request (see README.md next to this file).

mod ledger;
pub mod reset;

pub use ledger::{BudgetLedger, Reservation, Scope, ScopeLimit};
