//! The link to Redis: the shared state that makes one fleet out of many stateless instances.
//!
//! One multiplexed connection carries every command; each command has a deadline
//! (`redis_timeout`). A failure or a missed deadline marks Redis *down*: callers then get
//! [`Unavailable`] at once (no request waits on a dead Redis) and fall back as configured, the
//! transition is logged once and exported as the `tollgate_redis_up` gauge, and a supervisor
//! task reconnects in the background and marks Redis *up* again when it answers.
//!
//! Keys are namespaced under [`PREFIX`] (versioned, so a new layout never reads an old one) and
//! always carry an expiry. Lua scripts are [`redis::Script`]s: sent by SHA (`EVALSHA`) and
//! loaded only when the server does not know them yet.

pub mod invalidation;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::aio::MultiplexedConnection;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::redis::RedisSettings;

/// Namespace of every key and channel Tollgate uses.
pub const PREFIX: &str = "tollgate:v1:";
/// Gauge: 1 while Redis answers, 0 while this instance runs on local state.
pub const REDIS_UP: &str = "tollgate_redis_up";

/// How often the supervisor checks a live Redis, and retries a dead one.
const HEALTH_INTERVAL: Duration = Duration::from_secs(1);
const RETRY_INTERVAL: Duration = Duration::from_millis(250);

/// Redis did not answer (down, timed out, or refused the command).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unavailable;

/// A shared handle on Redis (cheap to clone behind its `Arc`).
#[derive(Debug)]
pub struct RedisLink {
    client: redis::Client,
    conn: RwLock<Option<MultiplexedConnection>>,
    up: AtomicBool,
    timeout: Duration,
    settings: RedisSettings,
}

impl RedisLink {
    /// Opens the link. Never fails on an unreachable server: the instance starts on local
    /// state and the supervisor connects when Redis appears. Fails only on a malformed URL.
    pub async fn start(
        settings: RedisSettings,
        tasks: &TaskTracker,
        shutdown: CancellationToken,
    ) -> crate::Result<Arc<Self>> {
        let client = redis::Client::open(settings.url.expose()).map_err(|e| {
            crate::Error::Internal(format!(
                "invalid Redis URL {}: {e}",
                crate::store::redact(settings.url.expose())
            ))
        })?;
        let link = Arc::new(Self {
            client,
            conn: RwLock::new(None),
            up: AtomicBool::new(false),
            timeout: settings.timeout,
            settings,
        });
        metrics::describe_gauge!(
            REDIS_UP,
            "1 while Redis answers, 0 while running on local state"
        );
        metrics::gauge!(REDIS_UP).set(0.0);
        if link.reconnect().await {
            tracing::info!(url = %link.redacted_url(), "connected to Redis");
        } else {
            tracing::warn!(
                url = %link.redacted_url(),
                "Redis is not reachable; running on local counters until it is"
            );
        }
        let supervised = link.clone();
        tasks.spawn(async move { supervised.supervise(shutdown).await });
        Ok(link)
    }

    pub fn settings(&self) -> &RedisSettings {
        &self.settings
    }

    pub fn client(&self) -> &redis::Client {
        &self.client
    }

    /// Whether Redis answered the last command.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Acquire)
    }

    pub fn redacted_url(&self) -> String {
        crate::store::redact(self.settings.url.expose())
    }

    /// Runs `script` with `keys` and `args` under the deadline.
    pub async fn run_script<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        keys: &[String],
        args: &[String],
    ) -> Result<T, Unavailable> {
        let mut conn = self.connection()?;
        let mut invocation = script.prepare_invoke();
        for key in keys {
            invocation.key(key);
        }
        for arg in args {
            invocation.arg(arg);
        }
        let outcome =
            tokio::time::timeout(self.timeout, invocation.invoke_async::<T>(&mut conn)).await;
        self.judge(outcome)
    }

    /// Runs one command under the deadline.
    pub async fn run<T: redis::FromRedisValue>(&self, cmd: &redis::Cmd) -> Result<T, Unavailable> {
        let mut conn = self.connection()?;
        let outcome = tokio::time::timeout(self.timeout, cmd.query_async::<T>(&mut conn)).await;
        self.judge(outcome)
    }

    fn connection(&self) -> Result<MultiplexedConnection, Unavailable> {
        if !self.is_up() {
            return Err(Unavailable);
        }
        self.conn
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
            .ok_or(Unavailable)
    }

    /// Maps the outcome of a command; a transport failure or a missed deadline marks Redis down.
    fn judge<T>(
        &self,
        outcome: Result<redis::RedisResult<T>, tokio::time::error::Elapsed>,
    ) -> Result<T, Unavailable> {
        match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(e))
                if e.is_io_error()
                    || e.is_connection_dropped()
                    || e.is_connection_refusal()
                    || e.is_timeout() =>
            {
                self.mark_down(&e.to_string());
                Err(Unavailable)
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "Redis refused a command");
                Err(Unavailable)
            }
            Err(_) => {
                self.mark_down(&format!("no answer within {:?}", self.timeout));
                Err(Unavailable)
            }
        }
    }

    fn mark_down(&self, reason: &str) {
        if self.up.swap(false, Ordering::AcqRel) {
            tracing::warn!(
                url = %self.redacted_url(),
                reason,
                "Redis is down; switching to local state until it answers again"
            );
            metrics::gauge!(REDIS_UP).set(0.0);
        }
        *self.conn.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// Connects and pings; on success marks Redis up. Answers whether it is up.
    async fn reconnect(&self) -> bool {
        let attempt = async {
            let mut conn = self.client.get_multiplexed_async_connection().await?;
            redis::cmd("PING").query_async::<String>(&mut conn).await?;
            Ok::<_, redis::RedisError>(conn)
        };
        let deadline = self.timeout.max(Duration::from_secs(1));
        match tokio::time::timeout(deadline, attempt).await {
            Ok(Ok(conn)) => {
                *self.conn.write().unwrap_or_else(|e| e.into_inner()) = Some(conn);
                if !self.up.swap(true, Ordering::AcqRel) {
                    metrics::gauge!(REDIS_UP).set(1.0);
                }
                true
            }
            _ => false,
        }
    }

    /// Pings a live Redis every second and reconnects a dead one every 250 ms.
    async fn supervise(self: Arc<Self>, shutdown: CancellationToken) {
        loop {
            let pause = if self.is_up() {
                HEALTH_INTERVAL
            } else {
                RETRY_INTERVAL
            };
            tokio::select! {
                () = shutdown.cancelled() => return,
                () = tokio::time::sleep(pause) => {}
            }
            if self.is_up() {
                let _ = self.run::<String>(&redis::cmd("PING")).await;
            } else if self.reconnect().await {
                tracing::info!(url = %self.redacted_url(), "Redis answers again; shared state resumed");
            }
        }
    }
}
