//! The stdio transport: a child process reading JSON-RPC messages from stdin and writing them
//! to stdout, one per line. Its stderr goes to the gateway's log (debug level). The child is
//! killed when the link closes.

use std::collections::BTreeMap;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::UpstreamError;
use super::link::Incoming;

#[derive(Debug)]
pub struct StdioLink {
    server: String,
    writer: mpsc::Sender<Value>,
}

impl StdioLink {
    pub fn spawn(
        server: &str,
        command: &str,
        args: &[String],
        env: &BTreeMap<String, String>,
        incoming: mpsc::Sender<Incoming>,
        closed: CancellationToken,
    ) -> Result<Self, UpstreamError> {
        let mut child = Command::new(command)
            .args(args)
            .envs(env)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| UpstreamError::Transport {
                server: server.to_owned(),
                message: format!("cannot start `{command}`: {e}"),
            })?;
        let missing = || UpstreamError::Transport {
            server: server.to_owned(),
            message: "child process has no stdio pipes".into(),
        };
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = child.stdout.take().ok_or_else(missing)?;
        if let Some(stderr) = child.stderr.take() {
            tokio::spawn(log_stderr(server.to_owned(), stderr));
        }
        let (writer, outgoing) = mpsc::channel(256);
        tokio::spawn(write_loop(stdin, outgoing, closed.clone()));
        tokio::spawn(read_loop(
            server.to_owned(),
            child,
            stdout,
            incoming,
            closed,
        ));
        Ok(Self {
            server: server.to_owned(),
            writer,
        })
    }

    pub async fn send(&self, message: Value) -> Result<(), UpstreamError> {
        self.writer
            .send(message)
            .await
            .map_err(|_| UpstreamError::Closed(self.server.clone()))
    }
}

async fn write_loop(
    mut stdin: tokio::process::ChildStdin,
    mut outgoing: mpsc::Receiver<Value>,
    closed: CancellationToken,
) {
    loop {
        let message = tokio::select! {
            () = closed.cancelled() => break,
            m = outgoing.recv() => match m { Some(m) => m, None => break },
        };
        let mut line = message.to_string();
        line.push('\n');
        if stdin.write_all(line.as_bytes()).await.is_err() || stdin.flush().await.is_err() {
            closed.cancel();
            break;
        }
    }
}

/// Reads messages until stdout ends or the link closes; then the child is killed (if still
/// running) and reaped, and the link is marked closed.
async fn read_loop(
    server: String,
    mut child: Child,
    stdout: tokio::process::ChildStdout,
    incoming: mpsc::Sender<Incoming>,
    closed: CancellationToken,
) {
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = tokio::select! {
            () = closed.cancelled() => break,
            line = lines.next_line() => line,
        };
        match line {
            Ok(Some(line)) if line.trim().is_empty() => {}
            Ok(Some(line)) => match serde_json::from_str::<Value>(&line) {
                Ok(message) => {
                    if incoming
                        .send(Incoming {
                            message,
                            related: None,
                        })
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
                Err(_) => tracing::debug!(server = %server, "non-JSON line on stdout: {line}"),
            },
            Ok(None) | Err(_) => break,
        }
    }
    closed.cancel();
    let _ = child.start_kill();
    match child.wait().await {
        Ok(status) => tracing::info!(server = %server, %status, "MCP stdio server exited"),
        Err(e) => tracing::warn!(server = %server, error = %e, "MCP stdio server: wait failed"),
    }
}

async fn log_stderr(server: String, stderr: tokio::process::ChildStderr) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        tracing::debug!(server = %server, "stderr: {line}");
    }
}
