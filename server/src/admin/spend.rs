//! The spend API (LiteLLM's names and shapes): `/spend/logs`, `/spend/tags`, `/global/spend`,
//! `/global/spend/report`, written once for the REST and gRPC skins.
//!
//! Who sees what: admins and admin viewers everything; anyone else only the spend of their own
//! user, their own key and the teams they administer (the same scope as `/key/list`), and a
//! filter naming something outside it (another user, a key they may not read, a team they do not
//! administer) is refused with 403. Logs come from `spend_logs`; reports, tags and totals from the
//! daily aggregates, so they keep their totals after `maximum_spend_logs_retention_period`.

#[path = "spend_report.rs"]
pub mod report;
#[path = "spend_view.rs"]
pub mod view;

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use self::report::{GroupBy, KeyReport, ReportDay};
use self::view::SpendLog;
use super::AdminContext;
use super::permissions::{Action, KeyScope, authorize, key_list_scope};
use crate::error::{Error, Result};
use crate::keys::secret::token_of;
use crate::spend::day::{self, DateBound};
use crate::state::AppState;
use crate::store::spend::{SpendFilter, SpendScope};

/// Rows per page when `page` is given without `page_size`, and the most a page may hold.
const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 1000;
const DAY_MS: i64 = 86_400_000;

/// The filters shared by every spend read; all optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpendParams {
    /// A key: its secret or its hash.
    pub api_key: Option<String>,
    pub user_id: Option<String>,
    pub team_id: Option<String>,
    pub end_user: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or RFC 3339; inclusive.
    pub start_date: Option<String>,
    /// Same forms; a bare date includes that whole day.
    pub end_date: Option<String>,
}

/// `GET /spend/logs` parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct LogsQuery {
    pub params: SpendParams,
    pub request_id: Option<String>,
    /// 1-based; paging is opt-in (with `page` or `page_size`).
    pub page: Option<u32>,
    pub page_size: Option<u32>,
    /// With both dates, LiteLLM answers a per-day summary unless `summarize=false`.
    pub summarize: bool,
}

impl Default for LogsQuery {
    fn default() -> Self {
        Self {
            params: SpendParams::default(),
            request_id: None,
            page: None,
            page_size: None,
            summarize: true,
        }
    }
}

/// What `/spend/logs` answers.
#[derive(Debug, Clone, PartialEq)]
pub enum LogsAnswer {
    /// Every matching row, newest first (LiteLLM's default: a JSON list).
    Rows(Vec<SpendLog>),
    /// One page, when `page`/`page_size` is given.
    Page(LogsPage),
    /// LiteLLM's per-day summary (both dates given, `summarize` not `false`).
    Summary(Vec<Value>),
}

/// A page of log rows (LiteLLM's `/spend/logs/ui` shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogsPage {
    pub data: Vec<SpendLog>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub total_pages: u64,
}

/// One tag's spend (`/spend/tags`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TagSpend {
    pub individual_request_tag: String,
    pub log_count: i64,
    pub total_spend: f64,
}

/// `/global/spend`: spend of the last 30 days (LiteLLM's `MonthlyGlobalSpend`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlobalSpend {
    pub spend: f64,
    pub max_budget: Option<f64>,
}

/// `GET /global/spend/report` parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportQuery {
    pub params: SpendParams,
    /// `team` (default), `customer`/`end_user`, `key`, `api_key`, `user`, `model`, `tag`.
    pub group_by: Option<String>,
    /// LiteLLM's `internal_user_id` (a user filter).
    pub internal_user_id: Option<String>,
    pub model: Option<String>,
}

/// A report in one of LiteLLM's shapes.
#[derive(Debug, Clone, PartialEq)]
pub enum Report {
    Daily {
        group_by: GroupBy,
        days: Vec<ReportDay>,
    },
    Keys(Vec<KeyReport>),
}

/// Reads the common filters from query parameters (`customer_id` is an alias of `end_user`).
pub fn params_from(query: &BTreeMap<String, String>) -> SpendParams {
    let get = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| query.get(*n))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    SpendParams {
        api_key: get(&["api_key"]),
        user_id: get(&["user_id"]),
        team_id: get(&["team_id"]),
        end_user: get(&["end_user", "customer_id"]),
        start_date: get(&["start_date"]),
        end_date: get(&["end_date"]),
    }
}

