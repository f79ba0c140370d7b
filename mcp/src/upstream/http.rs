//! The streamable HTTP transport (MCP 2025-03-26+), client side: every message is a POST; a
//! request's answer comes back as JSON or as an SSE stream that may carry notifications and
//! server requests first. The session id the server gives at `initialize` goes on every later
//! request; a 404 on it means the session is gone and the link closes (the supervisor opens a
//! new one). After initialization a GET stream carries the server's own notifications.

use std::sync::Mutex;

use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::UpstreamError;
use super::link::Incoming;
use crate::jsonrpc::{self, Kind};
use crate::sse;

const SESSION_HEADER: &str = "mcp-session-id";
const VERSION_HEADER: &str = "mcp-protocol-version";

#[derive(Debug)]
pub struct HttpLink {
    server: String,
    client: reqwest::Client,
    url: String,
    headers: Vec<(String, String)>,
    session: Mutex<Option<String>>,
    version: Mutex<Option<String>>,
    incoming: mpsc::Sender<Incoming>,
    closed: CancellationToken,
}

impl HttpLink {
    pub fn new(
        server: &str,
        client: reqwest::Client,
        url: &str,
        headers: &[(String, String)],
        incoming: mpsc::Sender<Incoming>,
        closed: CancellationToken,
    ) -> Self {
        Self {
            server: server.to_owned(),
            client,
            url: url.to_owned(),
            headers: headers.to_vec(),
            session: Mutex::new(None),
            version: Mutex::new(None),
            incoming,
            closed,
        }
    }

    fn builder(&self, method: reqwest::Method) -> reqwest::RequestBuilder {
        let mut b = self
            .client
            .request(method, &self.url)
            .header("accept", "application/json, text/event-stream");
        for (k, v) in &self.headers {
            b = b.header(k, v);
        }
        if let Some(s) = lock(&self.session).clone() {
            b = b.header(SESSION_HEADER, s);
        }
        if let Some(v) = lock(&self.version).clone() {
            b = b.header(VERSION_HEADER, v);
        }
        b
    }

    fn fail(&self, message: impl Into<String>) -> UpstreamError {
        UpstreamError::Transport {
            server: self.server.clone(),
            message: message.into(),
        }
    }

    pub async fn send(&self, message: Value) -> Result<(), UpstreamError> {
        let request_id = (jsonrpc::kind(&message) == Kind::Request)
            .then(|| message.get("id").and_then(Value::as_u64))
            .flatten();
        let response = self
            .builder(reqwest::Method::POST)
            .header("content-type", "application/json")
            .body(message.to_string())
            .send()
            .await
            .map_err(|e| {
                self.closed.cancel();
                self.fail(format!("request failed: {e}"))
            })?;
        let status = response.status();
        if status == reqwest::StatusCode::NOT_FOUND && lock(&self.session).is_some() {
            self.closed.cancel();
            return Err(UpstreamError::Closed(self.server.clone()));
        }
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(self.fail(format!("HTTP {status}: {}", truncate(&body))));
        }
        if let Some(s) = response
            .headers()
            .get(SESSION_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            *lock(&self.session) = Some(s.to_owned());
        }
        if status == reqwest::StatusCode::ACCEPTED || request_id.is_none() {
            return Ok(());
        }
        let is_stream = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("text/event-stream"));
        if is_stream {
            tokio::spawn(read_stream(
                response,
                request_id,
                self.incoming.clone(),
                self.closed.clone(),
            ));
            return Ok(());
        }
        let body: Value = response
            .json()
            .await
            .map_err(|e| self.fail(format!("invalid JSON response: {e}")))?;
        let messages = match body {
            Value::Array(items) => items,
            one => vec![one],
        };
        for message in messages {
            let _ = self
                .incoming
                .send(Incoming {
                    message,
                    related: request_id,
                })
                .await;
        }
        Ok(())
    }

    /// Remembers the negotiated version (sent on every later request) and opens the GET stream
    /// for the server's own messages (servers that offer none answer 405; that is fine).
    pub fn initialized(&self, protocol_version: &str) {
        *lock(&self.version) = Some(protocol_version.to_owned());
        let get = self.builder(reqwest::Method::GET);
        let incoming = self.incoming.clone();
        let closed = self.closed.clone();
        let server = self.server.clone();
        tokio::spawn(async move {
            match get.send().await {
                Ok(r) if r.status().is_success() => read_stream(r, None, incoming, closed).await,
                Ok(r) => tracing::debug!(server = %server, status = %r.status(), "no GET stream"),
                Err(e) => tracing::debug!(server = %server, error = %e, "GET stream failed"),
            }
        });
    }

    /// Ends the session (DELETE), best effort.
    pub async fn terminate(&self) {
        if lock(&self.session).is_some() {
            let _ = self.builder(reqwest::Method::DELETE).send().await;
        }
    }
}

/// Delivers every message of an SSE response until it ends or the link closes.
async fn read_stream(
    response: reqwest::Response,
    related: Option<u64>,
    incoming: mpsc::Sender<Incoming>,
    closed: CancellationToken,
) {
    let mut body = response.bytes_stream();
    let mut parser = sse::Parser::default();
    loop {
        let chunk = tokio::select! {
            () = closed.cancelled() => return,
            chunk = body.next() => chunk,
        };
        let Some(Ok(chunk)) = chunk else { return };
        for event in parser.feed(&chunk) {
            if event.event != "message" {
                continue;
            }
            let Ok(message) = serde_json::from_str::<Value>(&event.data) else {
                continue;
            };
            if incoming.send(Incoming { message, related }).await.is_err() {
                return;
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn truncate(text: &str) -> &str {
    let end = text.char_indices().nth(300).map_or(text.len(), |(i, _)| i);
    &text[..end]
}
