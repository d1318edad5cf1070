//! Consent records (GDPR art. 6(1)(a), 7 and 9(2)(a)).
//!
//! A consent says what it covers (its [`ConsentPurpose`]), the exact text the client agreed to
//! and that text's version, the day it was given and how, and optionally the signed form as an
//! attachment of the client (art. 7(1): the practice must be able to show the consent).
//!
//! # Rules
//! - A consent is never edited. It is withdrawn, once, on a day (art. 7(3)); the record stays,
//!   so the practice can show what was allowed when. It goes with the journal at erasure.
//! - A text version names one text: recording a consent whose version is already used for the
//!   same purpose with a different wording is refused, so "version 2" always means the same
//!   words.
//! - A consent is *in force* on a day when it was given on or before that day and not withdrawn
//!   on or before it. Withdrawal stops what the consent covered: whatever needs a purpose asks
//!   [`Vault::require_consent`] (a referral letter needs [`ConsentPurpose::Referral`]; reminders
//!   and marketing will ask for theirs), and [`Vault::consents`] says which purposes are in
//!   force today.
//! - Restriction of processing (art. 18) refuses new consents; withdrawal stays possible, since
//!   it only stops processing.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::profile::{enum_to_str, parse_enum};
use super::validate;
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{time, Error, Reason, Result, Vault};

closed_enum! {
    /// What a consent covers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum ConsentPurpose {
        /// Treatment and keeping its records (where the profile's lawful basis is consent).
        Treatment,
        /// Sending information to another caregiver or a named recipient (a referral letter).
        Referral,
        /// Appointment reminders by SMS.
        RemindersSms,
        /// Appointment reminders by e-mail.
        RemindersEmail,
        /// News and offers from the practice.
        Marketing,
    }
}

closed_enum! {
    /// How a consent was given.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum ConsentForm {
        /// On paper, signed.
        Written,
        /// Said aloud, noted by the therapist.
        Verbal,
        /// In a digital form or message.
        Digital,
    }
}

/// A consent to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConsentInput {
    /// What it covers.
    pub purpose: ConsentPurpose,
    /// The text the client agreed to, word for word.
    pub body: String,
    /// That text's version ("2", "2026-09").
    pub text_version: String,
    /// The day it was given.
    pub given_on: NaiveDate,
    /// How.
    pub given_how: ConsentForm,
    /// The signed form, an attachment of the same client.
    pub evidence_id: Option<i64>,
}

/// A recorded consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Consent {
    /// Row id.
    pub id: i64,
    /// The client.
    pub client_id: i64,
    /// What it covers.
    pub purpose: ConsentPurpose,
    /// The text agreed to.
    pub body: String,
    /// The text's version.
    pub text_version: String,
    /// Given on.
    pub given_on: NaiveDate,
    /// How.
    pub given_how: ConsentForm,
    /// The signed form (an attachment id).
    pub evidence_id: Option<i64>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The day it was withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
}

impl Consent {
    /// Whether it is in force on `day` (given on or before, not withdrawn on or before).
    pub fn in_force_on(&self, day: NaiveDate) -> bool {
        self.given_on <= day && self.withdrawn_on.is_none_or(|w| w > day)
    }
}

/// A client's consents and what they allow today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ConsentOverview {
    /// Every consent, newest first, withdrawn ones included.
    pub consents: Vec<Consent>,
    /// The purposes with a consent in force today.
    pub in_force: Vec<ConsentPurpose>,
}

pub(crate) struct Clean {
    body: String,
    text_version: String,
}

impl ConsentInput {
    pub(crate) fn clean(&self, today: NaiveDate) -> Result<Clean> {
        let body = validate::text("body", &self.body, 10_000, true)?;
        let text_version = validate::one_line("text_version", &self.text_version, 40, true)?;
        if self.given_on > today {
            return Err(Error::invalid("given_on", Reason::InFuture));
        }
        Ok(Clean { body, text_version })
    }
}

const COLUMNS: &str =
    "id, client_id, purpose, body, text_version, given_on, given_how, evidence_id, recorded_at, withdrawn_on";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Consent> {
    Ok(Consent {
        id: r.get(0)?,
        client_id: r.get(1)?,
        purpose: parse_enum(&r.get::<_, String>(2)?)?,
        body: r.get(3)?,
        text_version: r.get(4)?,
        given_on: time::parse_date(&r.get::<_, String>(5)?).unwrap_or_default(),
        given_how: parse_enum(&r.get::<_, String>(6)?)?,
        evidence_id: r.get(7)?,
        recorded_at: time::parse_ts(&r.get::<_, String>(8)?),
        withdrawn_on: r.get::<_, Option<String>>(9)?.and_then(|s| time::parse_date(&s)),
    })
}

fn load(conn: &Connection, id: i64) -> Result<Consent> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM consent WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("consent"))
}

