//! `hold`: opens `--streams` streaming requests, one connection each, and keeps them open.
//!
//! Connects at most `--parallel` at a time (a burst of thousands of SYNs would overflow the
//! server's accept backlog and turn into 1 s retransmits). A stream counts as open once its first
//! body chunk arrived. Prints `opened=N failed=M open_ms=T` when every stream is open or failed,
//! then keeps reading until `--hold-secs` have passed and exits (the streams are dropped).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use tokio::sync::{Notify, Semaphore};

use crate::client::{self, Target, TargetArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: TargetArgs,
    /// Streams to open.
    #[arg(long, default_value_t = 5000)]
    streams: usize,
    /// Connections being set up at once.
    #[arg(long, default_value_t = 128)]
    parallel: usize,
    /// Seconds to keep the streams open after the last one opened.
    #[arg(long, default_value_t = 10.0)]
    hold_secs: f64,
    /// Give up opening after this many seconds.
    #[arg(long, default_value_t = 60.0)]
    open_timeout: f64,
}

#[derive(Debug, Default)]
struct Counters {
    opened: AtomicUsize,
    failed: AtomicUsize,
    /// Streams that opened and then reached their end while being held.
    ended: AtomicUsize,
    notify: Notify,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let target = Arc::new(args.target.target()?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    runtime.block_on(hold(args, target))
}

async fn hold(args: Args, target: Arc<Target>) -> anyhow::Result<()> {
    let counters = Arc::new(Counters::default());
    let gate = Arc::new(Semaphore::new(args.parallel.max(1)));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..args.streams {
        tasks.spawn(one_stream(target.clone(), counters.clone(), gate.clone()));
    }
    let open_deadline = tokio::time::Instant::now() + Duration::from_secs_f64(args.open_timeout);
    loop {
        let notified = counters.notify.notified();
        let done = counters.opened.load(Ordering::SeqCst) + counters.failed.load(Ordering::SeqCst);
        if done >= args.streams {
            break;
        }
        if tokio::time::timeout_at(open_deadline, notified)
            .await
            .is_err()
        {
            break;
        }
    }
    println!(
        "opened={} failed={} open_ms={}",
        counters.opened.load(Ordering::SeqCst),
        counters.failed.load(Ordering::SeqCst),
        started.elapsed().as_millis()
    );
    tokio::time::sleep(Duration::from_secs_f64(args.hold_secs)).await;
    tasks.abort_all();
    println!(
        "released ended_early={}",
        counters.ended.load(Ordering::SeqCst)
    );
    Ok(())
}

async fn one_stream(target: Arc<Target>, counters: Arc<Counters>, gate: Arc<Semaphore>) {
    let mut permit = Some(gate.acquire_owned().await);
    let fail = |counters: &Counters| {
        counters.failed.fetch_add(1, Ordering::SeqCst);
        counters.notify.notify_one();
    };
    let Ok(mut sender) = client::connect(&target).await else {
        return fail(&counters);
    };
    let Ok(request) = client::request(&target) else {
        return fail(&counters);
    };
    let Ok(response) = sender.send_request(request).await else {
        return fail(&counters);
    };
    if !response.status().is_success() {
        return fail(&counters);
    }
    let mut body = response.into_body();
    let mut opened = false;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else { break };
        if !opened && frame.data_ref().is_some_and(|d| !d.is_empty()) {
            opened = true;
            permit.take();
            counters.opened.fetch_add(1, Ordering::SeqCst);
            counters.notify.notify_one();
        }
    }
    if opened {
        counters.ended.fetch_add(1, Ordering::SeqCst);
    } else {
        fail(&counters);
    }
    // Keep the connection (and so the server's view of it) until the holder exits.
    std::future::pending::<()>().await;
}
