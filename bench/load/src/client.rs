//! One HTTP/1.1 keep-alive connection and the request every call sends.

use std::time::Instant;

use anyhow::Context as _;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, Uri, header};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What every request of a run looks like.
#[derive(Debug, Clone)]
pub struct Target {
    pub authority: String,
    pub uri: Uri,
    pub method: Method,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// The common request options of the subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct TargetArgs {
    /// `http://host:port/path`.
    #[arg(long)]
    pub url: String,
    /// Extra header, `Name: value` (repeatable).
    #[arg(long = "header", short = 'H')]
    pub headers: Vec<String>,
    /// Request body (POST); `@FILE` reads it from a file. Without it: GET.
    #[arg(long)]
    pub body: Option<String>,
}

impl TargetArgs {
    pub fn target(&self) -> anyhow::Result<Target> {
        let uri: Uri = self
            .url
            .parse()
            .with_context(|| format!("bad url {}", self.url))?;
        anyhow::ensure!(
            uri.scheme_str() == Some("http"),
            "only http:// urls are supported"
        );
        let authority = uri.authority().context("url has no host")?.to_string();
        let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(&authority)?);
        let body = match &self.body {
            Some(b) if b.starts_with('@') => {
                Bytes::from(std::fs::read(&b[1..]).with_context(|| format!("reading {}", &b[1..]))?)
            }
            Some(b) => Bytes::from(b.clone()),
            None => Bytes::new(),
        };
        let method = if self.body.is_some() {
            Method::POST
        } else {
            Method::GET
        };
        if method == Method::POST {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        for h in &self.headers {
            let (name, value) = h
                .split_once(':')
                .with_context(|| format!("bad header {h}"))?;
            headers.insert(
                HeaderName::from_bytes(name.trim().as_bytes())?,
                HeaderValue::from_str(value.trim())?,
            );
        }
        Ok(Target {
            authority,
            uri: path.parse()?,
            method,
            headers,
            body,
        })
    }
}

pub async fn connect(target: &Target) -> anyhow::Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(&target.authority).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

pub fn request(target: &Target) -> anyhow::Result<Request<Full<Bytes>>> {
    let mut req = Request::new(Full::new(target.body.clone()));
    *req.method_mut() = target.method.clone();
    *req.uri_mut() = target.uri.clone();
    *req.headers_mut() = target.headers.clone();
    Ok(req)
}

/// The outcome of one request, all times measured by the caller's clock.
#[derive(Debug, Clone, Copy)]
pub struct Outcome {
    pub status: u16,
    /// When the first body byte (or the end of an empty body) arrived.
    pub first_byte: Instant,
    pub done: Instant,
}

/// Sends one request on `sender` and reads the whole response body.
pub async fn call(
    sender: &mut SendRequest<Full<Bytes>>,
    target: &Target,
) -> anyhow::Result<Outcome> {
    sender.ready().await?;
    let response = sender.send_request(request(target)?).await?;
    let status = response.status().as_u16();
    let mut body = response.into_body();
    let mut first_byte = None;
    while let Some(frame) = body.frame().await {
        let frame = frame?;
        if first_byte.is_none() && frame.data_ref().is_some_and(|d| !d.is_empty()) {
            first_byte = Some(Instant::now());
        }
    }
    let done = Instant::now();
    Ok(Outcome {
        status,
        first_byte: first_byte.unwrap_or(done),
        done,
    })
}
