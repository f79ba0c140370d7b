//! `tollgate.v1.SpendService`: spend logs, tags, global spend and reports, the same operations
//! as `/spend/logs`, `/spend/tags`, `/global/spend` and `/global/spend/report`
//! ([`crate::admin::spend`]). `GetSpendLogs` always answers rows (no per-day summary).

use prost_types::Timestamp;
use tollgate_proto::tollgate::v1 as pb;
use tollgate_proto::tollgate::v1::spend_service_server::SpendService;
use tonic::{Request, Response, Status};

use super::call::{finish, respond};
use super::convert::structs::{json_to_value, map_to_struct};
use crate::admin::AdminContext;
use crate::admin::spend::report::{GroupBy, KeyReport, ReportDay};
use crate::admin::spend::view::SpendLog;
use crate::admin::spend::{self, LogsAnswer, LogsQuery, Report, ReportQuery, SpendParams};
use crate::pipeline::new_call_id;
use crate::state::AppState;

#[derive(Clone)]
pub struct SpendApi {
    state: AppState,
}

impl SpendApi {
    pub fn new(state: AppState) -> Self {
        Self { state }
    }
}

#[tonic::async_trait]
impl SpendService for SpendApi {
    async fn get_spend_logs(
        &self,
        request: Request<pb::GetSpendLogsRequest>,
    ) -> Result<Response<pb::GetSpendLogsResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = AdminContext::from_grpc(&self.state, &request).await?;
            let r = request.into_inner();
            let query = LogsQuery {
                params: SpendParams {
                    api_key: r.api_key,
                    user_id: r.user_id,
                    team_id: r.team_id,
                    end_user: r.end_user,
                    start_date: r.start_date,
                    end_date: r.end_date,
                },
                request_id: r.request_id,
                page: r.page,
                page_size: r.page_size,
                summarize: false,
            };
            let body = match spend::logs(&self.state, &ctx, query).await? {
                LogsAnswer::Rows(rows) => logs_response(rows),
                LogsAnswer::Page(page) => pb::GetSpendLogsResponse {
                    logs: page.data.into_iter().map(log).collect(),
                    total: Some(page.total),
                    page: Some(page.page),
                    page_size: Some(page.page_size),
                    total_pages: Some(page.total_pages),
                },
                // `summarize` is off above: the summary is a REST compatibility shape only.
                LogsAnswer::Summary(_) => logs_response(Vec::new()),
            };
            Ok(respond(body, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn get_spend_tags(
        &self,
        request: Request<pb::GetSpendTagsRequest>,
    ) -> Result<Response<pb::GetSpendTagsResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = AdminContext::from_grpc(&self.state, &request).await?;
            let r = request.into_inner();
            let params = SpendParams {
                start_date: r.start_date,
                end_date: r.end_date,
                ..SpendParams::default()
            };
            let only = (!r.tags.is_empty()).then(|| r.tags.join(","));
            let tags = spend::tags(&self.state, &ctx, &params, only.as_deref()).await?;
            let body = pb::GetSpendTagsResponse {
                tags: tags
                    .into_iter()
                    .map(|t| pb::TagSpend {
                        individual_request_tag: t.individual_request_tag,
                        log_count: unsigned(t.log_count),
                        total_spend: t.total_spend,
                    })
                    .collect(),
            };
            Ok(respond(body, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn get_global_spend(
        &self,
        request: Request<pb::GetGlobalSpendRequest>,
    ) -> Result<Response<pb::GetGlobalSpendResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = AdminContext::from_grpc(&self.state, &request).await?;
            let global = spend::global(&self.state, &ctx).await?;
            let body = pb::GetGlobalSpendResponse {
                spend: global.spend,
                max_budget: global.max_budget,
            };
            Ok(respond(body, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }

    async fn get_global_spend_report(
        &self,
        request: Request<pb::GetGlobalSpendReportRequest>,
    ) -> Result<Response<pb::GetGlobalSpendReportResponse>, Status> {
        let call_id = new_call_id();
        let result = async {
            let ctx = AdminContext::from_grpc(&self.state, &request).await?;
            let r = request.into_inner();
            let group_by = match pb::SpendReportGroupBy::try_from(r.group_by)
                .unwrap_or(pb::SpendReportGroupBy::Unspecified)
            {
                pb::SpendReportGroupBy::Unspecified => None,
                pb::SpendReportGroupBy::Team => Some("team"),
                pb::SpendReportGroupBy::Customer => Some("customer"),
                pb::SpendReportGroupBy::ApiKey => Some("api_key"),
                pb::SpendReportGroupBy::Key => Some("key"),
                pb::SpendReportGroupBy::User => Some("user"),
                pb::SpendReportGroupBy::Model => Some("model"),
                pb::SpendReportGroupBy::Tag => Some("tag"),
            };
            let query = ReportQuery {
                params: SpendParams {
                    api_key: r.api_key,
                    team_id: r.team_id,
                    end_user: r.customer_id,
                    start_date: r.start_date,
                    end_date: r.end_date,
                    ..SpendParams::default()
                },
                group_by: group_by.map(str::to_owned),
                internal_user_id: r.internal_user_id,
                model: r.model,
            };
            let body = match spend::report(&self.state, &ctx, query).await? {
                Report::Daily { group_by, days } => pb::GetGlobalSpendReportResponse {
                    days: days.into_iter().map(|d| report_day(d, group_by)).collect(),
                    keys: Vec::new(),
                },
                Report::Keys(keys) => pb::GetGlobalSpendReportResponse {
                    days: Vec::new(),
                    keys: keys.into_iter().map(key_report).collect(),
                },
            };
            Ok(respond(body, &call_id, None))
        }
        .await;
        finish(result, &call_id)
    }
}

fn logs_response(rows: Vec<SpendLog>) -> pb::GetSpendLogsResponse {
    pb::GetSpendLogsResponse {
        logs: rows.into_iter().map(log).collect(),
        total: None,
        page: None,
        page_size: None,
        total_pages: None,
    }
}

fn unsigned(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn timestamp(ms: i64) -> Timestamp {
    Timestamp {
        seconds: ms.div_euclid(1000),
        nanos: i32::try_from(ms.rem_euclid(1000) * 1_000_000).unwrap_or(0),
    }
}

fn log(l: SpendLog) -> pb::SpendLog {
    let metadata = match l.metadata {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    };
    pb::SpendLog {
        request_id: l.request_id,
        api_key: l.api_key,
        team_id: l.team_id,
        user: Some(l.user).filter(|u| !u.is_empty()),
        end_user: l.end_user,
        model: l.model,
        model_id: l.model_id,
        prompt_tokens: unsigned(l.prompt_tokens),
        completion_tokens: unsigned(l.completion_tokens),
        total_tokens: unsigned(l.total_tokens),
        spend: l.spend,
        latency_ms: unsigned(l.request_duration_ms),
        status: l.status,
        request_tags: l.request_tags,
        cache_hit: l.cache_hit == "True",
        started_at: Some(timestamp(l.start_time_ms)),
        ended_at: Some(timestamp(l.end_time_ms)),
        model_group: l.model_group,
        custom_llm_provider: l.custom_llm_provider,
        call_type: l.call_type,
        route: l.route,
        key_alias: l.key_alias,
        organization_id: l.organization_id,
        cached_tokens: unsigned(l.cached_tokens),
        error_type: l.error_type,
        api_base: Some(l.api_base).filter(|b| !b.is_empty()),
        metadata: Some(map_to_struct(metadata)),
        messages: Some(json_to_value(l.messages)),
        response: Some(json_to_value(l.response)),
    }
}

fn report_day(d: ReportDay, group_by: GroupBy) -> pb::SpendReportDay {
    pb::SpendReportDay {
        group_by_day: d.day,
        groups: d
            .groups
            .into_iter()
            .map(|g| pb::SpendReportGroup {
                name: g.name.unwrap_or_default(),
                total_spend: g.total_spend,
                models: g
                    .items
                    .into_iter()
                    .map(|i| pb::ModelSpend {
                        model: i.model,
                        spend: i.spend,
                        total_tokens: unsigned(i.total_tokens),
                        api_key: i.api_key,
                        requests: unsigned(i.requests),
                    })
                    .collect(),
                id: g.id.filter(|_| group_by == GroupBy::Team),
                requests: unsigned(g.requests),
                prompt_tokens: unsigned(g.prompt_tokens),
                completion_tokens: unsigned(g.completion_tokens),
            })
            .collect(),
    }
}

fn key_report(k: KeyReport) -> pb::KeySpendReport {
    pb::KeySpendReport {
        api_key: k.api_key,
        total_cost: k.total_cost,
        total_input_tokens: unsigned(k.total_input_tokens),
        total_output_tokens: unsigned(k.total_output_tokens),
        model_details: k
            .model_details
            .into_iter()
            .map(|d| pb::KeyModelSpend {
                model: d.model,
                total_cost: d.total_cost,
                total_input_tokens: unsigned(d.total_input_tokens),
                total_output_tokens: unsigned(d.total_output_tokens),
            })
            .collect(),
    }
}
