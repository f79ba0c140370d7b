//! Server-Sent Events bodies for streamed answers.

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, header};
use axum::response::Response;
use futures_util::{Stream, StreamExt};

use crate::providers::ChunkStream;

/// An OpenAI stream: `data: <chunk>` per chunk and `data: [DONE]` at the end. An error mid-stream
/// is sent as `data: {"error": ...}` and ends the stream without `[DONE]`, so a client can never
/// mistake a failed stream for a complete one.
pub fn openai_body(chunks: ChunkStream) -> Body {
    let events = async_stream::stream! {
        let mut chunks = chunks;
        while let Some(item) = chunks.next().await {
            match item {
                Ok(chunk) => match serde_json::to_string(&chunk) {
                    Ok(json) => yield Ok::<_, std::convert::Infallible>(Bytes::from(format!("data: {json}\n\n"))),
                    Err(err) => {
                        yield Ok(error_event(&crate::Error::internal(err)));
                        return;
                    }
                },
                Err(err) => {
                    tracing::warn!(error = %err, "stream failed mid-way");
                    yield Ok(error_event(&err));
                    return;
                }
            }
        }
        yield Ok(Bytes::from_static(b"data: [DONE]\n\n"));
    };
    Body::from_stream(events)
}

fn error_event(err: &crate::Error) -> Bytes {
    let json = serde_json::to_string(&err.body()).unwrap_or_else(|_| "{}".to_owned());
    Bytes::from(format!("data: {json}\n\n"))
}

/// A response carrying an SSE body with the usual streaming headers.
pub fn response<S>(body: S) -> Response
where
    S: Into<Body>,
{
    let mut response = Response::new(body.into());
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    response
}

/// Any stream of ready-made SSE text frames as a body.
pub fn text_body<S>(frames: S) -> Body
where
    S: Stream<Item = String> + Send + 'static,
{
    Body::from_stream(frames.map(|f| Ok::<_, std::convert::Infallible>(Bytes::from(f))))
}
