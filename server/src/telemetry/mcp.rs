//! Telemetry of MCP tool calls: one `tracing` span per call (`mcp.tool_call`, named
//! `tools/call <public name>` for OpenTelemetry through `otel.name`) carrying the server, the
//! tool, the caller (key alias and the first characters of its hash, never the secret), the
//! outcome and the latency, so any tracing exporter shows tool calls next to the gateway's
//! requests; and the Prometheus metrics `tollgate_mcp_tool_calls_total{server,tool,outcome}`
//! and `tollgate_mcp_tool_call_duration_seconds{server,tool,outcome}`. Outcomes: `success`,
//! `tool_error`, `upstream_failure`, and `refused` (rate limit, budget: the tool never ran).

use std::sync::Once;
use std::time::{Duration, Instant};

use tracing::Span;
use tracing::field::Empty;

pub const TOOL_CALLS_TOTAL: &str = "tollgate_mcp_tool_calls_total";
pub const TOOL_CALL_DURATION: &str = "tollgate_mcp_tool_call_duration_seconds";
/// How much of the key's hash a span shows (enough to find the key, too little to matter).
const HASH_PREFIX: usize = 12;

/// Who made a tool call, as telemetry shows them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Caller<'a> {
    pub key_alias: Option<&'a str>,
    /// The key's SHA-256 hash (only a prefix is shown).
    pub key_hash: Option<&'a str>,
}

/// The trace of one tool call, from admission to its outcome.
#[derive(Debug)]
pub struct ToolCallTrace {
    span: Span,
    started: Instant,
    server: String,
    tool: String,
}

impl ToolCallTrace {
    pub fn start(server: &str, tool: &str, public_name: &str, caller: Caller<'_>) -> Self {
        let hash = caller
            .key_hash
            .map(|h| h.chars().take(HASH_PREFIX).collect::<String>())
            .unwrap_or_default();
        let span = tracing::info_span!(
            "mcp.tool_call",
            otel.name = %format!("tools/call {public_name}"),
            otel.kind = "server",
            otel.status_code = Empty,
            mcp.server = server,
            mcp.tool = tool,
            mcp.public_name = public_name,
            key_alias = caller.key_alias.unwrap_or(""),
            key_hash = %hash,
            call_id = Empty,
            outcome = Empty,
            latency_ms = Empty,
            error = Empty,
        );
        Self {
            span,
            started: Instant::now(),
            server: server.to_owned(),
            tool: tool.to_owned(),
        }
    }

    /// Names the spend-log row of the call, once it has one.
    pub fn call_id(&self, call_id: &str) {
        self.span.record("call_id", call_id);
    }

    /// Ends the call: records the outcome (and error) on the span and in the metrics.
    pub fn finish(self, outcome: &str, error: Option<&str>) {
        let elapsed = self.started.elapsed();
        let latency_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        self.span.record("outcome", outcome);
        self.span.record("latency_ms", latency_ms);
        if let Some(error) = error {
            self.span.record("otel.status_code", "ERROR");
            self.span.record("error", error);
        }
        tracing::debug!(parent: &self.span, outcome, latency_ms, "MCP tool call finished");
        record(&self.server, &self.tool, outcome, elapsed);
    }
}

/// Counts one tool call and its duration.
pub fn record(server: &str, tool: &str, outcome: &str, elapsed: Duration) {
    static DESCRIBED: Once = Once::new();
    DESCRIBED.call_once(|| {
        metrics::describe_counter!(
            TOOL_CALLS_TOTAL,
            "MCP tool calls, by server, tool and outcome"
        );
        metrics::describe_histogram!(
            TOOL_CALL_DURATION,
            metrics::Unit::Seconds,
            "Time of MCP tool calls, by server, tool and outcome"
        );
    });
    let labels = [
        ("server", server.to_owned()),
        ("tool", tool.to_owned()),
        ("outcome", outcome.to_owned()),
    ];
    metrics::counter!(TOOL_CALLS_TOTAL, &labels).increment(1);
    metrics::histogram!(TOOL_CALL_DURATION, &labels).record(elapsed.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);

    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    // A tool call is a span with the server, tool, caller (hash prefix only) and its outcome.
    #[test]
    fn a_tool_call_is_a_span_with_its_outcome() {
        let buffer = Buffer::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let caller = Caller {
                key_alias: Some("ci-bot"),
                key_hash: Some("0123456789abcdef0123"),
            };
            let trace = ToolCallTrace::start("github", "search", "github-search", caller);
            trace.call_id("call-1");
            trace.finish("tool_error", Some("not found"));
        });
        let out = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
        for expected in [
            "mcp.tool_call",
            "mcp.server=\"github\"",
            "mcp.tool=\"search\"",
            "key_alias=\"ci-bot\"",
            "key_hash=0123456789ab",
            "call_id=\"call-1\"",
            "outcome=\"tool_error\"",
        ] {
            assert!(out.contains(expected), "{expected} missing in {out}");
        }
        assert!(!out.contains("0123456789abc"), "{out}");
    }
}
