use serde_json::json;

use super::*;
use crate::error::Error;

fn param(err: &Error) -> Option<&str> {
    match err {
        Error::InvalidRequest { param, .. } => param.as_deref(),
        _ => None,
    }
}

// Every LiteLLM generate field is read into its typed slot.
#[test]
fn reads_every_generate_field() {
    let body = json!({
        "key": "sk-0123456789abcdefghijklmn", "key_alias": "ci", "duration": "30d",
        "models": ["gpt-4o"], "aliases": {"gpt": "gpt-4o"}, "max_budget": 10, "soft_budget": 5.5,
        "budget_duration": "1mo", "tpm_limit": 1000, "rpm_limit": 10.0, "max_parallel_requests": 2,
        "rpd_limit": 500, "tpd_limit": 20000,
        "model_max_budget": {"gpt-4o": {"budget_limit": 1, "time_period": "1d"}, "o1": 2},
        "model_rpm_limit": {"gpt-4o": 5}, "model_tpm_limit": {"gpt-4o": 50},
        "metadata": {"app": "x"}, "tags": ["t"], "team_id": "team", "user_id": "u",
        "organization_id": "org", "allowed_routes": ["/chat/completions"], "blocked": false,
        "permissions": {"pii": false}, "key_type": "llm_api", "spend": 0,
        "object_permission": {"mcp_servers": ["s"], "mcp_access_groups": [],
                              "mcp_tool_permissions": {"s": ["t1"]}},
        "config": {}, "guardrails": ["ignored"]
    });
    let req = GenerateRequest::from_json(&body).unwrap();
    assert_eq!(req.key.as_deref(), Some("sk-0123456789abcdefghijklmn"));
    let f = req.fields;
    assert_eq!(f.key_alias, Patch::Set("ci".into()));
    assert_eq!(f.rpm_limit, Patch::Set(10));
    assert_eq!(f.rpd_limit, Patch::Set(500));
    assert_eq!(f.tpd_limit, Patch::Set(20000));
    assert_eq!(f.max_budget, Patch::Set(10.0));
    assert_eq!(f.model_rpm_limit.value().unwrap()["gpt-4o"], 5);
    assert_eq!(f.model_max_budget.value().unwrap()["o1"], json!(2));
    assert_eq!(
        f.object_permission.value().unwrap()["mcp_tool_permissions"]["s"][0],
        "t1"
    );
    assert_eq!(f.key_type, Patch::Set("llm_api".into()));
    assert_eq!(f.blocked, Patch::Set(false));
    assert!(f.user_id.value().is_some() && f.organization_id.value().is_some());
}

// Wrong types and unusable values are refused with a message naming the field.
#[test]
fn refuses_bad_values_naming_the_field() {
    let cases = [
        (json!({"max_budget": -1}), "max_budget", "non-negative"),
        (
            json!({"max_budget": "10"}),
            "max_budget",
            "expected a number",
        ),
        (json!({"soft_budget": -0.5}), "soft_budget", "non-negative"),
        (
            json!({"duration": "forever"}),
            "duration",
            "invalid duration",
        ),
        (
            json!({"budget_duration": "3x"}),
            "budget_duration",
            "invalid duration",
        ),
        (json!({"duration": 30}), "duration", "expected a string"),
        (json!({"models": "gpt-4o"}), "models", "list of strings"),
        (json!({"models": [1]}), "models", "list of strings"),
        (json!({"tpm_limit": -5}), "tpm_limit", "non-negative whole"),
        (json!({"rpm_limit": 1.5}), "rpm_limit", "non-negative whole"),
        (json!({"rpd_limit": -1}), "rpd_limit", "non-negative whole"),
        (json!({"tpd_limit": 2.5}), "tpd_limit", "non-negative whole"),
        (json!({"metadata": []}), "metadata", "expected an object"),
        (json!({"aliases": {"a": 1}}), "aliases", "aliases.a"),
        (json!({"blocked": "yes"}), "blocked", "expected a boolean"),
        (json!({"key_type": "admin"}), "key_type", "unknown key type"),
        (
            json!({"model_max_budget": {"m": -1}}),
            "model_max_budget",
            "non-negative",
        ),
        (
            json!({"model_max_budget": {"m": {"time_period": "x"}}}),
            "model_max_budget",
            "invalid duration",
        ),
        (
            json!({"model_rpm_limit": {"m": "5"}}),
            "model_rpm_limit",
            "model_rpm_limit.m",
        ),
        (
            json!({"object_permission": {"mcp_servers": "s"}}),
            "object_permission",
            "mcp_servers",
        ),
        (
            json!({"object_permission": {"mcp_tool_permissions": {"s": [1]}}}),
            "object_permission",
            "mcp_tool_permissions.s",
        ),
        (json!({"spend": -1}), "spend", "non-negative"),
    ];
    for (body, field, text) in cases {
        let err = GenerateRequest::from_json(&body).unwrap_err();
        assert_eq!(param(&err), Some(field), "{body}: {err}");
        assert!(err.to_string().contains(text), "{body}: {err}");
    }
    assert!(GenerateRequest::from_json(&json!([1])).is_err());
}

