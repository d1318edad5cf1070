//! Sessions in the therapist's calendar (called appointments here: a [`crate::vault`] session
//! is an unlocked connection).
//!
//! # Rules
//! - A session is **planned** for a client, optionally in one of the client's courses, at a
//!   moment, for 5–600 minutes, of a [`AppointmentKind`], with an optional fee in öre/øre/cents
//!   of the practice's currency.
//! - Its **attendance** is recorded once: attended, cancelled in time, cancelled late, or not
//!   come. "Attended" and "did not come" are facts about a session that has begun, so they are
//!   refused for one that starts more than [`EARLY_RECORDING`] from now; a cancellation can be
//!   recorded any time. The first recording stands (the database refuses a second).
//! - Only a planned session can be moved, changed or removed (a booking made by mistake). A
//!   recorded one is a record of contact, and of what may be invoiced: it stays with the
//!   journal until erasure, and the database refuses to change or delete it.
//! - An attended session **starts its journal entry**: a draft dated at the session's start,
//!   with its length, in the session's course (or the client's open course), its body from the
//!   chosen template. A session has at most one entry. Its kind follows the session's: a phone
//!   session is a phone call, a video session a video session, any other a session.
//! - A note written from the logbook instead is **about the booked session** of that client
//!   that is planned or attended, has no note yet, and began in the last [`NOTE_LOOKBACK`] or
//!   begins within [`EARLY_RECORDING`] (the one starting nearest to now): the note's time,
//!   length and kind are that session's.
//! - **Chargeable** sessions are those attended, cancelled late or not come to, with a fee; one
//!   is "not yet invoiced" until it is on an invoice that stands (not credited), draft or issued
//!   ([`crate::invoicing`]).
//! - Restriction of processing (art. 18) refuses new sessions and changes (the database
//!   refuses too); reading stays possible.
//! - Reads are logged: a client's sessions as a read of the client, the week view and the list
//!   not yet invoiced (which name clients) as a read of sessions.

use chrono::{DateTime, Duration, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::entries::{self, EntryInput, EntryKind, NewEntry};
use super::profile::{enum_to_str, parse_enum, Language};
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{search, time, Error, Reason, Result, Vault};

/// How far ahead of its start a session's attendance (or absence) may be recorded: a therapist
/// who opens the door a little early records it then.
pub const EARLY_RECORDING: Duration = Duration::hours(1);

/// How long after its start a booked session is still the one a new note is about (a note
/// written at the end of the day covers the morning's sessions).
pub const NOTE_LOOKBACK: Duration = Duration::hours(12);

/// The longest span the week view reads at once (six weeks: a month view with its edges).
pub const MAX_SPAN_DAYS: i64 = 42;

closed_enum! {
    /// What kind of session.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum AppointmentKind {
        /// One client in the room.
        #[default]
        Individual,
        /// A couple.
        Couple,
        /// A group.
        Group,
        /// By phone.
        Phone,
        /// By video.
        Video,
    }
}

closed_enum! {
    /// Whether the session took place.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum Attendance {
        /// Not yet recorded.
        #[default]
        Planned,
        /// The session took place.
        Attended,
        /// Cancelled in time (no fee by the usual terms).
        CancelledInTime,
        /// Cancelled too late (often charged).
        LateCancellation,
        /// The client did not come.
        NoShow,
    }
}

impl Attendance {
    /// Whether a fee can be due: the session took place or its time was lost.
    pub fn chargeable(self) -> bool {
        matches!(self, Attendance::Attended | Attendance::LateCancellation | Attendance::NoShow)
    }
}

/// A session to plan, or a planned session's new details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppointmentInput {
    /// The course it belongs to (one of the client's), if any.
    pub course_id: Option<i64>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Length in minutes (5–600).
    pub minutes: u32,
    /// Kind.
    pub kind: AppointmentKind,
    /// Fee in öre/øre/cents (`None`: none set).
    pub fee: Option<i64>,
}

