//! Builds the provider of a deployment from its `litellm_params`.
//!
//! `model: "<provider>/<upstream model>"` (or `custom_llm_provider`) picks the provider. The
//! OpenAI-compatible families share one implementation with their default base URLs; credentials
//! not in the config fall back to the provider's usual environment variable, as LiteLLM does.

use std::sync::Arc;

use super::anthropic::AnthropicProvider;
use super::disabled::DisabledProvider;
use super::mock::MockProvider;
use super::openai::{Endpoint, OpenAiProvider, OpenAiSettings};
use super::{Provider, azure};
use crate::config::{Config, ModelEntry, Secret};

/// An OpenAI-compatible provider family: prefix, default base URL, API key variable, and whether
/// a base URL without `/v1` needs it appended (servers users address by host, like Ollama).
struct Family {
    prefix: &'static str,
    base: Option<&'static str>,
    key_var: Option<&'static str>,
    append_v1: bool,
}

const FAMILIES: &[Family] = &[
    family(
        "openai",
        Some("https://api.openai.com/v1"),
        Some("OPENAI_API_KEY"),
        false,
    ),
    family(
        "text-completion-openai",
        Some("https://api.openai.com/v1"),
        Some("OPENAI_API_KEY"),
        false,
    ),
    family("custom_openai", None, None, false),
    family("openai_like", None, None, false),
    family("hosted_vllm", None, Some("HOSTED_VLLM_API_KEY"), false),
    family("vllm", None, None, false),
    family("ollama", Some("http://localhost:11434"), None, true),
    family("ollama_chat", Some("http://localhost:11434"), None, true),
    family(
        "lm_studio",
        Some("http://localhost:1234/v1"),
        Some("LM_STUDIO_API_KEY"),
        false,
    ),
    family(
        "groq",
        Some("https://api.groq.com/openai/v1"),
        Some("GROQ_API_KEY"),
        false,
    ),
    family(
        "deepseek",
        Some("https://api.deepseek.com/v1"),
        Some("DEEPSEEK_API_KEY"),
        false,
    ),
    family(
        "together_ai",
        Some("https://api.together.xyz/v1"),
        Some("TOGETHERAI_API_KEY"),
        false,
    ),
    family(
        "openrouter",
        Some("https://openrouter.ai/api/v1"),
        Some("OPENROUTER_API_KEY"),
        false,
    ),
    family(
        "fireworks_ai",
        Some("https://api.fireworks.ai/inference/v1"),
        Some("FIREWORKS_AI_API_KEY"),
        false,
    ),
    family(
        "mistral",
        Some("https://api.mistral.ai/v1"),
        Some("MISTRAL_API_KEY"),
        false,
    ),
    family(
        "xai",
        Some("https://api.x.ai/v1"),
        Some("XAI_API_KEY"),
        false,
    ),
    family(
        "perplexity",
        Some("https://api.perplexity.ai"),
        Some("PERPLEXITYAI_API_KEY"),
        false,
    ),
    family(
        "deepinfra",
        Some("https://api.deepinfra.com/v1/openai"),
        Some("DEEPINFRA_API_KEY"),
        false,
    ),
    family(
        "cerebras",
        Some("https://api.cerebras.ai/v1"),
        Some("CEREBRAS_API_KEY"),
        false,
    ),
    family(
        "nvidia_nim",
        Some("https://integrate.api.nvidia.com/v1"),
        Some("NVIDIA_NIM_API_KEY"),
        false,
    ),
];

const fn family(
    prefix: &'static str,
    base: Option<&'static str>,
    key_var: Option<&'static str>,
    append_v1: bool,
) -> Family {
    Family {
        prefix,
        base,
        key_var,
        append_v1,
    }
}

/// Splits `litellm_params.model` into provider and upstream model. A bare model name is OpenAI's,
/// except `claude-*` which is Anthropic's (LiteLLM infers the same).
pub fn split_model(entry_model: &str, custom_provider: Option<&str>) -> (String, String) {
    if let Some(provider) = custom_provider {
        let upstream = entry_model
            .strip_prefix(&format!("{provider}/"))
            .unwrap_or(entry_model);
        return (provider.to_owned(), upstream.to_owned());
    }
    match entry_model.split_once('/') {
        Some((provider, upstream)) if is_known_provider(provider) => {
            (provider.to_owned(), upstream.to_owned())
        }
        Some((provider, upstream)) if !provider.contains('.') && !provider.contains(':') => {
            (provider.to_owned(), upstream.to_owned())
        }
        _ if entry_model.starts_with("claude") => ("anthropic".into(), entry_model.into()),
        _ => ("openai".into(), entry_model.into()),
    }
}

fn is_known_provider(name: &str) -> bool {
    name == "anthropic" || name == "azure" || FAMILIES.iter().any(|f| f.prefix == name)
}

