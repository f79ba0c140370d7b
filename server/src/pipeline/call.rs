//! The end of a call, in one place: the budget reservation is replaced by the real cost and the
//! spend record is queued (never awaited). Unary calls end in their handler; streams end when
//! the last chunk is out, when they fail, or when the client leaves (see `stream.rs`).

use std::sync::Arc;
use std::time::Instant;

use crate::auth::Principal;
use crate::budgets::{Reservation, ScopeLimit};
use crate::error::Error;
use crate::router::Deployment;
use crate::spend::SpendRecord;
use crate::state::AppState;
use crate::telemetry::metrics;
use crate::types::openai::Usage;

/// Operation names recorded in spend logs (`route`).
pub const CHAT: &str = "/chat/completions";
pub const EMBEDDINGS: &str = "/embeddings";
pub const COMPLETIONS: &str = "/completions";
pub const MESSAGES: &str = "/messages";

/// What the end of a call needs.
#[derive(Debug)]
pub struct CallEnd {
    state: AppState,
    record: SpendRecord,
    deployment: Arc<Deployment>,
    reservation: Option<Reservation>,
    /// The budgets the call counted against, checked for alerts once it is settled.
    limits: Vec<ScopeLimit>,
    started: Instant,
}

/// Who made a call, and on what.
#[derive(Debug, Clone, Copy)]
pub struct CallStart<'a> {
    pub principal: &'a Principal,
    pub call_id: &'a str,
    pub route: &'static str,
    pub end_user: Option<&'a str>,
    pub tags: &'a [String],
}

impl CallEnd {
    pub fn new(
        state: &AppState,
        start: CallStart<'_>,
        deployment: Arc<Deployment>,
        reservation: Option<Reservation>,
        limits: Vec<ScopeLimit>,
    ) -> Self {
        let record = SpendRecord::new(
            start.call_id,
            start.route,
            state.clock.now_ms(),
            start.principal,
        )
        .deployment(&deployment)
        .end_user(start.end_user)
        .tags(start.tags);
        Self {
            state: state.clone(),
            record,
            deployment,
            reservation,
            limits,
            started: Instant::now(),
        }
    }

    /// Stores request and response bodies in the record when `store_prompts_in_spend_logs` is on.
    pub fn with_bodies(
        mut self,
        request: impl FnOnce() -> serde_json::Value,
        response: impl FnOnce() -> serde_json::Value,
    ) -> Self {
        if self.state.config.general.store_prompts_in_spend_logs {
            self.record = self.record.bodies(Some(request()), Some(response()));
        }
        self
    }

    /// The call succeeded with `usage`: settles the budget with the real cost and records the
    /// spend. Returns the cost (USD).
    pub fn succeed(self, usage: Option<&Usage>) -> f64 {
        let cost = super::cost::of_usage(&self.deployment, usage);
        self.observe(true);
        let CallEnd {
            state,
            record,
            reservation,
            limits,
            ..
        } = self;
        if let Some(r) = reservation {
            r.settle(cost);
            state.alerts.check(&state.budgets, &limits, &state.tasks);
        }
        let ended = state.clock.now_ms();
        state
            .spend
            .record(record.usage(usage).cost(cost).succeeded(ended));
        cost
    }

    /// The call failed: releases the reservation and records the failure.
    pub fn fail(self, err: &Error) {
        self.observe(false);
        let CallEnd {
            state,
            record,
            reservation,
            ..
        } = self;
        if let Some(r) = reservation {
            r.release();
        }
        let ended = state.clock.now_ms();
        state.spend.record(record.failed(ended, err));
    }

    fn observe(&self, ok: bool) {
        metrics::record_upstream(
            &self.deployment.model_name,
            self.deployment.provider.name(),
            ok,
            self.started.elapsed(),
        );
    }
}
