//! The router the request path talks to: the current deployment table (replaced whole when
//! runtime models change), every deployment's live state, the cooldowns, and the selection of
//! one deployment for one attempt.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use super::cooldown::{CooldownRules, Cooldowns, Cooling};
use super::state::DeploymentState;
use super::strategy::{self, CallShape, Candidate};
use super::{Deployment, ModelRouter};
use crate::config::routing::RouterPolicy;
use crate::config::{Config, RoutingStrategy};
use crate::error::{Error, Result};
use crate::governance::Clock;
use crate::providers::classify::ErrorClass;

/// Live state by deployment id; kept across table replacements.
#[derive(Debug)]
pub struct StateRegistry {
    clock: Clock,
    states: Mutex<HashMap<String, Arc<DeploymentState>>>,
}

impl StateRegistry {
    pub fn new(clock: Clock) -> Self {
        Self {
            clock,
            states: Mutex::new(HashMap::new()),
        }
    }

    /// The state of deployment `id`, created on first use.
    pub fn get(&self, id: &str) -> Arc<DeploymentState> {
        let mut states = self
            .states
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        states
            .entry(id.to_owned())
            .or_insert_with(|| Arc::new(DeploymentState::new(self.clock.clone())))
            .clone()
    }
}

/// What a selection must respect besides the group itself.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Deployments already tried by this request (avoided while others remain).
    pub tried: Vec<String>,
    /// Request tags (tag-based routing).
    pub tags: Vec<String>,
    /// The user or session id (session affinity).
    pub session: Option<String>,
    /// Estimated prompt tokens (pre-call context-window checks).
    pub prompt_tokens: u64,
    pub shape: CallShape,
}

/// Why no deployment of a group can take the call.
#[derive(Debug, Clone, PartialEq)]
pub enum NoDeployment {
    /// Every deployment is cooling down; the first is back after `retry_after`.
    Cooling { retry_after: Duration },
    /// The prompt exceeds `max_input_tokens` of every deployment (pre-call check).
    ContextWindow { tokens: u64, max: u64 },
    /// No deployment carries the request's tags.
    Tags,
    /// Every deployment is at its `rpm`/`tpm` (usage-based routing).
    AtLimits,
}

impl NoDeployment {
    /// The class the retry and fallback logic treat this as.
    pub fn class(&self) -> ErrorClass {
        match self {
            NoDeployment::Cooling { .. } | NoDeployment::AtLimits => ErrorClass::RateLimit,
            NoDeployment::ContextWindow { .. } => ErrorClass::ContextWindow,
            NoDeployment::Tags => ErrorClass::Gateway,
        }
    }

    pub fn into_error(self, model: &str) -> Error {
        match self {
            NoDeployment::Cooling { retry_after } => Error::RateLimited {
                message: format!(
                    "No deployments available for selected model `{model}`: every deployment is cooling down after failures. Try again in {:.0} seconds.",
                    retry_after.as_secs_f64().ceil()
                ),
                retry_after: Some(retry_after),
            },
            NoDeployment::AtLimits => Error::RateLimited {
                message: format!(
                    "No deployments available for selected model `{model}`: every deployment is at its rpm/tpm limit"
                ),
                retry_after: Some(Duration::from_secs(60)),
            },
            NoDeployment::ContextWindow { tokens, max } => Error::InvalidRequest {
                message: format!(
                    "The prompt ({tokens} tokens) exceeds the context window of every deployment of `{model}` (max_input_tokens: {max})"
                ),
                param: Some("messages".into()),
            },
            NoDeployment::Tags => Error::invalid_param(
                format!("No deployment of `{model}` carries the request's tags"),
                "tags",
            ),
        }
    }
}

/// The router shared by every request.
#[derive(Debug)]
pub struct LiveRouter {
    table: RwLock<Arc<ModelRouter>>,
    pub states: StateRegistry,
    pub cooldowns: Cooldowns,
    pub strategy: RoutingStrategy,
    pub policy: RouterPolicy,
    /// (model group, session) → deployment id.
    affinity: Mutex<HashMap<(String, String), String>>,
    /// Seals runtime models' credentials (`TOLLGATE_SALT_KEY`); `None` without a salt key.
    pub secrets: Option<super::secrets::SecretBox>,
    /// What the table was last built from (runtime models).
    pub loaded: super::runtime::Loaded,
}

impl LiveRouter {
    /// Builds the config's deployments; returns the router and the warnings to log once.
    pub fn new(config: &Config, client: &reqwest::Client, clock: Clock) -> (Self, Vec<String>) {
        let states = StateRegistry::new(clock.clone());
        let (table, warnings) =
            ModelRouter::build_with(config, &config.model_list, client, &states);
        let policy = config.router.policy.clone();
        let rules = CooldownRules {
            allowed_fails: policy.allowed_fails(),
            cooldown_time: policy.cooldown_time(),
            disabled: policy.disable_cooldowns.unwrap_or(false),
        };
        let router = Self {
            table: RwLock::new(Arc::new(table)),
            states,
            cooldowns: Cooldowns::new(clock, rules),
            strategy: config.router.routing_strategy,
            policy,
            affinity: Mutex::new(HashMap::new()),
            secrets: super::secrets::SecretBox::from_env(|n| config.env_var(n)),
            loaded: super::runtime::Loaded::default(),
        };
        (router, warnings)
    }

