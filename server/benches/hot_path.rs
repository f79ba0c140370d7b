//! Microbenchmarks of the per-request hot path (issue 9): `cargo bench -p tollgate --bench hot_path`.
//!
//! Config-free pieces only: chat request parse + serialize, Anthropic ↔ OpenAI translation,
//! SSE decoding of a 20-chunk provider stream, the weighted deployment pick, the in-memory
//! rate-limit admission, key → principal lookup on a warm cache, and cost calculation. See the
//! list in `bench/README.md`. Nothing is faked.

#![allow(
    clippy::expect_used,
    reason = "a benchmark whose fixture is broken must stop loudly"
)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::DeserializeOwned;

use tollgate::providers::sse::SseDecoder;
use tollgate::router::weighted_index;
use tollgate::translate::anthropic::{inbound, outbound};
use tollgate::types::anthropic::MessagesRequest;
use tollgate::types::openai::{ChatRequest, ChatResponse};

/// A typical chat request: system prompt, a short conversation, sampling parameters (~1 KB).
const CHAT: &str = r#"{
  "model": "gpt-4o-mini",
  "messages": [
    {"role": "system", "content": "You are a concise assistant for an engineering team. Answer in one paragraph and cite the relevant part of the question."},
    {"role": "user", "content": "What does an LLM gateway do, and which parts of it add latency to each request?"},
    {"role": "assistant", "content": "A gateway authenticates the caller, checks budgets and rate limits, picks a deployment and forwards the call; parsing, key lookup and the upstream connection are the usual costs."},
    {"role": "user", "content": "Which of those can be kept off the hot path entirely, and how would you measure the rest on a two-core machine without the load generator dominating the numbers?"}
  ],
  "temperature": 0.2,
  "top_p": 0.95,
  "max_tokens": 512,
  "stream": false,
  "user": "user-1234",
  "metadata": {"team": "platform", "trace_id": "0af7651916cd43dd8448eb211c80319c"}
}"#;

/// A chat request with tools and a tool round trip (~2.5 KB).
const CHAT_TOOLS: &str = r#"{
  "model": "gpt-4o",
  "messages": [
    {"role": "system", "content": "You can look up the weather and convert units. Use the tools when needed."},
    {"role": "user", "content": "What is the weather in Paris and in Tokyo right now, in Fahrenheit?"},
    {"role": "assistant", "content": null, "tool_calls": [
      {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\",\"unit\":\"celsius\"}"}},
      {"id": "call_2", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Tokyo\",\"unit\":\"celsius\"}"}}
    ]},
    {"role": "tool", "tool_call_id": "call_1", "content": "{\"temp\": 14, \"conditions\": \"light rain\"}"},
    {"role": "tool", "tool_call_id": "call_2", "content": "{\"temp\": 21, \"conditions\": \"clear\"}"}
  ],
  "tools": [
    {"type": "function", "function": {"name": "get_weather", "description": "Current weather for a city.",
      "parameters": {"type": "object", "properties": {"city": {"type": "string", "description": "City name"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}}, "required": ["city"]}}},
    {"type": "function", "function": {"name": "convert_units", "description": "Convert a value between units.",
      "parameters": {"type": "object", "properties": {"value": {"type": "number"}, "from": {"type": "string"},
        "to": {"type": "string"}}, "required": ["value", "from", "to"]}}}
  ],
  "tool_choice": "auto",
  "parallel_tool_calls": true,
  "temperature": 0,
  "max_completion_tokens": 1024,
  "stream": true,
  "stream_options": {"include_usage": true}
}"#;

/// A typical Anthropic Messages request (Claude Code-like: system blocks, tools, a tool result).
const MESSAGES: &str = r#"{
  "model": "claude-sonnet-4-5",
  "max_tokens": 4096,
  "system": [{"type": "text", "text": "You are an expert software engineer working in a Rust repository. Keep answers short."}],
  "messages": [
    {"role": "user", "content": [{"type": "text", "text": "Run the tests of the server crate and tell me what fails."}]},
    {"role": "assistant", "content": [
      {"type": "text", "text": "I'll run the tests."},
      {"type": "tool_use", "id": "toolu_01", "name": "bash", "input": {"command": "cargo test -p tollgate"}}
    ]},
    {"role": "user", "content": [
      {"type": "tool_result", "tool_use_id": "toolu_01", "content": "test result: FAILED. 41 passed; 1 failed; 0 ignored"},
      {"type": "text", "text": "Which one failed?"}
    ]}
  ],
  "tools": [
    {"name": "bash", "description": "Run a shell command.", "input_schema": {"type": "object",
      "properties": {"command": {"type": "string"}}, "required": ["command"]}},
    {"name": "read_file", "description": "Read a file.", "input_schema": {"type": "object",
      "properties": {"path": {"type": "string"}}, "required": ["path"]}}
  ],
  "tool_choice": {"type": "auto"},
  "temperature": 0.3,
  "stop_sequences": ["</answer>"],
  "metadata": {"user_id": "user-1234"}
}"#;

