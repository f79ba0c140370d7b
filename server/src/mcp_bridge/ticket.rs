//! The governance of one tool call: `tool_rpm_limit` (the key's field, else its
//! `metadata.tool_rpm_limit` as LiteLLM-style configs set it: requests per minute over all its
//! tool calls), a budget reservation of the call's price at every level, and the spend record
//! written when it ends (route `/mcp/tools/call`, LiteLLM's `call_type` `call_mcp_tool`; model
//! `<server>/<tool>`), traced and counted in the metrics (`telemetry::mcp`).

use serde_json::{Map, Value};
use tollgate_mcp::{CallTicket, Outcome, ToolCall};

use crate::auth::Principal;
use crate::budgets::{BudgetHold, Scope, ScopeLimit};
use crate::error::{Error, Result};
use crate::keys::KeyRecord;
use crate::ratelimit::{Check, Measure, Permit};
use crate::spend::SpendRecord;
use crate::state::AppState;
use crate::telemetry::mcp::{Caller, ToolCallTrace};

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
    trace: ToolCallTrace,
}

/// Admits a call: takes the tool rate limit, then reserves its price. A refusal is traced and
/// counted (outcome `refused`).
pub async fn admit(state: &AppState, principal: &Principal, call: &ToolCall<'_>) -> Result<Ticket> {
    let key = principal.key.as_deref();
    let caller = Caller {
        key_alias: key.and_then(|k| k.key_alias.as_deref()),
        key_hash: key.map(|k| k.token.as_str()),
    };
    let trace = ToolCallTrace::start(call.server, call.tool, call.public_name, caller);
    match reserve(state, principal, call).await {
        Ok((permit, hold, limits)) => {
            Ok(ticket(state, principal, call, permit, hold, limits, trace))
        }
        Err(e) => {
            trace.finish("refused", Some(&e.to_string()));
            Err(e)
        }
    }
}

/// The tool rate limit, then the budget reservation of the call's price.
async fn reserve(
    state: &AppState,
    principal: &Principal,
    call: &ToolCall<'_>,
) -> Result<(Permit, Option<BudgetHold>, Vec<ScopeLimit>)> {
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
    Ok((permit, hold, limits))
}

fn ticket(
    state: &AppState,
    principal: &Principal,
    call: &ToolCall<'_>,
    permit: Permit,
    hold: Option<BudgetHold>,
    limits: Vec<ScopeLimit>,
    trace: ToolCallTrace,
) -> Ticket {
    let model = format!("{}/{}", call.server, call.tool);
    let call_id = uuid::Uuid::new_v4().to_string();
    trace.call_id(&call_id);
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
    Ticket {
        state: state.clone(),
        record: record.metadata(metadata),
        permit,
        hold,
        limits,
        cost: call.cost,
        trace,
    }
}

/// A key's `tool_rpm_limit`: its own field, else `metadata.tool_rpm_limit` (a number, or a
/// string holding one, as LiteLLM metadata often does).
pub fn tool_rpm_limit(key: &KeyRecord) -> Option<u64> {
    key.settings
        .tool_rpm_limit
        .or_else(|| match key.settings.metadata.get("tool_rpm_limit")? {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
}

/// The key's `tool_rpm_limit`, if it has one.
fn checks(principal: &Principal) -> Vec<Check> {
    let Some(key) = &principal.key else {
        return Vec::new();
    };
    tool_rpm_limit(key)
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

fn outcome_name(outcome: &Outcome) -> (&'static str, Option<&str>) {
    match outcome {
        Outcome::Success => ("success", None),
        Outcome::ToolError(m) => ("tool_error", Some(m)),
        Outcome::UpstreamFailure(m) => ("upstream_failure", Some(m)),
    }
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
            trace,
        } = *self;
        let (name, error) = outcome_name(&outcome);
        trace.finish(name, error);
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
