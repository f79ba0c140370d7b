//! Prometheus metrics: request counts and latency histograms by route, model and status.
//!
//! One process-wide recorder (the `metrics` facade), installed on first use; `GET /metrics`
//! renders it. Recording is a few atomic operations, fine for the hot path.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const REQUESTS_TOTAL: &str = "tollgate_requests_total";
pub const REQUEST_DURATION: &str = "tollgate_request_duration_seconds";
pub const UPSTREAM_DURATION: &str = "tollgate_upstream_duration_seconds";

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The process-wide Prometheus handle, installing the recorder on first call. `None` only if
/// another recorder was installed by someone else.
pub fn handle() -> Option<&'static PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?;
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(
        REQUESTS_TOTAL,
        "HTTP and gRPC requests, by route, model and status"
    );
    metrics::describe_histogram!(
        REQUEST_DURATION,
        metrics::Unit::Seconds,
        "Time from request to response head, by route, model and status"
    );
    metrics::describe_histogram!(
        UPSTREAM_DURATION,
        metrics::Unit::Seconds,
        "Time of provider calls, by model, deployment provider and outcome"
    );
}

/// Records one finished request.
pub fn record_request(route: &str, model: &str, status: u16, elapsed: Duration) {
    let labels = [
        ("route", route.to_owned()),
        ("model", model.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!(REQUESTS_TOTAL, &labels).increment(1);
    metrics::histogram!(REQUEST_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// Records one provider call.
pub fn record_upstream(model: &str, provider: &str, ok: bool, elapsed: Duration) {
    let labels = [
        ("model", model.to_owned()),
        ("provider", provider.to_owned()),
        ("outcome", if ok { "success" } else { "failure" }.to_owned()),
    ];
    metrics::histogram!(UPSTREAM_DURATION, &labels).record(elapsed.as_secs_f64());
}

/// The text exposition of every metric.
pub fn render() -> String {
    handle().map(PrometheusHandle::render).unwrap_or_default()
}
