//! The one application state, built in one place and cheap to clone (an `Arc` inside).

use std::ops::Deref;
use std::sync::Arc;
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::auth::cache::{EndUserCache, PrincipalCache};
use crate::auth::{self, Principal};
use crate::budgets::{BudgetAlerts, BudgetLedger};
use crate::config::Config;
use crate::error::Result;
use crate::governance::Clock;
use crate::router::ModelRouter;
use crate::store::{self, Store};

#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

#[derive(Debug)]
pub struct Inner {
    pub config: Config,
    pub router: ModelRouter,
    pub http: reqwest::Client,
    pub store: Store,
    /// Key hash → resolved principal (invalidated by every admin change).
    pub principals: PrincipalCache,
    /// End user id → record.
    pub end_users: EndUserCache,
    /// "Now", injectable for tests of expiry and budget resets.
    pub clock: Clock,
    /// Budget reservations and spend of every scope (reserve-then-settle).
    pub budgets: Arc<BudgetLedger>,
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
        let (router, warnings) = ModelRouter::build(&config, &http);
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
        let alerts = BudgetAlerts::new(config.general.alerting.clone(), http.clone());
        let state = Self(Arc::new(Inner {
            config,
            router,
            http,
            store,
            principals: PrincipalCache::default(),
            end_users: EndUserCache::default(),
            budgets: BudgetLedger::new(options.clock.clone()),
            alerts,
            clock: options.clock,
            tasks,
            shutdown,
            spend,
            grace_period: options.grace_period,
        }));
        Ok((state, warnings))
    }

    /// Resolves the caller of a request from the key it sent.
    pub async fn authenticate(&self, credential: Option<&str>) -> Result<Principal> {
        auth::authenticate(self, credential).await
    }
}
