//! Session ids that any instance of a fleet can honour (issue: "Replicas").
//!
//! A new session's id is its claims — owner (the caller's credential id), path (`/mcp` or the
//! server), protocol version, issue time — sealed by the gateway with a key every instance shares
//! ([`Gateway::seal_session`]). An instance that does not know an id opens it, checks that it
//! belongs to the caller on this path and is not too old, and adopts it. What a session holds
//! besides its claims (the GET stream, requests waiting for the client's answer) lives on the
//! instance that holds the connection, as HTTP itself requires. An id ended with DELETE is
//! revoked on the instance that ended it, and the gateway tells the others
//! ([`Gateway::session_ended`]), which revoke it too ([`super::revoke`]); a revocation is kept
//! until the id is too old to be adopted anyway.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::Front;
use super::session::Session;
use crate::access::Access;
use crate::gateway::Gateway;

/// How long a sealed id can be adopted after it was issued.
pub const MAX_AGE: Duration = Duration::from_secs(24 * 3600);

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// Owner: the caller's credential id.
    o: String,
    /// The server of `/mcp/<server>`, none for `/mcp`.
    s: Option<String>,
    /// Protocol version.
    v: String,
    /// Issued at, Unix seconds.
    t: u64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The id of a new session: sealed claims, or a random id when the gateway does not seal.
pub fn mint<G: Gateway>(gateway: &G, owner: &str, server: Option<&str>, version: &str) -> String {
    let claims = Claims {
        o: owner.to_owned(),
        s: server.map(str::to_owned),
        v: version.to_owned(),
        t: now_secs(),
    };
    serde_json::to_string(&claims)
        .ok()
        .and_then(|c| gateway.seal_session(&c))
        .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
}

/// Adopts a session another instance opened, if `id` is genuine, the caller's, for this path,
/// not too old, and not ended here.
pub fn adopt<G: Gateway>(
    front: &Front<G>,
    id: &str,
    owner: &str,
    server: Option<&str>,
    access: &Access,
) -> Option<Arc<Session>> {
    if front.hub.sessions.was_ended(id) {
        return None;
    }
    let claims: Claims = serde_json::from_str(&front.gateway.open_session(id)?).ok()?;
    let fresh = now_secs().saturating_sub(claims.t) < MAX_AGE.as_secs();
    if claims.o != owner || claims.s.as_deref() != server || !fresh {
        return None;
    }
    Some(
        front
            .hub
            .sessions
            .open(id.to_owned(), claims.o, claims.s, claims.v, access.clone()),
    )
}
