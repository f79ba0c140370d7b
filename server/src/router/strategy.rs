//! The routing strategies (`router_settings.routing_strategy`): which of a group's available
//! deployments serves the next call. Pure functions of the deployments' [`StateView`]s and one
//! uniform random number, so every choice is testable without a network or a clock.
//!
//! - `simple-shuffle`: weighted random by `weight`, else `rpm`, else `tpm`, else uniform;
//! - `least-busy`: fewest calls in flight;
//! - `usage-based-routing`: lowest tokens (then requests) used this minute, never a deployment
//!   whose `rpm`/`tpm` this call would exceed;
//! - `latency-based-routing`: lowest recent latency (time to first token for streams), picking
//!   at random among those within `lowest_latency_buffer` of the fastest; a deployment with no
//!   sample yet counts as fastest, so every one gets explored;
//! - `cost-based-routing`: lowest price per token.
//!
//! Ties are broken at random.

use std::sync::Arc;

use super::Deployment;
use super::state::StateView;
use crate::config::RoutingStrategy;

/// A deployment that may serve the call, with its state now.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub deployment: Arc<Deployment>,
    pub view: StateView,
}

/// What the strategies need to know about the call.
#[derive(Debug, Clone, Copy, Default)]
pub struct CallShape {
    pub stream: bool,
    /// Estimated tokens (prompt + output cap), for `tpm` limits.
    pub tokens: u64,
    pub lowest_latency_buffer: f64,
}

/// Whether `c` can take one more call under its `rpm`/`tpm` (usage-based routing only).
pub fn within_limits(c: &Candidate, shape: &CallShape) -> bool {
    let p = &c.deployment.entry.params;
    p.rpm.is_none_or(|rpm| c.view.rpm_used < rpm)
        && p.tpm
            .is_none_or(|tpm| c.view.tpm_used.saturating_add(shape.tokens.max(1)) <= tpm)
}

/// The index of the chosen candidate; `None` only for an empty list.
pub fn choose(
    strategy: RoutingStrategy,
    candidates: &[Candidate],
    shape: &CallShape,
    r: f64,
) -> Option<usize> {
    if candidates.is_empty() {
        return None;
    }
    let lowest_by = |score: &dyn Fn(&Candidate) -> f64, margin: f64| {
        let scores: Vec<f64> = candidates.iter().map(score).collect();
        let best = scores.iter().copied().fold(f64::INFINITY, f64::min);
        let limit = best + best.abs() * margin;
        let near: Vec<usize> = (0..scores.len())
            .filter(|i| scores.get(*i).is_some_and(|s| *s <= limit))
            .collect();
        pick_uniform(&near, r)
    };
    match strategy {
        RoutingStrategy::SimpleShuffle => {
            let weights: Vec<f64> = candidates.iter().map(|c| c.deployment.weight()).collect();
            Some(super::weighted_index(&weights, r))
        }
        RoutingStrategy::LeastBusy => lowest_by(&|c| c.view.in_flight as f64, 0.0),
        RoutingStrategy::UsageBased => lowest_by(
            &|c| c.view.tpm_used as f64 + c.view.rpm_used as f64 * 1e-6,
            0.0,
        ),
        RoutingStrategy::LatencyBased => lowest_by(
            &|c| {
                let ttft = if shape.stream { c.view.ttft_ms } else { None };
                ttft.or(c.view.latency_ms).unwrap_or(0.0)
            },
            shape.lowest_latency_buffer,
        ),
        RoutingStrategy::CostBased => lowest_by(
            &|c| c.deployment.price.input_cost_per_token + c.deployment.price.output_cost_per_token,
            0.0,
        ),
    }
}

fn pick_uniform(indices: &[usize], r: f64) -> Option<usize> {
    if indices.is_empty() {
        return None;
    }
    let i = ((r * indices.len() as f64) as usize).min(indices.len() - 1);
    indices.get(i).copied()
}

#[cfg(test)]
#[path = "strategy_tests.rs"]
mod tests;
