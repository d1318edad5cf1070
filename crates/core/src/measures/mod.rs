//! Outcome measures: questionnaire results per client, scored by the built-in instruments
//! ([`instruments`]), and each client's series per instrument with the change since the first
//! result and whether it is reliable.
//!
//! # Rules
//! - A result names its instrument, the day it was taken, and the item answers as the client
//!   gave them (or, for an instrument whose items may not be shipped, the total alone). The
//!   score, band and flags are worked out once, when it is recorded, by the instrument's rule,
//!   and kept with it: a later change of a rule does not rewrite a past result.
//! - A result is a signed record: never changed (the database refuses), erased with the journal.
//! - **Flags** (PHQ-9 item 9, CORE-10 item 6: thoughts of self-harm) are raised whenever the item
//!   is answered above 0, and shown wherever the result is.
//! - **Reliable change**: the last result against the first; a change at least the instrument's
//!   reliable-change value is an improvement or a deterioration (which way depends on whether a
//!   higher score is worse), anything less is no reliable change.
//! - Restriction of processing refuses new results; a day after today is refused, and so is a
//!   retired instrument of the therapist's own ([`custom`]).

pub mod custom;
pub mod instruments;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

pub use custom::InstrumentInput;
pub use instruments::{builtin, Band, Instrument, Scoring, Texts};

use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{time, Error, Reason, Result, Vault};

/// A result to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct MeasureInput {
    /// The instrument's id (`phq9`).
    pub instrument: String,
    /// The day it was taken (not after today).
    pub taken_on: NaiveDate,
    /// One answer per item, `None` where left out; empty for a total-only instrument.
    pub answers: Vec<Option<u32>>,
    /// The total, for a total-only instrument.
    pub total: Option<u32>,
}

/// A recorded result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Measure {
    /// Row id.
    pub id: i64,
    /// The client.
    pub client_id: i64,
    /// The instrument's id.
    pub instrument: String,
    /// The day it was taken.
    pub taken_on: NaiveDate,
    /// The item answers.
    pub answers: Vec<Option<u32>>,
    /// The score.
    pub score: u32,
    /// Its band.
    pub band: Option<String>,
    /// Flagged items (1-based).
    pub flags: Vec<u32>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Whether the change since the first result is reliable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Better by at least the reliable change.
    Improved,
    /// Worse by at least the reliable change.
    Deteriorated,
    /// Less than the reliable change either way.
    NoReliableChange,
}

/// A client's results on one instrument, oldest first, with the change first → last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Series {
    /// The instrument.
    pub instrument: Instrument,
    /// Its results, oldest first.
    pub results: Vec<Measure>,
    /// Last score minus first (`None` with fewer than two results).
    pub change: Option<i64>,
    /// Whether that change is reliable (`None` with fewer than two results or no rule).
    pub reliable: Option<Change>,
}

/// Reliable change of `first → last` on `i`. Pure.
pub fn reliable_change(i: &Instrument, first: u32, last: u32) -> Option<Change> {
    if i.reliable_change == 0 {
        return None;
    }
    let d = i64::from(last) - i64::from(first);
    let better = if i.higher_is_worse { -d } else { d };
    Some(if better >= i64::from(i.reliable_change) {
        Change::Improved
    } else if -better >= i64::from(i.reliable_change) {
        Change::Deteriorated
    } else {
        Change::NoReliableChange
    })
}

const COLUMNS: &str = "id, client_id, instrument, taken_on, answers, score, band, flags, recorded_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Measure> {
    Ok(Measure {
        id: r.get(0)?,
        client_id: r.get(1)?,
        instrument: r.get(2)?,
        taken_on: time::parse_date(&r.get::<_, String>(3)?).unwrap_or_default(),
        answers: serde_json::from_str(&r.get::<_, String>(4)?).unwrap_or_default(),
        score: r.get(5)?,
        band: r.get(6)?,
        flags: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
        recorded_at: time::parse_ts(&r.get::<_, String>(8)?),
    })
}

fn load(conn: &Connection, id: i64) -> Result<Measure> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM measure WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("measure"))
}

