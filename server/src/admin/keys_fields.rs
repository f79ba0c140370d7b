//! Reading typed fields out of a JSON object with messages that name the field, and [`Patch`],
//! the three states of a field in a change (absent, `null`, a value).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// A field of a request: not sent, sent as `null` (clear it), or sent with a value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Patch<T> {
    #[default]
    Absent,
    Null,
    Set(T),
}

impl<T> Patch<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Patch::Set(v) => Some(v),
            Patch::Absent | Patch::Null => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The new value if the field was sent: `Some(None)` clears it.
    pub fn change(&self) -> Option<Option<&T>> {
        match self {
            Patch::Absent => None,
            Patch::Null => Some(None),
            Patch::Set(v) => Some(Some(v)),
        }
    }

    /// A value that fails `keep` counts as `null`.
    pub fn filter(self, keep: impl FnOnce(&T) -> bool) -> Self {
        match self {
            Patch::Set(v) if keep(&v) => Patch::Set(v),
            Patch::Set(_) => Patch::Null,
            other => other,
        }
    }
}

/// The fields of a JSON object, read one by one.
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// The body must be a JSON object.
    pub fn of(body: &'a Value) -> Result<Self> {
        match body {
            Value::Object(map) => Ok(Self(map)),
            other => Err(Error::invalid(format!(
                "the request body must be a JSON object, got {}",
                kind(other)
            ))),
        }
    }

    fn read<T>(&self, name: &str, parse: impl FnOnce(&Value) -> Result<T>) -> Result<Patch<T>> {
        match self.0.get(name) {
            None => Ok(Patch::Absent),
            Some(Value::Null) => Ok(Patch::Null),
            Some(value) => parse(value).map(Patch::Set),
        }
    }

    pub fn string(&self, name: &str) -> Result<Patch<String>> {
        self.read(name, |v| string(v, name))
    }

    pub fn required_string(&self, name: &str) -> Result<String> {
        match self.string(name)? {
            Patch::Set(s) if !s.is_empty() => Ok(s),
            _ => Err(Error::invalid_param(
                format!("{name}: required parameter is missing"),
                name,
            )),
        }
    }

    pub fn boolean(&self, name: &str) -> Result<Patch<bool>> {
        self.read(name, |v| {
            v.as_bool().ok_or_else(|| wrong(name, "a boolean", v))
        })
    }

    pub fn strings(&self, name: &str) -> Result<Patch<Vec<String>>> {
        self.read(name, |v| strings(v, name))
    }

    pub fn object(&self, name: &str) -> Result<Patch<Map<String, Value>>> {
        self.read(name, |v| object(v, name).cloned())
    }

    pub fn string_map(&self, name: &str) -> Result<Patch<BTreeMap<String, String>>> {
        self.read(name, |v| {
            object(v, name)?
                .iter()
                .map(|(k, v)| Ok((k.clone(), string(v, &format!("{name}.{k}"))?)))
                .collect()
        })
    }

    /// A non-negative number of USD.
    pub fn amount(&self, name: &str) -> Result<Patch<f64>> {
        self.read(name, |v| amount(v, name))
    }

    /// Like [`Fields::amount`], with `""` read as `null`.
    pub fn amount_or_empty(&self, name: &str) -> Result<Patch<f64>> {
        match self.0.get(name) {
            Some(Value::String(s)) if s.is_empty() => Ok(Patch::Null),
            _ => self.amount(name),
        }
    }

    /// A non-negative whole number.
    pub fn count(&self, name: &str) -> Result<Patch<u64>> {
        self.read(name, |v| count(v, name))
    }

    pub fn count_map(&self, name: &str) -> Result<Patch<BTreeMap<String, u64>>> {
        self.read(name, |v| {
            object(v, name)?
                .iter()
                .map(|(k, v)| Ok((k.clone(), count(v, &format!("{name}.{k}"))?)))
                .collect()
        })
    }

    /// Per-model budgets: a number, or LiteLLM's `{"budget_limit": x, "time_period": "30d"}`.
    pub fn model_budgets(&self, name: &str) -> Result<Patch<BTreeMap<String, Value>>> {
        self.read(name, |v| {
            let map = object(v, name)?;
            for (model, budget) in map {
                let at = format!("{name}.{model}");
                match budget {
                    Value::Number(_) => {
                        amount(budget, &at)?;
                    }
                    Value::Object(config) => {
                        for limit in ["budget_limit", "max_budget"] {
                            if let Some(v) = config.get(limit).filter(|v| !v.is_null()) {
                                amount(v, &format!("{at}.{limit}"))?;
                            }
                        }
                        for period in ["time_period", "budget_duration"] {
                            if let Some(v) = config.get(period).filter(|v| !v.is_null()) {
                                let at = format!("{at}.{period}");
                                crate::governance::duration::parse(&string(v, &at)?, &at)
                                    .map_err(|e| Error::invalid_param(e.to_string(), name))?;
                            }
                        }
                    }
                    other => return Err(wrong(&at, "a number or an object", other)),
                }
            }
            Ok(map.clone().into_iter().collect())
        })
    }

    /// LiteLLM's `object_permission` (MCP servers, access groups, tool permissions, ...):
    /// the known lists must be lists of strings; the object is stored as given.
    pub fn object_permission(&self, name: &str) -> Result<Patch<Value>> {
        self.read(name, |v| {
            let map = object(v, name)?;
            for (field, value) in map {
                let at = format!("{name}.{field}");
                match (field.as_str(), value) {
                    (_, Value::Null) => {}
                    ("mcp_tool_permissions", tools) => {
                        for (server, list) in object(tools, &at)? {
                            strings(list, &format!("{at}.{server}"))?;
                        }
                    }
                    (
                        "mcp_servers"
                        | "mcp_access_groups"
                        | "mcp_toolsets"
                        | "blocked_tools"
                        | "vector_stores"
                        | "agents"
                        | "agent_access_groups"
                        | "models",
                        list,
                    ) => {
                        strings(list, &at)?;
                    }
                    _ => {}
                }
            }
            Ok(v.clone())
        })
    }
}

