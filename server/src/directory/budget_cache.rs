//! The request path's view of named budgets and tags, in memory: loaded at start, refreshed
//! every minute (so other instances' changes arrive even without a push), and reloaded item by
//! item by every admin change through [`invalidate`] — the one function to call (or to publish
//! across instances) when a budget or a tag changes. The request path reads only this cache,
//! never the database. Locks are held for a map operation only, never across an await.
//!
//! The refresh task also runs the named budgets' period resets ([`Store::reset_due_budgets`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::budget::{BudgetRecord, TagRecord};
use super::{EndUserRecord, TeamMembership};
use crate::error::Result;
use crate::governance::Clock;
use crate::spend::day;
use crate::state::AppState;
use crate::store::Store;

/// How often the cache is reloaded whole and due budget periods are reset.
const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// A tag as the request path sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedTag {
    pub record: TagRecord,
    /// The tag's spend in its budget window when it was loaded (seeds the budget ledger the
    /// first time a request carries the tag; the ledger tracks it from then on).
    pub spend: f64,
}

/// What changed: a budget or a tag (by id). This is what crosses instances.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "changed", content = "id", rename_all = "snake_case")]
pub enum BudgetChange {
    Budget(String),
    Tag(String),
}

/// Named budgets by id and managed tags by name.
#[derive(Debug)]
pub struct NamedBudgets {
    budgets: RwLock<HashMap<String, Arc<BudgetRecord>>>,
    tags: RwLock<HashMap<String, Arc<CachedTag>>>,
    /// Counts item reloads, so a whole reload that read the database before one does not
    /// overwrite it with older data.
    reloads: AtomicU64,
    clock: Clock,
    /// `maximum_spend_logs_retention_period`, in ms: older tag spend is read from daily totals.
    retention_ms: Option<i64>,
}

/// Reloads what `change` names from the database. Every admin change of a named budget or a
/// tag goes through here (and an instance told of another's change calls it too).
pub async fn invalidate(state: &AppState, change: BudgetChange) -> Result<()> {
    state
        .named_budgets
        .reload_one(&state.store, &change)
        .await?;
    state
        .publish(&crate::fleet::Invalidation::NamedBudget { change })
        .await;
    Ok(())
}

impl NamedBudgets {
    /// Resets due budget periods, loads everything, and starts the refresh task.
    pub async fn start(
        store: &Store,
        clock: &Clock,
        retention: Option<Duration>,
        tasks: &TaskTracker,
        shutdown: CancellationToken,
    ) -> Result<Arc<Self>> {
        let cache = Arc::new(Self {
            budgets: RwLock::new(HashMap::new()),
            tags: RwLock::new(HashMap::new()),
            reloads: AtomicU64::new(0),
            clock: clock.clone(),
            retention_ms: retention.map(|r| i64::try_from(r.as_millis()).unwrap_or(i64::MAX)),
        });
        store.reset_due_budgets(clock.now_ms()).await?;
        cache.reload_all(store).await?;
        let (polled, store) = (cache.clone(), store.clone());
        crate::periodic::refresh_every(
            tasks,
            &shutdown,
            REFRESH_INTERVAL,
            "named budgets and tags",
            move || {
                let (cache, store) = (polled.clone(), store.clone());
                async move { cache.refresh(&store).await }
            },
        );
        Ok(cache)
    }

    pub fn budget(&self, budget_id: &str) -> Option<Arc<BudgetRecord>> {
        let budgets = self.budgets.read().unwrap_or_else(|e| e.into_inner());
        budgets.get(budget_id).cloned()
    }

    pub fn tag(&self, tag_name: &str) -> Option<Arc<CachedTag>> {
        let tags = self.tags.read().unwrap_or_else(|e| e.into_inner());
        tags.get(tag_name).cloned()
    }

    /// The named budget a customer follows (`budget_id`), if it exists.
    pub fn for_end_user(&self, end_user: &EndUserRecord) -> Option<Arc<BudgetRecord>> {
        self.budget(end_user.settings.budget_id.as_deref()?)
    }

    /// The budget row of a team member (`budget_id` of the membership), if it exists.
    pub fn for_membership(&self, membership: &TeamMembership) -> Option<Arc<BudgetRecord>> {
        self.budget(membership.budget_id.as_deref()?)
    }

