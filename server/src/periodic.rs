//! Background refreshes that keep an instance's in-memory copies in step with the database:
//! the safety net behind the fleet's pub/sub invalidations (an instance that missed a message
//! converges within one interval).

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// Runs `refresh` every `interval` (the first time after one interval) on `tasks` until
/// `shutdown`. A failure is logged as `cannot refresh <what>` and retried at the next tick.
pub fn refresh_every<F, Fut>(
    tasks: &TaskTracker,
    shutdown: &CancellationToken,
    interval: Duration,
    what: &'static str,
    mut refresh: F,
) where
    F: FnMut() -> Fut + Send + 'static,
    Fut: Future<Output = crate::error::Result<()>> + Send,
{
    let shutdown = shutdown.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = tokio::time::sleep(interval) => {}
                () = shutdown.cancelled() => break,
            }
            if let Err(err) = refresh().await {
                tracing::warn!(error = %err, "cannot refresh {what}; retrying at the next interval");
            }
        }
    });
}
