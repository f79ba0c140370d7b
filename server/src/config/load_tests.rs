use std::time::Duration;

use super::*;

fn env(name: &str) -> Option<String> {
    match name {
        "OPENAI_API_KEY" => Some("sk-from-env".into()),
        "MASTER" => Some("sk-master-from-env".into()),
        _ => None,
    }
}

fn load(text: &str) -> Result<Loaded, LoadError> {
    load_str(text, false, &env)
}

const FULL: &str = r#"
environment_variables:
  AZURE_KEY: az-secret
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_base: https://api.openai.com/v1
      api_key: os.environ/OPENAI_API_KEY
      organization: org-1
      rpm: 100
      tpm: 10000
      weight: 2
      order: 1
      timeout: 30
      stream_timeout: 5
      max_retries: 3
      input_cost_per_token: 0.0000025
      output_cost_per_token: 0.00001
      temperature: 0.2
      extra_headers: {x-team: a}
    model_info:
      id: gpt4o-east
      access_groups: [beta]
      max_input_tokens: 128000
      max_tokens: 16384
      mode: chat
      base_model: gpt-4o-2024-08-06
  - model_name: azure-gpt
    litellm_params:
      model: azure/my-deploy
      api_base: https://x.openai.azure.com
      api_version: "2024-10-21"
      api_key: os.environ/AZURE_KEY
  - model_name: demo
    litellm_params: {model: openai/demo, mock_response: "hi"}
router_settings:
  routing_strategy: simple-shuffle
  timeout: 60
  stream_timeout: 10
litellm_settings:
  drop_params: true
  request_timeout: 120
general_settings:
  master_key: os.environ/MASTER
  database_url: postgres://u:p@h/db
  store_prompts_in_spend_logs: true
"#;

// Every implemented key is parsed into the typed config, with os.environ/ and
// environment_variables resolved.
#[test]
fn parses_every_implemented_key() {
    let loaded = load(FULL).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let c = loaded.config;
    let m = &c.model_list[0];
    assert_eq!(m.model_name, "gpt-4o");
    let p = &m.params;
    assert_eq!(p.model, "openai/gpt-4o");
    assert_eq!(p.api_key.as_ref().unwrap().expose(), "sk-from-env");
    assert_eq!(p.organization.as_deref(), Some("org-1"));
    assert_eq!(
        (p.rpm, p.tpm, p.weight, p.order),
        (Some(100), Some(10000), Some(2.0), Some(1))
    );
    assert_eq!(p.timeout, Some(Duration::from_secs(30)));
    assert_eq!(p.stream_timeout, Some(Duration::from_secs(5)));
    assert_eq!(p.max_retries, Some(3));
    assert_eq!(p.input_cost_per_token, Some(0.0000025));
    assert_eq!(p.output_cost_per_token, Some(0.00001));
    assert_eq!(p.default_params["temperature"], 0.2);
    assert_eq!(p.extra_headers, vec![("x-team".to_owned(), "a".to_owned())]);
    assert_eq!(m.info.id.as_deref(), Some("gpt4o-east"));
    assert_eq!(m.info.access_groups, ["beta"]);
    assert_eq!(m.info.max_input_tokens, Some(128_000));
    assert_eq!(m.info.max_output_tokens, Some(16_384));
    assert_eq!(m.info.mode.as_deref(), Some("chat"));
    assert_eq!(m.info.base_model.as_deref(), Some("gpt-4o-2024-08-06"));
    let az = &c.model_list[1].params;
    assert_eq!(az.api_key.as_ref().unwrap().expose(), "az-secret");
    assert_eq!(az.api_version.as_deref(), Some("2024-10-21"));
    assert_eq!(c.model_list[2].params.mock_response.as_deref(), Some("hi"));
    assert_eq!(c.router.timeout, Some(Duration::from_secs(60)));
    assert_eq!(c.router.stream_timeout, Some(Duration::from_secs(10)));
    assert!(c.litellm.drop_params);
    assert_eq!(c.litellm.request_timeout, Some(Duration::from_secs(120)));
    assert_eq!(
        c.general.master_key.as_ref().unwrap().expose(),
        "sk-master-from-env"
    );
    assert_eq!(
        c.general.database_url.as_ref().unwrap().expose(),
        "postgres://u:p@h/db"
    );
    assert!(c.general.store_prompts_in_spend_logs);
    // Timeouts: the deployment's own wins over the router's.
    assert_eq!(c.timeout_for(m), Duration::from_secs(30));
    assert_eq!(c.timeout_for(&c.model_list[1]), Duration::from_secs(60));
}

