//! `os.environ/NAME` resolution over a whole YAML tree.
//!
//! Every string value of the form `os.environ/NAME` is replaced by the variable's value. A
//! missing variable becomes `null` and is reported with the path of the value that named it,
//! so the loader can decide whether that is fatal (master key, database) or only disables one
//! deployment.

use serde_yaml::Value;

const PREFIX: &str = "os.environ/";

/// A reference to an environment variable that is not set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVar {
    pub path: String,
    pub name: String,
}

/// Resolves references in place, returning the ones that are not set.
pub fn resolve(
    value: &mut Value,
    path: &str,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Vec<MissingVar> {
    let mut missing = Vec::new();
    walk(value, path.to_owned(), lookup, &mut missing);
    missing
}

fn walk(
    value: &mut Value,
    path: String,
    lookup: &dyn Fn(&str) -> Option<String>,
    missing: &mut Vec<MissingVar>,
) {
    match value {
        Value::String(s) => {
            if let Some(name) = s.strip_prefix(PREFIX) {
                let name = name.trim().to_owned();
                match lookup(&name) {
                    Some(v) => *s = v,
                    None => {
                        missing.push(MissingVar { path, name });
                        *value = Value::Null;
                    }
                }
            }
        }
        Value::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, format!("{path}[{i}]"), lookup, missing);
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map.iter_mut() {
                let key = k.as_str().unwrap_or("?");
                let child = if path.is_empty() {
                    key.to_owned()
                } else {
                    format!("{path}.{key}")
                };
                walk(v, child, lookup, missing);
            }
        }
        Value::Tagged(tagged) => walk(&mut tagged.value, path, lookup, missing),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // References are replaced, and missing ones reported with their path and nulled.
    #[test]
    fn resolves_and_reports_missing() {
        let mut v: Value =
            serde_yaml::from_str("a: os.environ/SET\nb: [x, os.environ/UNSET]\nc: {d: plain}")
                .unwrap();
        let lookup = |n: &str| (n == "SET").then(|| "value".to_owned());
        let missing = resolve(&mut v, "", &lookup);
        assert_eq!(v["a"], Value::String("value".into()));
        assert_eq!(v["b"][1], Value::Null);
        assert_eq!(
            missing,
            vec![MissingVar {
                path: "b[1]".into(),
                name: "UNSET".into()
            }]
        );
    }
}
