//! One attempt on one deployment: counted in flight from start to end, and recorded as a
//! success (latency, tokens) or a failure (which may cool the deployment down).

use std::sync::Arc;
use std::time::Instant;

use super::cooldown::Cooling;
use super::{Deployment, LiveRouter};
use crate::error::Error;

/// An attempt in progress; ends (leaves the in-flight count) when dropped.
#[derive(Debug)]
pub struct InFlight {
    deployment: Arc<Deployment>,
    started: Instant,
}

impl InFlight {
    pub fn begin(deployment: &Arc<Deployment>) -> Self {
        deployment.state.begin();
        Self {
            deployment: deployment.clone(),
            started: Instant::now(),
        }
    }

    pub fn deployment(&self) -> &Arc<Deployment> {
        &self.deployment
    }

    /// The first token of a stream arrived now.
    pub fn first_token(&self) {
        self.deployment.state.record_ttft(self.started.elapsed());
    }

    /// The attempt succeeded with `tokens` used.
    pub fn succeed(self, tokens: u64) {
        self.deployment
            .state
            .record_success(self.started.elapsed(), tokens);
    }

    /// The attempt failed with `err`; answers the cooldown the deployment entered, if any.
    pub fn fail(self, router: &LiveRouter, err: &Error) -> Option<(String, Cooling)> {
        router
            .report_failure(&self.deployment, err)
            .map(|c| (self.deployment.id.clone(), c))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.deployment.state.end();
    }
}
