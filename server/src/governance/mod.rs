//! Governance building blocks shared by keys, teams, users, organizations and end users: limits,
//! durations, the clock, roles. The entities themselves live in [`crate::keys`] and
//! [`crate::directory`]; their storage in [`crate::store`]; the admin operations in
//! [`crate::admin`].

pub mod clock;
pub mod duration;
pub mod limits;
pub mod roles;

pub use clock::Clock;
pub use limits::Limits;
pub use roles::UserRole;
