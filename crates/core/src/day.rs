//! The therapist's day: what the home page shows after unlocking.
//!
//! One read, logged once (`day_read`), of what needs the therapist today:
//! - the sessions starting in the local day `[from, to)` the caller names (the app knows the
//!   computer's time zone, the core does not), earliest first, with what may be recorded now;
//! - unsigned notes (drafts), oldest first: a note left unsigned is the most common gap in a
//!   journal an inspector finds;
//! - issued invoices past their due day and not paid;
//! - how many clients have a record whose retention period is over (the due list);
//! - the backup status, and whether a verified backup exists at all.
//!
//! Names, times, numbers and amounts only: no note title or text, no diagnosis, no course
//! title. The home page may be on screen while a client walks in; what it shows is what a
//! paper appointment book on the desk would show.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::backup::BackupStatus;
use crate::domain::appointments::AppointmentRow;
use crate::domain::entries::EntryKind;
use crate::domain::profile::parse_enum;
use crate::invoicing::InvoiceState;
use crate::{time, Error, Reason, Result, Vault};

/// A note not yet signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UnsignedNote {
    /// The entry.
    pub entry_id: i64,
    /// Its client.
    pub client_id: i64,
    /// "Given Family".
    pub client_name: String,
    /// Kind of contact.
    pub kind: EntryKind,
    /// When the contact happened.
    pub occurred_at: DateTime<Utc>,
}

/// An issued invoice past its due day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OverdueInvoice {
    /// The invoice.
    pub invoice_id: i64,
    /// Its number.
    pub number: i64,
    /// The buyer as invoiced.
    pub buyer_name: String,
    /// When it was due.
    pub due_on: NaiveDate,
    /// What is still to be paid, in öre/øre/cents.
    pub outstanding: i64,
    /// ISO 4217.
    pub currency: String,
}

/// A session of the day, with its client's name and what may be recorded now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DaySession {
    /// The session and what may be recorded now.
    pub row: AppointmentRow,
    /// "Given Family".
    pub client_name: String,
}

/// The home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Day {
    /// Sessions starting in the day, earliest first.
    pub sessions: Vec<DaySession>,
    /// Unsigned notes, oldest first (at most [`MAX_LISTED`]).
    pub unsigned: Vec<UnsignedNote>,
    /// How many unsigned notes there are in all.
    pub unsigned_total: u32,
    /// Overdue invoices, oldest due first.
    pub overdue: Vec<OverdueInvoice>,
    /// Clients with at least one record due for deletion.
    pub due_clients: u32,
    /// Backups.
    pub backup: BackupStatus,
}

/// The longest list the home page shows of one kind; the rest are counted.
pub const MAX_LISTED: u32 = 20;

