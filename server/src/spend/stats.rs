//! Counters of the spend writer, kept twice: in atomics (read by tests and `/health` style
//! checks through [`SpendStats`]) and as Prometheus counters through the `metrics` facade.

use std::sync::atomic::{AtomicU64, Ordering};

pub const QUEUED_TOTAL: &str = "tollgate_spend_records_queued_total";
pub const WRITTEN_TOTAL: &str = "tollgate_spend_records_written_total";
pub const JOURNALED_TOTAL: &str = "tollgate_spend_records_journaled_total";
pub const REPLAYED_TOTAL: &str = "tollgate_spend_records_replayed_total";
pub const FLUSH_FAILURES_TOTAL: &str = "tollgate_spend_flush_failures_total";
pub const LOST_TOTAL: &str = "tollgate_spend_records_lost_total";
pub const PENDING: &str = "tollgate_spend_records_pending";
pub const PRUNED_TOTAL: &str = "tollgate_spend_logs_pruned_total";

/// A snapshot of the writer's counters since it started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SpendStats {
    /// Records handed to [`super::SpendWriter::record`].
    pub queued: u64,
    /// Rows newly inserted into `spend_logs` (a replayed duplicate is not counted).
    pub written: u64,
    /// Records appended to the local journal.
    pub journaled: u64,
    /// Records read back from the journal and confirmed in the database.
    pub replayed: u64,
    /// Flush attempts the database refused.
    pub flush_failures: u64,
    /// Records that could be neither written nor journaled (each logged in full at error level).
    pub lost: u64,
}

#[derive(Debug, Default)]
pub(super) struct Counters {
    queued: AtomicU64,
    written: AtomicU64,
    journaled: AtomicU64,
    replayed: AtomicU64,
    flush_failures: AtomicU64,
    lost: AtomicU64,
}

impl Counters {
    pub fn queued(&self, n: u64) {
        self.queued.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(QUEUED_TOTAL).increment(n);
    }

    pub fn written(&self, n: u64) {
        self.written.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(WRITTEN_TOTAL).increment(n);
    }

    pub fn journaled(&self, n: u64) {
        self.journaled.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(JOURNALED_TOTAL).increment(n);
    }

    pub fn replayed(&self, n: u64) {
        self.replayed.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(REPLAYED_TOTAL).increment(n);
    }

    pub fn flush_failed(&self) {
        self.flush_failures.fetch_add(1, Ordering::Relaxed);
        metrics::counter!(FLUSH_FAILURES_TOTAL).increment(1);
    }

    pub fn lost(&self, n: u64) {
        self.lost.fetch_add(n, Ordering::Relaxed);
        metrics::counter!(LOST_TOTAL).increment(n);
    }

    pub fn pending(n: usize) {
        metrics::gauge!(PENDING).set(n as f64);
    }

    pub fn snapshot(&self) -> SpendStats {
        SpendStats {
            queued: self.queued.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            journaled: self.journaled.load(Ordering::Relaxed),
            replayed: self.replayed.load(Ordering::Relaxed),
            flush_failures: self.flush_failures.load(Ordering::Relaxed),
            lost: self.lost.load(Ordering::Relaxed),
        }
    }
}

/// Describes the spend metrics (once per process is enough; repeating is harmless).
pub fn describe() {
    metrics::describe_counter!(QUEUED_TOTAL, "Spend records handed to the writer");
    metrics::describe_counter!(WRITTEN_TOTAL, "Spend records newly written to the database");
    metrics::describe_counter!(
        JOURNALED_TOTAL,
        "Spend records appended to the local journal (database down, memory full, or shutdown)"
    );
    metrics::describe_counter!(
        REPLAYED_TOTAL,
        "Spend records replayed from the local journal into the database"
    );
    metrics::describe_counter!(
        FLUSH_FAILURES_TOTAL,
        "Spend batches the database refused (retried with backoff)"
    );
    metrics::describe_counter!(
        LOST_TOTAL,
        "Spend records that could be neither written nor journaled (logged in full)"
    );
    metrics::describe_gauge!(PENDING, "Spend records waiting in memory for the database");
    metrics::describe_counter!(
        PRUNED_TOTAL,
        "Spend log rows deleted by maximum_spend_logs_retention_period"
    );
}
