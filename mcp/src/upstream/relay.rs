//! What an upstream sends back to the client whose request it is serving: notifications
//! (progress, logging) and requests (sampling, elicitation, roots) that the client answers.

use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

/// One message for the client of an exchange.
#[derive(Debug)]
pub enum Relayed {
    /// Forward as is (`server`: whose it is, for the `logger` of logs on `/mcp`).
    Notification { server: String, message: Value },
    /// Forward with a client-facing id; the client's response goes into `reply` (its id is
    /// restored before it reaches the upstream).
    Request {
        message: Value,
        reply: oneshot::Sender<Value>,
    },
}

/// Where an exchange's relayed messages go.
pub type RelaySender = mpsc::Sender<Relayed>;
