//! The `tollgate` binary: parse the CLI, load and validate the config (exit 2 listing every
//! problem), build the state, bind, log `listening on <addr>`, serve until SIGTERM/SIGINT.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tokio::net::TcpListener;

use tollgate::cli::Cli;
use tollgate::config;
use tollgate::state::{AppState, StateOptions};

fn main() -> ExitCode {
    let cli = Cli::parse();
    tollgate::telemetry::init_tracing();

    let loaded = match config::load(cli.config.as_deref(), cli.strict) {
        Ok(loaded) => loaded,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(cli, loaded)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(cli: Cli, loaded: config::Loaded) -> anyhow::Result<()> {
    let grace_period = Duration::try_from_secs_f64(cli.grace_period)
        .map_err(|e| anyhow::anyhow!("--grace-period: {e}"))?;
    let (state, warnings) = AppState::build(
        loaded.config,
        StateOptions {
            grace_period,
            ..StateOptions::default()
        },
    )
    .await?;
    for warning in loaded.warnings.iter().chain(&warnings) {
        tracing::warn!("config: {warning}");
    }
    if state.config.general.master_key.is_none() {
        tracing::warn!(
            "NO MASTER KEY IS SET: the gateway is open to anyone who can reach it. Set general_settings.master_key or TOLLGATE_MASTER_KEY."
        );
    }
    let listener = TcpListener::bind((cli.host.as_str(), cli.port)).await?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on {addr}");
    let shutdown = tollgate::server::shutdown_on_signals();
    tollgate::run(listener, state, shutdown).await?;
    Ok(())
}
