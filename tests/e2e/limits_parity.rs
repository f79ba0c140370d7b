//! The Redis limiter (Lua) and the in-memory one (Rust) implement one arithmetic: driven through
//! the same pseudo-random sequence of arrivals, settlements and clock steps, they admit and
//! refuse exactly the same requests and report the same usage.

use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tollgate::budgets::Scope;
use tollgate::config::Secret;
use tollgate::config::redis::{FailureMode, RedisSettings};
use tollgate::governance::Clock;
use tollgate::ratelimit::{Check, Measure, RateLimiter};
use tollgate::redis::RedisLink;
use tollgate_e2e::redis_server::RedisServer;

fn checks() -> Vec<Check> {
    let key = Scope::Key("parity".into());
    let check = |measure, limit, setting| Check {
        subject: key.clone(),
        measure,
        limit,
        setting,
    };
    vec![
        check(Measure::RequestsPerMinute, 60, "rpm_limit"),
        check(Measure::TokensPerMinute, 3000, "tpm_limit"),
        check(Measure::Parallel, 4, "max_parallel_requests"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_and_memory_limiters_agree() {
    let Some(redis) = RedisServer::start() else {
        return;
    };
    let clock = Clock::manual(1_700_000_000_000);
    let tasks = TaskTracker::new();
    let shutdown = CancellationToken::new();
    let settings = RedisSettings {
        url: Secret::new(redis.url()),
        timeout: Duration::from_secs(2),
        failure_mode: FailureMode::Closed,
        budget_failure_mode: FailureMode::Closed,
    };
    let link = RedisLink::start(settings, &tasks, shutdown.clone())
        .await
        .unwrap();
    let shared = RateLimiter::new(Some(link), clock.clone(), tasks.clone(), shutdown.clone());
    let local = RateLimiter::new(None, clock.clone(), tasks.clone(), shutdown.clone());
    assert!(shared.is_shared());

    let mut rng = fastrand::Rng::with_seed(42);
    let mut held = Vec::new();
    let (mut admitted, mut refused) = (0, 0);
    for step in 0..400 {
        clock.advance_ms(rng.i64(0..900));
        let estimate = rng.u64(1..80);
        let a = shared.acquire(checks(), estimate).await;
        let b = local.acquire(checks(), estimate).await;
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.status, b.status, "step {step}: usage differs");
                admitted += 1;
                held.push((a, b));
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "step {step}");
                refused += 1;
            }
            (a, b) => panic!("step {step}: redis {:?} vs memory {:?}", a.err(), b.err()),
        }
        // Settle some calls in flight with their real token totals.
        while held.len() > rng.usize(0..4) {
            let (a, b) = held.remove(rng.usize(0..held.len()));
            let real = rng.u64(0..150);
            a.settle(real);
            b.settle(real);
        }
        // The Redis settlement runs in the background: let it land.
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(
        admitted > 100 && refused > 50,
        "{admitted} admitted, {refused} refused"
    );
    shutdown.cancel();
}