/// A client's consents, newest first.
pub(crate) fn list(conn: &Connection, client_id: i64) -> Result<Vec<Consent>> {
    let mut st =
        conn.prepare(&format!("SELECT {COLUMNS} FROM consent WHERE client_id = ?1 ORDER BY given_on DESC, id DESC"))?;
    let rows = st.query_map([client_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The consent in force on `day` for the purpose (the newest), if any.
pub(crate) fn in_force(
    conn: &Connection,
    client_id: i64,
    purpose: ConsentPurpose,
    day: NaiveDate,
) -> Result<Option<Consent>> {
    Ok(list(conn, client_id)?.into_iter().find(|c| c.purpose == purpose && c.in_force_on(day)))
}

/// The purposes in force on `day`, in the enum's order.
fn purposes_in_force(consents: &[Consent], day: NaiveDate) -> Vec<ConsentPurpose> {
    ConsentPurpose::ALL
        .iter()
        .copied()
        .filter(|p| consents.iter().any(|c| c.purpose == *p && c.in_force_on(day)))
        .collect()
}

impl Vault {
    /// Records a consent the client gave. Refused when the text version already names another
    /// wording for the purpose, when the evidence is not an attachment of the client, when a
    /// consent with the same purpose and version is already in force, and under restriction.
    pub fn record_consent(&mut self, client_id: i64, input: &ConsentInput, today: NaiveDate) -> Result<Consent> {
        let c = input.clean(today)?;
        self.session()?.write(Action::Consent, |tx| {
            super::clients::exists(tx, client_id)?;
            let other: Option<String> = tx
                .query_row(
                    "SELECT body FROM consent WHERE purpose = ?1 AND text_version = ?2 AND body <> ?3 LIMIT 1",
                    params![enum_to_str(&input.purpose), c.text_version, c.body],
                    |r| r.get(0),
                )
                .optional()?;
            if other.is_some() {
                return Err(Error::invalid("text_version", Reason::OtherText));
            }
            if let Some(ev) = input.evidence_id {
                let owner: Option<i64> =
                    tx.query_row("SELECT client_id FROM attachment WHERE id = ?1", [ev], |r| r.get(0)).optional()?;
                if owner != Some(client_id) {
                    return Err(Error::invalid("evidence_id", Reason::NotThisClient));
                }
            }
            let dup = list(tx, client_id)?.into_iter().any(|x| {
                x.purpose == input.purpose && x.text_version == c.text_version && x.withdrawn_on.is_none()
            });
            if dup {
                return Err(Error::invalid("purpose", Reason::Duplicate));
            }
            let id = ids::next(tx, IdTable::Consent)?;
            tx.execute(
                "INSERT INTO consent (id, client_id, purpose, body, text_version, given_on, given_how, evidence_id, recorded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    client_id,
                    enum_to_str(&input.purpose),
                    c.body,
                    c.text_version,
                    input.given_on.to_string(),
                    enum_to_str(&input.given_how),
                    input.evidence_id,
                    time::now_string()
                ],
            )?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Consent, id, client_id)))
        })
    }

    /// Withdraws a consent as of `on` (not before it was given, not after `today`).
    /// Withdrawing a withdrawn consent is refused: the first day stands.
    pub fn withdraw_consent(&mut self, consent_id: i64, on: NaiveDate, today: NaiveDate) -> Result<Consent> {
        self.session()?.write(Action::Consent, |tx| {
            let c = load(tx, consent_id)?;
            if c.withdrawn_on.is_some() {
                return Err(Error::invalid("withdrawn_on", Reason::AlreadyDone));
            }
            if on < c.given_on {
                return Err(Error::invalid("withdrawn_on", Reason::BeforeStart));
            }
            if on > today {
                return Err(Error::invalid("withdrawn_on", Reason::InFuture));
            }
            tx.execute(
                "UPDATE consent SET withdrawn_on = ?2, withdrawn_at = ?3 WHERE id = ?1",
                params![consent_id, on.to_string(), time::now_string()],
            )?;
            Ok((load(tx, consent_id)?, Target::object(ObjectKind::Consent, consent_id, c.client_id)))
        })
    }

    /// A client's consents and the purposes in force on `today`. Reading them is logged.
    pub fn consents(&mut self, client_id: i64, today: NaiveDate) -> Result<ConsentOverview> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let consents = list(s.reader(), client_id)?;
        let in_force = purposes_in_force(&consents, today);
        s.log(Action::ConsentRead, Target::client(client_id))?;
        Ok(ConsentOverview { consents, in_force })
    }

    /// The consent in force on `today` for `purpose`, or [`Error::NoConsent`]. Whatever needs
    /// a consent asks this first, so a withdrawal stops it.
    pub fn require_consent(&mut self, client_id: i64, purpose: ConsentPurpose, today: NaiveDate) -> Result<Consent> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        in_force(s.reader(), client_id, purpose, today)?.ok_or(Error::NoConsent)
    }

    /// The wording last recorded for `purpose` and its version, to start the next consent from
    /// (`None` before the first).
    pub fn last_consent_text(&mut self, purpose: ConsentPurpose) -> Result<Option<(String, String)>> {
        let s = self.session()?;
        Ok(s.reader()
            .query_row(
                "SELECT body, text_version FROM consent WHERE purpose = ?1 ORDER BY recorded_at DESC, id DESC LIMIT 1",
                [enum_to_str(&purpose)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(given: &str, withdrawn: Option<&str>) -> Consent {
        Consent {
            id: 1,
            client_id: 1,
            purpose: ConsentPurpose::Referral,
            body: "x".into(),
            text_version: "1".into(),
            given_on: given.parse().unwrap(),
            given_how: ConsentForm::Written,
            evidence_id: None,
            recorded_at: Utc::now(),
            withdrawn_on: withdrawn.map(|w| w.parse().unwrap()),
        }
    }

    #[test]
    fn in_force_from_the_day_given_until_the_day_withdrawn() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let open = c("2026-03-10", None);
        assert!(!open.in_force_on(d("2026-03-09")));
        assert!(open.in_force_on(d("2026-03-10")));
        assert!(open.in_force_on(d("2030-01-01")));
        let gone = c("2026-03-10", Some("2026-06-01"));
        assert!(gone.in_force_on(d("2026-05-31")));
        assert!(!gone.in_force_on(d("2026-06-01")));
        assert_eq!(purposes_in_force(std::slice::from_ref(&gone), d("2026-05-31")), vec![ConsentPurpose::Referral]);
        assert!(purposes_in_force(&[gone], d("2026-06-01")).is_empty());
    }
}
