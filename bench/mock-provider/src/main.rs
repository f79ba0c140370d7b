//! A fast mock of an OpenAI-compatible provider, for benchmarks only (never for tests of
//! behaviour: it does not look at the request beyond `"stream": true` and `include_usage`).
//!
//! - `POST …/chat/completions` → a precomputed ≈1 KB chat completion, or with `"stream": true` a
//!   20-chunk SSE stream (plus a usage chunk when `stream_options.include_usage` is set) ending
//!   with `data: [DONE]`.
//! - `POST …/embeddings` → a precomputed ≈1 KB embedding response.
//! - `GET …/models` → one model; anything else → 404 with an OpenAI-shaped error.
//!
//! Every response body is built once at start-up and shared (`Bytes` clones are reference counts),
//! so the mock allocates next to nothing per request and never limits a measurement. `--delay-ms`
//! holds every response (before its headers) for a fixed time; `--chunk-interval-ms` spaces stream
//! chunks (for the open-streams memory test). Prints `listening on ADDR` on stdout once bound.

mod bodies;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use anyhow::Context as _;
use bytes::Bytes;
use http::{HeaderValue, Request, Response, StatusCode, header};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::time::Sleep;

use bodies::Bodies;

#[derive(Debug)]
struct Options {
    host: String,
    port: u16,
    delay: Option<Duration>,
    chunk_interval: Option<Duration>,
    threads: usize,
}

const USAGE: &str = "usage: tollgate-bench-mock [--host H] [--port P] [--delay-ms N] \
                     [--chunk-interval-ms N] [--threads N]";

fn parse_args() -> anyhow::Result<Options> {
    let mut options = Options {
        host: "127.0.0.1".into(),
        port: 0,
        delay: None,
        chunk_interval: None,
        threads: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        let value = args
            .next()
            .with_context(|| format!("{flag} needs a value\n{USAGE}"))?;
        let millis = |v: &str| -> anyhow::Result<Option<Duration>> {
            let ms: u64 = v
                .parse()
                .with_context(|| format!("{flag}: not a number: {v}"))?;
            Ok((ms > 0).then(|| Duration::from_millis(ms)))
        };
        match flag.as_str() {
            "--host" => options.host = value,
            "--port" => options.port = value.parse().context("--port")?,
            "--delay-ms" => options.delay = millis(&value)?,
            "--chunk-interval-ms" => options.chunk_interval = millis(&value)?,
            "--threads" => options.threads = value.parse().context("--threads")?,
            other => anyhow::bail!("unknown flag {other}\n{USAGE}"),
        }
    }
    Ok(options)
}

fn main() -> anyhow::Result<()> {
    let options = parse_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(options.threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(serve(options))
}

struct Shared {
    bodies: Bodies,
    delay: Option<Duration>,
    chunk_interval: Option<Duration>,
}

async fn serve(options: Options) -> anyhow::Result<()> {
    let listener = bind(&options.host, options.port)?;
    let addr = listener.local_addr()?;
    println!("listening on {addr}");
    let shared = Arc::new(Shared {
        bodies: Bodies::build()?,
        delay: options.delay,
        chunk_interval: options.chunk_interval,
    });
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                // EMFILE and friends: back off instead of spinning.
                eprintln!("accept: {err}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(shared.clone(), req));
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// Binds with a large accept backlog so thousands of simultaneous connects do not overflow it.
fn bind(host: &str, port: u16) -> anyhow::Result<TcpListener> {
    let addr: SocketAddr = format!("{host}:{port}")
        .parse()
        .with_context(|| format!("bad address {host}:{port}"))?;
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    Ok(socket.listen(8192)?)
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<MockBody>, Infallible> {
    let path = req.uri().path().to_owned();
    let is_post = req.method() == http::Method::POST;
    // Read the whole request: the client expects it consumed, and stream flags live in it.
    let body = match req.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    if let Some(delay) = shared.delay {
        tokio::time::sleep(delay).await;
    }
    let b = &shared.bodies;
    let response = if is_post && path.ends_with("/chat/completions") {
        if contains_flag(&body, b"\"stream\"") {
            let usage = contains_flag(&body, b"\"include_usage\"");
            let chunks = if usage {
                b.stream_with_usage.clone()
            } else {
                b.stream.clone()
            };
            let body = MockBody::stream(chunks, shared.chunk_interval);
            reply(StatusCode::OK, "text/event-stream", body)
        } else {
            reply(
                StatusCode::OK,
                "application/json",
                MockBody::full(b.chat.clone()),
            )
        }
    } else if is_post && path.ends_with("/embeddings") {
        reply(
            StatusCode::OK,
            "application/json",
            MockBody::full(b.embeddings.clone()),
        )
    } else if path.ends_with("/models") {
        reply(
            StatusCode::OK,
            "application/json",
            MockBody::full(b.models.clone()),
        )
    } else {
        reply(
            StatusCode::NOT_FOUND,
            "application/json",
            MockBody::full(b.not_found.clone()),
        )
    };
    Ok(response)
}

/// True when `key` is followed (after optional spaces and a colon) by `true`.
fn contains_flag(body: &[u8], key: &[u8]) -> bool {
    let mut rest = body;
    while let Some(pos) = find(rest, key) {
        rest = &rest[pos + key.len()..];
        let value = rest
            .iter()
            .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b':'))
            .map_or(&[][..], |start| &rest[start..]);
        if value.starts_with(b"true") {
            return true;
        }
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn reply(status: StatusCode, content_type: &'static str, body: MockBody) -> Response<MockBody> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A response body: one precomputed buffer, or precomputed SSE chunks sent one frame each,
/// optionally spaced by a fixed interval.
struct MockBody {
    chunks: Arc<[Bytes]>,
    next: usize,
    interval: Option<Duration>,
    sleep: Option<Pin<Box<Sleep>>>,
    streaming: bool,
}

impl MockBody {
    fn full(bytes: Bytes) -> Self {
        Self {
            chunks: Arc::from([bytes]),
            next: 0,
            interval: None,
            sleep: None,
            streaming: false,
        }
    }

    fn stream(chunks: Arc<[Bytes]>, interval: Option<Duration>) -> Self {
        Self {
            chunks,
            next: 0,
            interval,
            sleep: None,
            streaming: true,
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        if this.next >= this.chunks.len() {
            return Poll::Ready(None);
        }
        if let Some(sleep) = this.sleep.as_mut() {
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            this.sleep = None;
        }
        let chunk = this.chunks[this.next].clone();
        this.next += 1;
        if let Some(interval) = this.interval
            && this.next < this.chunks.len()
        {
            this.sleep = Some(Box::pin(tokio::time::sleep(interval)));
        }
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.next >= self.chunks.len()
    }

    fn size_hint(&self) -> SizeHint {
        if self.streaming {
            SizeHint::default()
        } else {
            let len: usize = self.chunks.iter().map(Bytes::len).sum();
            SizeHint::with_exact(len as u64)
        }
    }
}