/// A client's results, oldest first (not logged: the caller logs the read).
pub(crate) fn of_client(conn: &Connection, client_id: i64) -> Result<Vec<Measure>> {
    let rows = conn
        .prepare(&format!("SELECT {COLUMNS} FROM measure WHERE client_id = ?1 ORDER BY taken_on, id"))?
        .query_map([client_id], from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Writes a received result (an import), scored again by this build's rule; returns the score,
/// which the caller holds against the package's (a package may not bring a score its answers
/// do not give).
pub(crate) fn insert_received(tx: &Connection, client_id: i64, input: &MeasureInput, now: &str) -> Result<u32> {
    let instrument = custom::find(tx, &input.instrument)?;
    let scored = instrument.score(&input.answers, input.total)?;
    insert(tx, client_id, &instrument.id, input, &scored, now)?;
    Ok(scored.score)
}

/// The one insert of a result, already scored; returns its id.
fn insert(
    tx: &Connection,
    client_id: i64,
    instrument: &str,
    input: &MeasureInput,
    scored: &instruments::Scored,
    now: &str,
) -> Result<i64> {
    let id = ids::next(tx, IdTable::Measure)?;
    tx.execute(
        "INSERT INTO measure (id, client_id, instrument, taken_on, answers, score, band, flags, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            client_id,
            instrument,
            input.taken_on.to_string(),
            json(&input.answers)?,
            scored.score,
            scored.band,
            json(&scored.flags)?,
            now
        ],
    )?;
    Ok(id)
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Internal("encoding"))
}

impl Vault {
    /// Every instrument: the built-in ones, with their texts in `lang` where they are shipped,
    /// then the therapist's own, retired ones included (marked).
    pub fn instruments(&mut self, lang: crate::domain::profile::Language) -> Result<Vec<Instrument>> {
        custom::every(self.session()?.reader(), lang)
    }

    /// Records a result for a client, scored by its instrument's rule (see the module's rules).
    pub fn record_measure(&mut self, client_id: i64, input: &MeasureInput, today: NaiveDate) -> Result<Measure> {
        let instrument = custom::find(self.session()?.reader(), &input.instrument)?;
        if instrument.retired {
            return Err(Error::invalid("instrument", Reason::NotAllowed));
        }
        if input.taken_on > today {
            return Err(Error::invalid("taken_on", Reason::InFuture));
        }
        let scored = instrument.score(&input.answers, input.total)?;
        self.session()?.write(Action::Measure, |tx| {
            crate::domain::clients::exists(tx, client_id)?;
            let id = insert(tx, client_id, &instrument.id, input, &scored, &time::now_string())?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Measure, id, client_id)))
        })
    }

    /// A client's results, one series per instrument used, in the instruments' order (logged
    /// as a read of the client).
    pub fn measures(&mut self, client_id: i64) -> Result<Vec<Series>> {
        let s = self.session()?;
        crate::domain::clients::exists(s.reader(), client_id)?;
        let all = of_client(s.reader(), client_id)?;
        let mut every = builtin();
        every.extend(custom::all(s.reader())?);
        s.log(Action::MeasureRead, Target::client(client_id))?;
        Ok(every
            .into_iter()
            .filter_map(|i| {
                let results: Vec<Measure> = all.iter().filter(|m| m.instrument == i.id).cloned().collect();
                let (first, last) = (results.first()?.score, results.last()?.score);
                let two = results.len() > 1;
                Some(Series {
                    change: two.then(|| i64::from(last) - i64::from(first)),
                    reliable: if two { reliable_change(&i, first, last) } else { None },
                    instrument: i,
                    results,
                })
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reliable_change_reads_the_direction_of_each_instrument() {
        let phq = instruments::find("phq9").unwrap();
        assert_eq!(reliable_change(&phq, 18, 12), Some(Change::Improved), "6 points down on PHQ-9");
        assert_eq!(reliable_change(&phq, 18, 13), Some(Change::NoReliableChange));
        assert_eq!(reliable_change(&phq, 8, 14), Some(Change::Deteriorated));
        let who = instruments::find("who5").unwrap();
        assert_eq!(reliable_change(&who, 40, 50), Some(Change::Improved), "10 points up on WHO-5");
        assert_eq!(reliable_change(&who, 40, 31), Some(Change::NoReliableChange));
        assert_eq!(reliable_change(&who, 40, 30), Some(Change::Deteriorated));
        assert_eq!(reliable_change(&instruments::find("ors").unwrap(), 10, 30), None);
    }
}
