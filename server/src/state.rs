//! The one application state, built in one place and cheap to clone (an `Arc` inside).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::cache::{EndUserCache, PrincipalCache};
use crate::auth::{self, Principal};
use crate::budgets::{BudgetAlerts, BudgetBook};
use crate::config::Config;
use crate::error::Result;
use crate::governance::Clock;
use crate::router::LiveRouter;
use crate::store::{self, Store};

#[derive(Clone, Debug)]
pub struct AppState(pub(crate) Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub config: Config,
    /// Deployments, their live state and cooldowns; the table is replaced when runtime models
    /// change.
    pub router: LiveRouter,
    pub http: reqwest::Client,
    pub store: Store,
    /// Key hash → resolved principal (invalidated by every admin change).
    pub principals: PrincipalCache,
    /// End user id → record.
    pub end_users: EndUserCache,
    /// Named budgets and tags, in memory (see `directory/budget_cache.rs`).
    pub named_budgets: Arc<crate::directory::NamedBudgets>,
    /// "Now", injectable for tests of expiry and budget resets.
    pub clock: Clock,
    /// Budget reservations and spend of every scope (reserve-then-settle).
    pub budgets: BudgetBook,
    /// Rate-limit counters (in Redis when configured, else in memory).
    pub limits: Arc<crate::ratelimit::RateLimiter>,
    /// The link to Redis, when configured.
    pub redis: Option<Arc<crate::redis::RedisLink>>,
    /// Cache invalidations to and from the other instances (with Redis).
    pub invalidations:
        Option<Arc<crate::redis::invalidation::InvalidationBus<crate::fleet::Invalidation>>>,
    /// Soft-budget and budget-reached alerts (Slack / webhook).
    pub alerts: BudgetAlerts,
    /// Background work that must finish before exit (drained on shutdown).
    pub tasks: TaskTracker,
    /// Fires when the gateway starts shutting down.
    pub shutdown: CancellationToken,
    /// Spend records: queued here, written in batches off the hot path (never lost).
    pub spend: crate::spend::SpendWriter,
    /// How long in-flight requests and streams may take to finish after shutdown starts.
    pub grace_period: Duration,
    /// The MCP hub behind `/mcp`: upstream MCP servers and client sessions.
    pub mcp: Arc<tollgate_mcp::Hub>,
    /// Which version of the stored MCP servers the hub runs (`admin/mcp_servers_sync.rs`).
    pub mcp_servers_loaded: crate::admin::mcp_servers_sync::Loaded,
}

impl Deref for AppState {
    type Target = Inner;

    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// Options that come from the command line rather than the config file.
#[derive(Debug, Clone)]
pub struct StateOptions {
    pub grace_period: Duration,
    pub clock: Clock,
}

impl Default for StateOptions {
    fn default() -> Self {
        Self {
            grace_period: Duration::from_secs(30),
            clock: Clock::System,
        }
    }
}

impl AppState {
    /// Connects the store (running migrations), builds the deployments and the HTTP client.
    /// Returns the state and the warnings to log once.
    pub async fn build(config: Config, options: StateOptions) -> Result<(Self, Vec<String>)> {
        let url = config
            .general
            .database_url
            .as_ref()
            .map_or(store::DEFAULT_URL.to_owned(), |u| u.expose().to_owned());
        let store = Store::connect(&url).await?;
        let http = crate::providers::http::build_client()?;
        let (router, warnings) = LiveRouter::new(&config, &http, options.clock.clone());
        crate::telemetry::metrics::handle();
        let tasks = TaskTracker::new();
        let shutdown = CancellationToken::new();
        let spend = crate::spend::SpendWriter::start(
            store.clone(),
            crate::spend::WriterOptions::from_config(&config.general, &url),
            &tasks,
        );
        crate::spend::retention::start(
            store.clone(),
            options.clock.clone(),
            config.general.maximum_spend_logs_retention_period,
            config.general.maximum_spend_logs_retention_interval,
            &tasks,
            shutdown.clone(),
        );
        crate::budgets::reset::run_once(&store, options.clock.now_ms()).await?;
        crate::budgets::reset::start(
            store.clone(),
            options.clock.clone(),
            &tasks,
            shutdown.clone(),
        );
        let named_budgets = crate::directory::NamedBudgets::start(
            &store,
            &options.clock,
            config.general.maximum_spend_logs_retention_period,
            &tasks,
            shutdown.clone(),
        )
        .await?;
        let redis = match &config.router.redis {
            Some(settings) => Some(
                crate::redis::RedisLink::start(settings.clone(), &tasks, shutdown.clone()).await?,
            ),
            None => None,
        };
        let alerts =
            BudgetAlerts::new(config.general.alerting.clone(), http.clone(), redis.clone());
        let limits = crate::ratelimit::RateLimiter::new(
            redis.clone(),
            options.clock.clone(),
            tasks.clone(),
            shutdown.clone(),
        );
        let (invalidations, received) = match &redis {
            Some(link) => {
                let (bus, rx) = crate::redis::invalidation::InvalidationBus::start(
                    link.clone(),
                    &tasks,
                    shutdown.clone(),
                );
                (Some(bus), Some(rx))
            }
            None => (None, None),
        };
        let mcp = tollgate_mcp::Hub::start(
            config.mcp_servers.clone(),
            tollgate_mcp::HubOptions {
                // LiteLLM's name for the separator of `<server><sep><tool>`.
                separator: config
                    .env_var("MCP_TOOL_PREFIX_SEPARATOR")
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "-".to_owned()),
                allowed_origins: config.general.mcp_allowed_origins.clone(),
                ..tollgate_mcp::HubOptions::default()
            },
            http.clone(),
            &tasks,
            &shutdown,
        );
        let state = Self(Arc::new(Inner {
            config,
            router,
            http,
            store,
            principals: PrincipalCache::default(),
            end_users: EndUserCache::default(),
            named_budgets,
            budgets: BudgetBook::new(options.clock.clone(), redis.clone(), tasks.clone()),
            alerts,
            limits,
            redis,
            invalidations,
            clock: options.clock,
            tasks,
            shutdown,
            spend,
            grace_period: options.grace_period,
            mcp,
            mcp_servers_loaded: Default::default(),
        }));
        if let Some(received) = received {
            crate::fleet::listen(&state, received);
        }
        crate::router::runtime::reload(&state).await?;
        crate::router::runtime::start(
            &state,
            (state.config.router.policy.model_refresh_interval)
                .unwrap_or(crate::router::runtime::DEFAULT_REFRESH),
        );
        crate::admin::mcp_servers_sync::reload(&state).await?;
        crate::admin::mcp_servers_sync::start(
            &state,
            (state.config.router.policy.model_refresh_interval)
                .unwrap_or(crate::router::runtime::DEFAULT_REFRESH),
        );
        if let Some(interval) = state.config.general.health_check_interval {
            crate::router::health::start(&state, interval);
        }
        Ok((state, warnings))
    }

    /// Resolves the caller of a request from the key it sent.
    pub async fn authenticate(&self, credential: Option<&str>) -> Result<Principal> {
        auth::authenticate(self, credential).await
    }
}