impl LogsQuery {
    pub fn from_params(query: &BTreeMap<String, String>) -> Result<Self> {
        Ok(Self {
            params: params_from(query),
            request_id: query.get("request_id").filter(|v| !v.is_empty()).cloned(),
            page: number(query, "page")?,
            page_size: number(query, "page_size")?,
            summarize: match query.get("summarize").map(|v| v.to_ascii_lowercase()) {
                None => true,
                Some(v) if v == "true" || v == "1" => true,
                Some(v) if v == "false" || v == "0" => false,
                Some(_) => {
                    return Err(Error::invalid_param(
                        "summarize: expected true or false",
                        "summarize",
                    ));
                }
            },
        })
    }
}

impl ReportQuery {
    pub fn from_params(query: &BTreeMap<String, String>) -> Self {
        Self {
            params: params_from(query),
            group_by: query.get("group_by").filter(|v| !v.is_empty()).cloned(),
            internal_user_id: query
                .get("internal_user_id")
                .filter(|v| !v.is_empty())
                .cloned(),
            model: query.get("model").filter(|v| !v.is_empty()).cloned(),
        }
    }
}

fn number(query: &BTreeMap<String, String>, name: &str) -> Result<Option<u32>> {
    match query.get(name) {
        None => Ok(None),
        Some(v) => match v.trim().parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(Error::invalid_param(
                format!("{name}: expected a positive integer, got `{v}`"),
                name,
            )),
        },
    }
}

/// `/spend/logs`.
pub async fn logs(state: &AppState, ctx: &AdminContext, q: LogsQuery) -> Result<LogsAnswer> {
    let mut filter = filter(state, ctx, &q.params).await?;
    filter.request_id = q.request_id.clone();
    let (start, end) = dates(&q.params)?;
    if q.summarize
        && let (Some(_), Some(end)) = (start, end)
    {
        let (rows, _) = state.store.spend_logs(&filter, None).await?;
        return Ok(LogsAnswer::Summary(view::summary(&rows, &end.day())));
    }
    if q.page.is_none() && q.page_size.is_none() {
        let (rows, _) = state.store.spend_logs(&filter, None).await?;
        return Ok(LogsAnswer::Rows(
            rows.into_iter().map(SpendLog::from).collect(),
        ));
    }
    let page = q.page.unwrap_or(1);
    let page_size = q.page_size.unwrap_or(DEFAULT_PAGE_SIZE).min(MAX_PAGE_SIZE);
    let (rows, total) = state
        .store
        .spend_logs(&filter, Some((page, page_size)))
        .await?;
    Ok(LogsAnswer::Page(LogsPage {
        data: rows.into_iter().map(SpendLog::from).collect(),
        total,
        page,
        page_size,
        total_pages: total.div_ceil(u64::from(page_size)),
    }))
}

/// `/spend/tags`: requests and spend per request tag, highest spend first; `tags` (comma
/// separated) keeps only those.
pub async fn tags(
    state: &AppState,
    ctx: &AdminContext,
    params: &SpendParams,
    only: Option<&str>,
) -> Result<Vec<TagSpend>> {
    let mut filter = filter(state, ctx, params).await?;
    filter.tags = only
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty() && *t != "all-tags")
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let rows = state.store.daily_spend_rows(&filter, true).await?;
    let mut by_tag: BTreeMap<String, TagSpend> = BTreeMap::new();
    for r in rows {
        let Some(tag) = r.tag else { continue };
        let entry = by_tag.entry(tag.clone()).or_insert(TagSpend {
            individual_request_tag: tag,
            log_count: 0,
            total_spend: 0.0,
        });
        entry.log_count += r.requests;
        entry.total_spend += r.spend;
    }
    let mut out: Vec<TagSpend> = by_tag.into_values().collect();
    out.sort_by(|a, b| b.total_spend.total_cmp(&a.total_spend));
    Ok(out)
}

