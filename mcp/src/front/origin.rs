//! DNS-rebinding protection (MCP transports, "Security Warning"): a browser request whose
//! `Origin` is not localhost, the gateway's own host, or an allowed origin is refused; and while
//! the gateway listens on a loopback address only, a request whose `Host` is not a loopback
//! name is refused too (a page of `evil.example` re-resolved to 127.0.0.1 still says
//! `Host: evil.example`).

use std::net::{IpAddr, SocketAddr};

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

/// Whether the request's `Host` may reach a gateway listening on `listen`: any host when it
/// listens beyond loopback (or is not bound yet), else only loopback names. Requests without
/// `Host` (HTTP/2 uses `:authority`; browsers always send `Host`) pass.
pub fn host_allowed(headers: &HeaderMap, listen: Option<&SocketAddr>) -> bool {
    if !listen.is_some_and(|a| a.ip().is_loopback()) {
        return true;
    }
    match headers.get(HOST).map(|h| h.to_str()) {
        None => true,
        Some(Ok(host)) => is_loopback(host_of(host.trim())),
        Some(Err(_)) => false,
    }
}

/// `localhost` (and its subdomains, RFC 6761), `127.0.0.0/8` and `[::1]`.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "localhost" || host.ends_with(".localhost") {
        return true;
    }
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(&host);
    bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
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

    // On a loopback listener only loopback Hosts pass; beyond loopback any Host does.
    #[test]
    fn hosts() {
        let loopback: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        let v6: SocketAddr = "[::1]:4000".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:4000".parse().unwrap();
        for host in [
            "localhost:4000",
            "127.0.0.1:4000",
            "[::1]:4000",
            "LOCALHOST",
            "127.1.2.3",
        ] {
            assert!(
                host_allowed(&headers(None, host), Some(&loopback)),
                "{host}"
            );
            assert!(host_allowed(&headers(None, host), Some(&v6)), "{host}");
        }
        for host in [
            "evil.example:4000",
            "evil.example",
            "10.0.0.1:4000",
            "localhost.evil.example",
        ] {
            assert!(
                !host_allowed(&headers(None, host), Some(&loopback)),
                "{host}"
            );
        }
        assert!(host_allowed(&headers(None, "evil.example"), Some(&any)));
        assert!(host_allowed(&headers(None, "evil.example"), None));
        assert!(host_allowed(&HeaderMap::new(), Some(&loopback)));
    }
}
