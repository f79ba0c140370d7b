//! `/global/spend/report`: spend per day and group (team, key, user, end user, model, tag) from
//! the daily aggregates, in LiteLLM's shapes. Pure grouping over aggregate rows.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::{Error, Result};
use crate::store::spend_reports::DailyRow;

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Per day, per team (named by alias, else id; `Unassigned Team` for calls with no team).
    Team,
    /// Per day, per end user (LiteLLM's `customer`).
    Customer,
    /// Per day, per key hash.
    Key,
    /// Per day, per user.
    User,
    /// Per day, per model group.
    Model,
    /// Per day, per request tag (a call with two tags counts under both).
    Tag,
    /// LiteLLM's `group_by=api_key`: per key over the whole range, with a per-model breakdown.
    ApiKey,
}

impl GroupBy {
    pub fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "team" => Self::Team,
            "customer" | "end_user" => Self::Customer,
            "key" => Self::Key,
            "user" | "internal_user" => Self::User,
            "model" => Self::Model,
            "tag" => Self::Tag,
            "api_key" => Self::ApiKey,
            other => {
                return Err(Error::invalid_param(
                    format!(
                        "group_by: unknown grouping `{other}` (team, customer, end_user, key, api_key, user, model, tag)"
                    ),
                    "group_by",
                ));
            }
        })
    }

    /// The list and name fields of a day in LiteLLM's daily shape.
    pub fn fields(self) -> (&'static str, &'static str) {
        match self {
            Self::Team => ("teams", "team_name"),
            Self::Customer => ("customers", "customer"),
            Self::Key | Self::ApiKey => ("keys", "api_key"),
            Self::User => ("users", "user"),
            Self::Model => ("models", "model"),
            Self::Tag => ("tags", "tag"),
        }
    }

    pub fn reads_tags(self) -> bool {
        self == Self::Tag
    }
}

/// One model-and-key share of a group's spend in a day.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportItem {
    pub model: String,
    pub api_key: String,
    pub spend: f64,
    pub total_tokens: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub requests: i64,
}

/// One group's spend in a day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportGroup {
    /// What LiteLLM names the group by (team alias, end user, key hash, ...).
    pub name: Option<String>,
    /// The id behind the name (team id), when it differs.
    pub id: Option<String>,
    pub total_spend: f64,
    pub requests: i64,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub items: Vec<ReportItem>,
}

/// One day of a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub groups: Vec<ReportGroup>,
}

/// A group's (name, id).
type GroupKey = (Option<String>, Option<String>);

/// Per-day report rows, oldest day first, groups by spend (highest first).
pub fn daily(rows: &[DailyRow], group_by: GroupBy) -> Vec<ReportDay> {
    let mut days: BTreeMap<&str, BTreeMap<GroupKey, ReportGroup>> = BTreeMap::new();
    for r in rows {
        let (name, id) = group_of(r, group_by);
        let group = days
            .entry(r.day.as_str())
            .or_default()
            .entry((name.clone(), id.clone()))
            .or_insert_with(|| ReportGroup {
                name,
                id,
                ..ReportGroup::default()
            });
        group.total_spend += r.spend;
        group.requests += r.requests;
        group.prompt_tokens += r.prompt_tokens;
        group.completion_tokens += r.completion_tokens;
        match group
            .items
            .iter_mut()
            .find(|i| i.model == r.model && i.api_key == r.api_key)
        {
            Some(item) => add_item(item, r),
            None => {
                let mut item = ReportItem {
                    model: r.model.clone(),
                    api_key: r.api_key.clone(),
                    ..ReportItem::default()
                };
                add_item(&mut item, r);
                group.items.push(item);
            }
        }
    }
    days.into_iter()
        .map(|(day, groups)| {
            let mut groups: Vec<ReportGroup> = groups.into_values().collect();
            groups.sort_by(|a, b| b.total_spend.total_cmp(&a.total_spend));
            ReportDay {
                day: day.to_owned(),
                groups,
            }
        })
        .collect()
}

fn add_item(item: &mut ReportItem, r: &DailyRow) {
    item.spend += r.spend;
    item.prompt_tokens += r.prompt_tokens;
    item.completion_tokens += r.completion_tokens;
    item.total_tokens += r.prompt_tokens + r.completion_tokens;
    item.requests += r.requests;
}

fn group_of(r: &DailyRow, group_by: GroupBy) -> (Option<String>, Option<String>) {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    match group_by {
        GroupBy::Team => match some(&r.team_id) {
            Some(id) => (
                Some(r.team_alias.clone().unwrap_or_else(|| id.clone())),
                Some(id),
            ),
            None => (Some("Unassigned Team".to_owned()), None),
        },
        GroupBy::Customer => (some(&r.end_user), None),
        GroupBy::Key | GroupBy::ApiKey => (Some(r.api_key.clone()), None),
        GroupBy::User => (some(&r.user_id), None),
        GroupBy::Model => (Some(r.model.clone()), None),
        GroupBy::Tag => (r.tag.clone(), None),
    }
}

