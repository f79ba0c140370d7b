//! Who exists besides keys: organizations, teams (and their members), users, end users
//! (customers: the OpenAI `user` field). Records only; storage is in [`crate::store`], admin
//! operations in [`crate::admin`].

pub mod budget;
pub mod budget_cache;
pub mod end_user;
pub mod organization;
pub mod team;
pub mod user;

pub use budget::{BudgetRecord, TagRecord};
pub use budget_cache::NamedBudgets;
pub use end_user::{EndUserRecord, EndUserSettings};
pub use organization::{OrganizationMembership, OrganizationRecord, OrganizationSettings};
pub use team::{TeamMembership, TeamRecord, TeamRole, TeamSettings};
pub use user::{UserRecord, UserSettings};
