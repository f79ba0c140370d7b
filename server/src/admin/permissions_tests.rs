//! The role × action permission matrix, every cell asserted.

use std::sync::Arc;

use super::*;
use crate::auth::AuthMethod;
use crate::directory::TeamRole;
use crate::keys::KeySettings;

fn key(token: &str, user: Option<&str>, team: Option<&str>) -> KeyRecord {
    KeyRecord {
        token: token.into(),
        key_name: format!("sk-...{token}"),
        key_alias: None,
        user_id: user.map(str::to_owned),
        team_id: team.map(str::to_owned),
        organization_id: None,
        blocked: false,
        expires: None,
        spend: 0.0,
        budget_reset_at: None,
        settings: KeySettings::default(),
        created_at: 0,
        updated_at: 0,
        created_by: None,
        updated_by: None,
    }
}

/// A principal for `user` (role `role`) using key `token`, member of `teams`.
fn principal(
    role: Option<UserRole>,
    user: Option<&str>,
    token: &str,
    teams: &[(&str, TeamRole)],
) -> Principal {
    Principal {
        via: AuthMethod::VirtualKey,
        role,
        key: Some(Arc::new(key(token, user, None))),
        user: None,
        team: None,
        organization: None,
        team_membership: None,
        team_roles: teams.iter().map(|(t, r)| ((*t).to_owned(), *r)).collect(),
    }
}

// Columns: master, proxy_admin, proxy_admin_viewer, internal_user (member of team `a`),
// internal_user who is admin of team `a`, internal_user_viewer (member of `a`), key with no user.
fn principals() -> Vec<(&'static str, Principal)> {
    vec![
        ("master", Principal::master()),
        (
            "admin",
            principal(Some(UserRole::ProxyAdmin), Some("root"), "k0", &[]),
        ),
        (
            "viewer",
            principal(Some(UserRole::ProxyAdminViewer), Some("v"), "k1", &[]),
        ),
        (
            "user",
            principal(
                Some(UserRole::InternalUser),
                Some("u"),
                "k2",
                &[("a", TeamRole::User)],
            ),
        ),
        (
            "team_admin",
            principal(
                Some(UserRole::InternalUser),
                Some("ta"),
                "k3",
                &[("a", TeamRole::Admin)],
            ),
        ),
        (
            "user_viewer",
            principal(
                Some(UserRole::InternalUserViewer),
                Some("uv"),
                "k4",
                &[("a", TeamRole::User)],
            ),
        ),
        ("plain_key", principal(None, None, "k5", &[])),
    ]
}

