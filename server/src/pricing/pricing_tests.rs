use super::*;
use crate::config::load_str;
use crate::types::openai::PromptTokensDetails;

fn entry(yaml: &str) -> ModelEntry {
    load_str(yaml, false, &|_| None)
        .unwrap()
        .config
        .model_list
        .remove(0)
}

// The shipped table parses and covers the major providers.
#[test]
fn table_covers_major_providers() {
    for key in [
        "openai/gpt-4o",
        "openai/text-embedding-3-small",
        "anthropic/claude-sonnet-4-5",
        "gemini/gemini-2.5-flash",
        "mistral/mistral-large-latest",
        "cohere/command-r",
        "deepseek/deepseek-chat",
        "groq/llama-3.3-70b-versatile",
    ] {
        assert!(table().contains_key(key), "{key}");
    }
}

// Dated versions fall back to their family; Azure is priced by base_model; unknowns are None.
#[test]
fn lookup_rules() {
    assert!(lookup("openai", "gpt-4o-2024-08-06", None).is_some());
    assert!(lookup("anthropic", "claude-3-5-sonnet-20241022", None).is_some());
    assert!(lookup("azure", "my-deployment", Some("gpt-4o-mini")).is_some());
    assert!(lookup("azure", "my-deployment", None).is_none());
    assert!(lookup("openai", "totally-unknown", None).is_none());
    assert_eq!(undated("gpt-4o-2024-08-06"), "gpt-4o");
    assert_eq!(undated("claude-3-5-sonnet-20241022"), "claude-3-5-sonnet");
    assert_eq!(undated("mistral-large-latest"), "mistral-large-latest");
}

// A known model's cost: gpt-4o at $2.50 / $10 per million tokens.
#[test]
fn cost_of_known_model() {
    let e = entry("model_list:\n  - model_name: g\n    litellm_params: {model: openai/gpt-4o}\n");
    let (price, source) = resolve(&e, "openai", "gpt-4o");
    assert_eq!(source, PriceSource::Table);
    let c = cost(&price, &Usage::new(1_000_000, 100_000));
    assert!((c - 3.5).abs() < 1e-9, "{c}");
}

// Config prices override the table.
#[test]
fn deployment_override() {
    let e = entry(
        "model_list:\n  - model_name: g\n    litellm_params: {model: openai/gpt-4o, input_cost_per_token: 0.001, output_cost_per_token: 0.002}\n",
    );
    let (price, source) = resolve(&e, "openai", "gpt-4o");
    assert_eq!(source, PriceSource::Config);
    assert!((cost(&price, &Usage::new(10, 5)) - 0.02).abs() < 1e-12);
}

// Cached reads and cache writes are priced at their own rates (Anthropic Sonnet: 3 / 0.30 / 3.75 / 15).
#[test]
fn cache_aware_cost() {
    let e = entry(
        "model_list:\n  - model_name: c\n    litellm_params: {model: anthropic/claude-sonnet-4-5}\n",
    );
    let (price, _) = resolve(&e, "anthropic", "claude-sonnet-4-5-20250929");
    let mut usage = Usage::new(1_000_000, 0);
    usage.prompt_tokens_details = Some(PromptTokensDetails {
        cached_tokens: Some(500_000),
        extra: Default::default(),
    });
    usage
        .extra
        .insert("cache_creation_input_tokens".into(), 100_000.into());
    // 400k uncached * 3 + 500k read * 0.30 + 100k write * 3.75, per million.
    let expected = 1.2 + 0.15 + 0.375;
    assert!((cost(&price, &usage) - expected).abs() < 1e-9);
}

// An unknown model costs 0 and says so.
#[test]
fn unknown_model_costs_zero() {
    let e = entry(
        "model_list:\n  - model_name: x\n    litellm_params: {model: hosted_vllm/my-llama, api_base: http://h/v1}\n",
    );
    let (price, source) = resolve(&e, "hosted_vllm", "my-llama");
    assert_eq!(source, PriceSource::Unknown);
    assert_eq!(cost(&price, &Usage::new(100, 100)), 0.0);
}