/// `/global/spend`: the last 30 days' spend (what the caller may see) and the proxy budget.
pub async fn global(state: &AppState, ctx: &AdminContext) -> Result<GlobalSpend> {
    let mut filter = filter(state, ctx, &SpendParams::default()).await?;
    let today = day::parse(&day::of_ms(state.clock.now_ms()), "today")?;
    filter.from_ms = Some(today.ms - 29 * DAY_MS);
    let spend = state.store.total_spend(&filter).await?;
    Ok(GlobalSpend {
        spend,
        max_budget: state.config.litellm.max_budget,
    })
}

/// `/global/spend/report`: per day and group over `start_date..=end_date` (default: the last 30
/// days). As in LiteLLM, naming `api_key` or `internal_user_id` without `group_by` answers the
/// per-key shape.
pub async fn report(state: &AppState, ctx: &AdminContext, q: ReportQuery) -> Result<Report> {
    let mut params = q.params.clone();
    if params.user_id.is_none() {
        params.user_id.clone_from(&q.internal_user_id);
    }
    let group_by = match q.group_by.as_deref() {
        Some(g) => GroupBy::parse(g)?,
        None if q.params.api_key.is_some() || q.internal_user_id.is_some() => GroupBy::ApiKey,
        None => GroupBy::Team,
    };
    let mut filter = filter(state, ctx, &params).await?;
    filter.model = q.model;
    if filter.from_ms.is_none() {
        let end = filter.until_ms.unwrap_or_else(|| state.clock.now_ms() + 1);
        filter.from_ms = Some(end - 30 * DAY_MS);
    }
    let rows = state
        .store
        .daily_spend_rows(&filter, group_by.reads_tags())
        .await?;
    Ok(match group_by {
        GroupBy::ApiKey => Report::Keys(report::by_key(&rows)),
        other => Report::Daily {
            group_by: other,
            days: report::daily(&rows, other),
        },
    })
}

fn dates(p: &SpendParams) -> Result<(Option<DateBound>, Option<DateBound>)> {
    let start = p
        .start_date
        .as_deref()
        .map(|d| day::parse(d, "start_date"))
        .transpose()?;
    let end = p
        .end_date
        .as_deref()
        .map(|d| day::parse(d, "end_date"))
        .transpose()?;
    if let (Some(s), Some(e)) = (start, end)
        && s.start_ms() >= e.end_exclusive_ms()
    {
        return Err(Error::invalid_param(
            "start_date: must not be after end_date",
            "start_date",
        ));
    }
    Ok((start, end))
}

/// The store filter of `params` for the caller: explicit filters are checked against what the
/// caller may read; a caller who does not read everything is also limited to their scope.
async fn filter(state: &AppState, ctx: &AdminContext, p: &SpendParams) -> Result<SpendFilter> {
    let principal = &ctx.principal;
    let api_key = p.api_key.as_deref().map(token_of);
    let scope = match key_list_scope(principal) {
        KeyScope::All => None,
        KeyScope::Restricted {
            user_id,
            team_ids,
            own_token,
        } => Some(SpendScope {
            user_id,
            api_key: own_token,
            team_ids,
        }),
    };
    if scope.is_some() {
        if let Some(token) = &api_key {
            match state.store.key(token).await? {
                Some(key) => authorize(principal, &Action::KeyRead { key: &key })?,
                None if principal.token() == Some(token.as_str()) => {}
                None => {
                    return Err(Error::PermissionDenied(
                        "you may not read the spend of this key".into(),
                    ));
                }
            }
        }
        if let Some(user_id) = p.user_id.as_deref() {
            authorize(principal, &Action::UserRead { user_id })?;
        }
        if let Some(team_id) = p.team_id.as_deref() {
            authorize(principal, &Action::TeamSpendRead { team_id })?;
        }
    }
    let (start, end) = dates(p)?;
    Ok(SpendFilter {
        api_key,
        user_id: p.user_id.clone(),
        team_id: p.team_id.clone(),
        end_user: p.end_user.clone(),
        from_ms: start.map(DateBound::start_ms),
        until_ms: end.map(DateBound::end_exclusive_ms),
        scope,
        ..SpendFilter::default()
    })
}
