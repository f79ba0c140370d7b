//! Reads one YAML mapping key by key, collecting every problem instead of stopping at the first.
//!
//! [`Section::get`] takes a known key out of the mapping and deserializes it, recording a
//! type error with the key's full path. [`Section::finish`] reports what is left: keys LiteLLM
//! documents but Tollgate does not implement ("not implemented") and keys nobody knows ("not
//! recognised"). Both are warnings, or errors under `--strict`.

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

/// Everything found wrong with a config, gathered in one pass.
#[derive(Debug, Default)]
pub struct Problems {
    pub errors: Vec<String>,
    /// Warnings shown as they are.
    pub warnings: Vec<String>,
    /// Unimplemented or unknown keys: shown once per key, whatever the list index.
    pub unsupported_keys: Vec<String>,
    pub strict: bool,
}

impl Problems {
    pub fn error(&mut self, message: impl Into<String>) {
        self.errors.push(message.into());
    }

    /// A warning, or an error under `--strict`.
    pub fn unsupported(&mut self, message: impl Into<String>) {
        if self.strict {
            self.errors.push(message.into());
        } else {
            self.unsupported_keys.push(message.into());
        }
    }
}

/// A mapping being read at `path` (e.g. `model_list[2].litellm_params`).
#[derive(Debug)]
pub struct Section {
    path: String,
    map: Mapping,
}

impl Section {
    /// Reads `value` as a mapping; `null` or absent reads as empty.
    pub fn new(path: impl Into<String>, value: Option<Value>, problems: &mut Problems) -> Self {
        let path = path.into();
        let map = match value {
            None | Some(Value::Null) => Mapping::new(),
            Some(Value::Mapping(map)) => map,
            Some(other) => {
                problems.error(format!(
                    "{path}: expected a mapping, found {}",
                    describe(&other)
                ));
                Mapping::new()
            }
        };
        Self { path, map }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Removes `key` and deserializes it; a wrong type is recorded and reads as `None`.
    pub fn get<T: DeserializeOwned>(&mut self, key: &str, problems: &mut Problems) -> Option<T> {
        let value = self.map.remove(key)?;
        if value.is_null() {
            return None;
        }
        match serde_yaml::from_value::<T>(value) {
            Ok(v) => Some(v),
            Err(e) => {
                problems.error(format!("{}.{key}: {e}", self.path));
                None
            }
        }
    }

    /// Removes `key` and returns its raw value.
    pub fn take_raw(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key).filter(|v| !v.is_null())
    }

    /// Reports the keys no `get` took: documented-but-unimplemented ones and unknown ones.
    pub fn finish(self, not_implemented: &[&str], problems: &mut Problems) {
        for (key, _) in self.map {
            let key = match key {
                Value::String(s) => s,
                other => format!("{other:?}"),
            };
            if not_implemented.contains(&key.as_str()) {
                problems.unsupported(format!(
                    "{}.{key}: accepted but not implemented by Tollgate; it has no effect",
                    self.path
                ));
            } else {
                problems.unsupported(format!("{}.{key}: not recognised; ignored", self.path));
            }
        }
    }
}

/// A short description of a YAML value's type for error messages.
pub fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}