/// A session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Appointment {
    /// Row id.
    pub id: i64,
    /// The client.
    pub client_id: i64,
    /// The course, if any.
    pub course_id: Option<i64>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Length in minutes.
    pub minutes: u32,
    /// Kind.
    pub kind: AppointmentKind,
    /// Planned, or what happened.
    pub attendance: Attendance,
    /// Fee in öre/øre/cents.
    pub fee: Option<i64>,
    /// The journal entry written for it.
    pub entry_id: Option<i64>,
    /// When it was planned.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// The booked session a new note is about: what the note takes from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NoteSession {
    /// The session.
    pub appointment_id: i64,
    /// When it started (the note's time).
    pub starts_at: DateTime<Utc>,
    /// Its length in minutes (the note's).
    pub minutes: u32,
    /// The note's kind.
    pub kind: EntryKind,
}

/// The kind of the journal entry a session of `kind` is recorded as.
pub fn entry_kind(kind: AppointmentKind) -> EntryKind {
    match kind {
        AppointmentKind::Phone => EntryKind::PhoneCall,
        AppointmentKind::Video => EntryKind::Video,
        AppointmentKind::Individual | AppointmentKind::Couple | AppointmentKind::Group => EntryKind::Session,
    }
}

/// Of a client's sessions, the one a new note written at `now` is about (see the module's
/// rules). Pure.
pub fn note_session(sessions: &[Appointment], now: DateTime<Utc>) -> Option<NoteSession> {
    sessions
        .iter()
        .filter(|a| matches!(a.attendance, Attendance::Planned | Attendance::Attended) && a.entry_id.is_none())
        .filter(|a| a.starts_at <= now + EARLY_RECORDING && a.starts_at >= now - NOTE_LOOKBACK)
        .min_by_key(|a| (a.starts_at - now).num_seconds().abs())
        .map(|a| NoteSession {
            appointment_id: a.id,
            starts_at: a.starts_at,
            minutes: a.minutes,
            kind: entry_kind(a.kind),
        })
}

/// A client's session as their sessions tab shows it: with what may be recorded for it now, so
/// the screen offers only what the core would accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppointmentRow {
    /// The session.
    pub appointment: Appointment,
    /// The outcomes that may be recorded now, in [`Attendance::ALL`]'s order: none once one is
    /// recorded, only cancellations before the session has begun.
    pub may_record: Vec<Attendance>,
}

/// A session with its client's name, for lists that span clients (the week, not yet invoiced).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CalendarItem {
    /// The session.
    pub appointment: Appointment,
    /// "Given Family".
    pub client_name: String,
}

pub(crate) struct Clean {
    starts_at: String,
    minutes: u32,
    kind: String,
    fee: Option<i64>,
}

impl AppointmentInput {
    pub(crate) fn clean(&self) -> Result<Clean> {
        if !(5..=600).contains(&self.minutes) {
            return Err(Error::invalid("minutes", Reason::OutOfRange));
        }
        if self.fee.is_some_and(|f| !(0..=100_000_000).contains(&f)) {
            return Err(Error::invalid("fee", Reason::OutOfRange));
        }
        Ok(Clean {
            starts_at: time::to_string(&self.starts_at),
            minutes: self.minutes,
            kind: enum_to_str(&self.kind),
            fee: self.fee,
        })
    }
}

/// Whether `attendance` may be recorded for a session starting at `starts_at`, at `now`.
/// Pure, so the boundary is tested without a vault.
pub(crate) fn may_record(attendance: Attendance, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    match attendance {
        Attendance::Planned => Err(Error::invalid("attendance", Reason::Required)),
        Attendance::Attended | Attendance::NoShow if starts_at > now + EARLY_RECORDING => {
            Err(Error::invalid("attendance", Reason::InFuture))
        }
        _ => Ok(()),
    }
}

