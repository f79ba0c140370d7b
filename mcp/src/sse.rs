//! Server-sent events: an incremental parser for upstream response streams and the encoder for
//! the streams the hub sends to its clients. Only what MCP uses: `event`, `data`, `id`.

use bytes::Bytes;

/// One parsed event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// `message` when the stream names none.
    pub event: String,
    pub data: String,
    pub id: Option<String>,
}

/// Feeds bytes in, takes complete events out.
#[derive(Debug, Default)]
pub struct Parser {
    buffer: String,
    pending: Event,
    has_data: bool,
}

impl Parser {
    /// Adds `chunk` and returns the events it completed.
    pub fn feed(&mut self, chunk: &[u8]) -> Vec<Event> {
        self.buffer.push_str(&String::from_utf8_lossy(chunk));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.find('\n') {
            let line: String = self.buffer.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if self.has_data {
                    let mut event = std::mem::take(&mut self.pending);
                    if event.event.is_empty() {
                        "message".clone_into(&mut event.event);
                    }
                    events.push(event);
                }
                self.pending = Event::default();
                self.has_data = false;
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => value.clone_into(&mut self.pending.event),
                "data" => {
                    if self.has_data {
                        self.pending.data.push('\n');
                    }
                    self.pending.data.push_str(value);
                    self.has_data = true;
                }
                "id" => self.pending.id = Some(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

/// One `message` event carrying `data` (a JSON-RPC message).
pub fn message(data: &serde_json::Value) -> Bytes {
    Bytes::from(format!("event: message\ndata: {data}\n\n"))
}

/// An event of another kind (`endpoint` in the legacy transport).
pub fn named(event: &str, data: &str) -> Bytes {
    Bytes::from(format!("event: {event}\ndata: {data}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Events split across chunks, CRLF line ends, comments and multi-line data are handled.
    #[test]
    fn parses_incrementally() {
        let mut p = Parser::default();
        assert!(
            p.feed(b": ping\r\nevent: endpoint\r\ndata: /messages?s")
                .is_empty()
        );
        let events = p.feed(b"=1\r\n\r\ndata: {\"a\":\ndata: 1}\nid: 7\n\n");
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].event, "endpoint");
        assert_eq!(events[0].data, "/messages?s=1");
        assert_eq!(events[1].event, "message");
        assert_eq!(events[1].data, "{\"a\":\n1}");
        assert_eq!(events[1].id.as_deref(), Some("7"));
        let again = p.feed(&message(&serde_json::json!({"x": 1})));
        assert_eq!(again[0].data, "{\"x\":1}");
    }
}
