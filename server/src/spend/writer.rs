//! [`SpendWriter`]: the handle the request path uses to hand over spend records, and its
//! options. The work happens in a background task ([`super::task`]) tracked by the state's
//! `TaskTracker`; see `README.md` next to this file for the guarantees.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::journal::Journal;
use super::record::SpendRecord;
use super::stats::{Counters, SpendStats};
use super::task::{Message, SpendSink, Task};
use crate::config::GeneralSettings;
use crate::store::Store;

/// How the writer batches and where it journals.
#[derive(Debug, Clone)]
pub struct WriterOptions {
    /// Records per database write (one multi-row INSERT in one transaction).
    pub batch_size: usize,
    /// Longest a record waits before its batch is written, when traffic is light.
    pub flush_interval: Duration,
    /// Records handed over but not yet taken by the task; beyond it `record` journals directly.
    pub channel_capacity: usize,
    /// Records kept in memory while the database is down; older ones move to the journal.
    pub max_memory_records: usize,
    pub journal_path: PathBuf,
    /// First wait before retrying a failed database (doubles up to `retry_max`).
    pub retry_min: Duration,
    pub retry_max: Duration,
    /// `store_prompts_in_spend_logs`: keep request and response bodies.
    pub store_prompts: bool,
}

impl Default for WriterOptions {
    fn default() -> Self {
        Self {
            batch_size: 500,
            flush_interval: Duration::from_secs(1),
            channel_capacity: 20_000,
            max_memory_records: 50_000,
            journal_path: PathBuf::from(DEFAULT_JOURNAL),
            retry_min: Duration::from_millis(250),
            retry_max: Duration::from_secs(10),
            store_prompts: false,
        }
    }
}

const DEFAULT_JOURNAL: &str = "tollgate-spend-journal.jsonl";

impl WriterOptions {
    /// The options of `general_settings` for a database at `database_url`.
    pub fn from_config(general: &GeneralSettings, database_url: &str) -> Self {
        Self {
            journal_path: general
                .spend_logs_journal_path
                .as_ref()
                .map_or_else(|| default_journal_path(database_url), PathBuf::from),
            store_prompts: general.store_prompts_in_spend_logs,
            ..Self::default()
        }
    }
}

/// Next to a SQLite file (`data/tollgate.db` → `data/tollgate-spend-journal.jsonl`), else
/// `./tollgate-spend-journal.jsonl`.
pub fn default_journal_path(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .and_then(|rest| rest.split('?').next())
        .filter(|p| !p.is_empty() && !p.starts_with(":memory:"))
        .map(Path::new);
    match file {
        Some(file) => {
            let stem = file
                .file_stem()
                .map_or_else(|| "tollgate".into(), |s| s.to_string_lossy());
            file.with_file_name(format!("{stem}-spend-journal.jsonl"))
        }
        None => PathBuf::from(DEFAULT_JOURNAL),
    }
}

/// Hands spend records to the background writer. Cheap to clone; [`SpendWriter::record`] never
/// waits on the database.
#[derive(Clone)]
pub struct SpendWriter {
    shared: Arc<Shared>,
}

struct Shared {
    tx: mpsc::Sender<Message>,
    journal: Arc<Journal>,
    counters: Arc<Counters>,
    store_prompts: bool,
    /// Tells the task to write (or journal) what it holds and stop.
    close: CancellationToken,
}

impl std::fmt::Debug for SpendWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpendWriter")
            .field("journal", &self.shared.journal.path())
            .field("stats", &self.stats())
            .finish()
    }
}

impl SpendWriter {
    /// Starts the writer for `store`; its task is tracked by `tasks` and runs until
    /// [`SpendWriter::close`]. Records left in the journal by an earlier run are replayed first.
    pub fn start(store: Store, options: WriterOptions, tasks: &TaskTracker) -> Self {
        Self::start_with_sink(store, options, tasks)
    }

    /// [`SpendWriter::start`] with any sink (tests use one that fails on demand).
    pub(crate) fn start_with_sink<S: SpendSink>(
        sink: S,
        options: WriterOptions,
        tasks: &TaskTracker,
    ) -> Self {
        super::stats::describe();
        let (tx, rx) = mpsc::channel(options.channel_capacity.max(1));
        let journal = Arc::new(Journal::new(&options.journal_path));
        let counters = Arc::new(Counters::default());
        let close = CancellationToken::new();
        let store_prompts = options.store_prompts;
        let task = Task::new(
            sink,
            rx,
            journal.clone(),
            counters.clone(),
            options,
            close.clone(),
        );
        tasks.spawn(task.run());
        Self {
            shared: Arc::new(Shared {
                tx,
                journal,
                counters,
                store_prompts,
                close,
            }),
        }
    }

    /// Queues one record. Never waits: if the task is far behind (or stopped), the record goes
    /// straight to the journal; if even that fails it is logged in full (never dropped
    /// silently). Prompts and responses are removed unless `store_prompts_in_spend_logs` is on.
    pub fn record(&self, mut record: SpendRecord) {
        if !self.shared.store_prompts {
            record.request = None;
            record.response = None;
        }
        self.shared.counters.queued(1);
        let record = match self.shared.tx.try_send(Message::Record(Box::new(record))) {
            Ok(()) => return,
            Err(
                mpsc::error::TrySendError::Full(Message::Record(r))
                | mpsc::error::TrySendError::Closed(Message::Record(r)),
            ) => *r,
            Err(_) => return,
        };
        match self.shared.journal.append(std::slice::from_ref(&record)) {
            Ok(()) => self.shared.counters.journaled(1),
            Err(err) => super::task::report_lost(&self.shared.counters, &[record], &err),
        }
    }

    /// Writes everything waiting (journal first, then memory) and answers whether all of it is
    /// now in the database. For tests and orderly handovers; the request path never calls it.
    pub async fn flush(&self) -> bool {
        let (tx, rx) = oneshot::channel();
        if self.shared.tx.send(Message::Flush(tx)).await.is_err() {
            return false;
        }
        rx.await.unwrap_or(false)
    }

    /// Stops the writer: the task writes what it holds (or journals what the database refuses)
    /// and ends. Later records go to the journal. Called by [`crate::run`] once the server has
    /// stopped, before it waits for the state's tasks.
    pub fn close(&self) {
        self.shared.close.cancel();
    }

    pub fn stats(&self) -> SpendStats {
        self.shared.counters.snapshot()
    }

    pub fn journal_path(&self) -> &Path {
        self.shared.journal.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The journal defaults next to a SQLite file, else in the working directory.
    #[test]
    fn default_journal_paths() {
        assert_eq!(
            default_journal_path("sqlite:///var/lib/tg/tollgate.db?mode=rwc"),
            PathBuf::from("/var/lib/tg/tollgate-spend-journal.jsonl")
        );
        assert_eq!(
            default_journal_path("sqlite://data/x.db"),
            PathBuf::from("data/x-spend-journal.jsonl")
        );
        for url in ["sqlite::memory:", "postgres://u@h/db"] {
            assert_eq!(
                default_journal_path(url),
                PathBuf::from("tollgate-spend-journal.jsonl")
            );
        }
    }
}
