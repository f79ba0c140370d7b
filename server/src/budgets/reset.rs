//! The budget reset job: at startup and every minute, entities whose budget period is over get
//! their stored spend reset and their next `budget_reset_at` (a whole number of periods after the
//! old one, so a gateway that was down for several periods resets once). The in-memory ledger
//! rolls its own periods with the same clock; this keeps the database — and so a restarted or
//! another instance — in agreement.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::error::Result;
use crate::governance::{Clock, duration};
use crate::store::Store;

const INTERVAL: Duration = Duration::from_secs(60);

/// Resets every entity whose period is over; returns how many were reset.
pub async fn run_once(store: &Store, now_ms: i64) -> Result<usize> {
    let mut reset = 0;
    for due in store.due_budget_resets(now_ms).await? {
        let period = serde_json::from_str::<serde_json::Value>(&due.settings)
            .ok()
            .and_then(|s| s.get("budget_duration")?.as_str().map(str::to_owned))
            .and_then(|d| duration::parse(&d, "budget_duration").ok())
            .map(|s| s.millis);
        let next = period.filter(|p| *p > 0).map(|p| {
            let periods = (now_ms - due.reset_at) / p + 1;
            due.reset_at + periods * p
        });
        if store.apply_budget_reset(&due, next).await? {
            reset += 1;
        }
    }
    Ok(reset)
}

/// Runs the job now and then every minute until `shutdown`.
pub fn start(store: Store, clock: Clock, tasks: &TaskTracker, shutdown: CancellationToken) {
    tasks.spawn(async move {
        loop {
            match run_once(&store, clock.now_ms()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(entities = n, "budget periods reset"),
                Err(err) => tracing::warn!(error = %err, "budget reset job failed; retrying"),
            }
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(INTERVAL) => {}
            }
        }
    });
}
