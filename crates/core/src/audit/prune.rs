//! Access-log retention: deleting the oldest rows once the profile's period has passed, while
//! the rest of the chain still proves that nothing else was removed or changed.
//!
//! # How the chain survives
//! - `meta.log_start` = `seq:prev:tag` says the log now begins at row `seq`, whose `prev_mac`
//!   is `prev`; the tag is made with the log key for this purpose alone, so no one without the
//!   key can move the start (and hide rows by deleting them from the front).
//! - [`super::verify`] starts from the marker instead of row 1 and genesis; a row missing after
//!   it, a marker that does not match the first row, or a removed marker is reported as before.
//! - An anchor of an earlier key (after a re-key) whose rows are all gone is dropped; one whose
//!   rows are partly gone is recomputed over the rows that remain, after the whole chain has
//!   verified under the current key.
//! - The database refuses every delete of a log row unless a `log_prune_permit` names it, and
//!   the permit lives only inside the pruning transaction.
//! - The newest row is never deleted: the head names it and the next row chains to it.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::{read_anchor, tag, verify, write_anchor, RowDigest, StoredRow};
use crate::{Error, Result};

/// Where the log begins after a prune.
pub(crate) struct Start {
    pub seq: i64,
    pub prev: String,
}

fn start_tag(key: &[u8; 32], seq: i64, prev: &str) -> Result<String> {
    tag(key, b"access log start v1", "start", seq, prev)
}

const START_ALTERED: &str = "the start of the log was altered";

/// The start marker, its tag checked under `key`.
pub(crate) fn read_start(conn: &Connection, key: &[u8; 32]) -> Result<Option<Start>> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'log_start'", [], |r| r.get(0)).optional()?;
    let Some(s) = v else { return Ok(None) };
    let altered = || Error::LogTampered { seq: 0, problem: START_ALTERED };
    let parts: Vec<&str> = s.split(':').collect();
    let [seq, prev, t] = parts[..] else { return Err(altered()) };
    let seq: i64 = seq.parse().map_err(|_| altered())?;
    if start_tag(key, seq, prev)? != t {
        return Err(altered());
    }
    Ok(Some(Start { seq, prev: prev.to_owned() }))
}

pub(crate) fn write_start(conn: &Connection, key: &[u8; 32], seq: i64, prev: &str) -> Result<()> {
    let t = start_tag(key, seq, prev)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('log_start', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{prev}:{t}")],
    )?;
    Ok(())
}

/// The first row to keep: the oldest row whose day is after `last_due` (rows are in time
/// order), and never later than the newest row.
pub(crate) fn first_kept(conn: &Connection, last_due: NaiveDate) -> Result<Option<i64>> {
    let newest: Option<i64> = conn.query_row("SELECT max(seq) FROM access_log", [], |r| r.get(0))?;
    let Some(newest) = newest else { return Ok(None) };
    // Stored times are RFC 3339 UTC; the day's text compares as a date.
    let after: Option<i64> =
        conn.query_row("SELECT min(seq) FROM access_log WHERE substr(at, 1, 10) > ?1", [last_due.to_string()], |r| {
            r.get(0)
        })?;
    Ok(Some(after.unwrap_or(newest).min(newest)))
}

/// Deletes every row before `keep` (see the module docs). Call inside a transaction. Returns
/// how many rows went.
pub(crate) fn prune_before(conn: &Connection, key: &[u8; 32], keep: i64) -> Result<i64> {
    // Never prune a log that does not verify: the marker would bless what was done to it.
    verify(conn, key)?;
    let prev: Option<String> =
        conn.query_row("SELECT prev_mac FROM access_log WHERE seq = ?1", [keep], |r| r.get(0)).optional()?;
    let Some(prev) = prev else { return Err(Error::NotFound("log row")) };
    let gone: i64 = conn.query_row("SELECT count(*) FROM access_log WHERE seq < ?1", [keep], |r| r.get(0))?;
    if gone == 0 {
        return Ok(0);
    }
    conn.execute("INSERT INTO log_prune_permit (up_to) VALUES (?1)", [keep - 1])?;
    conn.execute("DELETE FROM access_log WHERE seq < ?1", [keep])?;
    conn.execute("DELETE FROM log_prune_permit", [])?;
    if let Some(a) = read_anchor(conn, key)? {
        if a.seq < keep {
            conn.execute("DELETE FROM meta WHERE key = 'log_anchor'", [])?;
        } else {
            let mut digest = RowDigest::new();
            StoredRow::each(conn, |r| {
                if r.seq <= a.seq {
                    digest.add(&r);
                }
                Ok(())
            })?;
            write_anchor(conn, key, a.seq, &digest.finish())?;
        }
    }
    write_start(conn, key, keep, &prev)?;
    Ok(gone)
}