// Update needs the key; `null` means clear, absent means keep; LiteLLM's "" budget and "-1"
// duration mean none.
#[test]
fn update_patches() {
    let err = UpdateRequest::from_json(&json!({"max_budget": 1})).unwrap_err();
    assert_eq!(param(&err), Some("key"));
    let req = UpdateRequest::from_json(
        &json!({"key": "sk-x", "models": null, "max_budget": "", "duration": "-1", "tpd_limit": null}),
    )
    .unwrap();
    assert_eq!(req.fields.models, Patch::Null);
    assert_eq!(req.fields.max_budget, Patch::Null);
    assert_eq!(req.fields.duration, Patch::Null);
    assert_eq!(req.fields.tpd_limit, Patch::Null);
    assert!(req.fields.tags.is_absent());
    assert!(req.fields.rpd_limit.is_absent());
}

// Regenerate takes a grace period and a new key, and refuses a master key rotation.
#[test]
fn regenerate_fields() {
    let req = RegenerateRequest::from_json(&json!({"key": "sk-a", "grace_period": "1h"})).unwrap();
    assert_eq!(req.grace_period.as_deref(), Some("1h"));
    let err = RegenerateRequest::from_json(&json!({"grace_period": "soon"})).unwrap_err();
    assert_eq!(param(&err), Some("grace_period"));
    let err = RegenerateRequest::from_json(&json!({"new_master_key": "sk-m"})).unwrap_err();
    assert_eq!(param(&err), Some("new_master_key"));
}

// Delete needs keys or aliases; block needs a key.
#[test]
fn delete_and_block() {
    assert!(DeleteRequest::from_json(&json!({})).is_err());
    assert!(DeleteRequest::from_json(&json!({"keys": []})).is_err());
    let d = DeleteRequest::from_json(&json!({"key_aliases": ["a"]})).unwrap();
    assert_eq!(d.key_aliases, vec!["a".to_string()]);
    assert!(block_request_key(&json!({})).is_err());
    assert_eq!(block_request_key(&json!({"key": "sk-a"})).unwrap(), "sk-a");
}

// List pages default to LiteLLM's (1, 10) and bad values are refused.
#[test]
fn list_query() {
    let q = ListQuery::from_params(&BTreeMap::new()).unwrap();
    assert_eq!((q.page, q.size, q.return_full_object), (1, 10, false));
    let params: BTreeMap<String, String> = [
        ("page", "2"),
        ("size", "5"),
        ("team_id", "t"),
        ("return_full_object", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    let q = ListQuery::from_params(&params).unwrap();
    assert_eq!((q.page, q.size, q.team_id.as_deref()), (2, 5, Some("t")));
    assert!(q.return_full_object);
    for (k, v) in [
        ("page", "0"),
        ("page", "x"),
        ("size", "101"),
        ("return_full_object", "maybe"),
    ] {
        let params = BTreeMap::from([(k.to_owned(), v.to_owned())]);
        let err = ListQuery::from_params(&params).unwrap_err();
        assert_eq!(param(&err), Some(k));
    }
}