/// Builds the provider for `entry`, serving `upstream_model` (which differs from the configured
/// one only for wildcard deployments). Deployments that cannot work get a [`DisabledProvider`]
/// explaining why; the returned warning is logged once at startup.
pub fn build(
    entry: &ModelEntry,
    upstream_model: &str,
    provider: &str,
    config: &Config,
    client: &reqwest::Client,
) -> (Arc<dyn Provider>, Option<String>) {
    let env = |name: &str| config.env_var(name);
    let p = &entry.params;
    if let Some(text) = &p.mock_response {
        return (Arc::new(MockProvider::new(text.clone())), None);
    }
    if !p.missing_env.is_empty() {
        let reason = format!(
            "deployment {} ({}) is not usable: environment variable{} {} not set",
            entry.model_name,
            entry.origin,
            if p.missing_env.len() > 1 { "s" } else { "" },
            p.missing_env.join(", ")
        );
        return (Arc::new(DisabledProvider::new(reason)), None);
    }
    let timeout = config.timeout_for(entry);
    let stream_timeout = config.stream_timeout_for(entry);
    let env_key = |var: &str| env(var).filter(|v| !v.is_empty()).map(Secret::new);

    if provider == "anthropic" {
        let key = p.api_key.clone().or_else(|| env_key("ANTHROPIC_API_KEY"));
        let base = p.api_base.clone().or_else(|| env("ANTHROPIC_API_BASE"));
        let provider = AnthropicProvider::new(
            client.clone(),
            upstream_model.to_owned(),
            base,
            key.map(|k| k.expose().to_owned()),
            timeout,
            stream_timeout,
        );
        return (Arc::new(provider), None);
    }
    if provider == "azure" {
        let Some(base) = p.api_base.clone().or_else(|| env("AZURE_API_BASE")) else {
            return disabled(entry, "azure needs `api_base` (or AZURE_API_BASE)");
        };
        let settings = azure::AzureSettings {
            deployment: upstream_model.to_owned(),
            api_base: base,
            api_version: p.api_version.clone().or_else(|| env("AZURE_API_VERSION")),
            api_key: p.api_key.clone().or_else(|| env_key("AZURE_API_KEY")),
            extra_headers: p.extra_headers.clone(),
            timeout,
            stream_timeout,
        };
        return (Arc::new(azure::provider(client.clone(), settings)), None);
    }
    let Some(family) = FAMILIES.iter().find(|f| f.prefix == provider) else {
        return disabled(
            entry,
            &format!("provider `{provider}` is not supported by Tollgate yet"),
        );
    };
    let Some(mut base) = p.api_base.clone().or(family.base.map(str::to_owned)) else {
        return disabled(entry, &format!("`{provider}/` deployments need `api_base`"));
    };
    if family.append_v1 && !base.trim_end_matches('/').ends_with("/v1") {
        base = format!("{}/v1", base.trim_end_matches('/'));
    }
    let api_key = p
        .api_key
        .clone()
        .or_else(|| family.key_var.and_then(env_key));
    let settings = OpenAiSettings {
        name: static_name(provider),
        upstream_model: upstream_model.to_owned(),
        endpoint: Endpoint::OpenAi { base },
        api_key,
        organization: p.organization.clone(),
        extra_headers: p.extra_headers.clone(),
        timeout,
        stream_timeout,
    };
    (
        Arc::new(OpenAiProvider::new(client.clone(), settings)),
        None,
    )
}

fn disabled(entry: &ModelEntry, why: &str) -> (Arc<dyn Provider>, Option<String>) {
    let reason = format!(
        "deployment {} ({}) is not usable: {why}",
        entry.model_name, entry.origin
    );
    (
        Arc::new(DisabledProvider::new(reason.clone())),
        Some(reason),
    )
}

/// The provider's name as a `'static` string for metrics labels.
fn static_name(provider: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|f| f.prefix == provider)
        .map_or("openai", |f| f.prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Provider prefixes split as LiteLLM reads them.
    #[test]
    fn splits_provider_prefixes() {
        assert_eq!(
            split_model("openai/gpt-4o", None),
            ("openai".into(), "gpt-4o".into())
        );
        assert_eq!(
            split_model("hosted_vllm/meta-llama/Llama-3-8B", None),
            ("hosted_vllm".into(), "meta-llama/Llama-3-8B".into())
        );
        assert_eq!(
            split_model("gpt-4o", None),
            ("openai".into(), "gpt-4o".into())
        );
        assert_eq!(
            split_model("claude-3-5-sonnet", None),
            ("anthropic".into(), "claude-3-5-sonnet".into())
        );
        assert_eq!(
            split_model("my-model", Some("openai")),
            ("openai".into(), "my-model".into())
        );
    }
}
