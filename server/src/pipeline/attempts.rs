//! The retry and fallback loop around a provider call (the rules: README.md, "Routing, retries and fallbacks").
//!
//! The first attempt goes to the deployment chosen before the budget was reserved. A failure
//! is recorded on its deployment (which may cool it down); if its class allows a retry, the
//! loop waits (backoff, `retry-after`) and asks the router again, which prefers a deployment not
//! tried yet. When the group gives up, the request moves down its fallback chain (fixed by the
//! first group's failure), each fallback checked against the key's model access and given its
//! own retries. Streams count as served once their first chunk arrived: a failure before it is
//! retried like any other; after it, the stream ends with an error event and is never replayed.

use std::future::Future;
use std::sync::Arc;

use futures_util::StreamExt;

use super::plan::{MockHooks, Plan};
use crate::auth::Principal;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fleet::Invalidation;
use crate::providers::ChunkStream;
use crate::providers::classify::{self, ErrorClass};
use crate::router::attempt::InFlight;
use crate::router::{Deployment, NoDeployment, Selection, fallbacks, retry};
use crate::state::AppState;
use crate::types::openai::ChatRequest;

/// A successful attempt: its value and the attempt (still counted in flight) that served it.
#[derive(Debug)]
pub struct Served<T> {
    pub value: T,
    pub attempt: InFlight,
}

impl<T> Served<T> {
    pub fn deployment(&self) -> Arc<Deployment> {
        self.attempt.deployment().clone()
    }
}

type Selected = std::result::Result<Arc<Deployment>, NoDeployment>;

fn select(state: &AppState, group: &str, selection: &Selection) -> Result<Selected> {
    state
        .router
        .select(group, selection, &state.config, &state.http)
}

/// The deployment of the first attempt: from the requested group, or, when that group cannot
/// take the call at all (every deployment cooling, prompt too long for all), from the first
/// fallback that can.
pub fn first(state: &AppState, principal: &Principal, plan: &mut Plan) -> Result<Arc<Deployment>> {
    let none = match select(state, &plan.group, &plan.selection)? {
        Ok(deployment) => return Ok(deployment),
        Err(none) => none,
    };
    let chain = chain(state, principal, plan, none.class());
    for (i, group) in chain.iter().enumerate() {
        if let Ok(Ok(deployment)) = select(state, group, &plan.selection) {
            tracing::info!(from = %plan.group, to = %group, "falling back before the first attempt");
            plan.start = i + 1;
            plan.chain = Some(chain);
            return Ok(deployment);
        }
    }
    Err(none.into_error(&plan.group))
}

/// The fallback groups after a failure of `class`, limited to those the key may call.
fn chain(state: &AppState, principal: &Principal, plan: &Plan, class: ErrorClass) -> Vec<String> {
    fallbacks::chain(&state.router.policy, &plan.fallbacks, &plan.group, class)
        .into_iter()
        .filter_map(|g| super::prepare::allowed_model(state, principal, &g).ok())
        .collect()
}

/// Runs `call` on `first`, then on retries and fallbacks until one succeeds or all gave up.
pub async fn run<T, F, Fut>(
    state: &AppState,
    principal: &Principal,
    plan: &Plan,
    first: Arc<Deployment>,
    mut call: F,
) -> Result<Served<T>>
where
    F: FnMut(Arc<Deployment>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut fallback_chain = plan.chain.clone();
    let mut index = plan.start;
    let mut next = Some(first);
    let mut original: Option<Error> = None;
    loop {
        let group = match index {
            0 => plan.group.clone(),
            i => match fallback_chain.as_ref().and_then(|c| c.get(i - 1)) {
                Some(g) => g.clone(),
                None => break,
            },
        };
        let (err, class) =
            match attempt_group(state, plan, &group, index == 0, next.take(), &mut call).await {
                Ok(served) => return Ok(served),
                Err(failed) => failed,
            };
        if index > 0 && matches!(class, ErrorClass::BadRequest | ErrorClass::Gateway) {
            return Err(err);
        }
        let chain = fallback_chain.get_or_insert_with(|| chain(state, principal, plan, class));
        if let Some(to) = chain.get(index) {
            tracing::info!(from = %group, to = %to, error = %err, "falling back");
        }
        original.get_or_insert(err);
        index += 1;
        if index > chain.len() {
            break;
        }
    }
    Err(original.unwrap_or_else(|| {
        Error::Unavailable(format!("no deployment could serve `{}`", plan.group))
    }))
}

