//! `ready`: start a server, time it to `listening on ADDR` (stderr or stdout) and to the first
//! 200 from `--path` (default `/health/readiness`), then kill it. Prints
//! `listening_ms=… ready_ms=…`.

use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

use crate::client::{self, TargetArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Path polled until it answers 200.
    #[arg(long, default_value = "/health/readiness")]
    path: String,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// The server command and its arguments.
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs_f64(args.timeout), time_it(&args))
            .await
            .context("timed out waiting for the server")?
    })
}

async fn time_it(args: &Args) -> anyhow::Result<()> {
    let (program, rest) = args.command.split_first().context("no command")?;
    let started = Instant::now();
    let mut child = Command::new(program)
        .args(rest)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let stderr = child.stderr.take().context("no stderr")?;
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await?
            .context("server exited before listening")?;
        if let Some((_, rest)) = line.split_once("listening on ") {
            let addr: String = rest
                .chars()
                .take_while(|c| c.is_ascii_hexdigit() || matches!(c, '.' | ':' | '[' | ']'))
                .collect();
            break addr;
        }
    };
    let listening = started.elapsed();
    // Keep draining stderr so the server never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let target = TargetArgs {
        url: format!("http://{addr}{}", args.path),
        headers: vec![],
        body: None,
    }
    .target()?;
    let ready = loop {
        if let Ok(mut sender) = client::connect(&target).await
            && let Ok(outcome) = client::call(&mut sender, &target).await
            && outcome.status == 200
        {
            break started.elapsed();
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    };
    child.start_kill()?;
    let _ = child.wait().await;
    println!(
        "listening_ms={:.1} ready_ms={:.1}",
        listening.as_secs_f64() * 1000.0,
        ready.as_secs_f64() * 1000.0
    );
    Ok(())
}
