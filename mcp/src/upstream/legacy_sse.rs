//! The legacy HTTP+SSE transport (MCP 2024-11-05), client side: a GET opens an event stream
//! whose first `endpoint` event names the URL to POST messages to; every message of the server
//! (responses included) arrives on that stream. The link closes when the stream ends.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use super::UpstreamError;
use super::link::Incoming;
use crate::sse;

/// How long the server may take to name its message endpoint.
const ENDPOINT_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug)]
pub struct SseLink {
    server: String,
    client: reqwest::Client,
    endpoint: reqwest::Url,
    headers: Vec<(String, String)>,
    closed: CancellationToken,
}

impl SseLink {
    pub async fn open(
        server: &str,
        client: reqwest::Client,
        url: &str,
        headers: &[(String, String)],
        incoming: mpsc::Sender<Incoming>,
        closed: CancellationToken,
    ) -> Result<Self, UpstreamError> {
        let fail = |message: String| UpstreamError::Transport {
            server: server.to_owned(),
            message,
        };
        let base = reqwest::Url::parse(url).map_err(|e| fail(format!("bad url: {e}")))?;
        let mut get = client
            .get(base.clone())
            .header("accept", "text/event-stream");
        for (k, v) in headers {
            get = get.header(k, v);
        }
        let response = get
            .send()
            .await
            .map_err(|e| fail(format!("cannot open the event stream: {e}")))?;
        if !response.status().is_success() {
            return Err(fail(format!(
                "event stream answered HTTP {}",
                response.status()
            )));
        }
        let (endpoint_tx, endpoint_rx) = oneshot::channel();
        tokio::spawn(read_stream(response, endpoint_tx, incoming, closed.clone()));
        let endpoint = tokio::time::timeout(ENDPOINT_WAIT, endpoint_rx)
            .await
            .map_err(|_| fail("the server named no message endpoint".into()))?
            .map_err(|_| fail("the event stream ended before naming an endpoint".into()))?;
        let endpoint = base
            .join(&endpoint)
            .map_err(|e| fail(format!("bad endpoint `{endpoint}`: {e}")))?;
        Ok(Self {
            server: server.to_owned(),
            client,
            endpoint,
            headers: headers.to_vec(),
            closed,
        })
    }

    pub async fn send(&self, message: Value) -> Result<(), UpstreamError> {
        let mut post = self
            .client
            .post(self.endpoint.clone())
            .header("content-type", "application/json")
            .body(message.to_string());
        for (k, v) in &self.headers {
            post = post.header(k, v);
        }
        let response = post.send().await.map_err(|e| {
            self.closed.cancel();
            UpstreamError::Transport {
                server: self.server.clone(),
                message: format!("request failed: {e}"),
            }
        })?;
        if response.status().is_success() {
            return Ok(());
        }
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            self.closed.cancel();
        }
        Err(UpstreamError::Transport {
            server: self.server.clone(),
            message: format!("HTTP {}", response.status()),
        })
    }
}

async fn read_stream(
    response: reqwest::Response,
    endpoint: oneshot::Sender<String>,
    incoming: mpsc::Sender<Incoming>,
    closed: CancellationToken,
) {
    let mut endpoint = Some(endpoint);
    let mut body = response.bytes_stream();
    let mut parser = sse::Parser::default();
    loop {
        let chunk = tokio::select! {
            () = closed.cancelled() => return,
            chunk = body.next() => chunk,
        };
        let Some(Ok(chunk)) = chunk else { break };
        for event in parser.feed(&chunk) {
            match event.event.as_str() {
                "endpoint" => {
                    if let Some(tx) = endpoint.take() {
                        let _ = tx.send(event.data.trim().to_owned());
                    }
                }
                "message" => {
                    let Ok(message) = serde_json::from_str::<Value>(&event.data) else {
                        continue;
                    };
                    let item = Incoming {
                        message,
                        related: None,
                    };
                    if incoming.send(item).await.is_err() {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    closed.cancel();
}
