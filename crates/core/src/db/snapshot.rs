//! Connections for backups: a read-only source next to the live vault, a snapshot file keyed
//! with the same raw key, and a read-only open of a snapshot unpacked from a backup.

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