impl Vault {
    /// The day from `from` to `to` (the local midnight to midnight; at most 36 hours, for the
    /// days clocks change), on the local date `today`, at `now`.
    pub fn day(&mut self, from: DateTime<Utc>, to: DateTime<Utc>, today: NaiveDate, now: DateTime<Utc>) -> Result<Day> {
        if to <= from {
            return Err(Error::invalid("to", Reason::BeforeStart));
        }
        if to - from > chrono::Duration::hours(36) {
            return Err(Error::invalid("to", Reason::OutOfRange));
        }
        let backup = self.backup_status()?;
        let profile = self.profile()?.jurisdiction;
        let s = self.session()?;
        let conn = s.reader();
        let sessions = crate::domain::appointments::day_rows(conn, &from, &to, now)?
            .into_iter()
            .map(|(row, client_name)| DaySession { row, client_name })
            .collect();

        let unsigned_total: u32 =
            conn.query_row("SELECT count(*) FROM entry WHERE status = 'draft'", [], |r| r.get(0))?;
        let unsigned = conn
            .prepare(
                "SELECT e.id, e.client_id, c.given_name || ' ' || c.family_name, e.kind, e.occurred_at
                 FROM entry e JOIN client c ON c.id = e.client_id
                 WHERE e.status = 'draft' ORDER BY e.occurred_at, e.id LIMIT ?1",
            )?
            .query_map([MAX_LISTED], |r| {
                Ok(UnsignedNote {
                    entry_id: r.get(0)?,
                    client_id: r.get(1)?,
                    client_name: r.get(2)?,
                    kind: parse_enum(&r.get::<_, String>(3)?)?,
                    occurred_at: time::parse_ts(&r.get::<_, String>(4)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        let candidates: Vec<i64> = conn
            .prepare(
                "SELECT id FROM invoice WHERE status = 'issued' AND kind = 'invoice' AND due_on < ?1
                 ORDER BY due_on, number",
            )?
            .query_map([today.to_string()], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut overdue = Vec::new();
        for id in candidates {
            let inv = crate::invoicing::store::load(conn, id, today)?;
            if let (InvoiceState::Overdue, Some(number), Some(due_on)) = (inv.state, inv.number, inv.due_on) {
                overdue.push(OverdueInvoice {
                    invoice_id: inv.id,
                    number,
                    buyer_name: inv.buyer_name,
                    due_on,
                    outstanding: inv.outstanding,
                    currency: inv.currency,
                });
            }
        }

        let mut due: Vec<i64> = crate::retention::due(conn, profile, today)?.into_iter().map(|d| d.client_id).collect();
        due.sort_unstable();
        due.dedup();

        s.log(Action::DayRead, Target::none())?;
        Ok(Day { sessions, unsigned, unsigned_total, overdue, due_clients: due.len() as u32, backup })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
    use crate::domain::courses::CourseInput;
    use crate::domain::entries::EntryInput;
    use chrono::{Duration, TimeZone};

    #[test]
    fn the_day_lists_its_sessions_unsigned_notes_and_no_note_text() {
        let (_d, mut v) = crate::testing::unlocked_vault();
        let client = v.create_client(&crate::testing::client("Berg", "Astrid")).unwrap().id;
        let other = v.create_client(&crate::testing::client("Ek", "Nils")).unwrap().id;
        let course = v
            .create_course(
                client,
                &CourseInput {
                    title: "Secret course".into(),
                    reason: String::new(),
                    start_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
                },
            )
            .unwrap()
            .id;
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap();
        let from = Utc.with_ymd_and_hms(2026, 12, 2, 23, 0, 0).unwrap(); // midnight in Stockholm
        let to = from + Duration::hours(24);
        let plan = |v: &mut Vault, c: i64, at: DateTime<Utc>| {
            v.plan_appointment(
                c,
                &AppointmentInput {
                    starts_at: at,
                    minutes: 50,
                    kind: AppointmentKind::Individual,
                    course_id: None,
                    fee: None,
                },
            )
            .unwrap()
        };
        let late = plan(&mut v, other, Utc.with_ymd_and_hms(2026, 12, 3, 14, 0, 0).unwrap());
        let early = plan(&mut v, client, Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap());
        plan(&mut v, client, Utc.with_ymd_and_hms(2026, 12, 4, 7, 0, 0).unwrap()); // tomorrow
        plan(&mut v, client, Utc.with_ymd_and_hms(2026, 12, 2, 22, 30, 0).unwrap()); // yesterday, local
        let draft = v
            .create_entry(
                course,
                &EntryInput { title: "Secret title".into(), body: "Secret body".into(), ..Default::default() },
            )
            .unwrap();

        let day = v.day(from, to, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), now).unwrap();
        let ids: Vec<i64> = day.sessions.iter().map(|s| s.row.appointment.id).collect();
        assert_eq!(ids, [early.id, late.id], "today's only, earliest first");
        assert_eq!(day.sessions[0].client_name, "Astrid Berg");
        // The morning session has begun: it may be recorded as attended; the afternoon one not yet.
        assert!(day.sessions[0].row.may_record.contains(&Attendance::Attended));
        assert!(!day.sessions[1].row.may_record.contains(&Attendance::Attended));
        assert_eq!(day.unsigned.len(), 1);
        assert_eq!((day.unsigned[0].entry_id, day.unsigned_total), (draft.id, 1));
        assert!(day.overdue.is_empty());
        assert!(day.backup.last_verified_at.is_none());
        let json = serde_json::to_string(&day).unwrap();
        assert!(!json.contains("Secret"), "no note title or text on the home page: {json}");

        let log = v.access_log(None, 3).unwrap();
        assert_eq!(log.iter().filter(|r| r.action == Action::DayRead).count(), 1, "one log row for the page");

        assert!(matches!(v.day(to, from, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), now),
            Err(Error::Validation(f)) if f.field == "to"));
        assert!(matches!(v.day(from, from + Duration::hours(48), NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(), now),
            Err(Error::Validation(f)) if f.reason == Reason::OutOfRange));
    }
}
