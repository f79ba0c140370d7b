//! `maximum_spend_logs_retention_period`: a periodic task deleting `spend_logs` rows older than
//! the period (every `maximum_spend_logs_retention_interval`, default a day, first at startup).
//! Daily aggregates are never pruned, so reports keep their totals.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::error::Result;
use crate::governance::Clock;
use crate::store::Store;

/// How often pruning runs unless configured.
pub const DEFAULT_INTERVAL: Duration = Duration::from_secs(86_400);

/// Deletes the rows of calls that started more than `period` before `now_ms`; answers how many.
pub async fn prune_once(store: &Store, now_ms: i64, period: Duration) -> Result<u64> {
    let period_ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX);
    let cutoff = now_ms.saturating_sub(period_ms);
    let deleted = store.prune_spend_logs(cutoff).await?;
    if deleted > 0 {
        metrics::counter!(super::stats::PRUNED_TOTAL).increment(deleted);
        tracing::info!(
            deleted,
            cutoff = %crate::governance::clock::to_rfc3339(cutoff),
            "spend logs pruned (maximum_spend_logs_retention_period)"
        );
    }
    Ok(deleted)
}

/// Starts the pruning task when a period is configured; it ends when `shutdown` fires.
pub fn start(
    store: Store,
    clock: Clock,
    period: Option<Duration>,
    interval: Option<Duration>,
    tasks: &TaskTracker,
    shutdown: CancellationToken,
) {
    let Some(period) = period else { return };
    let interval = interval.unwrap_or(DEFAULT_INTERVAL);
    tasks.spawn(async move {
        loop {
            if let Err(err) = prune_once(&store, clock.now_ms(), period).await {
                tracing::warn!(error = %err, "spend log pruning failed; retrying at the next interval");
            }
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(interval) => {}
            }
        }
    });
}
