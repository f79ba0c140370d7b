//! Golden files pinning the Azure OpenAI wire format: the request sent for a chat and an
//! embeddings call (URL with deployment and api-version, `api-key` header, body), a response
//! read back (Azure's content-filter fields kept), and a stream (Azure's leading chunk with
//! empty `choices` and `prompt_filter_results`).

use std::time::Duration;

use futures_util::StreamExt;

use super::*;
use crate::golden::{check, read_json, sse_data};
use crate::providers::openai::parse_chunk_stream;
use crate::types::openai::{ChatRequest, ChatResponse, EmbeddingsRequest};

const SUITE: &str = "azure";

fn azure() -> crate::providers::openai::OpenAiProvider {
    provider(
        reqwest::Client::new(),
        AzureSettings {
            deployment: "gpt4o-prod".into(),
            api_base: "https://contoso.openai.azure.com/".into(),
            api_version: Some("2024-10-21".into()),
            api_key: Some(Secret::new("azure-test-key")),
            extra_headers: vec![("x-ms-client-request-id".into(), "req-1".into())],
            timeout: Duration::from_secs(30),
            stream_timeout: Duration::from_secs(5),
        },
    )
}

// A chat request becomes Azure's deployment URL, api-key header and OpenAI body.
#[test]
fn chat_request() {
    let req: ChatRequest = read_json(SUITE, "chat_request.in.json");
    check(
        SUITE,
        "chat_request",
        azure().prepare_chat(req.clone(), false).unwrap(),
    );
    check(
        SUITE,
        "chat_request_stream",
        azure().prepare_chat(req, true).unwrap(),
    );
}

// An embeddings request goes to the deployment's embeddings URL.
#[test]
fn embeddings_request() {
    let req: EmbeddingsRequest = read_json(SUITE, "embeddings_request.in.json");
    check(
        SUITE,
        "embeddings_request",
        azure().prepare_embeddings(req).unwrap(),
    );
}

// An Azure response reads into the canonical type with its extra fields kept.
#[test]
fn chat_response() {
    let resp: ChatResponse = read_json(SUITE, "chat_response.in.json");
    check(SUITE, "chat_response", resp);
}

// An Azure stream (leading filter-results chunk, text, tool call, usage) parses chunk by chunk.
#[tokio::test]
async fn chat_stream() {
    let text = sse_data(SUITE, "chat_stream.in.sse")
        .into_iter()
        .map(|d| format!("data: {d}\n\n"))
        .collect::<String>()
        + "data: [DONE]\n\n";
    let body = futures_util::stream::iter(vec![Ok(bytes::Bytes::from(text))]);
    let chunks: Vec<_> = parse_chunk_stream("azure", body)
        .map(|c| c.unwrap())
        .collect()
        .await;
    check(SUITE, "chat_stream", chunks);
}
