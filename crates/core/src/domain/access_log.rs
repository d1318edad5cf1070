//! Reading the access log: the newest rows for the therapist (reading is logged too) and a
//! walk of the whole chain. Writing it is [`crate::audit`]'s alone.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::law::{self, RecordKind, Rule};

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
    WHEN 'appointment' THEN (SELECT a.kind FROM appointment a WHERE a.id = l.object_id)
    WHEN 'invoice' THEN (SELECT CAST(i.number AS TEXT) FROM invoice i WHERE i.id = l.object_id)
    WHEN 'measure' THEN (SELECT coalesce(
      (SELECT json_extract(i.definition, '$.name') FROM instrument i WHERE 'custom-' || i.id = m.instrument),
      m.instrument) FROM measure m WHERE m.id = l.object_id)
    WHEN 'instrument' THEN (SELECT json_extract(i.definition, '$.name') FROM instrument i WHERE i.id = l.object_id)
  END,
  CASE l.object_kind
    WHEN 'entry' THEN (SELECT substr(e.occurred_at, 1, 10) FROM entry e WHERE e.id = l.object_id)
    WHEN 'course' THEN (SELECT c.start_date FROM course c WHERE c.id = l.object_id)
    WHEN 'attachment' THEN (SELECT substr(a.added_at, 1, 10) FROM attachment a WHERE a.id = l.object_id)
    WHEN 'consent' THEN (SELECT c.given_on FROM consent c WHERE c.id = l.object_id)
    WHEN 'appointment' THEN (SELECT substr(a.starts_at, 1, 10) FROM appointment a WHERE a.id = l.object_id)
    WHEN 'invoice' THEN (SELECT i.issued_on FROM invoice i WHERE i.id = l.object_id)
    WHEN 'measure' THEN (SELECT m.taken_on FROM measure m WHERE m.id = l.object_id)
  END";

/// Reads a day written by [`SUBJECT_SQL`] (`None` when absent or not a date).
pub(crate) fn subject_day(v: Option<String>) -> Option<chrono::NaiveDate> {
    v.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

use crate::audit::{self, Action, LogEntry, LogVerification, Target};
use crate::{Result, Vault};

/// What the profile's access-log rule allows to delete today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogRetention {
    /// The rule (none under the custom profile: nothing goes by a rule).
    pub rule: Option<Rule>,
    /// Rows past the period (the newest row always stays).
    pub due_rows: i64,
    /// The last day whose rows are past the period.
    pub last_due_day: Option<NaiveDate>,
}

/// The last day whose rows are past `rule`'s period on `today`: the latest `d` with
/// `add_period(d) <= today` (a period from 29 February ends on 1 March, never a day early).
fn last_due_day(rule: &Rule, today: NaiveDate) -> Option<NaiveDate> {
    let mut d = today.checked_sub_months(chrono::Months::new(rule.years * 12 + rule.months))?;
    while law::add_period(d, rule.years, rule.months) > today {
        d = d.pred_opt()?;
    }
    while d.succ_opt().is_some_and(|n| law::add_period(n, rule.years, rule.months) <= today) {
        d = d.succ_opt()?;
    }
    Some(d)
}

fn due(
    conn: &rusqlite::Connection,
    rule: Option<&Rule>,
    today: NaiveDate,
) -> Result<(i64, Option<i64>, Option<NaiveDate>)> {
    let Some(day) = rule.and_then(|r| last_due_day(r, today)) else { return Ok((0, None, None)) };
    let Some(keep) = audit::prune::first_kept(conn, day)? else { return Ok((0, None, Some(day))) };
    let rows: i64 = conn.query_row("SELECT count(*) FROM access_log WHERE seq < ?1", [keep], |r| r.get(0))?;
    Ok((rows, Some(keep), Some(day)))
}

impl Vault {
    /// How many access-log rows the profile's rule lets go today (not logged: no personal data).
    pub fn access_log_retention(&mut self, today: NaiveDate) -> Result<LogRetention> {
        let rule = law::rule_for(self.profile()?.jurisdiction, RecordKind::AccessLog).copied();
        let s = self.session()?;
        let (due_rows, _, last_due_day) = due(s.reader(), rule.as_ref(), today)?;
        Ok(LogRetention { rule, due_rows, last_due_day })
    }

    /// Deletes the access-log rows past the profile's period and
    /// logs that it did (`log_prune`): a start marker keeps the rest of the chain verifiable. Returns
    /// how many rows went; 0 writes nothing.
    pub fn prune_access_log(&mut self, today: NaiveDate) -> Result<i64> {
        let rule = law::rule_for(self.profile()?.jurisdiction, RecordKind::AccessLog).copied();
        let s = self.session()?;
        let (rows, keep, _) = due(s.reader(), rule.as_ref(), today)?;
        let Some(keep) = keep.filter(|_| rows > 0) else { return Ok(0) };
        s.writable(|c| {
            let tx = c.unchecked_transaction()?;
            let gone = audit::prune::prune_before(&tx, &s.log_key, keep)?;
            audit::append(&tx, &s.log_key, Action::LogPrune, Target::none())?;
            tx.commit()?;
            Ok(gone)
        })
    }

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
