//! DNS-rebinding protection (MCP transports, "Security Warning"): a browser request whose
//! `Origin` is not localhost, the gateway's own host, or an allowed origin is refused.

use http::HeaderMap;
use http::header::{HOST, ORIGIN};

/// Whether the request's origin may talk to the hub. Requests without `Origin` (every non-browser
/// client) pass.
pub fn allowed(headers: &HeaderMap, allowed_origins: &[String]) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|o| o.to_str().ok()) else {
        return headers.get(ORIGIN).is_none();
    };
    let origin = origin.trim_end_matches('/');
    if allowed_origins
        .iter()
        .any(|a| a == "*" || a.trim_end_matches('/') == origin)
    {
        return true;
    }
    let Some(authority) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    if is_loopback(host_of(authority)) {
        return true;
    }
    headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host.eq_ignore_ascii_case(authority))
}

/// The host of `host[:port]` (IPv6 in brackets kept).
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

fn is_loopback(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(origin: Option<&str>, host: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(HOST, host.parse().unwrap());
        if let Some(o) = origin {
            h.insert(ORIGIN, o.parse().unwrap());
        }
        h
    }

    // No origin, loopback origins, the gateway's own host and listed origins pass; others fail.
    #[test]
    fn origins() {
        let listed = vec!["https://ide.example".to_owned()];
        assert!(allowed(&headers(None, "gw:4000"), &[]));
        assert!(allowed(
            &headers(Some("http://localhost:3000"), "gw:4000"),
            &[]
        ));
        assert!(allowed(&headers(Some("http://[::1]:5"), "gw:4000"), &[]));
        assert!(allowed(&headers(Some("http://gw:4000"), "gw:4000"), &[]));
        assert!(allowed(
            &headers(Some("https://ide.example"), "gw:4000"),
            &listed
        ));
        assert!(!allowed(
            &headers(Some("http://evil.example"), "gw:4000"),
            &listed
        ));
        assert!(!allowed(&headers(Some("null"), "gw:4000"), &[]));
        assert!(allowed(
            &headers(Some("http://evil.example"), "gw"),
            &["*".to_owned()]
        ));
    }
}
