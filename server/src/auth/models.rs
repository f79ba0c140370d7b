//! Which models a caller may use (issue 4, item 5).
//!
//! A request may use a model only if every non-empty allow-list on its path admits it: the
//! key's `models`, its team's, its user's and its organization's (the narrowest wins; an empty
//! list inherits). An entry admits a model when it is the model's name, an access group of the
//! deployment serving it (`model_info.access_groups`), `all-proxy-models`, or a wildcard that
//! matches it. A wildcard entry does not reach into a more specific deployment pattern that is
//! restricted to access groups: with `openai/*` allowed and `openai/o1-*` in group `reasoning`,
//! `openai/o1-mini` needs `reasoning`. `all-team-models` in a key's list means the team's list.
//! Key `aliases` (then team `model_aliases`) map a requested name to a real one first.

use super::Principal;
use crate::error::{Error, Result};
use crate::router::{ModelRouter, Serving};

pub const ALL_PROXY_MODELS: &str = "all-proxy-models";
pub const ALL_TEAM_MODELS: &str = "all-team-models";

/// The real model name for `requested`, after the key's and the team's aliases.
pub fn resolve_alias(principal: &Principal, requested: &str) -> String {
    if let Some(real) = principal
        .key
        .as_ref()
        .and_then(|k| k.settings.aliases.get(requested))
    {
        return real.clone();
    }
    if let Some(real) = principal
        .team
        .as_ref()
        .and_then(|t| t.settings.model_aliases.get(requested))
    {
        return real.clone();
    }
    requested.to_owned()
}

/// The allow-lists that constrain the principal (empty lists are left out: they inherit).
fn constraints(principal: &Principal) -> Vec<&[String]> {
    let team_models: &[String] = principal
        .team
        .as_ref()
        .map_or(&[], |t| t.settings.models.as_slice());
    let mut lists: Vec<&[String]> = Vec::with_capacity(4);
    if let Some(key) = &principal.key {
        let models = key.settings.models.as_slice();
        if models.iter().any(|m| m == ALL_TEAM_MODELS) {
            lists.push(team_models);
        } else {
            lists.push(models);
        }
    }
    lists.push(team_models);
    if let Some(user) = &principal.user {
        lists.push(user.settings.models.as_slice());
    }
    if let Some(org) = &principal.organization {
        lists.push(org.settings.models.as_slice());
    }
    lists.retain(|l| !l.is_empty());
    lists
}

/// Refuses `model` (already alias-resolved) with 403 if the principal may not call it.
pub fn check_model(principal: &Principal, model: &str, router: &ModelRouter) -> Result<()> {
    let serving = router.serving(model);
    for list in constraints(principal) {
        if !admits(list, model, serving.as_ref()) {
            return Err(Error::PermissionDenied(format!(
                "this key may not call model `{model}` (allowed: {})",
                list.join(", ")
            )));
        }
    }
    Ok(())
}

/// The public model names the principal may call, for `/v1/models`, including its aliases.
pub fn visible_models(principal: &Principal, router: &ModelRouter) -> Vec<String> {
    let mut names: Vec<String> = router
        .model_names()
        .filter(|name| check_model(principal, name, router).is_ok())
        .map(str::to_owned)
        .collect();
    if let Some(key) = &principal.key {
        for (alias, real) in &key.settings.aliases {
            if check_model(principal, real, router).is_ok() && !names.contains(alias) {
                names.push(alias.clone());
            }
        }
    }
    names
}

fn admits(list: &[String], model: &str, serving: Option<&Serving<'_>>) -> bool {
    list.iter().any(|entry| admits_one(entry, model, serving))
}

fn admits_one(entry: &str, model: &str, serving: Option<&Serving<'_>>) -> bool {
    if entry == ALL_PROXY_MODELS || entry == "*" || entry == model {
        return true;
    }
    let Some(serving) = serving else {
        return wildcard_match(entry, model);
    };
    if entry == serving.name || serving.access_groups.contains(&entry) {
        return true;
    }
    if entry.contains('*') && wildcard_match(entry, model) {
        // A broad wildcard does not open a more specific, group-restricted deployment pattern.
        return serving.access_groups.is_empty() || literal_len(entry) >= literal_len(serving.name);
    }
    false
}

/// `openai/*` matches `openai/gpt-4o`; `*` matches any run of characters.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return false;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = parts.collect();
    let Some((last, middle)) = pieces.split_last() else {
        return rest.is_empty();
    };
    for piece in middle {
        match rest.find(piece) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// How specific a pattern is: its characters other than `*`.
fn literal_len(pattern: &str) -> usize {
    pattern.chars().filter(|c| *c != '*').count()
}

#[cfg(test)]
#[path = "models_tests.rs"]
mod tests;
