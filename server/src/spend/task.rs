//! The background task of the spend writer: takes records off the channel, writes them in
//! batches (by size or every `flush_interval`), and while the database refuses them keeps them in
//! memory up to a bound, then in the journal; replays the journal (before memory, oldest first)
//! as soon as the database answers again, and on close writes or journals everything it holds.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use super::buffer::Pending;
use super::journal::Journal;
use super::record::SpendRecord;
use super::stats::Counters;
use super::writer::WriterOptions;
use crate::error::Result;
use crate::store::Store;

/// Where batches go: the store, or a test double.
pub trait SpendSink: Send + Sync + 'static {
    /// Writes `records` at once (all or none) and answers how many were new (the others were
    /// written before: replays are idempotent).
    fn write(&self, records: &[SpendRecord]) -> impl Future<Output = Result<usize>> + Send;
}

impl SpendSink for Store {
    async fn write(&self, records: &[SpendRecord]) -> Result<usize> {
        self.write_spend_batch(records).await
    }
}

pub(super) enum Message {
    Record(Box<SpendRecord>),
    Flush(oneshot::Sender<bool>),
}

pub(super) struct Task<S> {
    sink: S,
    rx: mpsc::Receiver<Message>,
    pending: Pending,
    journal: Arc<Journal>,
    counters: Arc<Counters>,
    options: WriterOptions,
    close: CancellationToken,
    /// When the database last failed, the earliest time to try again.
    retry_at: Option<Instant>,
    backoff: Duration,
}

impl<S: SpendSink> Task<S> {
    pub fn new(
        sink: S,
        rx: mpsc::Receiver<Message>,
        journal: Arc<Journal>,
        counters: Arc<Counters>,
        options: WriterOptions,
        close: CancellationToken,
    ) -> Self {
        Self {
            sink,
            rx,
            pending: Pending::new(options.max_memory_records),
            journal,
            counters,
            backoff: options.retry_min,
            options,
            close,
            retry_at: None,
        }
    }

    pub async fn run(mut self) {
        if self.journal.has_records() {
            self.flush().await;
        }
        let mut tick = tokio::time::interval(self.options.flush_interval);
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let mut messages = Vec::with_capacity(self.options.batch_size);
        loop {
            tokio::select! {
                biased;
                () = self.close.cancelled() => break,
                n = self.rx.recv_many(&mut messages, self.options.batch_size.max(1)) => {
                    if n == 0 {
                        break;
                    }
                    self.take(&mut messages).await;
                }
                _ = tick.tick() => {
                    if self.may_try() && (!self.pending.is_empty() || self.journal.has_records()) {
                        self.flush().await;
                    }
                }
            }
            Counters::pending(self.pending.len());
        }
        self.shut_down().await;
    }

    /// Handles a run of messages: records join the batch (a full batch is written at once),
    /// flush requests are answered after a flush.
    async fn take(&mut self, messages: &mut Vec<Message>) {
        for message in messages.drain(..) {
            match message {
                Message::Record(record) => self.pending.push(*record),
                Message::Flush(reply) => {
                    let done = self.flush().await;
                    let _ = reply.send(done);
                }
            }
        }
        if self.pending.len() >= self.options.batch_size && self.may_try() {
            self.flush().await;
        } else if self.retry_at.is_some() {
            self.spill();
        }
    }

    /// Whether the database may be tried now (always, unless it failed and the backoff runs).
    fn may_try(&self) -> bool {
        self.retry_at.is_none_or(|at| Instant::now() >= at)
    }

    /// Writes the journal, then memory, batch by batch. Stops at the first refusal (the rest
    /// waits for the retry) and answers whether everything got written.
    async fn flush(&mut self) -> bool {
        if self.journal.has_records() && !self.replay().await {
            self.spill();
            return false;
        }
        while !self.pending.is_empty() {
            let n = self.options.batch_size.max(1).min(self.pending.len());
            let result = self.sink.write(self.pending.front(n)).await;
            match result {
                Ok(new) => {
                    self.pending.drop_front(n);
                    self.counters.written(new as u64);
                    self.succeeded();
                }
                Err(err) => {
                    self.failed(&err);
                    self.spill();
                    return false;
                }
            }
        }
        true
    }

