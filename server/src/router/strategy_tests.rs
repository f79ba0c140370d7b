use std::sync::Arc;

use super::*;
use crate::config::load_str;
use crate::router::ModelRouter;
use crate::router::state::StateView;

/// Candidates `a`, `b`, `c` of one group, each with the given params YAML.
fn candidates(params: [&str; 3]) -> Vec<Candidate> {
    let yaml = format!(
        r#"
model_list:
  - model_name: g
    litellm_params: {{model: openai/a, api_key: k, {}}}
    model_info: {{id: a}}
  - model_name: g
    litellm_params: {{model: openai/b, api_key: k, {}}}
    model_info: {{id: b}}
  - model_name: g
    litellm_params: {{model: openai/c, api_key: k, {}}}
    model_info: {{id: c}}
"#,
        params[0], params[1], params[2]
    );
    let config = load_str(&yaml, false, &|_| None).unwrap().config;
    let (table, _) = ModelRouter::build(&config, &reqwest::Client::new());
    table
        .deployments()
        .map(|d| Candidate {
            deployment: Arc::clone(d),
            view: d.state.view(),
        })
        .collect()
}

fn view(in_flight: u64, latency: Option<f64>, rpm: u64, tpm: u64) -> StateView {
    StateView {
        in_flight,
        latency_ms: latency,
        ttft_ms: None,
        rpm_used: rpm,
        tpm_used: tpm,
        successes_this_minute: 0,
        failures_this_minute: 0,
        healthy: true,
        health: None,
    }
}

fn chosen(strategy: RoutingStrategy, c: &[Candidate], shape: &CallShape, r: f64) -> String {
    let i = choose(strategy, c, shape, r).unwrap();
    c[i].deployment.id.clone()
}

// Least-busy picks the deployment with the fewest calls in flight.
#[test]
fn least_busy_picks_fewest_in_flight() {
    let mut c = candidates(["weight: 1", "weight: 1", "weight: 1"]);
    c[0].view = view(3, None, 0, 0);
    c[1].view = view(1, None, 0, 0);
    c[2].view = view(2, None, 0, 0);
    let shape = CallShape::default();
    for r in [0.0, 0.5, 0.99] {
        assert_eq!(chosen(RoutingStrategy::LeastBusy, &c, &shape, r), "b");
    }
}

// Latency-based picks the fastest; the buffer admits near-fastest ones; unmeasured ones are explored.
#[test]
fn latency_based_with_buffer() {
    let mut c = candidates(["weight: 1", "weight: 1", "weight: 1"]);
    c[0].view = view(0, Some(100.0), 0, 0);
    c[1].view = view(0, Some(140.0), 0, 0);
    c[2].view = view(0, Some(400.0), 0, 0);
    let mut shape = CallShape::default();
    assert_eq!(chosen(RoutingStrategy::LatencyBased, &c, &shape, 0.99), "a");
    shape.lowest_latency_buffer = 0.5;
    assert_eq!(chosen(RoutingStrategy::LatencyBased, &c, &shape, 0.99), "b");
    assert_eq!(chosen(RoutingStrategy::LatencyBased, &c, &shape, 0.0), "a");
    c[2].view = view(0, None, 0, 0);
    assert_eq!(chosen(RoutingStrategy::LatencyBased, &c, &shape, 0.5), "c");
}

// Streams are routed by time to first token when it is known.
#[test]
fn latency_based_streams_use_ttft() {
    let mut c = candidates(["weight: 1", "weight: 1", "weight: 1"]);
    c[0].view = view(0, Some(100.0), 0, 0);
    c[1].view = view(0, Some(300.0), 0, 0);
    c[1].view.ttft_ms = Some(20.0);
    c[0].view.ttft_ms = Some(90.0);
    c[2].view = view(0, Some(500.0), 0, 0);
    c[2].view.ttft_ms = Some(400.0);
    let shape = CallShape {
        stream: true,
        ..CallShape::default()
    };
    assert_eq!(chosen(RoutingStrategy::LatencyBased, &c, &shape, 0.3), "b");
}

// Usage-based picks the least used and never one this call would push past rpm or tpm.
#[test]
fn usage_based_respects_limits() {
    let mut c = candidates(["rpm: 10", "tpm: 1000", "rpm: 100"]);
    c[0].view = view(0, None, 10, 0);
    c[1].view = view(0, None, 1, 950);
    c[2].view = view(0, None, 5, 2000);
    let shape = CallShape {
        tokens: 100,
        ..CallShape::default()
    };
    let within: Vec<bool> = c.iter().map(|x| within_limits(x, &shape)).collect();
    assert_eq!(within, [false, false, true]);
    let open: Vec<Candidate> = c
        .iter()
        .filter(|x| within_limits(x, &shape))
        .cloned()
        .collect();
    assert_eq!(chosen(RoutingStrategy::UsageBased, &open, &shape, 0.5), "c");
    c[1].view = view(0, None, 1, 10);
    assert_eq!(chosen(RoutingStrategy::UsageBased, &c, &shape, 0.5), "a");
}

// Cost-based picks the cheapest deployment.
#[test]
fn cost_based_picks_cheapest() {
    let c = candidates([
        "input_cost_per_token: 0.00001, output_cost_per_token: 0.00003",
        "input_cost_per_token: 0.000001, output_cost_per_token: 0.000002",
        "input_cost_per_token: 0.000005, output_cost_per_token: 0.000005",
    ]);
    let shape = CallShape::default();
    assert_eq!(chosen(RoutingStrategy::CostBased, &c, &shape, 0.7), "b");
}

// Simple-shuffle follows the weights over many evenly spread draws.
#[test]
fn simple_shuffle_follows_weights() {
    let c = candidates(["weight: 1", "weight: 2", "weight: 1"]);
    let shape = CallShape::default();
    let n = 4000;
    let mut counts = std::collections::HashMap::new();
    for i in 0..n {
        let r = (f64::from(i) + 0.5) / f64::from(n);
        *counts
            .entry(chosen(RoutingStrategy::SimpleShuffle, &c, &shape, r))
            .or_insert(0) += 1;
    }
    assert_eq!(counts["a"], 1000);
    assert_eq!(counts["b"], 2000);
    assert_eq!(counts["c"], 1000);
}
