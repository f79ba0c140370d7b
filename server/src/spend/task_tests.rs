//! The writer's batching, outage, journal and replay logic against an in-memory sink that can
//! fail or stall on demand.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_util::task::TaskTracker;

use super::*;
use crate::auth::Principal;
use crate::error::Error;
use crate::spend::SpendWriter;

/// A database double: rows by call id, how many times each was offered, and the batches seen.
#[derive(Default)]
struct FakeDb {
    rows: Mutex<HashMap<String, usize>>,
    batches: Mutex<Vec<usize>>,
    down: AtomicBool,
    stalled: AtomicBool,
    release: Notify,
}

impl SpendSink for Arc<FakeDb> {
    async fn write(&self, records: &[SpendRecord]) -> Result<usize> {
        while self.stalled.load(Ordering::SeqCst) {
            self.release.notified().await;
        }
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::Internal("database is down".into()));
        }
        self.batches.lock().unwrap().push(records.len());
        let mut rows = self.rows.lock().unwrap();
        let mut new = 0;
        for r in records {
            let seen = rows.entry(r.call_id.clone()).or_insert(0);
            if *seen == 0 {
                new += 1;
            }
            *seen += 1;
        }
        Ok(new)
    }
}

impl FakeDb {
    fn count(&self) -> usize {
        self.rows.lock().unwrap().len()
    }

    fn set_stalled(&self, stalled: bool) {
        self.stalled.store(stalled, Ordering::SeqCst);
        self.release.notify_waiters();
    }
}

fn options(dir: &tempfile::TempDir) -> WriterOptions {
    WriterOptions {
        batch_size: 10,
        flush_interval: Duration::from_millis(50),
        channel_capacity: 1000,
        max_memory_records: 10,
        journal_path: dir.path().join("journal.jsonl"),
        retry_min: Duration::from_millis(20),
        retry_max: Duration::from_millis(100),
        store_prompts: false,
    }
}

fn record(i: usize) -> SpendRecord {
    SpendRecord::new(
        format!("call-{i}"),
        "/v1/chat/completions",
        1_000,
        &Principal::master(),
    )
    .model_group("gpt")
    .cost(0.01)
    .bodies(Some(serde_json::json!({"secret": "prompt"})), None)
}

async fn eventually(what: &str, check: impl Fn() -> bool) {
    for _ in 0..400 {
        if check() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("timed out waiting for: {what}");
}

async fn stop(writer: &SpendWriter, tasks: &TaskTracker) {
    writer.close();
    tasks.close();
    tasks.wait().await;
}

// Full batches are written at once, a partial one after the flush interval, without any flush
// request; prompts are not kept when `store_prompts` is off.
#[tokio::test]
async fn batches_by_size_and_by_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    let tasks = TaskTracker::new();
    let writer = SpendWriter::start_with_sink(db.clone(), options(&dir), &tasks);
    for i in 0..25 {
        writer.record(record(i));
    }
    eventually("25 rows", || db.count() == 25).await;
    let batches = db.batches.lock().unwrap().clone();
    assert!(batches.iter().all(|n| *n <= 10), "{batches:?}");
    assert_eq!(batches.iter().sum::<usize>(), 25);
    let stats = writer.stats();
    assert_eq!((stats.queued, stats.written, stats.journaled), (25, 25, 0));
    stop(&writer, &tasks).await;
}

// While the database is down records wait in memory up to the bound, then in the journal; when
// it is back every record arrives exactly once, the journal first.
#[tokio::test]
async fn outage_spills_to_the_journal_and_replays_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    db.down.store(true, Ordering::SeqCst);
    let tasks = TaskTracker::new();
    let writer = SpendWriter::start_with_sink(db.clone(), options(&dir), &tasks);
    for i in 0..45 {
        writer.record(record(i));
    }
    assert!(!writer.flush().await, "nothing can be written while down");
    let stats = writer.stats();
    assert!(stats.flush_failures > 0);
    assert!(stats.journaled >= 35, "memory holds at most 10: {stats:?}");
    let journal_files = ["journal.jsonl", "journal.jsonl.replay"];
    assert!(journal_files.iter().any(|f| dir.path().join(f).exists()));
    db.down.store(false, Ordering::SeqCst);
    assert!(writer.flush().await);
    assert_eq!(db.count(), 45);
    assert!(
        db.rows.lock().unwrap().values().all(|n| *n == 1),
        "none twice"
    );
    let stats = writer.stats();
    assert_eq!(stats.written, 45);
    assert_eq!(stats.replayed, stats.journaled);
    assert!(!dir.path().join("journal.jsonl.replay").exists());
    stop(&writer, &tasks).await;
}

