//! The `settings` JSON column: encoded and decoded in one place, so a corrupt row is a clear
//! internal error naming the table and id, never a panic.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

pub fn encode<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(Error::internal)
}

pub fn decode<T: DeserializeOwned>(text: &str, table: &str, id: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(format!("corrupt settings in {table} row {id}: {e}")))
}
