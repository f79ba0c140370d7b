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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;
    use crate::spend::SpendRecord;
    use crate::store::spend::SpendFilter;

    const DAY_MS: i64 = 86_400_000;

    // The retention settings and the journal path are read from general_settings; a bad
    // duration is an error naming its key.
    #[test]
    fn reads_settings() {
        let text = "general_settings:\n  maximum_spend_logs_retention_period: 7d\n  maximum_spend_logs_retention_interval: 1h\n  spend_logs_journal_path: /var/tg/j.jsonl\n";
        let g = crate::config::load_str(text, true, &|_| None)
            .unwrap()
            .config
            .general;
        assert_eq!(
            g.maximum_spend_logs_retention_period,
            Some(Duration::from_secs(7 * 86_400))
        );
        assert_eq!(
            g.maximum_spend_logs_retention_interval,
            Some(Duration::from_secs(3600))
        );
        assert_eq!(
            g.spend_logs_journal_path.as_deref(),
            Some("/var/tg/j.jsonl")
        );
        let bad = "general_settings:\n  maximum_spend_logs_retention_period: soon\n";
        let err = crate::config::load_str(bad, false, &|_| None).unwrap_err();
        let all = err.problems.join("\n");
        assert!(
            all.contains("general_settings.maximum_spend_logs_retention_period"),
            "{all}"
        );
    }

    // Pruning deletes only the rows older than the period; the daily aggregates keep counting
    // every call.
    #[tokio::test]
    async fn prunes_old_rows_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        let now = 1_795_435_819_000;
        let old = SpendRecord::new(
            "old",
            "/v1/embeddings",
            now - 10 * DAY_MS,
            &Principal::master(),
        )
        .cost(1.0);
        let new = SpendRecord::new("new", "/v1/embeddings", now, &Principal::master()).cost(2.0);
        assert_eq!(store.write_spend_batch(&[old, new]).await.unwrap(), 2);
        let deleted = prune_once(&store, now, Duration::from_secs(7 * 86_400))
            .await
            .unwrap();
        assert_eq!(deleted, 1);
        let (rows, total) = store
            .spend_logs(&SpendFilter::default(), None)
            .await
            .unwrap();
        assert_eq!((rows[0].request_id.as_str(), total), ("new", 1));
        let daily = store
            .daily_spend_rows(&SpendFilter::default(), false)
            .await
            .unwrap();
        assert_eq!(daily.iter().map(|d| d.requests).sum::<i64>(), 2);
        assert_eq!(
            store.total_spend(&SpendFilter::default()).await.unwrap(),
            3.0
        );
        store.close().await;
    }
}
