//! `rate`: open-loop fixed-rate load (`--rate R`) or closed-loop fixed-concurrency load
//! (`--rate 0`) over `--connections` keep-alive connections.
//!
//! Open loop: a pacing thread (std sleep: ~0.1 ms precision, unlike tokio's 1 ms timer wheel)
//! issues one ticket per intended start time; idle connections take tickets in order. Latency is
//! measured from the intended start, so when the server falls behind the queueing shows in the
//! percentiles instead of silently lowering the rate. Service time is from the actual send.
//! The first `--warmup` seconds are sent but not recorded.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Mutex;
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use crate::client::{self, Target, TargetArgs};
use crate::stats::Samples;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    target: TargetArgs,
    /// Requests per second; 0 = closed loop (as fast as the connections allow).
    #[arg(long, default_value_t = 0.0)]
    rate: f64,
    /// Measured seconds (after the warm-up).
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds of load before measuring starts.
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 32)]
    connections: usize,
    /// Runtime worker threads of the driver.
    #[arg(long, default_value_t = 1)]
    threads: usize,
    /// Seconds to wait for requests still in flight after the last one was due.
    #[arg(long, default_value_t = 10.0)]
    drain: f64,
}

#[derive(Debug, Default)]
struct WorkerStats {
    latency: Samples,
    service: Samples,
    ttfb: Samples,
    ok: u64,
    non2xx: u64,
    errors: u64,
    /// Measured requests not answered (or not even sent) by the hard deadline.
    unfinished: u64,
}

#[derive(Debug, Clone, Copy)]
struct Ticket {
    intended: Instant,
    measured: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    anyhow::ensure!(args.connections > 0, "--connections must be > 0");
    anyhow::ensure!(args.duration > 0.0, "--duration must be > 0");
    let target = Arc::new(args.target.target()?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()?;
    runtime.block_on(drive(args, target))
}

async fn drive(args: Args, target: Arc<Target>) -> anyhow::Result<()> {
    // Connect everything before the clock starts.
    let mut senders = Vec::with_capacity(args.connections);
    for _ in 0..args.connections {
        senders.push(client::connect(&target).await?);
    }
    let warmup = Duration::from_secs_f64(args.warmup);
    let duration = Duration::from_secs_f64(args.duration);
    let start = Instant::now() + Duration::from_millis(20);
    let measure_from = start + warmup;
    let end = measure_from + duration;

    let tickets = if args.rate > 0.0 {
        let (tx, rx) = unbounded_channel();
        let period = Duration::from_secs_f64(1.0 / args.rate);
        std::thread::spawn(move || {
            let mut i: u32 = 0;
            loop {
                let intended = start + period * i;
                if intended >= end {
                    break;
                }
                let now = Instant::now();
                if intended > now {
                    std::thread::sleep(intended - now);
                }
                if tx
                    .send(Ticket {
                        intended,
                        measured: intended >= measure_from,
                    })
                    .is_err()
                {
                    break;
                }
                i += 1;
            }
        });
        Some(Arc::new(Mutex::new(rx)))
    } else {
        None
    };

    // Requests still unanswered at `hard_end` are given up (counted as `unfinished`); workers
    // return what they measured so far, so an overloaded target still gets its row.
    let hard_end = end + Duration::from_secs_f64(args.drain);
    let mut tasks = tokio::task::JoinSet::new();
    for sender in senders {
        let target = target.clone();
        let tickets = tickets.clone();
        tasks.spawn(worker(
            sender,
            target,
            tickets,
            start,
            measure_from,
            end,
            hard_end,
        ));
    }
    let mut total = WorkerStats::default();
    let drain_deadline = tokio::time::Instant::from_std(hard_end + Duration::from_secs(2));
    let mut timed_out = false;
    loop {
        match tokio::time::timeout_at(drain_deadline, tasks.join_next()).await {
            Ok(Some(Ok(stats))) => {
                total.latency.merge(stats.latency);
                total.service.merge(stats.service);
                total.ttfb.merge(stats.ttfb);
                total.ok += stats.ok;
                total.non2xx += stats.non2xx;
                total.errors += stats.errors;
                total.unfinished += stats.unfinished;
            }
            Ok(Some(Err(err))) => anyhow::bail!("worker failed: {err}"),
            Ok(None) => break,
            Err(_) => {
                timed_out = true;
                tasks.abort_all();
                break;
            }
        }
    }
    if let Some(rx) = &tickets {
        // Tickets never taken: the target fell so far behind that they were never sent.
        let mut rx = rx.lock().await;
        while let Ok(ticket) = rx.try_recv() {
            total.unfinished += u64::from(ticket.measured);
        }
    }
    let requests = total.ok + total.non2xx + total.errors + total.unfinished;
    let mut line = format!(
        "mode={} target_rps={} connections={} duration_s={:.1} requests={} ok={} non2xx={} errors={} \
         unfinished={} rps={:.1}",
        if args.rate > 0.0 { "rate" } else { "closed" },
        args.rate,
        args.connections,
        args.duration,
        requests,
        total.ok,
        total.non2xx,
        total.errors,
        if timed_out {
            "aborted".to_owned()
        } else {
            total.unfinished.to_string()
        },
        total.ok as f64 / args.duration,
    );
    total.latency.write("lat", &mut line);
    total.service.write("svc", &mut line);
    total.ttfb.write("ttfb", &mut line);
    println!("{line}");
    Ok(())
}

async fn worker(
    mut sender: hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
    target: Arc<Target>,
    tickets: Option<Arc<Mutex<UnboundedReceiver<Ticket>>>>,
    start: Instant,
    measure_from: Instant,
    end: Instant,
    hard_end: Instant,
) -> WorkerStats {
    let hard = tokio::time::Instant::from_std(hard_end);
    let mut stats = WorkerStats::default();
    if tickets.is_none() {
        tokio::time::sleep_until(tokio::time::Instant::from_std(start)).await;
    }
    loop {
        let ticket = match &tickets {
            Some(rx) => {
                match tokio::time::timeout_at(hard, async { rx.lock().await.recv().await }).await {
                    Ok(Some(ticket)) => ticket,
                    Ok(None) | Err(_) => break,
                }
            }
            None => {
                let now = Instant::now();
                if now >= end {
                    break;
                }
                Ticket {
                    intended: now,
                    measured: now >= measure_from,
                }
            }
        };
        let sent = Instant::now();
        let Ok(result) = tokio::time::timeout_at(hard, client::call(&mut sender, &target)).await
        else {
            stats.unfinished += u64::from(ticket.measured);
            break;
        };
        match result {
            Ok(outcome) if (200..300).contains(&outcome.status) => {
                if ticket.measured {
                    stats.ok += 1;
                    stats.latency.record(outcome.done - ticket.intended);
                    stats.service.record(outcome.done - sent);
                    stats.ttfb.record(outcome.first_byte - sent);
                }
            }
            Ok(_) => {
                if ticket.measured {
                    stats.non2xx += 1;
                }
            }
            Err(_) => {
                if ticket.measured {
                    stats.errors += 1;
                }
                // The connection is gone: open a new one (and do not spin if the server is down).
                loop {
                    match client::connect(&target).await {
                        Ok(s) => {
                            sender = s;
                            break;
                        }
                        Err(_) if Instant::now() < end => {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        }
                        Err(_) => return stats,
                    }
                }
            }
        }
    }
    stats
}