fn string(v: &Value, name: &str) -> Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| wrong(name, "a string", v))
}

fn strings(v: &Value, name: &str) -> Result<Vec<String>> {
    let Value::Array(items) = v else {
        return Err(wrong(name, "a list of strings", v));
    };
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_owned)
                .ok_or_else(|| wrong(name, "a list of strings", item))
        })
        .collect()
}

fn object<'v>(v: &'v Value, name: &str) -> Result<&'v Map<String, Value>> {
    v.as_object().ok_or_else(|| wrong(name, "an object", v))
}

fn amount(v: &Value, name: &str) -> Result<f64> {
    let n = v.as_f64().ok_or_else(|| wrong(name, "a number", v))?;
    if n.is_finite() && n >= 0.0 {
        Ok(n)
    } else {
        Err(Error::invalid_param(
            format!("{name}: must be a non-negative number, got {n}"),
            top(name),
        ))
    }
}

fn count(v: &Value, name: &str) -> Result<u64> {
    if let Some(n) = v.as_u64() {
        return Ok(n);
    }
    match v.as_f64() {
        // `10.0` is a whole number too.
        Some(f) if f >= 0.0 && f.fract() == 0.0 && f < 1.8e19 => Ok(f as u64),
        Some(f) => Err(Error::invalid_param(
            format!("{name}: must be a non-negative whole number, got {f}"),
            top(name),
        )),
        None => Err(wrong(name, "a non-negative whole number", v)),
    }
}

/// The request parameter a (possibly nested, `a.b.c`) field belongs to.
fn top(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// `name: expected <what>, got <kind of v>`.
fn wrong(name: &str, what: &str, v: &Value) -> Error {
    Error::invalid_param(
        format!("{name}: expected {what}, got {}", kind(v)),
        top(name),
    )
}

fn kind(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("the string \"{s}\""),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