    /// A managed tag with its budget, if it has one.
    pub fn for_tag(&self, tag_name: &str) -> Option<(Arc<CachedTag>, Arc<BudgetRecord>)> {
        let tag = self.tag(tag_name)?;
        let budget = self.budget(tag.record.budget_id.as_deref()?)?;
        Some((tag, budget))
    }

    /// Resets due periods and reloads everything.
    pub(crate) async fn refresh(&self, store: &Store) -> Result<()> {
        let reset = store.reset_due_budgets(self.clock.now_ms()).await?;
        if reset > 0 {
            tracing::info!(budgets = reset, "named budget periods reset");
        }
        self.reload_all(store).await
    }

    /// Reloads everything, unless an item was reloaded meanwhile (the next refresh will).
    async fn reload_all(&self, store: &Store) -> Result<()> {
        let seen = self.reloads.load(Ordering::SeqCst);
        let budgets: HashMap<String, Arc<BudgetRecord>> = store
            .list_budgets()
            .await?
            .into_iter()
            .map(|b| (b.budget_id.clone(), Arc::new(b)))
            .collect();
        let mut tags = HashMap::new();
        for record in store.list_tags().await? {
            let budget = record.budget_id.as_ref().and_then(|id| budgets.get(id));
            let tag = self
                .load_tag(store, record, budget.map(Arc::as_ref))
                .await?;
            tags.insert(tag.record.tag_name.clone(), Arc::new(tag));
        }
        let mut current_budgets = self.budgets.write().unwrap_or_else(|e| e.into_inner());
        let mut current_tags = self.tags.write().unwrap_or_else(|e| e.into_inner());
        if self.reloads.load(Ordering::SeqCst) == seen {
            *current_budgets = budgets;
            *current_tags = tags;
        }
        Ok(())
    }

    pub(crate) async fn reload_one(&self, store: &Store, change: &BudgetChange) -> Result<()> {
        self.reloads.fetch_add(1, Ordering::SeqCst);
        match change {
            BudgetChange::Budget(id) => {
                let loaded = store.budget(id).await?;
                let mut budgets = self.budgets.write().unwrap_or_else(|e| e.into_inner());
                match loaded {
                    Some(b) => budgets.insert(id.clone(), Arc::new(b)),
                    None => budgets.remove(id),
                };
            }
            BudgetChange::Tag(name) => {
                let loaded = match store.tag(name).await? {
                    Some(record) => {
                        let budget = match &record.budget_id {
                            Some(id) => store.budget(id).await?,
                            None => None,
                        };
                        Some(self.load_tag(store, record, budget.as_ref()).await?)
                    }
                    None => None,
                };
                let mut tags = self.tags.write().unwrap_or_else(|e| e.into_inner());
                match loaded {
                    Some(t) => tags.insert(name.clone(), Arc::new(t)),
                    None => tags.remove(name),
                };
            }
        }
        Ok(())
    }

    async fn load_tag(
        &self,
        store: &Store,
        record: TagRecord,
        budget: Option<&BudgetRecord>,
    ) -> Result<CachedTag> {
        let spend = match budget.filter(|b| b.limits_spend()) {
            Some(b) => self.tag_spend(store, &record, Some(b)).await?,
            None => 0.0,
        };
        Ok(CachedTag { record, spend })
    }

    /// A tag's spend in its budget window (see [`TagRecord::spend_window_start`]): exact from
    /// the spend logs, or from the daily totals (whole first day) when the window reaches past
    /// the spend logs' retention.
    pub async fn tag_spend(
        &self,
        store: &Store,
        tag: &TagRecord,
        budget: Option<&BudgetRecord>,
    ) -> Result<f64> {
        let since = tag.spend_window_start(budget);
        let now = self.clock.now_ms();
        match self.retention_ms {
            Some(kept) if since < now.saturating_sub(kept) => {
                store
                    .tag_spend_since_day(&tag.tag_name, &day::of_ms(since))
                    .await
            }
            _ => store.tag_spend_since(&tag.tag_name, since).await,
        }
    }
}