    /// Replays every journal file, oldest first; `false` if the database refused a chunk.
    /// Journal files are small reads and fsync'd appends: done in place, like the rest of this
    /// task's rare outage work, so a record is never in flight outside the task.
    async fn replay(&mut self) -> bool {
        loop {
            let file = match self.journal.take() {
                Ok(Some(file)) => file,
                Ok(None) => return true,
                Err(err) => {
                    tracing::error!(
                        error = %err,
                        journal = %self.journal.path().display(),
                        "cannot open the spend journal; retrying",
                    );
                    self.failed(&err);
                    return false;
                }
            };
            let mut offset = 0;
            loop {
                let chunk = match self
                    .journal
                    .read_chunk(&file, offset, self.options.batch_size)
                {
                    Ok(chunk) => chunk,
                    Err(err) => {
                        tracing::error!(
                            error = %err,
                            file = %file.display(),
                            "cannot read the spend journal; retrying",
                        );
                        self.failed(&err);
                        return false;
                    }
                };
                if !chunk.records.is_empty() {
                    match self.sink.write(&chunk.records).await {
                        Ok(new) => {
                            self.counters.written(new as u64);
                            self.counters.replayed(chunk.records.len() as u64);
                            self.succeeded();
                        }
                        Err(err) => {
                            self.failed(&err);
                            return false;
                        }
                    }
                }
                offset = chunk.next_offset;
                if chunk.end_of_file {
                    break;
                }
            }
            if let Err(err) = self.journal.finish(&file) {
                // Replaying it again later is harmless (writes are idempotent).
                tracing::warn!(
                    error = %err,
                    file = %file.display(),
                    "cannot remove a replayed spend journal",
                );
                return true;
            }
            tracing::info!(file = %file.display(), "spend journal replayed");
        }
    }

    /// Moves the oldest records to the journal when memory is over its bound.
    fn spill(&mut self) {
        let overflow = self.pending.take_overflow();
        if !overflow.is_empty() {
            self.journal_records(overflow);
        }
    }

    /// Appends `records` to the journal; if that fails they stay in memory (over the bound,
    /// logged) rather than being lost.
    fn journal_records(&mut self, records: Vec<SpendRecord>) {
        match self.journal.append(&records) {
            Ok(()) => self.counters.journaled(records.len() as u64),
            Err(err) => {
                tracing::error!(
                    error = %err,
                    journal = %self.journal.path().display(),
                    records = records.len(),
                    "cannot append to the spend journal; keeping the records in memory",
                );
                self.pending.restore_front(records);
            }
        }
    }

    fn succeeded(&mut self) {
        if self.retry_at.take().is_some() {
            tracing::info!("database answers again: spend records are being written");
        }
        self.backoff = self.options.retry_min;
    }

    fn failed(&mut self, err: &dyn std::fmt::Display) {
        self.counters.flush_failed();
        if self.retry_at.is_some() {
            self.backoff = (self.backoff * 2).min(self.options.retry_max);
        } else {
            self.backoff = self.options.retry_min;
        }
        tracing::warn!(
            error = %err,
            retry_in_ms = self.backoff.as_millis() as u64,
            pending = self.pending.len(),
            "spend records not written; they wait in memory and the journal",
        );
        self.retry_at = Some(Instant::now() + self.backoff);
    }

    /// Close: take what is still in the channel, try the database once, journal the rest.
    async fn shut_down(mut self) {
        self.rx.close();
        let mut replies = Vec::new();
        while let Some(message) = self.rx.recv().await {
            match message {
                Message::Record(record) => self.pending.push(*record),
                Message::Flush(reply) => replies.push(reply),
            }
        }
        let done = (self.pending.is_empty() && !self.journal.has_records()) || self.flush().await;
        if !self.pending.is_empty() {
            let rest = self.pending.take_all();
            match self.journal.append(&rest) {
                Ok(()) => {
                    self.counters.journaled(rest.len() as u64);
                    tracing::warn!(
                        records = rest.len(),
                        journal = %self.journal.path().display(),
                        "database unavailable at shutdown: spend records journaled for the next start"
                    );
                }
                Err(err) => report_lost(&self.counters, &rest, &err),
            }
        }
        Counters::pending(0);
        for reply in replies {
            let _ = reply.send(done);
        }
    }
}

/// Last resort when neither the database nor the journal takes records: each is logged in full
/// (so an operator can recover it from the logs) and counted.
pub(super) fn report_lost(
    counters: &Counters,
    records: &[SpendRecord],
    err: &dyn std::fmt::Display,
) {
    counters.lost(records.len() as u64);
    for r in records {
        let line = serde_json::to_string(r).unwrap_or_else(|e| format!("<unserializable: {e}>"));
        tracing::error!(
            error = %err,
            record = %line,
            "spend record could not be written nor journaled",
        );
    }
}

#[cfg(test)]
#[path = "task_tests.rs"]
mod tests;
