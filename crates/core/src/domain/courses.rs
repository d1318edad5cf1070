//! Courses of treatment ("vårdepisod" / "forløb"): every journal entry belongs to one.

use crate::Reason;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::validate;
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{time, Error, Result, Vault};

/// A new course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CourseInput {
    /// Title ("Stress och sömn, våren 2026").
    pub title: String,
    /// Reason for contact.
    pub reason: String,
    /// First day.
    pub start_date: NaiveDate,
}

/// A course of treatment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Course {
    /// Row id.
    pub id: i64,
    /// The client.
    pub client_id: i64,
    /// Title.
    pub title: String,
    /// Reason for contact.
    pub reason: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, once closed.
    pub end_date: Option<NaiveDate>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Course> {
    Ok(Course {
        id: r.get(0)?,
        client_id: r.get(1)?,
        title: r.get(2)?,
        reason: r.get(3)?,
        start_date: time::parse_date(&r.get::<_, String>(4)?).unwrap_or_default(),
        end_date: r.get::<_, Option<String>>(5)?.and_then(|s| time::parse_date(&s)),
        created_at: time::parse_ts(&r.get::<_, String>(6)?),
    })
}

const COLUMNS: &str = "id, client_id, title, reason, start_date, end_date, created_at";

pub(crate) fn load(conn: &Connection, id: i64) -> Result<Course> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM course WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("course"))
}

/// A client's courses, newest first (not logged: the caller logs the read).
pub(crate) fn of_client(conn: &Connection, client_id: i64) -> Result<Vec<Course>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM course WHERE client_id = ?1 ORDER BY start_date DESC, id DESC"
    ))?;
    let rows = st.query_map([client_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Vault {
    /// Opens a course for a client.
    pub fn create_course(&mut self, client_id: i64, input: &CourseInput) -> Result<Course> {
        let title = validate::one_line("title", &input.title, 200, true)?;
        let reason = validate::text("reason", &input.reason, 2000, false)?;
        self.session()?.write(Action::CourseCreate, |tx| {
            super::clients::exists(tx, client_id)?;
            let now = time::now_string();
            tx.execute(
                "INSERT INTO course (id, client_id, title, reason, start_date, created_at, updated_at)
                 VALUES (?6, ?1, ?2, ?3, ?4, ?5, ?5)",
                params![client_id, title, reason, input.start_date.to_string(), now, ids::next(tx, IdTable::Course)?],
            )?;
            let id = tx.last_insert_rowid();
            Ok((load(tx, id)?, Target::object(ObjectKind::Course, id, client_id)))
        })
    }

    /// Closes a course on `end_date` (not before its start).
    pub fn close_course(&mut self, course_id: i64, end_date: NaiveDate) -> Result<Course> {
        self.session()?.write(Action::CourseUpdate, |tx| {
            let c = load(tx, course_id)?;
            if end_date < c.start_date {
                return Err(Error::invalid("end_date", Reason::BeforeStart));
            }
            tx.execute(
                "UPDATE course SET end_date = ?2, updated_at = ?3 WHERE id = ?1",
                params![course_id, end_date.to_string(), time::now_string()],
            )?;
            Ok((load(tx, course_id)?, Target::object(ObjectKind::Course, course_id, c.client_id)))
        })
    }

    /// A client's courses, newest first.
    pub fn list_courses(&mut self, client_id: i64) -> Result<Vec<Course>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let rows = of_client(s.reader(), client_id)?;
        s.log(Action::ClientRead, Target::client(client_id))?;
        Ok(rows)
    }
}