/// Attempts on one group: the first deployment (if given) and retries. Returns the last error
/// and its class when the group gives up.
async fn attempt_group<T, F, Fut>(
    state: &AppState,
    plan: &Plan,
    group: &str,
    requested: bool,
    mut next: Option<Arc<Deployment>>,
    call: &mut F,
) -> std::result::Result<Served<T>, (Error, ErrorClass)>
where
    F: FnMut(Arc<Deployment>) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let policy = &state.router.policy;
    let num_retries = plan.num_retries.or(policy.num_retries).unwrap_or(0);
    let mut selection = plan.selection.clone();
    let mut retry = 0u32;
    loop {
        let deployment = match next.take() {
            Some(d) => d,
            None => match select(state, group, &selection) {
                Ok(Ok(d)) => d,
                Ok(Err(none)) => {
                    let class = none.class();
                    return Err((none.into_error(group), class));
                }
                Err(err) => return Err((err, ErrorClass::Gateway)),
            },
        };
        let mocked = requested
            .then(|| mock_failure(plan.mock, group, retry))
            .flatten();
        let attempt = InFlight::begin(&deployment);
        let result = match mocked.clone() {
            Some(err) => Err(err),
            None => call(deployment.clone()).await,
        };
        let err = match result {
            Ok(value) => return Ok(Served { value, attempt }),
            Err(err) => err,
        };
        let class = ErrorClass::of(&err);
        if mocked.is_some() {
            drop(attempt);
        } else {
            record_failure(state, attempt, &err);
        }
        if !selection.tried.contains(&deployment.id) {
            selection.tried.push(deployment.id.clone());
        }
        let group_size = state.router.snapshot().group_size(group);
        let others = group_size > selection.tried.len();
        let allowed = retry::retries_for(
            class,
            num_retries,
            policy.retry_policy.as_ref(),
            group_size > 1,
        );
        let fatal_mock = mocked.is_some() && class != ErrorClass::RateLimit;
        if retry >= allowed || fatal_mock {
            return Err((err, class));
        }
        let wait = retry::backoff(
            retry,
            classify::retry_after(&err),
            policy.retry_after.unwrap_or_default(),
            others,
            fastrand::f64(),
        );
        tracing::info!(deployment = %deployment.id, error = %err, wait_ms = wait.as_millis() as u64, "retrying");
        tokio::time::sleep(wait).await;
        retry += 1;
    }
}

/// The failure a `mock_testing_*` parameter fakes on attempt `retry` of the requested group.
fn mock_failure(mock: MockHooks, group: &str, retry: u32) -> Option<Error> {
    let upstream = |status: u16, message: String| Error::Upstream {
        status,
        message,
        provider: "mock_testing",
        retry_after: None,
    };
    if mock.fallbacks {
        return Some(upstream(
            500,
            format!("This is a mock exception for model={group}, to trigger a fallback."),
        ));
    }
    if mock.context_window {
        return Some(upstream(
            400,
            format!(
                "This is a mock exception for model={group}: the prompt exceeds the maximum context length, to trigger a context window fallback."
            ),
        ));
    }
    if mock.content_policy {
        return Some(upstream(
            400,
            format!(
                "This is a mock exception for model={group}: refused by the content policy, to trigger a content policy fallback."
            ),
        ));
    }
    if mock.rate_limit && retry == 0 {
        return Some(upstream(
            429,
            format!("This is a mock exception for model={group}, to trigger a rate limit error."),
        ));
    }
    None
}

/// Opens a stream on `deployment` and waits for its first chunk, within the deployment's
/// `stream_timeout`: a failure before the first chunk is an ordinary (retryable) error.
pub async fn open_stream(
    deployment: Arc<Deployment>,
    request: ChatRequest,
    config: &Config,
) -> Result<ChunkStream> {
    let open = async {
        let mut stream = deployment.provider.chat_stream(request).await?;
        match stream.next().await {
            None => Ok(stream),
            Some(Err(err)) => Err(err),
            Some(Ok(first)) => {
                let head = futures_util::stream::once(std::future::ready(Ok(first)));
                Ok(Box::pin(head.chain(stream)) as ChunkStream)
            }
        }
    };
    within_stream_timeout(&deployment, config, open).await
}

/// Runs `open` (a stream's opening, up to its first item) within `deployment`'s
/// `stream_timeout`; running out is a (retryable) timeout.
pub async fn within_stream_timeout<T>(
    deployment: &Deployment,
    config: &Config,
    open: impl Future<Output = Result<T>>,
) -> Result<T> {
    let limit = config.stream_timeout_for(&deployment.entry);
    tokio::time::timeout(limit, open).await.map_err(|_| {
        Error::Timeout(format!(
            "{} sent no first token within {:.1}s (stream_timeout)",
            deployment.model_name,
            limit.as_secs_f64()
        ))
    })?
}

/// Records a failed attempt on its deployment and tells the fleet when it starts cooling down.
pub fn record_failure(state: &AppState, attempt: InFlight, err: &Error) {
    if let Some((id, cooling)) = attempt.fail(&state.router, err) {
        state.announce(Invalidation::Cooldown {
            deployment_id: id,
            cooling,
        });
    }
}

/// Keeps a served stream's attempt in flight until the stream ends, then records it: a failure
/// mid-stream counts against the deployment (the client gets the error event, not a replay).
pub fn track(stream: ChunkStream, attempt: InFlight, state: AppState) -> ChunkStream {
    attempt.first_token();
    Box::pin(async_stream::stream! {
        let mut stream = stream;
        let mut attempt = Some(attempt);
        let mut tokens = 0;
        while let Some(item) = stream.next().await {
            match &item {
                Ok(chunk) => {
                    if let Some(usage) = &chunk.usage {
                        tokens = usage.total_tokens;
                    }
                }
                Err(err) => {
                    if let Some(a) = attempt.take() {
                        record_failure(&state, a, err);
                    }
                }
            }
            yield item;
        }
        if let Some(a) = attempt.take() {
            a.succeed(tokens);
        }
    })
}
