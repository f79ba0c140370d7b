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
        Err(err) if err.is::<InvalidConfig>() => {
            eprintln!("invalid configuration: {err}");
            ExitCode::from(2)
        }
        Err(err) => {
            tracing::error!("{err:#}");
            ExitCode::FAILURE
        }
    }
}

/// A config problem found only once the state exists (declared teams and keys): exit code 2.
#[derive(Debug)]
struct InvalidConfig(String);

impl std::fmt::Display for InvalidConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InvalidConfig {}

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
    let bootstrap = state.config.bootstrap.clone();
    match tollgate::admin::bootstrap::apply(&state, &bootstrap).await {
        Ok(applied) if applied != Default::default() => {
            tracing::info!(?applied, "config teams and keys applied");
        }
        Ok(_) => {}
        Err(err) => return Err(InvalidConfig(format!("config teams/keys: {err}")).into()),
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
