//! The precomputed response bodies: built once, shared by every request.

use std::sync::Arc;

use bytes::Bytes;
use serde_json::{Value, json};

/// Number of content chunks in a streamed reply.
pub const STREAM_CHUNKS: usize = 20;
/// Dimensions of the mock embedding (≈1 KB of JSON).
const EMBEDDING_DIMS: usize = 96;

const ID: &str = "chatcmpl-bench0000000000000000000000";
const CREATED: u64 = 1_763_900_000;
const MODEL: &str = "bench";

pub struct Bodies {
    pub chat: Bytes,
    pub stream: Arc<[Bytes]>,
    pub stream_with_usage: Arc<[Bytes]>,
    pub embeddings: Bytes,
    pub models: Bytes,
    pub not_found: Bytes,
}

fn words() -> Vec<String> {
    // About 120 short words: a ~700-character answer, so the whole response is about 1 KB.
    let text = "Benchmarks measure what a gateway adds on top of the provider: the time spent \
                parsing the request, checking the key, reserving limits and budget, choosing a \
                deployment, calling upstream over a pooled connection, and writing the answer back. \
                This reply is fixed so that the provider costs nothing and every microsecond seen \
                comes from the proxy under test. It is long enough to look like a real answer of a \
                chat model, with usage counts, a finish reason and the usual identifiers, so that \
                parsing and serialising it costs what a real response costs in production traffic.";
    text.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn usage() -> Value {
    json!({"prompt_tokens": 42, "completion_tokens": 128, "total_tokens": 170})
}

fn bytes(value: &Value) -> anyhow::Result<Bytes> {
    Ok(Bytes::from(serde_json::to_vec(value)?))
}

fn sse(value: &Value) -> anyhow::Result<Bytes> {
    Ok(Bytes::from(format!(
        "data: {}\n\n",
        serde_json::to_string(value)?
    )))
}

fn chunk(delta: Value, finish: Option<&str>) -> Value {
    json!({
        "id": ID, "object": "chat.completion.chunk", "created": CREATED, "model": MODEL,
        "system_fingerprint": "fp_bench",
        "choices": [{"index": 0, "delta": delta, "logprobs": null, "finish_reason": finish}],
    })
}

impl Bodies {
    pub fn build() -> anyhow::Result<Self> {
        let words = words();
        let content = words.join(" ");
        let chat = json!({
            "id": ID, "object": "chat.completion", "created": CREATED, "model": MODEL,
            "system_fingerprint": "fp_bench",
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": null},
                "logprobs": null,
                "finish_reason": "stop",
            }],
            "usage": usage(),
        });

        // 20 content chunks: the first carries the role, the last the finish reason.
        let per_chunk = words.len().div_ceil(STREAM_CHUNKS);
        let mut stream = Vec::with_capacity(STREAM_CHUNKS + 2);
        for i in 0..STREAM_CHUNKS {
            let start = (i * per_chunk).min(words.len());
            let end = ((i + 1) * per_chunk).min(words.len());
            let mut piece = words[start..end].join(" ");
            if i > 0 {
                piece.insert(0, ' ');
            }
            let delta = if i == 0 {
                json!({"role": "assistant", "content": piece})
            } else {
                json!({"content": piece})
            };
            let finish = (i + 1 == STREAM_CHUNKS).then_some("stop");
            stream.push(sse(&chunk(delta, finish))?);
        }
        let done = Bytes::from_static(b"data: [DONE]\n\n");
        let mut with_usage = stream.clone();
        let mut usage_chunk = chunk(json!({}), None);
        usage_chunk["choices"] = json!([]);
        usage_chunk["usage"] = usage();
        with_usage.push(sse(&usage_chunk)?);
        with_usage.push(done.clone());
        stream.push(done);

        let vector: Vec<f64> = (0..EMBEDDING_DIMS)
            .map(|i| ((i as f64 * 0.618_034).fract() - 0.5) * 0.1)
            .map(|x| (x * 1e6).round() / 1e6)
            .collect();
        let embeddings = json!({
            "object": "list",
            "data": [{"object": "embedding", "index": 0, "embedding": vector}],
            "model": MODEL,
            "usage": {"prompt_tokens": 8, "total_tokens": 8},
        });
        let models = json!({
            "object": "list",
            "data": [{"id": MODEL, "object": "model", "created": CREATED, "owned_by": "bench"}],
        });
        let not_found = json!({"error": {
            "message": "mock provider: unknown route", "type": "invalid_request_error",
            "param": null, "code": "not_found",
        }});
        Ok(Self {
            chat: bytes(&chat)?,
            stream: stream.into(),
            stream_with_usage: with_usage.into(),
            embeddings: bytes(&embeddings)?,
            models: bytes(&models)?,
            not_found: bytes(&not_found)?,
        })
    }
}
