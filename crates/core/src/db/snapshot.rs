//! Connections for backups: a read-only source next to the live vault, a consistent view of
//! the live file itself (the fast path) or a snapshot file keyed with the same raw key (the
//! fallback), and a read-only open of a snapshot unpacked from a backup.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::Connection;

use super::{open_keyed, Mode};
use crate::keys::secret::DatabaseKey;
use crate::{Error, Result};

/// Pages copied per backup step; between steps the source's read transaction stays open, so
/// the copy is consistent while the app keeps writing through its own connection (WAL).
const PAGES_PER_STEP: i32 = 1024;

/// A second, query-only connection to the live vault database.
pub(crate) fn open_source(path: &Path, key: &DatabaseKey) -> Result<Connection> {
    let conn = open_keyed(path, key, Mode::Existing)?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY;")?;
    Ok(conn)
}

/// Tries to make the live database file itself a consistent snapshot: starts a read
/// transaction on `src` in which the file on disk holds exactly the database `src` sees, and
/// keeps it open (the caller ends it with `COMMIT` after copying the file's bytes). Returns the
/// file's length, or `None` (no transaction left open) when that could not be shown.
///
/// Why this holds (SQLite's WAL rules): only a checkpoint writes the main file, and it never
/// copies a frame past the read mark of a live reader, nor any frame while a reader holds read
/// lock 0 (which a transaction takes when the log is fully checkpointed as it starts). So once
/// a checkpoint, run after our transaction began, reports every frame of the log copied
/// (`log == checkpointed`), the file equals our view and cannot change until we end it; the
/// app's commits meanwhile go to the log. Anything else (a reader holding old frames, another
/// checkpoint running) is retried a few times, then the caller copies page by page instead.
pub(crate) fn hold_live_file(src: &Connection, path: &Path, key: &DatabaseKey) -> Result<Option<u64>> {
    const TRIES: u64 = 5;
    for attempt in 0..TRIES {
        if attempt > 0 {
            std::thread::sleep(std::time::Duration::from_millis(25 * attempt));
        }
        // Empty the log into the file first (PASSIVE never waits for, or blocks, anyone).
        let probe = open_keyed(path, key, Mode::Existing)?;
        let _ = checkpoint(&probe);
        src.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM sqlite_schema;")?;
        let held = match checkpoint(&probe) {
            Ok((0, log, done)) if log == done => live_len(src, path)?,
            _ => None,
        };
        if held.is_some() {
            return Ok(held);
        }
        src.execute_batch("COMMIT;")?;
    }
    Ok(None)
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: (busy, frames in the log, frames checkpointed).
fn checkpoint(c: &Connection) -> Result<(i64, i64, i64)> {
    Ok(c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// The file's length when it is exactly the pages `src` sees (a file longer than the
/// database, which a shrinking checkpoint leaves for a moment, is not copied raw).
fn live_len(src: &Connection, path: &Path) -> Result<Option<u64>> {
    let pages = pragma_u64(src, "page_count")?;
    let size = pragma_u64(src, "page_size")?;
    let len = std::fs::metadata(path).map_err(Error::io("read the database"))?.len();
    Ok((pages > 0 && len == pages * size).then_some(len))
}

/// An integer pragma (SQLCipher answers some of them as text).
pub(crate) fn pragma_u64(c: &Connection, name: &str) -> Result<u64> {
    let v = c.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0))?;
    match v {
        rusqlite::types::Value::Integer(n) if n >= 0 => Ok(n as u64),
        rusqlite::types::Value::Text(t) => t.trim().parse().map_err(|_| Error::Internal("pragma value")),
        _ => Err(Error::Internal("pragma value")),
    }
}

/// Copies the whole database behind `src` into a new encrypted file at `dest` (created 0600,
/// keyed with the same raw key). `progress(done_pages, total_pages)` is called per step; its error (a cancelled job) stops the copy. On
/// error the caller removes `dest`.
pub(crate) fn snapshot(
    src: &Connection,
    dest: &Path,
    key: &DatabaseKey,
    progress: &mut dyn FnMut(u64, u64) -> Result<()>,
) -> Result<()> {
    let mut dst = open_keyed(dest, key, Mode::Create)?;
    // A scratch file, deleted if anything fails: no journal, no fsync while it is filled.
    dst.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    // One read transaction over every step: the snapshot is of one instant, and other
    // connections' commits (WAL) neither block it nor restart it.
    src.execute_batch("BEGIN DEFERRED; SELECT count(*) FROM sqlite_schema;")?;
    let result = (|| {
        let b = Backup::new(src, &mut dst)?;
        loop {
            match b.step(PAGES_PER_STEP)? {
                StepResult::Done => {
                    let p = b.progress();
                    progress(p.pagecount as u64, p.pagecount as u64)?;
                    break;
                }
                StepResult::More => {
                    let p = b.progress();
                    progress((p.pagecount - p.remaining) as u64, p.pagecount as u64)?;
                }
                StepResult::Busy | StepResult::Locked => std::thread::sleep(std::time::Duration::from_millis(20)),
                _ => return Err(Error::Internal("unexpected backup step result")),
            }
        }
        Ok::<_, Error>(())
    })();
    let _ = src.execute_batch("COMMIT;");
    result?;
    // A self-contained file: no -wal/-shm companions, so it opens read-only anywhere.
    let mode: String = dst.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(Error::Internal("snapshot journal mode"));
    }
    dst.close().map_err(|(_, e)| Error::from(e))?;
    Ok(())
}

/// Opens a snapshot (from a backup) read-only to check it. Never migrates or writes.
pub(crate) fn open_check(path: &Path, key: &DatabaseKey) -> Result<Connection> {
    let conn = open_keyed(path, key, Mode::ReadOnly)?;
    // A larger cache spares SQLCipher decrypting pages twice during the integrity checks.
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;")?;
    Ok(conn)
}
