//! Spend records: one per call, written off the hot path and never lost (issue 5, item 2).
//!
//! The pipeline builds a [`SpendRecord`] and hands it to [`SpendWriter::record`], which never
//! waits on the database. A background task tracked by the state writes batches (by size or
//! time) in one transaction each: the rows of `spend_logs` (call id as primary key, so replays
//! are idempotent), the daily aggregates (`daily_spend`, `daily_tag_spend`) and the `spend`
//! columns of the entities concerned. While the database refuses writes, records wait in memory
//! (bounded), then in a local journal replayed when it answers again and at startup; shutdown
//! writes or journals everything. See `README.md` here for the guarantees and their limits.
//! Reading spend (logs, reports) is [`crate::admin::spend`]; pruning is [`retention`].

mod aggregate;
mod buffer;
pub mod day;
mod journal;
mod record;
pub mod retention;
mod stats;
mod task;
mod writer;

pub use aggregate::{BatchTotals, DailyKey, Totals};
pub use record::{SpendRecord, SpendStatus, request_tags};
pub use stats::SpendStats;
pub use writer::{SpendWriter, WriterOptions, default_journal_path};