// Shutdown with the database down journals everything; the next start replays it before
// anything else, and records offered after close go to the journal too.
#[tokio::test]
async fn shutdown_journals_and_restart_replays() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    db.down.store(true, Ordering::SeqCst);
    let tasks = TaskTracker::new();
    let writer = SpendWriter::start_with_sink(db.clone(), options(&dir), &tasks);
    for i in 0..7 {
        writer.record(record(i));
    }
    stop(&writer, &tasks).await;
    writer.record(record(7));
    let stats = writer.stats();
    assert_eq!(stats.journaled, 8, "{stats:?}");
    assert_eq!(stats.lost, 0);
    let text = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert_eq!(text.lines().count(), 8);
    assert!(!text.contains("secret"), "prompts are not kept");

    db.down.store(false, Ordering::SeqCst);
    let tasks = TaskTracker::new();
    let again = SpendWriter::start_with_sink(db.clone(), options(&dir), &tasks);
    eventually("journal replayed at start", || db.count() == 8).await;
    assert_eq!(again.stats().replayed, 8);
    stop(&again, &tasks).await;
    assert!(!dir.path().join("journal.jsonl").exists());
}

// Shutdown with the database up writes everything still queued.
#[tokio::test]
async fn shutdown_flushes_to_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    let tasks = TaskTracker::new();
    let mut opts = options(&dir);
    opts.flush_interval = Duration::from_secs(3600);
    opts.batch_size = 1000;
    let writer = SpendWriter::start_with_sink(db.clone(), opts, &tasks);
    for i in 0..30 {
        writer.record(record(i));
    }
    stop(&writer, &tasks).await;
    assert_eq!(db.count(), 30);
    assert_eq!(writer.stats().journaled, 0);
}

// When the task cannot keep up (the database stalls) and the channel is full, `record` still
// returns at once, journaling the record; nothing is lost or doubled once the database moves.
#[tokio::test]
async fn full_channel_journals_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    db.set_stalled(true);
    let tasks = TaskTracker::new();
    let mut opts = options(&dir);
    opts.channel_capacity = 2;
    opts.batch_size = 1;
    let writer = SpendWriter::start_with_sink(db.clone(), opts, &tasks);
    writer.record(record(0));
    eventually("first write in flight", || {
        writer.stats().queued == 1 && db.stalled.load(Ordering::SeqCst)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    for i in 1..20 {
        writer.record(record(i));
    }
    assert!(writer.stats().journaled >= 15, "{:?}", writer.stats());
    db.set_stalled(false);
    assert!(writer.flush().await);
    assert_eq!(db.count(), 20);
    assert!(db.rows.lock().unwrap().values().all(|n| *n == 1));
    stop(&writer, &tasks).await;
}

// A journal holding records already in the database (a crash after the commit) replays
// without counting them again.
#[tokio::test]
async fn replay_of_written_records_counts_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db = Arc::new(FakeDb::default());
    let journal = Journal::new(dir.path().join("journal.jsonl"));
    let old: Vec<SpendRecord> = (0..5).map(record).collect();
    journal.append(&old).unwrap();
    db.write(&old[..3]).await.unwrap();
    let tasks = TaskTracker::new();
    let writer = SpendWriter::start_with_sink(db.clone(), options(&dir), &tasks);
    assert!(writer.flush().await);
    assert_eq!(db.count(), 5);
    let stats = writer.stats();
    assert_eq!((stats.written, stats.replayed), (2, 5));
    stop(&writer, &tasks).await;
}
