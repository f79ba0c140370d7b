//! Streams and the process lifecycle: client disconnects cancel the upstream call, and a
//! graceful shutdown lets in-flight streams finish.

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use tollgate_e2e::gateway::{sse_data, standard_config};
use tollgate_e2e::{Gateway, MockProvider};

fn config_with_streams(mock: &MockProvider) -> String {
    let base = mock.openai_base();
    standard_config(mock).replace(
        "model_list:\n",
        &format!(
            "model_list:\n  - model_name: slow-stream\n    litellm_params: {{model: openai/slow-stream, api_base: \"{base}\", api_key: k}}\n  - model_name: endless-stream\n    litellm_params: {{model: openai/endless-stream, api_base: \"{base}\", api_key: k}}\n"
        ),
    )
}

// A client that leaves mid-stream makes the gateway drop the upstream connection.
#[tokio::test]
async fn client_disconnect_cancels_upstream() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&config_with_streams(&mock)).await;
    let res = gw
        .post("/v1/chat/completions", &json!({"model": "endless-stream", "stream": true, "messages": [{"role": "user", "content": "go"}]}))
        .await;
    assert_eq!(res.status(), 200);
    let mut body = res.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&first).contains("data: "));
    assert!(!mock.stream_dropped());
    drop(body);
    let deadline = Instant::now() + Duration::from_secs(5);
    while !mock.stream_dropped() {
        assert!(
            Instant::now() < deadline,
            "upstream stream still running after the client left"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    gw.stop().await;
}

// Shutdown during a stream: the stream still completes with [DONE], then the gateway stops.
#[tokio::test]
async fn graceful_shutdown_finishes_streams() {
    let mock = MockProvider::start().await;
    let gw = Gateway::start(&config_with_streams(&mock)).await;
    let res = gw
        .post("/v1/chat/completions", &json!({"model": "slow-stream", "stream": true, "messages": [{"role": "user", "content": "go"}]}))
        .await;
    assert_eq!(res.status(), 200);
    let url = gw.url("/health/liveliness");
    let stopping = tokio::spawn(gw.stop());
    let data = sse_data(res).await;
    assert_eq!(data.last().map(String::as_str), Some("[DONE]"));
    assert_eq!(
        data.len(),
        12,
        "10 chunks, the finish chunk and [DONE]: {data:?}"
    );
    tokio::time::timeout(Duration::from_secs(5), stopping)
        .await
        .unwrap()
        .unwrap();
    assert!(
        reqwest::get(url).await.is_err(),
        "the listener is closed after shutdown"
    );
}
