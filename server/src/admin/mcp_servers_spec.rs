//! A runtime MCP server's settings between the API, the database and the hub.
//!
//! A request body (LiteLLM's `NewMCPServerRequest` fields) is split into a public
//! [`Definition`] (stored in clear) and [`Secrets`] (the auth value, static header values and
//! stdio env values: stored sealed with [`SecretBox`], never returned). Both are joined again,
//! `os.environ/NAME` values resolved, and read by the config's own reader
//! ([`crate::config::mcp::read_server`]), so a runtime server means exactly what the same
//! entry under `mcp_servers:` means.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use tollgate_mcp::ServerSpec;

use crate::config::Problems;
use crate::config::mcp::{read_server, valid_name};
use crate::error::{Error, Result};
use crate::router::secrets::SecretBox;

/// Fields of a server's settings stored in clear (LiteLLM's names).
const PUBLIC_FIELDS: &[&str] = &[
    "description",
    "transport",
    "url",
    "command",
    "args",
    "auth_type",
    "extra_headers",
    "allowed_tools",
    "disallowed_tools",
    "access_groups",
    "allow_all_keys",
    "timeout",
    "mcp_info",
];
/// Maps whose values are credentials (their names are public).
const SECRET_MAPS: &[&str] = &["static_headers", "env"];
/// The credential of `auth_type`.
const AUTH_VALUE: &str = "auth_value";

/// Public settings: [`PUBLIC_FIELDS`] plus the names of the secret maps' entries.
pub type Definition = Map<String, Value>;
/// Credentials: `auth_value`, and `static_headers` / `env` maps.
pub type Secrets = Map<String, Value>;

/// The server's name (tool prefix, `/mcp/<name>`): `alias`, else `server_name`.
pub fn name_of(body: &Value) -> Option<String> {
    ["alias", "server_name"]
        .iter()
        .find_map(|f| body.get(*f).and_then(Value::as_str))
        .map(str::to_owned)
        .filter(|n| !n.is_empty())
}

/// Refuses names that cannot name a server.
pub fn check_name(name: &str) -> Result<()> {
    if name == "servers" {
        return Err(Error::invalid_param(
            "`servers` is a reserved MCP server name (`/mcp/servers` is the admin API)",
            "server_name",
        ));
    }
    if !valid_name(name) {
        return Err(Error::invalid_param(
            format!(
                "MCP server name `{name}`: use letters, digits, `_`, `-` or `.` (it is part of URLs and tool names)"
            ),
            "server_name",
        ));
    }
    Ok(())
}

/// Splits the settings of a request body (LiteLLM's fields) into public and secret parts.
/// `mcp_access_groups` is read as `access_groups`, `credentials.auth_value` and
/// `authentication_token` as `auth_value`; other fields are ignored.
pub fn split(body: &Value) -> Result<(Definition, Secrets)> {
    let mut public = Definition::new();
    let mut secrets = Secrets::new();
    let Some(body) = body.as_object() else {
        return Err(Error::invalid("the body must be a JSON object"));
    };
    for field in PUBLIC_FIELDS {
        if let Some(v) = body.get(*field) {
            public.insert((*field).to_owned(), v.clone());
        }
    }
    if let Some(v) = body.get("mcp_access_groups") {
        public.insert("access_groups".into(), v.clone());
    }
    for map in SECRET_MAPS {
        match body.get(*map) {
            None => {}
            Some(Value::Null) => {
                secrets.insert((*map).to_owned(), Value::Null);
            }
            Some(Value::Object(m)) => {
                secrets.insert((*map).to_owned(), Value::Object(m.clone()));
            }
            Some(_) => {
                return Err(Error::invalid_param(
                    format!("{map}: expected an object of names to values"),
                    *map,
                ));
            }
        }
    }
    let auth = body
        .get("credentials")
        .and_then(|c| c.get(AUTH_VALUE))
        .or_else(|| body.get(AUTH_VALUE))
        .or_else(|| body.get("authentication_token"));
    if let Some(v) = auth {
        secrets.insert(AUTH_VALUE.into(), v.clone());
    }
    Ok((public, secrets))
}

/// `base` with `patch` applied key by key (`null` removes a key).
pub fn merge(mut base: Map<String, Value>, patch: Map<String, Value>) -> Map<String, Value> {
    for (k, v) in patch {
        if v.is_null() {
            base.remove(&k);
        } else {
            base.insert(k, v);
        }
    }
    base
}

