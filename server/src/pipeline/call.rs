//! The end of a call, in one place: the budget reservation is replaced by the real cost and the
//! spend record is queued (never awaited). Unary calls end in their handler; streams end when
//! the last chunk is out, when they fail, or when the client leaves (see `stream.rs`).

use std::sync::Arc;
use std::time::Instant;

use super::attempts::Served;
use crate::auth::Principal;
use crate::budgets::{BudgetHold, ScopeLimit};
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
    reservation: Option<BudgetHold>,
    /// Rate-limit counters held by the call (tokens settled, parallel slots freed at the end).
    permit: Option<crate::ratelimit::Permit>,
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
        reservation: Option<BudgetHold>,
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
            permit: None,
            limits,
            started: Instant::now(),
        }
    }

    /// Whether a budget reservation is held for the call.
    pub fn has_reservation(&self) -> bool {
        self.reservation.is_some()
    }

    /// Hands the call's rate-limit permit over, to be settled when the call ends.
    pub fn with_permit(mut self, permit: crate::ratelimit::Permit) -> Self {
        self.permit = Some(permit);
        self
    }

    /// The rate-limit usage after this call was admitted (for `x-ratelimit-*` headers).
    pub fn rate_status(&self) -> crate::ratelimit::RateStatus {
        self.permit.as_ref().map(|p| p.status).unwrap_or_default()
    }

    /// Ends the retry loop's part of the call: on success the call is served by the deployment
    /// that answered (and returned with the answer); on failure it fails with the last error.
    pub fn after_attempts<T>(
        mut self,
        result: Result<Served<T>, Error>,
    ) -> Result<(Served<T>, Self), Error> {
        match result {
            Ok(served) => {
                self.served_by(served.attempt.deployment());
                Ok((served, self))
            }
            Err(err) => {
                self.fail(&err);
                Err(err)
            }
        }
    }

    /// The call was served by `deployment` (a retry or fallback of the one it started on): the
    /// cost is its price and the record names it. The failed attempts before cost nothing.
    pub fn served_by(&mut self, deployment: &Arc<Deployment>) {
        if Arc::ptr_eq(&self.deployment, deployment) {
            return;
        }
        let model_group = self.record.model_group.clone();
        self.record = self.record.clone().deployment(deployment);
        self.record.model_group = model_group;
        self.deployment = deployment.clone();
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
            permit,
            limits,
            ..
        } = self;
        if let Some(p) = permit {
            p.settle(usage.map_or(0, |u| u.prompt_tokens + u.completion_tokens));
        }
        if let Some(r) = reservation {
            let alerting = state.clone();
            r.settle(cost, move |spent| {
                alerting.alerts.check(&limits, &spent, &alerting.tasks);
            });
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
            permit,
            ..
        } = self;
        if let Some(p) = permit {
            p.settle(0);
        }
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
