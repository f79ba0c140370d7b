//! The command line (ARCHITECTURE §2).

use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "tollgate",
    version,
    about = "Tollgate: an LLM gateway (OpenAI, Anthropic and gRPC on one port)"
)]
pub struct Cli {
    /// LiteLLM-compatible config.yaml. Without it: no models, SQLite at ./tollgate.db.
    #[arg(long, short = 'c', env = "TOLLGATE_CONFIG")]
    pub config: Option<PathBuf>,

    /// Address to listen on.
    #[arg(long, default_value = "0.0.0.0", env = "TOLLGATE_HOST")]
    pub host: String,

    /// Port to listen on; 0 picks a free one (logged as `listening on <addr>`).
    #[arg(long, short = 'p', default_value_t = 4000, env = "TOLLGATE_PORT")]
    pub port: u16,

    /// Refuse config keys Tollgate does not implement instead of warning about them.
    #[arg(long)]
    pub strict: bool,

    /// Seconds in-flight requests and streams get to finish after SIGTERM/SIGINT.
    #[arg(long, default_value_t = 30.0)]
    pub grace_period: f64,
}
