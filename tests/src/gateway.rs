//! The real gateway (`tollgate::run`) started in-process on `127.0.0.1:0` with its own SQLite
//! file, plus the standard test config pointing at a [`MockProvider`].

use std::net::SocketAddr;

use reqwest::header::AUTHORIZATION;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tollgate::config::{self, Secret};
use tollgate::governance::Clock;
use tollgate::state::{AppState, StateOptions};

use crate::MockProvider;

pub const MASTER_KEY: &str = "sk-test-master-key-0123456789";

pub struct Gateway {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    shutdown: CancellationToken,
    handle: JoinHandle<tollgate::Result<()>>,
    _dir: tempfile::TempDir,
}

/// The standard models of the suite, all served by `mock`.
pub fn standard_config(mock: &MockProvider) -> String {
    let openai = mock.openai_base();
    let base = mock.base();
    format!(
        r#"
model_list:
  - model_name: gpt-mock
    litellm_params: {{model: openai/gpt-4o-mini, api_base: "{openai}", api_key: sk-upstream, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002}}
  - model_name: claude-mock
    litellm_params: {{model: anthropic/claude-3-5-sonnet-20241022, api_base: "{base}", api_key: sk-ant-upstream}}
  - model_name: azure-mock
    litellm_params: {{model: azure/my-deployment, api_base: "{base}", api_key: azure-key, api_version: "2024-10-21"}}
  - model_name: embed-mock
    litellm_params: {{model: openai/text-embedding-3-small, api_base: "{openai}", api_key: sk-upstream}}
  - model_name: fail-500
    litellm_params: {{model: openai/error-500, api_base: "{openai}", api_key: sk-upstream}}
  - model_name: fail-429
    litellm_params: {{model: openai/error-429, api_base: "{openai}", api_key: sk-upstream}}
  - model_name: fail-400
    litellm_params: {{model: openai/error-400, api_base: "{openai}", api_key: sk-upstream}}
  - model_name: slow
    litellm_params: {{model: openai/slow, api_base: "{openai}", api_key: sk-upstream, timeout: 0.5}}
  - model_name: demo
    litellm_params: {{model: openai/demo, mock_response: "Hello from Tollgate!"}}
general_settings:
  master_key: {MASTER_KEY}
"#
    )
}

impl Gateway {
    /// Starts the gateway on `config_yaml` with a fresh SQLite file.
    pub async fn start(config_yaml: &str) -> Self {
        Self::start_with_db(config_yaml, None).await
    }

    /// Starts the gateway on `config_yaml` with `database_url`, or a fresh SQLite file.
    pub async fn start_with_db(config_yaml: &str, database_url: Option<String>) -> Self {
        Self::start_with_clock(config_yaml, database_url, Clock::System).await
    }

    /// Starts the gateway with a clock the test controls (expiry, budget resets).
    pub async fn start_with_clock(
        config_yaml: &str,
        database_url: Option<String>,
        clock: Clock,
    ) -> Self {
        tollgate::telemetry::init_tracing();
        let dir = tempfile::tempdir().unwrap();
        let loaded = config::load_str(config_yaml, false, &|n| std::env::var(n).ok())
            .unwrap_or_else(|e| panic!("test config invalid: {e}"));
        let mut config = loaded.config;
        let url = database_url
            .unwrap_or_else(|| format!("sqlite://{}/tollgate.db", dir.path().display()));
        config.general.database_url = Some(Secret::new(url));
        let options = StateOptions {
            clock,
            ..StateOptions::default()
        };
        let (state, _warnings) = AppState::build(config, options).await.unwrap();
        let bootstrap = state.config.bootstrap.clone();
        tollgate::admin::bootstrap::apply(&state, &bootstrap)
            .await
            .unwrap_or_else(|e| panic!("config teams/keys: {e}"));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let handle = tokio::spawn(tollgate::run(listener, state.clone(), shutdown.clone()));
        Self {
            addr,
            client: reqwest::Client::new(),
            state,
            shutdown,
            handle,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// POSTs JSON with the master key.
    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {MASTER_KEY}"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// GETs with the master key.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header(AUTHORIZATION, format!("Bearer {MASTER_KEY}"))
            .send()
            .await
            .unwrap()
    }

    /// Stops the gateway gracefully and waits for it.
    pub async fn stop(self) {
        self.shutdown.cancel();
        self.handle.await.unwrap().unwrap();
    }
}

/// Reads an SSE body into its `data:` payloads.
pub async fn sse_data(response: reqwest::Response) -> Vec<String> {
    let text = response.text().await.unwrap();
    text.split("\n\n")
        .filter_map(|event| {
            let data: Vec<&str> = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect();
            (!data.is_empty()).then(|| data.join("\n"))
        })
        .collect()
}

/// Reads an SSE body into `(event, data)` pairs.
pub async fn sse_events(response: reqwest::Response) -> Vec<(String, Value)> {
    let text = response.text().await.unwrap();
    text.split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .map(|event| {
            let name = event
                .lines()
                .find_map(|l| l.strip_prefix("event: "))
                .unwrap_or("message")
                .to_owned();
            let data = event
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .collect::<Vec<_>>()
                .join("\n");
            (name, serde_json::from_str(&data).unwrap_or(Value::Null))
        })
        .collect()
}