// LiteLLM keys Tollgate does not implement, and unknown keys inside sections, are warnings
// (named once each), and errors under --strict.
#[test]
fn unimplemented_keys_warn_or_fail_strictly() {
    let text = r#"
model_list:
  - model_name: a
    litellm_params: {model: openai/a, aws_region_name: us-east-1}
    model_info: {supports_vision: true}
  - model_name: b
    litellm_params: {model: openai/b}
    model_info: {supports_vision: true}
litellm_settings: {success_callback: [langfuse], my_own_thing: 1}
router_settings: {provider_budget_config: {}}
general_settings: {alerting: [slack]}
guardrails: []
"#;
    let loaded = load(text).unwrap();
    let w = loaded.warnings.join("\n");
    for key in [
        "aws_region_name",
        "success_callback",
        "my_own_thing",
        "provider_budget_config",
        "alerting",
        "guardrails",
    ] {
        assert!(w.contains(key), "no warning for {key}: {w}");
    }
    assert!(w.contains("my_own_thing: not recognised"));
    assert!(w.contains("success_callback: accepted but not implemented"));
    assert_eq!(
        w.matches("supports_vision").count(),
        1,
        "one warning per key: {w}"
    );

    let strict = load_str(text, true, &env).unwrap_err();
    assert!(strict.problems.len() >= 6, "{:?}", strict.problems);
}

// Wrong types, missing required keys, unknown sections and bad values are all reported together.
#[test]
fn lists_every_problem() {
    let text = r#"
model_list:
  - model_name: a
    litellm_params: {model: openai/a, rpm: many, weight: -1}
  - model_name: b
  - litellm_params: {model: openai/c}
router_settings: {routing_strategy: nope, timeout: abc}
general_settings: {master_key: os.environ/NOT_SET_ANYWHERE}
bogus: 1
"#;
    let err = load(text).unwrap_err();
    let all = err.problems.join("\n");
    for expected in [
        "model_list[0].litellm_params.rpm",
        "model_list[0].litellm_params.weight",
        "model_list[1].litellm_params: required",
        "model_list[2].model_name: required",
        "routing_strategy: unknown strategy `nope`",
        "router_settings.timeout",
        "general_settings.master_key: environment variable NOT_SET_ANYWHERE is not set",
        "config.bogus: unknown top-level section",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}

// A provider key that is not set only disables its deployment (with a warning naming it).
#[test]
fn missing_provider_key_disables_only_that_deployment() {
    let text = "model_list:\n  - model_name: a\n    litellm_params: {model: anthropic/c, api_key: os.environ/ANTHROPIC_KEY_NOT_SET}\n";
    let loaded = load(text).unwrap();
    assert_eq!(
        loaded.config.model_list[0].params.missing_env,
        ["ANTHROPIC_KEY_NOT_SET"]
    );
    assert!(
        loaded
            .warnings
            .iter()
            .any(|w| w.contains("ANTHROPIC_KEY_NOT_SET"))
    );
}

// An empty file and no file both load the defaults; the master key falls back to the environment.
#[test]
fn empty_config_uses_environment_master_key() {
    let env2 = |n: &str| (n == "TOLLGATE_MASTER_KEY").then(|| "sk-env-master".to_owned());
    let loaded = load_str("", false, &env2).unwrap();
    assert!(loaded.config.model_list.is_empty());
    assert_eq!(
        loaded.config.general.master_key.unwrap().expose(),
        "sk-env-master"
    );
}

// Declarative teams and keys are read (with os.environ/ resolved) and need their ids.
#[test]
fn reads_bootstrap_sections() {
    let env2 = |n: &str| (n == "CI_KEY").then(|| "sk-ci-key-0123456789012345678".to_owned());
    let text = "teams:\n  - {team_id: eng, models: [gpt-4o], max_budget: 10}\nkeys:\n  - {key: os.environ/CI_KEY, team_id: eng, key_alias: ci}\n";
    let c = load_str(text, false, &env2).unwrap().config;
    assert_eq!(c.bootstrap.teams[0]["team_id"], "eng");
    assert_eq!(c.bootstrap.keys[0]["key"], "sk-ci-key-0123456789012345678");
    let bad = load_str("teams:\n  - {team_alias: x}\nkeys: 5\n", false, &env2).unwrap_err();
    let all = bad.problems.join("\n");
    assert!(all.contains("teams[0].team_id: required"), "{all}");
    assert!(all.contains("keys: expected a list"), "{all}");
}

// The README's example config loads (with no provider keys set) and declares the demo model.
#[test]
fn example_config_loads() {
    let text = include_str!("../../../config.example.yaml");
    let loaded = load_str(text, false, &|_| None).unwrap();
    let demo = loaded
        .config
        .model_list
        .iter()
        .find(|m| m.model_name == "demo")
        .unwrap();
    assert!(demo.params.mock_response.is_some());
    assert!(loaded.config.general.master_key.is_some());
}
