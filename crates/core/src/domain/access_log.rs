//! Reading the access log: the newest rows for the therapist (reading is logged too) and a
//! walk of the whole chain. Writing it is [`crate::audit`]'s alone.

use rusqlite::params;

/// SQL naming what a log row `l` touched: its title (an entry's newest title, a course's, a
/// file's name) and its day, so a row reads "Session 3, 19 Oct", never "entry #4". Shared by
/// the app's log and the export's extract.
pub(crate) const SUBJECT_SQL: &str = "
  CASE l.object_kind
    WHEN 'entry' THEN coalesce(
      (SELECT a.title FROM amendment a WHERE a.entry_id = l.object_id ORDER BY a.id DESC LIMIT 1),
      (SELECT e.title FROM entry e WHERE e.id = l.object_id))
    WHEN 'course' THEN (SELECT c.title FROM course c WHERE c.id = l.object_id)
    WHEN 'attachment' THEN (SELECT a.file_name FROM attachment a WHERE a.id = l.object_id)
    WHEN 'consent' THEN (SELECT c.purpose FROM consent c WHERE c.id = l.object_id)
  END,
  CASE l.object_kind
    WHEN 'entry' THEN (SELECT substr(e.occurred_at, 1, 10) FROM entry e WHERE e.id = l.object_id)
    WHEN 'course' THEN (SELECT c.start_date FROM course c WHERE c.id = l.object_id)
    WHEN 'attachment' THEN (SELECT substr(a.added_at, 1, 10) FROM attachment a WHERE a.id = l.object_id)
    WHEN 'consent' THEN (SELECT c.given_on FROM consent c WHERE c.id = l.object_id)
  END";

/// Reads a day written by [`SUBJECT_SQL`] (`None` when absent or not a date).
pub(crate) fn subject_day(v: Option<String>) -> Option<chrono::NaiveDate> {
    v.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

use crate::audit::{self, Action, LogEntry, LogVerification, Target};
use crate::{Result, Vault};

impl Vault {
    /// The newest `limit` log rows, optionally for one client. Reading the log is logged too.
    pub fn access_log(&mut self, client_id: Option<i64>, limit: u32) -> Result<Vec<LogEntry>> {
        let s = self.session()?;
        let mut st = s.reader().prepare(&format!(
            "SELECT l.seq, l.at, l.action, l.object_kind, l.object_id, l.client_id, {SUBJECT_SQL}
             FROM access_log l WHERE ?1 IS NULL OR l.client_id = ?1 ORDER BY l.seq DESC LIMIT ?2"
        ))?;
        let rows = st
            .query_map(params![client_id, limit], |r| {
                Ok(LogEntry {
                    seq: r.get(0)?,
                    at: crate::time::parse_ts(&r.get::<_, String>(1)?),
                    action: r.get(2)?,
                    object_kind: r.get(3)?,
                    object_id: r.get(4)?,
                    client_id: r.get(5)?,
                    what: r.get::<_, Option<String>>(6)?.filter(|t| !t.is_empty()),
                    what_on: subject_day(r.get(7)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let target = client_id.map_or(Target::none(), Target::client);
        s.log(Action::LogRead, target)?;
        Ok(rows)
    }

    /// Verifies the whole access log chain.
    pub fn verify_access_log(&mut self) -> Result<LogVerification> {
        let s = self.session()?;
        audit::verify(s.reader(), &s.log_key)
    }
}