#[test]
fn permission_matrix() {
    let own_user_key = key("k2", Some("u"), None);
    let viewer_own_key = key("k4", Some("uv"), None);
    let plain_own_key = key("k5", None, None);
    let team_a_key = key("x1", Some("someone"), Some("a"));
    let team_b_key = key("x2", Some("someone"), Some("b"));
    // (label, action, expected for: master admin viewer user team_admin user_viewer plain_key)
    let cases: Vec<(&str, Action<'_>, &str)> = vec![
        (
            "generate for self",
            Action::KeyGenerate {
                user_id: Some("u"),
                team_id: None,
            },
            "YYNYNNN",
        ),
        (
            "generate, no owner",
            Action::KeyGenerate {
                user_id: None,
                team_id: None,
            },
            "YYNYYNN",
        ),
        (
            "generate for another user",
            Action::KeyGenerate {
                user_id: Some("other"),
                team_id: None,
            },
            "YYNNNNN",
        ),
        (
            "generate in own team a",
            Action::KeyGenerate {
                user_id: None,
                team_id: Some("a"),
            },
            "YYNYYNN",
        ),
        (
            "generate in foreign team b",
            Action::KeyGenerate {
                user_id: None,
                team_id: Some("b"),
            },
            "YYNNNNN",
        ),
        (
            "generate for other user in admin's team",
            Action::KeyGenerate {
                user_id: Some("other"),
                team_id: Some("a"),
            },
            "YYNNYNN",
        ),
        (
            "read user u's key",
            Action::KeyRead { key: &own_user_key },
            "YYYYNNN",
        ),
        (
            "read viewer's own key",
            Action::KeyRead {
                key: &viewer_own_key,
            },
            "YYYNNYN",
        ),
        (
            "read plain key's own key",
            Action::KeyRead {
                key: &plain_own_key,
            },
            "YYYNNNY",
        ),
        (
            "read team a key",
            Action::KeyRead { key: &team_a_key },
            "YYYNYNN",
        ),
        (
            "read team b key",
            Action::KeyRead { key: &team_b_key },
            "YYYNNNN",
        ),
        (
            "write user u's key",
            Action::KeyWrite { key: &own_user_key },
            "YYNYNNN",
        ),
        (
            "write team a key",
            Action::KeyWrite { key: &team_a_key },
            "YYNNYNN",
        ),
        (
            "write team b key",
            Action::KeyWrite { key: &team_b_key },
            "YYNNNNN",
        ),
        (
            "block user u's key",
            Action::KeyBlock { key: &own_user_key },
            "YYNNNNN",
        ),
        (
            "block team a key",
            Action::KeyBlock { key: &team_a_key },
            "YYNNYNN",
        ),
        ("create team", Action::TeamCreate, "YYNNNNN"),
        ("read team a", Action::TeamRead { team_id: "a" }, "YYYYYYN"),
        ("read team b", Action::TeamRead { team_id: "b" }, "YYYNNNN"),
        (
            "write team a",
            Action::TeamWrite { team_id: "a" },
            "YYNNYNN",
        ),
        (
            "write team b",
            Action::TeamWrite { team_id: "b" },
            "YYNNNNN",
        ),
        (
            "delete/block team a",
            Action::TeamAdminister { team_id: "a" },
            "YYNNNNN",
        ),
        ("create user", Action::UserCreate, "YYNNNNN"),
        ("read user u", Action::UserRead { user_id: "u" }, "YYYYNNN"),
        (
            "read user uv",
            Action::UserRead { user_id: "uv" },
            "YYYNNYN",
        ),
        (
            "write user u",
            Action::UserWrite { user_id: "u" },
            "YYNNNNN",
        ),
        ("create organization", Action::OrganizationCreate, "YYNNNNN"),
        (
            "read organization",
            Action::OrganizationRead {
                organization_id: "o",
            },
            "YYYNNNN",
        ),
        (
            "write organization",
            Action::OrganizationWrite {
                organization_id: "o",
            },
            "YYNNNNN",
        ),
        ("read customers", Action::CustomerRead, "YYYNNNN"),
        ("write customers", Action::CustomerWrite, "YYNNNNN"),
        ("read budgets", Action::BudgetRead, "YYYNNNN"),
        ("write budgets", Action::BudgetWrite, "YYNNNNN"),
        ("read tags", Action::TagRead, "YYYNNNN"),
        ("write tags", Action::TagWrite, "YYNNNNN"),
        ("list everything", Action::ListAll, "YYYNNNN"),
        ("read audit log", Action::AuditRead, "YYYNNNN"),
        (
            "read team a spend",
            Action::TeamSpendRead { team_id: "a" },
            "YYYNYNN",
        ),
        (
            "read team b spend",
            Action::TeamSpendRead { team_id: "b" },
            "YYYNNNN",
        ),
    ];
    let who = principals();
    let mut failures = Vec::new();
    for (label, action, expected) in &cases {
        assert_eq!(expected.len(), who.len(), "{label}: one cell per principal");
        for ((name, p), cell) in who.iter().zip(expected.chars()) {
            let got = authorize(p, action).is_ok();
            if got != (cell == 'Y') {
                failures.push(format!(
                    "{label} / {name}: expected {cell}, got {}",
                    if got { 'Y' } else { 'N' }
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission matrix mismatches:\n{}",
        failures.join("\n")
    );
}

// A refusal is a 403 that names the role and the action.
#[test]
fn refusal_names_role_and_action() {
    let p = principal(Some(UserRole::InternalUserViewer), Some("uv"), "k4", &[]);
    let err = authorize(&p, &Action::TeamCreate).unwrap_err();
    assert!(
        matches!(&err, Error::PermissionDenied(m) if m.contains("internal_user_viewer") && m.contains("create teams")),
        "{err}"
    );
}

// List scopes: admins and viewers see all; others their own user, admin teams and key.
#[test]
fn list_scopes() {
    let who = principals();
    assert_eq!(key_list_scope(&who[2].1), KeyScope::All);
    assert_eq!(
        key_list_scope(&who[4].1),
        KeyScope::Restricted {
            user_id: Some("ta".into()),
            team_ids: vec!["a".into()],
            own_token: Some("k3".into())
        }
    );
    assert_eq!(team_list_scope(&who[0].1), TeamScope::All);
    assert_eq!(
        team_list_scope(&who[3].1),
        TeamScope::Only(vec!["a".into()])
    );
    assert_eq!(team_list_scope(&who[6].1), TeamScope::Only(vec![]));
}
