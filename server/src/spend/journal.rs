//! The local append-only journal where spend records wait when the database is down and memory
//! is full (or the writer has stopped): JSON lines, fsync'd per append.
//!
//! Replay works on a frozen copy: [`Journal::take`] renames the live file to `<path>.replay`
//! (unless one is left from an interrupted replay, which goes first), new appends start a fresh
//! live file, and the replay file is read in chunks and removed once every record in it is in the
//! database. Writes are idempotent (the call id is the primary key), so a replay interrupted
//! half-way simply starts that file again. A line that does not parse (a crash mid-write) is moved
//! to `<path>.corrupt` and logged, never silently dropped.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use super::record::SpendRecord;

#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    /// Serializes appends and rotation (the writer task and `record` callers both append).
    lock: Mutex<()>,
    /// Whether records may be waiting (set by appends, cleared when nothing is left to take).
    dirty: AtomicBool,
}

/// One chunk read from a replay file.
#[derive(Debug, Default)]
pub struct Chunk {
    pub records: Vec<SpendRecord>,
    /// Where the next chunk starts.
    pub next_offset: u64,
    pub end_of_file: bool,
}

impl Journal {
    /// The journal at `path`; records left there by an earlier run count as waiting.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        let journal = Self {
            path: path.into(),
            lock: Mutex::new(()),
            dirty: AtomicBool::new(false),
        };
        let waiting = [journal.replay_path(), journal.path.clone()]
            .iter()
            .any(|p| fs::metadata(p).is_ok_and(|m| m.len() > 0));
        journal.dirty.store(waiting, Ordering::SeqCst);
        journal
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn replay_path(&self) -> PathBuf {
        suffixed(&self.path, ".replay")
    }

    fn corrupt_path(&self) -> PathBuf {
        suffixed(&self.path, ".corrupt")
    }

    /// Appends `records` (one JSON line each) and fsyncs before returning.
    pub fn append(&self, records: &[SpendRecord]) -> io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).map_err(io::Error::other)?);
            text.push('\n');
        }
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)?;
        }
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)?;
        // A line torn by a crash must not swallow the next record: start on a fresh line.
        let len = file.metadata()?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                text.insert(0, '\n');
            }
        }
        file.write_all(text.as_bytes())?;
        file.sync_data()?;
        self.dirty.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// Whether records may wait here (cheap: no file system access).
    pub fn has_records(&self) -> bool {
        self.dirty.load(Ordering::SeqCst)
    }

    /// The file to replay next: a leftover replay file, else the live file frozen by renaming it.
    /// `None` when nothing waits.
    pub fn take(&self) -> io::Result<Option<PathBuf>> {
        let replay = self.replay_path();
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        if fs::metadata(&replay).is_ok() {
            return Ok(Some(replay));
        }
        match fs::metadata(&self.path) {
            Ok(m) if m.len() > 0 => {
                fs::rename(&self.path, &replay)?;
                Ok(Some(replay))
            }
            Ok(_) | Err(_) => {
                self.dirty.store(false, Ordering::SeqCst);
                Ok(None)
            }
        }
    }

    /// Reads up to `max` records of `file` from byte `offset`. Unparseable lines are moved to
    /// the `.corrupt` file (and logged) instead of being returned.
    pub fn read_chunk(&self, file: &Path, offset: u64, max: usize) -> io::Result<Chunk> {
        let mut reader = BufReader::new(File::open(file)?);
        reader.seek(SeekFrom::Start(offset))?;
        let mut chunk = Chunk {
            next_offset: offset,
            ..Chunk::default()
        };
        let mut line = String::new();
        while chunk.records.len() < max.max(1) {
            line.clear();
            let read = reader.read_line(&mut line)?;
            if read == 0 {
                chunk.end_of_file = true;
                break;
            }
            chunk.next_offset += read as u64;
            let text = line.trim();
            if text.is_empty() {
                continue;
            }
            match serde_json::from_str::<SpendRecord>(text) {
                Ok(record) => chunk.records.push(record),
                Err(err) => self.quarantine(text, &err.to_string())?,
            }
        }
        Ok(chunk)
    }

    /// Removes a fully replayed file.
    pub fn finish(&self, file: &Path) -> io::Result<()> {
        let _guard = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        match fs::remove_file(file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    fn quarantine(&self, line: &str, error: &str) -> io::Result<()> {
        let corrupt = self.corrupt_path();
        tracing::error!(
            journal = %self.path.display(),
            corrupt = %corrupt.display(),
            error,
            line,
            "unreadable spend journal line moved aside"
        );
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&corrupt)?;
        file.write_all(line.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_data()
    }
}

fn suffixed(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;

    fn records(ids: std::ops::Range<u32>) -> Vec<SpendRecord> {
        ids.map(|i| {
            SpendRecord::new(
                format!("c{i}"),
                "/v1/chat/completions",
                1,
                &Principal::master(),
            )
        })
        .collect()
    }

    fn ids(records: &[SpendRecord]) -> Vec<String> {
        records.iter().map(|r| r.call_id.clone()).collect()
    }

    // Appended records come back in order, in chunks, from a frozen replay file; appends made
    // during a replay go to a fresh live file, replayed next; finished files disappear.
    #[test]
    fn append_take_read_finish() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path().join("sub/j.jsonl"));
        assert!(!journal.has_records());
        assert!(journal.take().unwrap().is_none());
        journal.append(&records(0..3)).unwrap();
        journal.append(&records(3..5)).unwrap();
        assert!(journal.has_records());
        let file = journal.take().unwrap().unwrap();
        journal.append(&records(5..6)).unwrap();
        let first = journal.read_chunk(&file, 0, 3).unwrap();
        assert_eq!(ids(&first.records), ["c0", "c1", "c2"]);
        assert!(!first.end_of_file);
        let rest = journal.read_chunk(&file, first.next_offset, 3).unwrap();
        assert_eq!(ids(&rest.records), ["c3", "c4"]);
        assert!(rest.end_of_file);
        // An interrupted replay is taken again before the live file.
        assert_eq!(journal.take().unwrap().unwrap(), file);
        journal.finish(&file).unwrap();
        let next = journal.take().unwrap().unwrap();
        assert_eq!(
            ids(&journal.read_chunk(&next, 0, 10).unwrap().records),
            ["c5"]
        );
        journal.finish(&next).unwrap();
        assert!(journal.take().unwrap().is_none());
        assert!(!journal.has_records());
    }

    // A torn line is moved to the .corrupt file; the records around it are kept.
    #[test]
    fn quarantines_torn_lines() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::new(dir.path().join("j.jsonl"));
        journal.append(&records(0..1)).unwrap();
        OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap()
            .write_all(b"{\"call_id\": \"torn")
            .unwrap();
        journal.append(&records(1..2)).unwrap();
        let file = journal.take().unwrap().unwrap();
        let chunk = journal.read_chunk(&file, 0, 10).unwrap();
        assert_eq!(ids(&chunk.records), ["c0", "c1"]);
        let corrupt = fs::read_to_string(dir.path().join("j.jsonl.corrupt")).unwrap();
        assert!(corrupt.contains("torn"));
    }
}
