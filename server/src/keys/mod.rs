//! Virtual keys: the record, secret generation and hashing. Only the SHA-256 of a secret is
//! stored; the secret is shown once, when generated.

pub mod model;
pub mod secret;

pub use model::{KeyRecord, KeySettings};