    /// The deployment table now (a request keeps the snapshot it started with).
    pub fn snapshot(&self) -> Arc<ModelRouter> {
        self.table
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Replaces the table (runtime models changed).
    pub fn replace(&self, table: ModelRouter) {
        *self
            .table
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(table);
    }

    pub fn knows(&self, model: &str) -> bool {
        self.snapshot().knows(model)
    }

    /// Chooses the deployment of `model` for one attempt.
    pub fn select(
        &self,
        model: &str,
        selection: &Selection,
        config: &Config,
        client: &reqwest::Client,
    ) -> Result<std::result::Result<Arc<Deployment>, NoDeployment>> {
        let table = self.snapshot();
        let group = table.group(model, config, client)?;
        Ok(self.select_in(model, group, selection))
    }

    fn select_in(
        &self,
        model: &str,
        mut group: Vec<Arc<Deployment>>,
        sel: &Selection,
    ) -> std::result::Result<Arc<Deployment>, NoDeployment> {
        if self.policy.enable_tag_filtering.unwrap_or(false) {
            group = super::filters::by_tags(group, &sel.tags).ok_or(NoDeployment::Tags)?;
        }
        if self.policy.enable_pre_call_checks.unwrap_or(false) {
            group = super::filters::by_context(group, sel.prompt_tokens)?;
        }
        let mut soonest: Option<i64> = None;
        let open: Vec<Arc<Deployment>> = group
            .into_iter()
            .filter(|d| match self.cooldowns.cooling(&d.id) {
                Some(c) => {
                    soonest = Some(soonest.map_or(c.until_ms, |s| s.min(c.until_ms)));
                    false
                }
                None => true,
            })
            .collect();
        if open.is_empty() {
            let now = self.cooldowns_now();
            let wait = soonest.map_or(0, |s| (s - now).max(1000));
            return Err(NoDeployment::Cooling {
                retry_after: Duration::from_millis(u64::try_from(wait).unwrap_or(1000)),
            });
        }
        let mut candidates: Vec<Candidate> = open
            .into_iter()
            .map(|d| Candidate {
                view: d.state.view(),
                deployment: d,
            })
            .collect();
        keep_if_any(&mut candidates, |c| c.view.healthy);
        keep_if_any(&mut candidates, |c| !sel.tried.contains(&c.deployment.id));
        let top = candidates
            .iter()
            .map(|c| c.deployment.entry.params.order.unwrap_or(u32::MAX))
            .min()
            .unwrap_or(u32::MAX);
        candidates.retain(|c| c.deployment.entry.params.order.unwrap_or(u32::MAX) == top);
        if self.strategy == RoutingStrategy::UsageBased {
            candidates.retain(|c| strategy::within_limits(c, &sel.shape));
            if candidates.is_empty() {
                return Err(NoDeployment::AtLimits);
            }
        }
        if let Some(chosen) = self.affine(model, sel, &candidates) {
            return Ok(chosen);
        }
        let mut shape = sel.shape;
        shape.lowest_latency_buffer = self.policy.lowest_latency_buffer.unwrap_or(0.0);
        let index = strategy::choose(self.strategy, &candidates, &shape, fastrand::f64());
        let chosen = index
            .and_then(|i| candidates.get(i))
            .map(|c| c.deployment.clone())
            .ok_or(NoDeployment::AtLimits)?;
        self.remember(model, sel, &chosen);
        Ok(chosen)
    }

    fn cooldowns_now(&self) -> i64 {
        self.states.clock.now_ms()
    }

    /// Session affinity: the deployment this session used last, if it is still a candidate.
    fn affine(
        &self,
        model: &str,
        sel: &Selection,
        candidates: &[Candidate],
    ) -> Option<Arc<Deployment>> {
        if !self.policy.session_affinity.unwrap_or(false) || !sel.tried.is_empty() {
            return None;
        }
        let session = sel.session.as_ref()?;
        let map = self
            .affinity
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = map.get(&(model.to_owned(), session.clone()))?;
        candidates
            .iter()
            .find(|c| &c.deployment.id == id)
            .map(|c| c.deployment.clone())
    }

    fn remember(&self, model: &str, sel: &Selection, chosen: &Deployment) {
        if !self.policy.session_affinity.unwrap_or(false) {
            return;
        }
        if let Some(session) = &sel.session {
            let mut map = self
                .affinity
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            map.insert((model.to_owned(), session.clone()), chosen.id.clone());
        }
    }

    /// Records a failed attempt on `deployment`; may put it in cooldown (returned, for the
    /// caller to announce to the other instances).
    pub fn report_failure(&self, deployment: &Deployment, err: &Error) -> Option<Cooling> {
        let class = ErrorClass::of(err);
        if !class.blames_deployment() {
            return None;
        }
        let fails = deployment.state.record_failure();
        let group_size = self.snapshot().group_size(&deployment.model_name);
        self.cooldowns.mark_failure(
            &deployment.id,
            class,
            fails,
            crate::providers::classify::retry_after(err),
            group_size,
        )
    }
}

/// Keeps the candidates matching `keep`, unless none does.
fn keep_if_any(candidates: &mut Vec<Candidate>, keep: impl Fn(&Candidate) -> bool) {
    if candidates.iter().any(&keep) {
        candidates.retain(keep);
    }
}
