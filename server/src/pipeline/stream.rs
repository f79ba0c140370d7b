//! The end of a streamed call: hides the usage chunk the gateway asked for on the client's
//! behalf, and records the call's metrics when the stream ends or is dropped (client gone).

use std::sync::Arc;
use std::time::Instant;

use futures_util::StreamExt;

use crate::providers::ChunkStream;
use crate::router::Deployment;
use crate::telemetry::metrics;

/// Records the upstream call once, when the stream is finished or dropped.
struct Finish {
    deployment: Arc<Deployment>,
    started: Instant,
    ok: bool,
}

impl Drop for Finish {
    fn drop(&mut self) {
        metrics::record_upstream(
            &self.deployment.model_name,
            self.deployment.provider.name(),
            self.ok,
            self.started.elapsed(),
        );
    }
}

pub fn finish(
    upstream: ChunkStream,
    deployment: Arc<Deployment>,
    wants_usage: bool,
    started: Instant,
) -> ChunkStream {
    let mut finish = Finish {
        deployment,
        started,
        ok: true,
    };
    let stream = upstream.filter_map(move |item| {
        let out = match item {
            Ok(mut chunk) => {
                if wants_usage {
                    Some(Ok(chunk))
                } else if chunk.choices.is_empty() && chunk.usage.is_some() {
                    None
                } else {
                    chunk.usage = None;
                    Some(Ok(chunk))
                }
            }
            Err(err) => {
                // Borrow the whole guard so the closure owns it (not just its field).
                let guard = &mut finish;
                guard.ok = false;
                Some(Err(err))
            }
        };
        std::future::ready(out)
    });
    Box::pin(stream)
}
