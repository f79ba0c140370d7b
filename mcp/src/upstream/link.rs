//! The transport under a [`super::Connection`]: sends messages, and delivers what the server
//! sends as [`Incoming`] on a channel. The link is dead once its `closed` token fires.

use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::UpstreamError;
use super::http::HttpLink;
use super::legacy_sse::SseLink;
use super::stdio::StdioLink;
use crate::spec::{ServerSpec, Transport};

/// One message from the server, with the id of the request whose HTTP response carried it
/// (streamable HTTP only): that is how a progress or sampling message finds its caller.
#[derive(Debug)]
pub struct Incoming {
    pub message: Value,
    pub related: Option<u64>,
}

#[derive(Debug)]
pub enum Link {
    Stdio(StdioLink),
    Http(HttpLink),
    Sse(SseLink),
}

impl Link {
    /// Opens the transport of `spec`. Messages arrive on the returned receiver.
    pub async fn open(
        spec: &ServerSpec,
        http: &reqwest::Client,
        closed: CancellationToken,
    ) -> Result<(Self, mpsc::Receiver<Incoming>), UpstreamError> {
        let (tx, rx) = mpsc::channel(256);
        let link = match &spec.transport {
            Transport::Stdio { command, args, env } => Link::Stdio(StdioLink::spawn(
                &spec.name, command, args, env, tx, closed,
            )?),
            Transport::Http { url, headers } => Link::Http(HttpLink::new(
                &spec.name,
                http.clone(),
                url,
                headers,
                tx,
                closed,
            )),
            Transport::Sse { url, headers } => {
                Link::Sse(SseLink::open(&spec.name, http.clone(), url, headers, tx, closed).await?)
            }
        };
        Ok((link, rx))
    }

    /// Sends one message (for a request over HTTP, its response arrives as [`Incoming`]).
    pub async fn send(&self, message: Value) -> Result<(), UpstreamError> {
        match self {
            Link::Stdio(l) => l.send(message).await,
            Link::Http(l) => l.send(message).await,
            Link::Sse(l) => l.send(message).await,
        }
    }

    /// Whether the server may send messages of a request on another stream than its response
    /// (streamable HTTP: the GET stream), so that they can arrive after it.
    pub fn has_side_stream(&self) -> bool {
        matches!(self, Link::Http(_))
    }

    /// Called once the session is initialized, with the negotiated protocol version.
    pub fn initialized(&self, protocol_version: &str) {
        if let Link::Http(l) = self {
            l.initialized(protocol_version);
        }
    }

    /// Ends the session politely where the transport has a way to (HTTP DELETE).
    pub async fn terminate(&self) {
        if let Link::Http(l) = self {
            l.terminate().await;
        }
    }
}