/// The server `name` as the hub runs it, `os.environ/` values resolved with `lookup`; every
/// problem of the settings is a 400.
pub fn build(
    name: &str,
    public: &Definition,
    secrets: &Secrets,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<ServerSpec> {
    let mut body = public.clone();
    for (k, v) in secrets {
        body.insert(k.clone(), v.clone());
    }
    let mut body = Value::Object(body);
    resolve_env(&mut body, lookup)?;
    let yaml = serde_yaml::to_value(&body)
        .map_err(|e| Error::Internal(format!("MCP server settings: {e}")))?;
    let mut problems = Problems::default();
    let spec = read_server(
        &format!("mcp_servers.{name}"),
        name.to_owned(),
        yaml,
        &mut problems,
    );
    match spec {
        Some(spec) if problems.errors.is_empty() => Ok(spec),
        _ => Err(Error::invalid(problems.errors.join("; "))),
    }
}

fn resolve_env(value: &mut Value, lookup: &dyn Fn(&str) -> Option<String>) -> Result<()> {
    match value {
        Value::String(s) => {
            if let Some(var) = s.strip_prefix("os.environ/") {
                *s = lookup(var).ok_or_else(|| {
                    Error::invalid(format!("environment variable `{var}` is not set"))
                })?;
            }
        }
        Value::Array(items) => {
            for item in items {
                resolve_env(item, lookup)?;
            }
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                resolve_env(item, lookup)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The secrets without empty entries; `None` when nothing is left to store.
pub fn non_empty(secrets: Secrets) -> Option<Secrets> {
    let kept: Secrets = secrets
        .into_iter()
        .filter(|(_, v)| match v {
            Value::Null => false,
            Value::Object(m) => !m.is_empty(),
            Value::String(s) => !s.is_empty(),
            _ => true,
        })
        .collect();
    (!kept.is_empty()).then_some(kept)
}

/// The secrets sealed for storage (refused without a salt key).
pub fn seal(secrets: &Secrets, sealer: Option<&SecretBox>) -> Result<String> {
    let sealer = sealer.ok_or_else(|| {
        Error::invalid(
            "set TOLLGATE_SALT_KEY so MCP server credentials (auth_value, static_headers, env) can be stored encrypted",
        )
    })?;
    sealer.seal(&Value::Object(secrets.clone()).to_string())
}

/// The stored secrets, opened.
pub fn open(sealed: Option<&str>, sealer: Option<&SecretBox>) -> Result<Secrets> {
    let Some(sealed) = sealed else {
        return Ok(Secrets::new());
    };
    let sealer = sealer.ok_or_else(|| {
        Error::Internal("stored MCP server credentials need TOLLGATE_SALT_KEY to be opened".into())
    })?;
    let plain = sealer.open(sealed)?;
    match serde_json::from_str(&plain) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(Error::Internal(
            "stored MCP server credentials are not an object".into(),
        )),
    }
}

/// What the API shows of the credentials: `static_headers` / `env` names with masked values,
/// and whether an auth value is set. Values are never shown.
pub fn masked(secrets: &Secrets) -> Map<String, Value> {
    let mut out = Map::new();
    for map in SECRET_MAPS {
        let names: BTreeMap<String, Value> = secrets
            .get(*map)
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| (k.clone(), json!("****"))).collect())
            .unwrap_or_default();
        out.insert((*map).to_owned(), json!(names));
    }
    out.insert(
        "has_auth_value".into(),
        json!(secrets.get(AUTH_VALUE).is_some_and(|v| !v.is_null())),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // A LiteLLM body splits into clear settings and credentials, and builds the same server
    // as the config would; credentials never show unmasked.
    #[test]
    fn splits_builds_and_masks() {
        let body = json!({
            "server_name": "gh", "url": "https://x/mcp", "transport": "http",
            "auth_type": "bearer_token", "credentials": {"auth_value": "t0k"},
            "static_headers": {"X-Org": "acme"}, "mcp_access_groups": ["dev"],
            "extra_headers": ["X-Tenant"], "ignored_ui_field": 1
        });
        let (public, secrets) = split(&body).unwrap();
        assert!(!Value::Object(public.clone()).to_string().contains("t0k"));
        assert_eq!(public["access_groups"], json!(["dev"]));
        let spec = build("gh", &public, &secrets, &|_| None).unwrap();
        assert_eq!(spec.access_groups, ["dev"]);
        assert_eq!(spec.extra_headers, ["X-Tenant"]);
        let shown = Value::Object(masked(&secrets)).to_string();
        assert!(!shown.contains("t0k") && !shown.contains("acme"), "{shown}");
        assert!(shown.contains("X-Org"));
        let sealer = SecretBox::new("salt");
        let sealed = seal(&secrets, Some(&sealer)).unwrap();
        assert!(!sealed.contains("t0k"));
        assert_eq!(open(Some(&sealed), Some(&sealer)).unwrap(), secrets);
        assert!(seal(&secrets, None).is_err());
    }

    // Reserved and malformed names, and bad settings, are refused.
    #[test]
    fn refuses_bad_names_and_settings() {
        assert!(
            check_name("servers")
                .unwrap_err()
                .to_string()
                .contains("reserved")
        );
        assert!(check_name("a b").is_err());
        assert!(check_name("ok-1.x").is_ok());
        let (public, secrets) = split(&json!({"transport": "stdio"})).unwrap();
        assert!(build("p", &public, &secrets, &|_| None).is_err());
        let (public, secrets) =
            split(&json!({"command": "x", "env": {"T": "os.environ/MISSING"}})).unwrap();
        assert!(build("p", &public, &secrets, &|_| None).is_err());
    }
}