/// A provider's OpenAI chat response (~1 KB), as the mock provider of `bench/` sends.
const RESPONSE: &str = r#"{
  "id": "chatcmpl-bench0000000000000000000000", "object": "chat.completion", "created": 1763900000,
  "model": "gpt-4o-mini", "system_fingerprint": "fp_bench",
  "choices": [{"index": 0, "message": {"role": "assistant", "refusal": null, "content":
    "Benchmarks measure what a gateway adds on top of the provider: the time spent parsing the request, checking the key, reserving limits and budget, choosing a deployment, calling upstream over a pooled connection, and writing the answer back. This reply is fixed so that the provider costs nothing and every microsecond seen comes from the proxy under test. It is long enough to look like a real answer of a chat model, with usage counts, a finish reason and the usual identifiers."},
    "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 42, "completion_tokens": 128, "total_tokens": 170}
}"#;

#[expect(
    clippy::expect_used,
    reason = "benchmark fixtures are constants: a bad one is a bug to see at once"
)]
fn fixture<T: DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).expect("benchmark fixture parses")
}

/// A provider SSE stream: 20 content chunks, a usage chunk and `[DONE]`, one `Vec` per chunk.
fn sse_chunks() -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    for i in 0..20 {
        let delta = if i == 0 {
            r#"{"role":"assistant","content":"Benchmarks measure"}"#.to_owned()
        } else {
            format!(r#"{{"content":" word{i} of the answer,"}}"#)
        };
        let finish = if i == 19 { r#""stop""# } else { "null" };
        chunks.push(
            format!(
                "data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1763900000,\
                 \"model\":\"gpt-4o-mini\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\
                 \"finish_reason\":{finish}}}]}}\n\n"
            )
            .into_bytes(),
        );
    }
    chunks.push(
        b"data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1763900000,\
          \"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":128,\
          \"total_tokens\":170}}\n\n"
            .to_vec(),
    );
    chunks.push(b"data: [DONE]\n\n".to_vec());
    chunks
}

fn chat_request(c: &mut Criterion) {
    let mut group = c.benchmark_group("chat_request");
    for (name, json) in [("typical", CHAT), ("tools", CHAT_TOOLS)] {
        let parsed: ChatRequest = fixture(json);
        group.throughput(Throughput::Bytes(json.len() as u64));
        group.bench_function(format!("parse/{name}"), |b| {
            b.iter(|| {
                serde_json::from_str::<ChatRequest>(black_box(json))
                    .map(black_box)
                    .is_ok()
            })
        });
        group.bench_function(format!("serialize/{name}"), |b| {
            b.iter(|| {
                serde_json::to_vec(black_box(&parsed))
                    .map(black_box)
                    .is_ok()
            })
        });
        group.bench_function(format!("parse+serialize/{name}"), |b| {
            b.iter(|| {
                serde_json::from_str::<ChatRequest>(black_box(json))
                    .and_then(|req| serde_json::to_vec(&req))
                    .map(black_box)
                    .is_ok()
            })
        });
    }
    group.finish();
}

fn translation(c: &mut Criterion) {
    let mut group = c.benchmark_group("translate");
    let messages: MessagesRequest = fixture(MESSAGES);
    group.bench_function("anthropic_to_openai/request", |b| {
        b.iter_batched(
            || messages.clone(),
            |req| black_box(inbound::to_chat(req).is_ok()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("anthropic_to_openai/parse+translate+serialize", |b| {
        b.iter(|| {
            let Ok(req) = serde_json::from_str::<MessagesRequest>(black_box(MESSAGES)) else {
                return false;
            };
            inbound::to_chat(req)
                .ok()
                .and_then(|chat| serde_json::to_vec(&chat).ok())
                .map(black_box)
                .is_some()
        })
    });
    let response: ChatResponse = fixture(RESPONSE);
    group.bench_function("openai_to_anthropic/response", |b| {
        b.iter_batched(
            || response.clone(),
            |resp| black_box(inbound::from_chat(resp)),
            BatchSize::SmallInput,
        )
    });
    let chat: ChatRequest = fixture(CHAT_TOOLS);
    group.bench_function("openai_to_anthropic/request", |b| {
        b.iter_batched(
            || chat.clone(),
            |req| black_box(outbound::to_messages(req, "claude-sonnet-4-5").is_ok()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn sse(c: &mut Criterion) {
    let chunks = sse_chunks();
    let whole: Vec<u8> = chunks.concat();
    let mut group = c.benchmark_group("sse_decode");
    group.throughput(Throughput::Bytes(whole.len() as u64));
    group.bench_function("22_events/one_buffer", |b| {
        b.iter(|| {
            let mut decoder = SseDecoder::new();
            let events = decoder.feed(black_box(&whole));
            black_box(events.len() + usize::from(decoder.finish().is_some()))
        })
    });
    group.bench_function("22_events/one_read_per_event", |b| {
        b.iter(|| {
            let mut decoder = SseDecoder::new();
            let mut n = 0;
            for chunk in &chunks {
                n += decoder.feed(black_box(chunk)).len();
            }
            black_box(n)
        })
    });
    group.bench_function("22_events/64_byte_reads", |b| {
        b.iter(|| {
            let mut decoder = SseDecoder::new();
            let mut n = 0;
            for piece in whole.chunks(64) {
                n += decoder.feed(black_box(piece)).len();
            }
            black_box(n)
        })
    });
    group.finish();
}

fn router(c: &mut Criterion) {
    let mut group = c.benchmark_group("router");
    let three = [1.0, 2.0, 7.0];
    let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
    let mut r = 0.0_f64;
    group.bench_function("weighted_index/3", |b| {
        b.iter(|| {
            r = (r + 0.618_033_988_75).fract();
            black_box(weighted_index(black_box(&three), r))
        })
    });
    group.bench_function("weighted_index/20", |b| {
        b.iter(|| {
            r = (r + 0.618_033_988_75).fract();
            black_box(weighted_index(black_box(&twenty), r))
        })
    });
    group.finish();
}

/// Rate-limit admission and settlement on the in-memory counters (no Redis): a key with rpm,
/// tpm and parallel limits plus a team rpm limit, over 1,000 distinct keys.
fn rate_limits(c: &mut Criterion) {
    use tollgate::budgets::Scope;
    use tollgate::governance::Clock;
    use tollgate::ratelimit::{Check, Measure, RateLimiter};

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let limiter = runtime.block_on(async {
        RateLimiter::new(
            None,
            Clock::System,
            tokio_util::task::TaskTracker::new(),
            tokio_util::sync::CancellationToken::new(),
        )
    });
    let checks_of = |i: usize| {
        let key = Scope::Key(format!("{i:064x}"));
        let check = |subject: &Scope, measure, limit, setting| Check {
            subject: subject.clone(),
            measure,
            limit,
            setting,
        };
        vec![
            check(&key, Measure::RequestsPerMinute, u64::MAX, "rpm_limit"),
            check(&key, Measure::TokensPerMinute, u64::MAX, "tpm_limit"),
            check(&key, Measure::Parallel, u64::MAX, "max_parallel_requests"),
            check(
                &Scope::Team("platform".into()),
                Measure::RequestsPerMinute,
                u64::MAX,
                "rpm_limit",
            ),
        ]
    };
    let mut group = c.benchmark_group("rate_limits");
    let mut i = 0usize;
    group.bench_function("local/acquire_settle_4_checks", |b| {
        b.iter_batched(
            || {
                i = (i + 1) % 1_000;
                checks_of(i)
            },
            |checks| {
                runtime.block_on(async {
                    let permit = limiter
                        .acquire(checks, 250)
                        .await
                        .expect("unlimited checks are admitted");
                    permit.settle(black_box(400));
                })
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Key → principal on a warm cache (what every request after the first does): hash the
/// presented secret (SHA-256), then look the hash up among 10,000 cached principals.
fn key_lookup(c: &mut Criterion) {
    use std::sync::Arc;
    use tollgate::auth::Principal;
    use tollgate::auth::cache::PrincipalCache;
    use tollgate::keys::secret;

    let cache = PrincipalCache::default();
    let secrets: Vec<String> = (0..10_000).map(|i| format!("sk-bench-{i:024}")).collect();
    for s in &secrets {
        cache.insert(secret::hash(s), Arc::new(Principal::master()));
    }
    let mut group = c.benchmark_group("auth");
    let mut i = 0usize;
    group.bench_function("key_lookup/cached_of_10k", |b| {
        b.iter(|| {
            i = (i + 7) % secrets.len();
            let token = secret::hash(black_box(&secrets[i]));
            black_box(cache.get(&token)).expect("every bench key is cached")
        })
    });
    group.bench_function("key_lookup/hash_only", |b| {
        b.iter(|| secret::hash(black_box(&secrets[42])))
    });
    group.finish();
}

/// The cost of one response: price lookup in the shipped table (done once per deployment at
/// load, measured for scale) and the per-call cost of a usage with cached prompt tokens.
fn cost(c: &mut Criterion) {
    use tollgate::pricing::{self, Price};
    use tollgate::types::openai::Usage;

    let usage: Usage = serde_json::from_str(
        r#"{"prompt_tokens": 1200, "completion_tokens": 350, "total_tokens": 1550,
            "prompt_tokens_details": {"cached_tokens": 1024}}"#,
    )
    .expect("a valid usage");
    let price = Price {
        input_cost_per_token: 2.5e-6,
        output_cost_per_token: 1e-5,
        cache_read_input_token_cost: Some(1.25e-6),
        cache_creation_input_token_cost: None,
    };
    let mut group = c.benchmark_group("cost");
    group.bench_function("usage_with_cached_tokens", |b| {
        b.iter(|| pricing::cost(black_box(&price), black_box(&usage)))
    });
    group.bench_function("table_lookup/gpt-4o", |b| {
        b.iter(|| pricing::lookup(black_box("openai"), black_box("gpt-4o"), None))
    });
    group.finish();
}

criterion_group!(
    benches,
    chat_request,
    translation,
    sse,
    router,
    rate_limits,
    key_lookup,
    cost
);
criterion_main!(benches);
