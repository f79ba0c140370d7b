//! Azure OpenAI: the OpenAI wire format at deployment URLs
//! (`{api_base}/openai/deployments/{deployment}/chat/completions?api-version=...`) with the
//! `api-key` header. The deployment name is the part after `azure/` in `litellm_params.model`.

use std::time::Duration;

use super::openai::{Endpoint, OpenAiProvider, OpenAiSettings};
use crate::config::Secret;

/// The API version used when neither the config nor `AZURE_API_VERSION` names one.
pub const DEFAULT_API_VERSION: &str = "2024-10-21";

/// Settings of one Azure deployment.
#[derive(Debug, Clone)]
pub struct AzureSettings {
    pub deployment: String,
    pub api_base: String,
    pub api_version: Option<String>,
    pub api_key: Option<Secret>,
    pub extra_headers: Vec<(String, String)>,
    pub timeout: Duration,
    pub stream_timeout: Duration,
}

/// Builds the provider for an Azure OpenAI deployment.
pub fn provider(client: reqwest::Client, settings: AzureSettings) -> OpenAiProvider {
    OpenAiProvider::new(
        client,
        OpenAiSettings {
            name: "azure",
            upstream_model: settings.deployment,
            endpoint: Endpoint::Azure {
                base: settings.api_base,
                api_version: settings
                    .api_version
                    .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned()),
            },
            api_key: settings.api_key,
            organization: None,
            extra_headers: settings.extra_headers,
            timeout: settings.timeout,
            stream_timeout: settings.stream_timeout,
        },
    )
}

#[cfg(test)]
#[path = "azure_golden_tests.rs"]
mod golden_tests;
