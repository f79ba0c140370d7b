//! Upstream sessions opened with a caller's own credentials.
//!
//! A client may send headers for one server as `x-mcp-<server>-<header>` (LiteLLM's convention,
//! e.g. `x-mcp-github-authorization: Bearer ghp_...`). Such a caller gets an upstream session of
//! its own, with those headers on every request to the server (replacing static ones of the
//! same name), shared only by callers that send the same credentials, and closed after it has
//! been idle for a while. Stdio servers have no per-caller credentials.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Upstream;
use crate::spec::{ServerSpec, Transport};

impl Upstream {
    /// The session for `headers` (started on first use). The server's own when there are none
    /// or the transport takes no headers.
    pub fn personal(self: &Arc<Self>, headers: &[(String, String)]) -> Arc<Upstream> {
        let Some(spec) = with_headers(&self.spec, headers) else {
            return self.clone();
        };
        let key = credentials_key(headers);
        let mut personal = super::lock(&self.personal);
        if let Some((upstream, used)) = personal.get_mut(&key) {
            *used = Instant::now();
            return upstream.clone();
        }
        let session = super::SessionKey {
            server: self.spec.name.clone(),
            credentials: Some(key.clone()),
        };
        let upstream = Upstream::start_as(
            spec,
            session,
            self.http.clone(),
            self.events.clone(),
            &self.tasks,
            &self.stop,
        );
        personal.insert(key, (upstream.clone(), Instant::now()));
        upstream
    }

    /// The credentials key of the session `headers` would open (see [`Upstream::personal`]), or
    /// `None` when they open none (no headers, or a stdio server).
    pub fn credentials_for(&self, headers: &[(String, String)]) -> Option<String> {
        with_headers(&self.spec, headers).map(|_| credentials_key(headers))
    }

    /// The caller's own session opened with `credentials` (a [`super::SessionKey`]'s), if it
    /// is still open.
    pub fn personal_of(&self, credentials: &str) -> Option<Arc<Upstream>> {
        super::lock(&self.personal)
            .get(credentials)
            .map(|(upstream, _)| upstream.clone())
    }

    /// Closes the personal sessions unused for `idle`, except those `in_use` says are still
    /// needed (given the credentials key).
    pub fn expire_personal(&self, idle: Duration, in_use: impl Fn(&str) -> bool) {
        super::lock(&self.personal).retain(|key, (upstream, used)| {
            let keep = used.elapsed() < idle || in_use(key);
            if !keep {
                upstream.stop();
            }
            keep
        });
    }
}

/// `spec` with the caller's headers, or `None` when there is nothing to change.
fn with_headers(spec: &ServerSpec, headers: &[(String, String)]) -> Option<ServerSpec> {
    if headers.is_empty() {
        return None;
    }
    let mut spec = spec.clone();
    match &mut spec.transport {
        Transport::Stdio { .. } => return None,
        Transport::Http { headers: own, .. } | Transport::Sse { headers: own, .. } => {
            own.retain(|(name, _)| !headers.iter().any(|(h, _)| h.eq_ignore_ascii_case(name)));
            own.extend(headers.iter().cloned());
        }
    }
    Some(spec)
}

/// A map key for a set of credentials (held in memory only, like the credentials themselves).
fn credentials_key(headers: &[(String, String)]) -> String {
    let mut parts: Vec<String> = headers
        .iter()
        .map(|(k, v)| format!("{}\u{0}{v}", k.to_ascii_lowercase()))
        .collect();
    parts.sort();
    parts.join("\u{1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    // The caller's headers replace static ones of the same name; stdio servers take none.
    #[test]
    fn merges_headers() {
        let spec = ServerSpec::new(
            "s",
            Transport::Http {
                url: "http://x".into(),
                headers: vec![("Authorization".into(), "Bearer shared".into())],
            },
        );
        let mine = vec![("authorization".to_owned(), "Bearer mine".to_owned())];
        let merged = with_headers(&spec, &mine).unwrap();
        let Transport::Http { headers, .. } = merged.transport else {
            panic!("http stays http")
        };
        assert_eq!(headers, mine);
        assert!(with_headers(&spec, &[]).is_none());
        let stdio = ServerSpec::new(
            "p",
            Transport::Stdio {
                command: "x".into(),
                args: vec![],
                env: Default::default(),
            },
        );
        assert!(with_headers(&stdio, &mine).is_none());
        assert_ne!(
            credentials_key(&mine),
            credentials_key(&[("authorization".into(), "x".into())])
        );
    }
}
