//! Redis settings: `router_settings.redis_url`, or `redis_host`, `redis_port`, `redis_password`
//! and `redis_db` (LiteLLM's names), else the `REDIS_URL` / `REDIS_HOST` / `REDIS_PORT` /
//! `REDIS_PASSWORD` environment. Tollgate's own keys say what happens when Redis stops
//! answering: `redis_timeout` (seconds per operation), and `redis_failure_mode` (rate limits)
//! and `redis_budget_failure_mode` (budgets), each `open` (carry on with this instance's own
//! counters) or `closed` (refuse what needs the shared state).

use std::time::Duration;

use super::Secret;
use super::reader::{Problems, Section};

/// How long one Redis operation may take before the instance treats Redis as down.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(250);

/// What an instance does while Redis is unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureMode {
    /// Carry on with this instance's own in-memory counters.
    Open,
    /// Refuse requests that need the shared counters (503).
    Closed,
}

/// Where Redis is and how to behave when it is not there.
#[derive(Debug, Clone)]
pub struct RedisSettings {
    /// `redis://[:password@]host:port/db`.
    pub url: Secret,
    pub timeout: Duration,
    /// Rate limits while Redis is down (default `open`).
    pub failure_mode: FailureMode,
    /// Budgets while Redis is down (default `closed`: a budget shared by several instances
    /// cannot be kept exact without the shared ledger).
    pub budget_failure_mode: FailureMode,
}

/// Takes the redis keys out of `router_settings`; falls back to the environment for the
/// address. `None` when no Redis is configured anywhere.
pub fn read(
    s: &mut Section,
    lookup: &dyn Fn(&str) -> Option<String>,
    problems: &mut Problems,
) -> Option<RedisSettings> {
    let url: Option<String> = s.get("redis_url", problems);
    let host: Option<String> = s.get("redis_host", problems);
    let port: Option<serde_yaml::Value> = s.take_raw("redis_port");
    let password: Option<String> = s.get("redis_password", problems);
    let db: Option<u32> = s.get("redis_db", problems);
    let timeout_secs: Option<f64> = s.get("redis_timeout", problems);
    let failure_mode = mode(s, "redis_failure_mode", FailureMode::Open, problems);
    let budget_failure_mode = mode(
        s,
        "redis_budget_failure_mode",
        FailureMode::Closed,
        problems,
    );

    let port = port.map(|p| match p {
        serde_yaml::Value::Number(n) => n.to_string(),
        serde_yaml::Value::String(s) => s,
        other => format!("{other:?}"),
    });
    let url = url
        .or_else(|| host.map(|h| build_url(&h, port.as_deref(), password.as_deref(), db)))
        .or_else(|| lookup("REDIS_URL"))
        .or_else(|| {
            lookup("REDIS_HOST").map(|h| {
                let port = lookup("REDIS_PORT");
                let password = lookup("REDIS_PASSWORD");
                build_url(&h, port.as_deref(), password.as_deref(), db)
            })
        })?;
    if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
        problems.error(format!(
            "router_settings.redis_url: expected redis://host:port, got `{}`",
            crate::store::redact(&url)
        ));
        return None;
    }
    let timeout = match timeout_secs {
        None => DEFAULT_TIMEOUT,
        Some(t) if t.is_finite() && t > 0.0 => Duration::from_secs_f64(t),
        Some(t) => {
            problems.error(format!(
                "router_settings.redis_timeout: must be a positive number of seconds, got {t}"
            ));
            DEFAULT_TIMEOUT
        }
    };
    Some(RedisSettings {
        url: Secret::new(url),
        timeout,
        failure_mode,
        budget_failure_mode,
    })
}

fn mode(s: &mut Section, key: &str, default: FailureMode, problems: &mut Problems) -> FailureMode {
    match s.get::<String>(key, problems).as_deref() {
        None => default,
        Some("open") => FailureMode::Open,
        Some("closed") => FailureMode::Closed,
        Some(other) => {
            problems.error(format!(
                "router_settings.{key}: expected `open` or `closed`, got `{other}`"
            ));
            default
        }
    }
}

fn build_url(host: &str, port: Option<&str>, password: Option<&str>, db: Option<u32>) -> String {
    let auth = password
        .filter(|p| !p.is_empty())
        .map(|p| format!(":{p}@"))
        .unwrap_or_default();
    let port = port.unwrap_or("6379");
    let db = db.map(|d| format!("/{d}")).unwrap_or_default();
    format!("redis://{auth}{host}:{port}{db}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_yaml(yaml: &str, env: &[(&str, &str)]) -> (Option<RedisSettings>, Problems) {
        let mut problems = Problems::default();
        let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let mut s = Section::new("router_settings", Some(value), &mut problems);
        let lookup = |name: &str| {
            env.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        };
        let settings = read(&mut s, &lookup, &mut problems);
        (settings, problems)
    }

    #[test]
    fn host_port_password_build_a_url() {
        let (s, p) = read_yaml(
            "{redis_host: cache, redis_port: 6380, redis_password: pw, redis_timeout: 0.5}",
            &[],
        );
        let s = s.unwrap();
        assert!(p.errors.is_empty());
        assert_eq!(s.url.expose(), "redis://:pw@cache:6380");
        assert_eq!(s.timeout, Duration::from_millis(500));
        assert_eq!(s.failure_mode, FailureMode::Open);
        assert_eq!(s.budget_failure_mode, FailureMode::Closed);
    }

    #[test]
    fn environment_is_the_fallback() {
        let (s, _) = read_yaml("{}", &[("REDIS_URL", "redis://r:1/2")]);
        assert_eq!(s.unwrap().url.expose(), "redis://r:1/2");
        let (s, _) = read_yaml("{}", &[("REDIS_HOST", "h"), ("REDIS_PORT", "7")]);
        assert_eq!(s.unwrap().url.expose(), "redis://h:7");
        let (s, _) = read_yaml("{}", &[]);
        assert!(s.is_none());
    }

    #[test]
    fn bad_values_are_reported() {
        let (_, p) = read_yaml("{redis_url: 'http://x', redis_failure_mode: maybe}", &[]);
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
    }
}