const COLUMNS: &str =
    "id, client_id, course_id, starts_at, minutes, kind, attendance, fee, entry_id, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Appointment> {
    Ok(Appointment {
        id: r.get(0)?,
        client_id: r.get(1)?,
        course_id: r.get(2)?,
        starts_at: time::parse_ts(&r.get::<_, String>(3)?),
        minutes: r.get(4)?,
        kind: parse_enum(&r.get::<_, String>(5)?)?,
        attendance: parse_enum(&r.get::<_, String>(6)?)?,
        fee: r.get(7)?,
        entry_id: r.get(8)?,
        created_at: time::parse_ts(&r.get::<_, String>(9)?),
        updated_at: time::parse_ts(&r.get::<_, String>(10)?),
    })
}

pub(crate) fn load(conn: &Connection, id: i64) -> Result<Appointment> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM appointment WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("appointment"))
}

/// A client's sessions, newest first (not logged: the caller logs the read).
pub(crate) fn of_client(conn: &Connection, client_id: i64) -> Result<Vec<Appointment>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM appointment WHERE client_id = ?1 ORDER BY starts_at DESC, id DESC"
    ))?;
    let rows = st.query_map([client_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// A session with the outcomes that may be recorded for it at `now`.
fn with_choices(a: Appointment, now: DateTime<Utc>) -> AppointmentRow {
    let may_record = if a.attendance == Attendance::Planned {
        Attendance::ALL.iter().copied().filter(|&o| may_record(o, a.starts_at, now).is_ok()).collect()
    } else {
        Vec::new()
    };
    AppointmentRow { appointment: a, may_record }
}

/// Every session starting in `[from, to)`, earliest first, with what may be recorded at `now`
/// and its client's name (the home page's day; not logged: the caller logs the read).
pub(crate) fn day_rows(
    conn: &Connection,
    from: &DateTime<Utc>,
    to: &DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Vec<(AppointmentRow, String)>> {
    let rows = with_names(
        conn,
        "a.starts_at >= ?1 AND a.starts_at < ?2",
        params![time::to_string(from), time::to_string(to)],
    )?;
    Ok(rows.into_iter().map(|c| (with_choices(c.appointment, now), c.client_name)).collect())
}

fn with_names(conn: &Connection, filter: &str, args: impl rusqlite::Params) -> Result<Vec<CalendarItem>> {
    let cols = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ");
    let mut st = conn.prepare(&format!(
        "SELECT {cols}, c.given_name || ' ' || c.family_name FROM appointment a JOIN client c ON c.id = a.client_id
         WHERE {filter} ORDER BY a.starts_at, a.id"
    ))?;
    let rows = st
        .query_map(args, |r| Ok(CalendarItem { appointment: from_row(r)?, client_name: r.get(11)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Writes a session row: the one insert of a session. `course_id` is already checked to be the
/// client's; an imported session arrives with its attendance and note.
pub(crate) fn insert_received(
    tx: &Connection,
    client_id: i64,
    input: &AppointmentInput,
    course_id: Option<i64>,
    attendance: Attendance,
    entry_id: Option<i64>,
    now: &str,
) -> Result<i64> {
    let c = input.clean()?;
    tx.prepare_cached(
        "INSERT INTO appointment (id, client_id, course_id, starts_at, minutes, kind, attendance, fee, entry_id,
           created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
    )?
    .execute(params![
        ids::next(tx, IdTable::Appointment)?,
        client_id,
        course_id,
        c.starts_at,
        c.minutes,
        c.kind,
        enum_to_str(&attendance),
        c.fee,
        entry_id,
        now
    ])?;
    Ok(tx.last_insert_rowid())
}

/// The course a session belongs to must be one of its client's.
fn check_course(conn: &Connection, client_id: i64, course_id: Option<i64>) -> Result<()> {
    if let Some(id) = course_id {
        let owner: Option<i64> =
            conn.query_row("SELECT client_id FROM course WHERE id = ?1", [id], |r| r.get(0)).optional()?;
        if owner != Some(client_id) {
            return Err(Error::invalid("course_id", Reason::NotThisClient));
        }
    }
    Ok(())
}

fn planned(a: &Appointment) -> Result<()> {
    if a.attendance == Attendance::Planned {
        Ok(())
    } else {
        Err(Error::invalid("attendance", Reason::AlreadyDone))
    }
}

/// The course a session's note goes in: the session's own, else the client's newest open
/// course, else their newest.
fn note_course(conn: &Connection, a: &Appointment) -> Result<i64> {
    if let Some(id) = a.course_id {
        return Ok(id);
    }
    conn.query_row(
        "SELECT id FROM course WHERE client_id = ?1 ORDER BY end_date IS NOT NULL, start_date DESC, id DESC LIMIT 1",
        [a.client_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(Error::invalid("course_id", Reason::Required))
}

impl Vault {
    /// Plans a session for a client.
    pub fn plan_appointment(&mut self, client_id: i64, input: &AppointmentInput) -> Result<Appointment> {
        input.clean()?;
        self.session()?.write(Action::Appointment, |tx| {
            super::clients::exists(tx, client_id)?;
            check_course(tx, client_id, input.course_id)?;
            let id =
                insert_received(tx, client_id, input, input.course_id, Attendance::Planned, None, &time::now_string())?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Appointment, id, client_id)))
        })
    }

    /// Moves or changes a planned session. A recorded one is refused (`attendance`,
    /// [`Reason::AlreadyDone`]).
    pub fn update_appointment(&mut self, id: i64, input: &AppointmentInput) -> Result<Appointment> {
        let c = input.clean()?;
        self.session()?.write(Action::Appointment, |tx| {
            let a = load(tx, id)?;
            planned(&a)?;
            check_course(tx, a.client_id, input.course_id)?;
            tx.execute(
                "UPDATE appointment SET course_id = ?2, starts_at = ?3, minutes = ?4, kind = ?5, fee = ?6, updated_at = ?7
                 WHERE id = ?1",
                params![id, input.course_id, c.starts_at, c.minutes, c.kind, c.fee, time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Appointment, id, a.client_id)))
        })
    }

    /// Sets (or clears) the fee of a session, planned or recorded: it is often agreed afterwards.
    /// Invoices already issued keep their own prices.
    pub fn set_appointment_fee(&mut self, id: i64, fee: Option<i64>) -> Result<Appointment> {
        if fee.is_some_and(|f| !(0..=100_000_000).contains(&f)) {
            return Err(Error::invalid("fee", Reason::OutOfRange));
        }
        self.session()?.write(Action::Appointment, |tx| {
            let a = load(tx, id)?;
            tx.execute(
                "UPDATE appointment SET fee = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, fee, time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Appointment, id, a.client_id)))
        })
    }

    /// Records whether a planned session took place, as of `now`. See the module's rules.
    pub fn record_attendance(&mut self, id: i64, attendance: Attendance, now: DateTime<Utc>) -> Result<Appointment> {
        self.session()?.write(Action::Appointment, |tx| {
            let a = load(tx, id)?;
            planned(&a)?;
            may_record(attendance, a.starts_at, now)?;
            tx.execute(
                "UPDATE appointment SET attendance = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, enum_to_str(&attendance), time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Appointment, id, a.client_id)))
        })
    }

    /// Removes a planned session (booked by mistake). A recorded one is refused.
    pub fn remove_appointment(&mut self, id: i64) -> Result<()> {
        self.session()?.write(Action::Appointment, |tx| {
            let a = load(tx, id)?;
            planned(&a)?;
            // The access log names it by id: never hand the id out again.
            ids::retire_up_to_max(tx, IdTable::Appointment)?;
            tx.execute("DELETE FROM appointment WHERE id = ?1", [id])?;
            Ok(((), Target::object(ObjectKind::Appointment, id, a.client_id)))
        })
    }

    /// Starts the journal entry of an attended session: a draft dated at the session's start,
    /// with its length, its body from the template `template_id` (headings in `lang`), linked to
    /// the session. Refused for a session not attended, or one that has its entry already.
    pub fn start_appointment_note(
        &mut self,
        id: i64,
        template_id: Option<&str>,
        lang: Language,
    ) -> Result<entries::Entry> {
        let template = match template_id {
            Some(t) => Some(self.template(t, lang)?),
            None => None,
        };
        self.session()?.write(Action::EntryCreate, |tx| {
            let a = load(tx, id)?;
            if a.attendance != Attendance::Attended {
                return Err(Error::invalid("attendance", Reason::Required));
            }
            if a.entry_id.is_some() {
                return Err(Error::invalid("entry_id", Reason::AlreadyDone));
            }
            let course_id = note_course(tx, &a)?;
            let input = EntryInput {
                kind: entry_kind(a.kind),
                occurred_at: Some(a.starts_at),
                duration_minutes: Some(a.minutes),
                title: String::new(),
                body: template.as_ref().map(|t| t.body.clone()).unwrap_or_default(),
                tags: Vec::new(),
                template_id: template.as_ref().map(|t| t.id.clone()),
            };
            let content = entries::clean(&input)?;
            let entry_id = entries::insert(
                tx,
                &NewEntry {
                    client_id: a.client_id,
                    course_id,
                    content: &content,
                    recorded_at: time::now_string(),
                    signed: None,
                },
            )?;
            search::index(tx, &entries::search_document(tx, entry_id)?)?;
            tx.execute(
                "UPDATE appointment SET entry_id = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, entry_id, time::now_string()],
            )?;
            Ok((entries::load(tx, entry_id)?, Target::object(ObjectKind::Entry, entry_id, a.client_id)))
        })
    }

    /// A client's sessions, newest first, each with what may be recorded for it at `now`
    /// (logged as a read of the client).
    pub fn appointments(&mut self, client_id: i64, now: DateTime<Utc>) -> Result<Vec<AppointmentRow>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let rows = of_client(s.reader(), client_id)?;
        s.log(Action::AppointmentRead, Target::client(client_id))?;
        Ok(rows.into_iter().map(|a| with_choices(a, now)).collect())
    }

    /// The booked session a new note for the client is about at `now`, if any (logged as a read
    /// of the client's sessions).
    pub fn note_session(&mut self, client_id: i64, now: DateTime<Utc>) -> Result<Option<NoteSession>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let rows = of_client(s.reader(), client_id)?;
        s.log(Action::AppointmentRead, Target::client(client_id))?;
        Ok(note_session(&rows, now))
    }

    /// Every session starting in `[from, to)`, earliest first, with its client's name: the
    /// week view. At most [`MAX_SPAN_DAYS`] at once.
    pub fn calendar(&mut self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<CalendarItem>> {
        if to <= from {
            return Err(Error::invalid("to", Reason::BeforeStart));
        }
        if to - from > Duration::days(MAX_SPAN_DAYS) {
            return Err(Error::invalid("to", Reason::OutOfRange));
        }
        let s = self.session()?;
        let rows = with_names(
            s.reader(),
            "a.starts_at >= ?1 AND a.starts_at < ?2",
            params![time::to_string(&from), time::to_string(&to)],
        )?;
        s.log(Action::AppointmentRead, Target::none())?;
        Ok(rows)
    }

    /// Chargeable sessions (attended, cancelled late or not come to, with a fee) on no invoice
    /// that stands, oldest first, with their clients' names.
    pub fn uninvoiced_appointments(&mut self) -> Result<Vec<CalendarItem>> {
        let s = self.session()?;
        let filter = format!(
            "a.attendance IN ('attended', 'late_cancellation', 'no_show') AND a.fee > 0 AND {}",
            crate::invoicing::NOT_INVOICED_SQL
        );
        let rows = with_names(s.reader(), &filter, [])?;
        s.log(Action::AppointmentRead, Target::none())?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn attendance_is_recorded_once_the_session_has_begun_cancellations_any_time() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap();
        let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 3, h, m, 0).unwrap();
        // The boundary: exactly one hour ahead is allowed, a minute more is not.
        assert!(may_record(Attendance::Attended, at(11, 0), now).is_ok());
        assert!(matches!(may_record(Attendance::Attended, at(11, 1), now),
            Err(Error::Validation(f)) if f.field == "attendance" && f.reason == Reason::InFuture));
        assert!(may_record(Attendance::NoShow, at(11, 1), now).is_err());
        assert!(may_record(Attendance::NoShow, at(9, 0), now).is_ok());
        for cancelled in [Attendance::CancelledInTime, Attendance::LateCancellation] {
            assert!(may_record(cancelled, at(23, 0), now).is_ok());
        }
        assert!(may_record(Attendance::Planned, at(9, 0), now).is_err());
    }

    #[test]
    fn minutes_and_fee_are_checked() {
        let base = AppointmentInput {
            course_id: None,
            starts_at: Utc.with_ymd_and_hms(2026, 12, 3, 10, 0, 0).unwrap(),
            minutes: 50,
            kind: AppointmentKind::Individual,
            fee: Some(95_000),
        };
        assert!(base.clean().is_ok());
        for (minutes, fee, field) in [(4, None, "minutes"), (601, None, "minutes"), (50, Some(-1), "fee")] {
            let bad = AppointmentInput { minutes, fee, ..base.clone() };
            assert!(
                matches!(bad.clean(), Err(Error::Validation(f)) if f.field == field && f.reason == Reason::OutOfRange)
            );
        }
        assert!(Attendance::NoShow.chargeable() && !Attendance::CancelledInTime.chargeable());
    }

    #[test]
    fn a_new_note_is_about_the_nearest_open_session_of_the_last_twelve_hours_or_the_next_hour() {
        let now = Utc.with_ymd_and_hms(2026, 12, 3, 16, 0, 0).unwrap();
        let at = |h: u32| Utc.with_ymd_and_hms(2026, 12, 3, h, 0, 0).unwrap();
        let session = |id: i64, starts_at, kind, attendance, entry_id: Option<i64>| Appointment {
            id,
            client_id: 1,
            course_id: None,
            starts_at,
            minutes: 45 + id as u32,
            kind,
            attendance,
            fee: None,
            entry_id,
            created_at: now,
            updated_at: now,
        };
        let ind = AppointmentKind::Individual;
        // 09:00 attended, 14:00 video planned, 15:00 attended with its note, 16:50 planned,
        // yesterday 15:00 planned: the 14:00 video is nearest among those that count.
        let rows = vec![
            session(1, at(9), ind, Attendance::Attended, None),
            session(2, at(14), AppointmentKind::Video, Attendance::Planned, None),
            session(3, at(15), ind, Attendance::Attended, Some(7)),
            session(4, at(16) + Duration::minutes(61), ind, Attendance::Planned, None),
            session(5, at(15) - Duration::days(1), ind, Attendance::Planned, None),
            session(6, at(15) + Duration::minutes(30), ind, Attendance::CancelledInTime, None),
        ];
        let n = note_session(&rows, now).unwrap();
        assert_eq!((n.appointment_id, n.starts_at, n.minutes, n.kind), (2, at(14), 47, EntryKind::Video));
        // Without it, the morning's session (7 hours ago) is next; the edges hold.
        assert_eq!(note_session(&rows[2..], now), None, "a note, the next hour's edge, yesterday, a cancellation");
        assert_eq!(note_session(&[rows[0].clone()], now).unwrap().appointment_id, 1);
        assert_eq!(
            note_session(&[session(8, now - NOTE_LOOKBACK, ind, Attendance::Planned, None)], now).unwrap().kind,
            EntryKind::Session
        );
        assert!(note_session(
            &[session(9, now + EARLY_RECORDING, AppointmentKind::Phone, Attendance::Planned, None)],
            now
        )
        .is_some_and(|n| n.kind == EntryKind::PhoneCall));
    }
}
