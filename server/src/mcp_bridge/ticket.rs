//! The governance of one tool call: `tool_rpm_limit` (the key's `metadata.tool_rpm_limit`,
//! requests per minute over all its tool calls), a budget reservation of the call's price at
//! every level, and the spend record written when it ends (route `/mcp/tools/call`, LiteLLM's
//! `call_type` `call_mcp_tool`; model `<server>/<tool>`), counted in the metrics.

use serde_json::{Map, Value};
use tollgate_mcp::{CallTicket, Outcome, ToolCall};

use crate::auth::Principal;
use crate::budgets::{BudgetHold, Scope, ScopeLimit};
use crate::error::{Error, Result};
use crate::ratelimit::{Check, Measure, Permit};
use crate::spend::SpendRecord;
use crate::state::AppState;

/// The spend-log route of tool calls.
pub const ROUTE: &str = "/mcp/tools/call";
/// The counter all of a key's tool calls share (no model can be named like this).
const TOOL_COUNTER: &str = "<mcp tool calls>";

#[derive(Debug)]
pub struct Ticket {
    state: AppState,
    record: SpendRecord,
    permit: Permit,
    hold: Option<BudgetHold>,
    limits: Vec<ScopeLimit>,
    cost: f64,
    started: std::time::Instant,
}

/// Admits a call: takes the tool rate limit, then reserves its price.
pub async fn admit(state: &AppState, principal: &Principal, call: &ToolCall<'_>) -> Result<Ticket> {
    let model = format!("{}/{}", call.server, call.tool);
    let permit = state.limits.acquire(checks(principal), 0).await?;
    let limits = if call.cost > 0.0 {
        crate::pipeline::budget::limits_for(state, principal, None, &model, &[])
    } else {
        Vec::new()
    };
    let hold = if limits.is_empty() {
        None
    } else {
        Some(state.budgets.reserve(&limits, call.cost).await?)
    };
    let call_id = uuid::Uuid::new_v4().to_string();
    let mut record =
        SpendRecord::new(call_id, ROUTE, state.clock.now_ms(), principal).model_group(model);
    record.provider = Some("mcp".to_owned());
    record.upstream_model = Some(call.tool.to_owned());
    record.deployment_id = Some(call.server.to_owned());
    let mut metadata = Map::new();
    metadata.insert(
        "mcp_server_name".into(),
        Value::String(call.server.to_owned()),
    );
    metadata.insert("mcp_tool_name".into(), Value::String(call.tool.to_owned()));
    metadata.insert(
        "mcp_public_name".into(),
        Value::String(call.public_name.to_owned()),
    );
    Ok(Ticket {
        state: state.clone(),
        record: record.metadata(metadata),
        permit,
        hold,
        limits,
        cost: call.cost,
        started: std::time::Instant::now(),
    })
}

/// Counts the call (`tollgate_mcp_tool_calls_total`) and its duration
/// (`tollgate_mcp_tool_call_duration_seconds`) by server, tool and outcome.
fn observe(record: &SpendRecord, outcome: &Outcome, elapsed: std::time::Duration) {
    let outcome = match outcome {
        Outcome::Success => "success",
        Outcome::ToolError(_) => "tool_error",
        Outcome::UpstreamFailure(_) => "upstream_failure",
    };
    let labels = [
        ("server", record.deployment_id.clone().unwrap_or_default()),
        ("tool", record.upstream_model.clone().unwrap_or_default()),
        ("outcome", outcome.to_owned()),
    ];
    metrics::counter!("tollgate_mcp_tool_calls_total", &labels).increment(1);
    metrics::histogram!("tollgate_mcp_tool_call_duration_seconds", &labels)
        .record(elapsed.as_secs_f64());
}

/// The key's `tool_rpm_limit`, if it has one.
fn checks(principal: &Principal) -> Vec<Check> {
    let Some(key) = &principal.key else {
        return Vec::new();
    };
    let limit = key
        .settings
        .metadata
        .get("tool_rpm_limit")
        .and_then(Value::as_u64);
    limit
        .map(|limit| Check {
            subject: Scope::KeyModel {
                token: key.token.clone(),
                model: TOOL_COUNTER.to_owned(),
            },
            measure: Measure::RequestsPerMinute,
            limit,
            setting: "tool_rpm_limit",
        })
        .into_iter()
        .collect()
}

impl CallTicket for Ticket {
    fn finish(self: Box<Self>, outcome: Outcome) {
        let Ticket {
            state,
            record,
            permit,
            hold,
            limits,
            cost,
            started,
        } = *self;
        observe(&record, &outcome, started.elapsed());
        permit.settle(0);
        let ended = state.clock.now_ms();
        // The upstream did the work unless it failed as a transport: the call is charged.
        let record = match outcome {
            Outcome::Success => record.cost(cost).succeeded(ended),
            Outcome::ToolError(message) => record.cost(cost).failed(
                ended,
                &Error::Upstream {
                    status: 400,
                    message,
                    provider: "mcp",
                    retry_after: None,
                },
            ),
            Outcome::UpstreamFailure(message) => record.failed(
                ended,
                &Error::UpstreamUnreachable {
                    message,
                    provider: "mcp",
                },
            ),
        };
        let charged = record.cost;
        if let Some(hold) = hold {
            if charged > 0.0 {
                let alerting = state.clone();
                hold.settle(charged, move |spent| {
                    alerting.alerts.check(&limits, &spent, &alerting.tasks);
                });
            } else {
                hold.release();
            }
        }
        state.spend.record(record);
    }
}