/// LiteLLM's `group_by=api_key` entry: a key's totals over the range and per model.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct KeyReport {
    pub api_key: String,
    pub total_cost: f64,
    pub total_input_tokens: i64,
    pub total_output_tokens: i64,
    pub model_details: Vec<ModelDetail>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ModelDetail {
    pub model: String,
    pub total_cost: f64,
    pub total_input_tokens: i64,
    pub total_output_tokens: i64,
}

/// Per-key totals over the whole range, highest cost first.
pub fn by_key(rows: &[DailyRow]) -> Vec<KeyReport> {
    let mut keys: BTreeMap<&str, BTreeMap<&str, ModelDetail>> = BTreeMap::new();
    for r in rows {
        let d = keys
            .entry(r.api_key.as_str())
            .or_default()
            .entry(r.model.as_str())
            .or_insert_with(|| ModelDetail {
                model: r.model.clone(),
                ..ModelDetail::default()
            });
        d.total_cost += r.spend;
        d.total_input_tokens += r.prompt_tokens;
        d.total_output_tokens += r.completion_tokens;
    }
    let mut out: Vec<KeyReport> = keys
        .into_iter()
        .map(|(key, models)| {
            let model_details: Vec<ModelDetail> = models.into_values().collect();
            KeyReport {
                api_key: key.to_owned(),
                total_cost: model_details.iter().map(|d| d.total_cost).sum(),
                total_input_tokens: model_details.iter().map(|d| d.total_input_tokens).sum(),
                total_output_tokens: model_details.iter().map(|d| d.total_output_tokens).sum(),
                model_details,
            }
        })
        .collect();
    out.sort_by(|a, b| b.total_cost.total_cmp(&a.total_cost));
    out
}

/// The daily report as LiteLLM answers it: `[{"group_by_day", "<teams|customers|...>": [{"<name
/// field>", "total_spend", "metadata": [{model, api_key, spend, total_tokens}]}]}]`.
pub fn daily_json(days: &[ReportDay], group_by: GroupBy) -> Value {
    let (list, name_field) = group_by.fields();
    Value::Array(
        days.iter()
            .map(|d| {
                let groups: Vec<Value> = d
                    .groups
                    .iter()
                    .map(|g| {
                        let mut v = json!({
                            name_field: g.name,
                            "total_spend": g.total_spend,
                            "requests": g.requests,
                            "prompt_tokens": g.prompt_tokens,
                            "completion_tokens": g.completion_tokens,
                            "metadata": g.items,
                        });
                        if group_by == GroupBy::Team {
                            v["team_id"] = json!(g.id);
                        }
                        v
                    })
                    .collect();
                json!({"group_by_day": d.day, list: groups})
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(day: &str, team: &str, key: &str, model: &str, spend: f64) -> DailyRow {
        DailyRow {
            day: day.into(),
            tag: None,
            api_key: key.into(),
            team_id: team.into(),
            team_alias: (team == "t1").then(|| "Team One".to_owned()),
            user_id: "u".into(),
            end_user: String::new(),
            model: model.into(),
            organization_id: String::new(),
            requests: 2,
            successful_requests: 2,
            failed_requests: 0,
            prompt_tokens: 10,
            completion_tokens: 5,
            cached_tokens: 0,
            spend,
        }
    }

    // Rows group per day and team (alias, id, or unassigned), with per model-and-key items and
    // totals that add up; the per-key view sums the whole range per model.
    #[test]
    fn groups_rows() {
        let rows = vec![
            row("2026-01-01", "t1", "k1", "gpt", 1.0),
            row("2026-01-01", "t1", "k2", "gpt", 2.0),
            row("2026-01-01", "", "k3", "claude", 0.5),
            row("2026-01-02", "t2", "k1", "gpt", 4.0),
        ];
        let days = daily(&rows, GroupBy::Team);
        assert_eq!(days.len(), 2);
        assert_eq!(days[0].groups[0].name.as_deref(), Some("Team One"));
        assert_eq!(days[0].groups[0].total_spend, 3.0);
        assert_eq!(days[0].groups[0].items.len(), 2);
        assert_eq!(days[0].groups[1].name.as_deref(), Some("Unassigned Team"));
        assert_eq!(days[1].groups[0].name.as_deref(), Some("t2"));
        let json = daily_json(&days, GroupBy::Team);
        assert_eq!(json[0]["teams"][0]["team_name"], "Team One");
        assert_eq!(json[0]["teams"][0]["team_id"], "t1");
        assert_eq!(json[0]["teams"][0]["metadata"][0]["total_tokens"], 15);
        let keys = by_key(&rows);
        assert_eq!(keys[0].api_key, "k1");
        assert_eq!(keys[0].total_cost, 5.0);
        assert_eq!(keys[0].total_input_tokens, 20);
        let models = daily(&rows, GroupBy::Model);
        assert_eq!(models[0].groups[0].name.as_deref(), Some("gpt"));
        assert_eq!(models[0].groups[0].requests, 4);
        assert!(GroupBy::parse("nope").is_err());
    }
}
