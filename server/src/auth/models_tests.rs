use std::sync::Arc;

use super::*;
use crate::config::{Config, load_str};
use crate::directory::{TeamRecord, TeamSettings};
use crate::keys::{KeyRecord, KeySettings};

fn router() -> ModelRouter {
    let yaml = r#"
model_list:
  - model_name: gpt-4o
    litellm_params: {model: openai/gpt-4o, api_key: k}
  - model_name: claude
    litellm_params: {model: anthropic/claude, api_key: k}
    model_info: {access_groups: [premium]}
  - model_name: "openai/*"
    litellm_params: {model: "openai/*", api_key: k}
  - model_name: "openai/o1-*"
    litellm_params: {model: "openai/o1-*", api_key: k}
    model_info: {access_groups: [reasoning]}
"#;
    let config: Config = load_str(yaml, false, &|_| None).unwrap().config;
    ModelRouter::build(&config, &reqwest::Client::new()).0
}

fn key_principal(models: &[&str], team_models: Option<&[&str]>) -> Principal {
    let key = KeyRecord {
        token: "t".into(),
        key_name: "sk-...abcd".into(),
        key_alias: None,
        user_id: None,
        team_id: team_models.map(|_| "team".into()),
        organization_id: None,
        blocked: false,
        expires: None,
        spend: 0.0,
        budget_reset_at: None,
        settings: KeySettings {
            models: models.iter().map(|s| s.to_string()).collect(),
            aliases: [("fast".to_string(), "gpt-4o".to_string())].into(),
            ..KeySettings::default()
        },
        created_at: 0,
        updated_at: 0,
        created_by: None,
        updated_by: None,
    };
    let team = team_models.map(|m| {
        Arc::new(TeamRecord {
            team_id: "team".into(),
            team_alias: None,
            organization_id: None,
            blocked: false,
            spend: 0.0,
            budget_reset_at: None,
            settings: TeamSettings {
                models: m.iter().map(|s| s.to_string()).collect(),
                ..TeamSettings::default()
            },
            created_at: 0,
            updated_at: 0,
            created_by: None,
            updated_by: None,
        })
    });
    Principal {
        via: crate::auth::AuthMethod::VirtualKey,
        role: None,
        key: Some(Arc::new(key)),
        user: None,
        team,
        organization: None,
        team_membership: None,
        team_roles: Arc::from([]),
    }
}

// An empty allow-list everywhere allows every model.
#[test]
fn empty_lists_allow_everything() {
    let r = router();
    let p = key_principal(&[], None);
    for m in ["gpt-4o", "claude", "openai/gpt-4.1", "openai/o1-mini"] {
        assert!(check_model(&p, m, &r).is_ok(), "{m}");
    }
}

// Exact names and access groups admit; others are refused with 403.
#[test]
fn names_and_access_groups() {
    let r = router();
    let p = key_principal(&["gpt-4o", "premium"], None);
    assert!(check_model(&p, "gpt-4o", &r).is_ok());
    assert!(
        check_model(&p, "claude", &r).is_ok(),
        "claude is in group premium"
    );
    let err = check_model(&p, "openai/gpt-4.1", &r).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied(_)));
}

// The most specific pattern wins: openai/* does not open openai/o1-* (group `reasoning`).
#[test]
fn most_specific_pattern_wins() {
    let r = router();
    let open = key_principal(&["openai/*"], None);
    assert!(check_model(&open, "openai/gpt-4.1", &r).is_ok());
    assert!(check_model(&open, "openai/o1-mini", &r).is_err());
    let reasoning = key_principal(&["openai/*", "reasoning"], None);
    assert!(check_model(&reasoning, "openai/o1-mini", &r).is_ok());
    let specific = key_principal(&["openai/o1-*"], None);
    assert!(check_model(&specific, "openai/o1-mini", &r).is_ok());
}

// The team narrows the key; all-team-models means the team's list; all-proxy-models admits all.
#[test]
fn team_narrowing_and_specials() {
    let r = router();
    let narrowed = key_principal(&["gpt-4o", "claude"], Some(&["gpt-4o"]));
    assert!(check_model(&narrowed, "gpt-4o", &r).is_ok());
    assert!(
        check_model(&narrowed, "claude", &r).is_err(),
        "team does not allow claude"
    );
    let team_models = key_principal(&["all-team-models"], Some(&["claude"]));
    assert!(check_model(&team_models, "claude", &r).is_ok());
    assert!(check_model(&team_models, "gpt-4o", &r).is_err());
    let all = key_principal(&["all-proxy-models"], None);
    assert!(check_model(&all, "openai/o1-preview", &r).is_ok());
}

// Aliases resolve before access, and /v1/models lists only what may be called (plus aliases).
#[test]
fn aliases_and_listing() {
    let r = router();
    let p = key_principal(&["gpt-4o"], None);
    assert_eq!(resolve_alias(&p, "fast"), "gpt-4o");
    assert_eq!(resolve_alias(&p, "other"), "other");
    let visible = visible_models(&p, &r);
    assert_eq!(visible, ["gpt-4o", "fast"]);
}

// Wildcard matching handles prefixes, suffixes and inner stars.
#[test]
fn wildcard_matching() {
    assert!(wildcard_match("openai/*", "openai/gpt-4o"));
    assert!(!wildcard_match("openai/*", "anthropic/x"));
    assert!(wildcard_match("*-mini", "gpt-4o-mini"));
    assert!(wildcard_match("a*b*c", "a-x-b-y-c"));
    assert!(!wildcard_match("a*b*c", "a-x-c"));
    assert!(wildcard_match("exact", "exact"));
}
