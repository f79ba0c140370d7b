//! Load driver for `bench/run.sh` (benchmarks only).
//!
//! - `rate`: HTTP/1.1 load over a fixed set of keep-alive connections, either open-loop at a fixed
//!   request rate (`--rate R`; latency counted from each request's *intended* start, so a stall is
//!   not hidden by coordinated omission, as wrk2 does) or closed-loop (`--rate 0`: every
//!   connection sends its next request as soon as the last one finished: max throughput).
//!   Records latency (from the intended start), service time (from the actual send), and time
//!   to first body byte, and prints one `key=value` line with p50/p90/p99/p99.9/max in ms.
//! - `hold`: opens N streaming requests, waits until each has received its first chunk, prints
//!   `opened=N failed=M open_ms=T`, keeps them open (reading) for `--hold-secs`, then exits.
//! - `ready`: starts a server command, reports the time until it logs `listening on ADDR` and
//!   until `GET /health/readiness` answers 200, then kills it.
//!
//! It is not a general-purpose tool: no TLS, no HTTP/2, loopback targets only.

mod client;
mod hold;
mod rate;
mod ready;
mod stats;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "tollgate-bench-load", about = "Load driver for bench/run.sh")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Fixed-rate (open-loop) or fixed-concurrency (`--rate 0`) load.
    Rate(rate::Args),
    /// Hold many streaming requests open at once.
    Hold(hold::Args),
    /// Time a server from start to `listening on` and to ready.
    Ready(ready::Args),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Rate(args) => rate::run(args),
        Command::Hold(args) => hold::run(args),
        Command::Ready(args) => ready::run(args),
    }
}
