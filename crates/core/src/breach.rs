//! The breach register (GDPR art. 33 and 34).
//!
//! Every personal-data breach is recorded, notified or not (art. 33(5)): when the therapist
//! became aware of it, what happened, which kinds of data and which clients it touched, its
//! likely consequences, the measures taken, and the therapist's assessment of the risk.
//!
//! # Duties, from the assessment ([`duties`], a pure function of the breach and `now`)
//! - **The authority** (IMY in Sweden, Datatilsynet in Denmark) must be notified within
//!   72 hours of becoming aware, unless the breach is unlikely to result in a risk to people
//!   (art. 33(1)). The clock runs from `discovered_at` until the notification is marked sent;
//!   a notification after the deadline must give the reasons for the delay (art. 33(1)), so
//!   marking a late one sent without a reason is refused.
//! - **The clients** must be told without undue delay when the risk is high (art. 34(1)),
//!   unless the data was encrypted and the key not compromised (art. 34(3)(a)): then the
//!   letters are not required (they can still be written).
//!
//! # Documents
//! [`Vault::breach_notice`] lays out a draft of the notification with the fields the
//! authority asks for (art. 33(3)), to fill the authority's e-service from;
//! [`Vault::breach_letters`] one letter per affected client (art. 34(2)), in the practice's
//! language. Both are written as PDFs into a folder the therapist chose.
//!
//! # What the register holds
//! No personal data in its own columns: free text must not name clients (the app says so), and
//! the affected clients are links, removed when a client is erased (the estimate stays). A
//! breach is never deleted.

mod docs;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::domain::profile::{enum_to_str, parse_enum};
use crate::domain::validate;
use crate::kinds::ObjectKind;
use crate::{time, Error, Reason, Result, Vault};

pub use docs::BreachLetters;

/// Hours from becoming aware to the notification deadline (art. 33(1)).
pub const NOTIFY_WITHIN_HOURS: i64 = 72;

closed_enum! {
    /// What the breach did to the data (the three kinds the authorities ask about).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum BreachNature {
        /// Someone who should not have seen data could (a lost laptop, a wrong recipient).
        Confidentiality,
        /// Data was changed without authority.
        Integrity,
        /// Data was lost or could not be reached (a broken disk without a backup).
        Availability,
    }
}

closed_enum! {
    /// Kinds of personal data a breach touched.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum DataCategory {
        /// Names and dates of birth.
        Identity,
        /// Personal identity numbers.
        NationalId,
        /// Addresses, phone numbers, e-mail.
        ContactDetails,
        /// Journal notes: health data (art. 9).
        HealthNotes,
        /// Attached documents.
        Attachments,
        /// Invoices and payments.
        Financial,
    }
}

closed_enum! {
    /// The therapist's assessment of the risk to the people concerned.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum BreachRisk {
        /// Unlikely to result in a risk: recorded, not notified (art. 33(1)).
        Unlikely,
        /// A risk: the authority is notified.
        Risk,
        /// A high risk: the authority is notified and the clients are told (art. 34(1)).
        HighRisk,
    }
}

/// A breach as recorded or completed (facts can come in phases, art. 33(4)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachInput {
    /// When the therapist became aware of it (the 72-hour clock starts here).
    pub discovered_at: DateTime<Utc>,
    /// First day it happened, if known.
    pub occurred_from: Option<NaiveDate>,
    /// Last day it happened, if known.
    pub occurred_to: Option<NaiveDate>,
    /// What it did to the data (at least one).
    pub nature: Vec<BreachNature>,
    /// What happened, without naming clients.
    pub description: String,
    /// Kinds of data touched (at least one).
    pub data_categories: Vec<DataCategory>,
    /// The clients affected, when known.
    pub client_ids: Vec<i64>,
    /// About how many people are affected (at least the clients listed).
    pub subjects_estimate: u32,
    /// About how many records, if known.
    pub records_estimate: Option<u32>,
    /// Likely consequences for the people.
    pub consequences: String,
    /// Measures taken or proposed.
    pub measures: String,
    /// The risk assessment.
    pub risk: BreachRisk,
    /// The data was encrypted and the key was not compromised (art. 34(3)(a)).
    pub encrypted: bool,
}

/// A breach in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Breach {
    /// Row id (the register's number).
    pub id: i64,
    /// The facts.
    #[serde(flatten)]
    pub facts: BreachInput,
    /// When the authority was notified.
    pub authority_notified_at: Option<DateTime<Utc>>,
    /// The authority's case number.
    pub authority_reference: String,
    /// Why the notification came after 72 hours.
    pub delay_reason: String,
    /// When the clients were told.
    pub subjects_informed_at: Option<DateTime<Utc>>,
    /// Recorded.
    pub recorded_at: DateTime<Utc>,
}

/// Where the 72-hour clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum NotifyClock {
    /// No notification is needed (risk unlikely).
    NotRequired,
    /// Running: minutes left until the deadline.
    Running {
        /// Minutes left (at least 0).
        minutes_left: i64,
    },
    /// The deadline passed without a notification.
    Overdue {
        /// Minutes since the deadline.
        minutes_over: i64,
    },
    /// Notified; `late` when after the deadline.
    Notified {
        /// After the deadline.
        late: bool,
    },
}

/// Whether the clients must be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum InformClients {
    /// Required (high risk), not yet done.
    Required,
    /// Done.
    Informed,
    /// Not required: the risk is not high.
    NotHighRisk,
    /// Not required: the data was encrypted and the key safe (art. 34(3)(a)).
    Encrypted,
}

/// What the law asks of a breach now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachDuties {
    /// The notification deadline (72 hours after becoming aware).
    pub deadline: DateTime<Utc>,
    /// The authority's clock.
    pub clock: NotifyClock,
    /// The clients.
    pub inform: InformClients,
}

/// A breach with its duties as of now, as the register shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachView {
    /// The breach.
    pub breach: Breach,
    /// Its duties.
    pub duties: BreachDuties,
}

/// The duties of a breach at `now` (see the module docs).
pub fn duties(b: &Breach, now: DateTime<Utc>) -> BreachDuties {
    let deadline = b.facts.discovered_at + Duration::hours(NOTIFY_WITHIN_HOURS);
    let clock = match (b.facts.risk, b.authority_notified_at) {
        (_, Some(at)) => NotifyClock::Notified { late: at > deadline },
        (BreachRisk::Unlikely, None) => NotifyClock::NotRequired,
        (_, None) if now <= deadline => NotifyClock::Running { minutes_left: (deadline - now).num_minutes() },
        (_, None) => NotifyClock::Overdue { minutes_over: (now - deadline).num_minutes() },
    };
    let inform = if b.subjects_informed_at.is_some() {
        InformClients::Informed
    } else if b.facts.risk != BreachRisk::HighRisk {
        InformClients::NotHighRisk
    } else if b.facts.encrypted {
        InformClients::Encrypted
    } else {
        InformClients::Required
    };
    BreachDuties { deadline, clock, inform }
}

pub(crate) struct Clean {
    description: String,
    consequences: String,
    measures: String,
    nature: Vec<BreachNature>,
    categories: Vec<DataCategory>,
    clients: Vec<i64>,
}

impl BreachInput {
    pub(crate) fn clean(&self, now: DateTime<Utc>) -> Result<Clean> {
        if self.discovered_at > now {
            return Err(Error::invalid("discovered_at", Reason::InFuture));
        }
        if let (Some(f), Some(t)) = (self.occurred_from, self.occurred_to) {
            if t < f {
                return Err(Error::invalid("occurred_to", Reason::BeforeStart));
            }
        }
        if self.occurred_from.is_some_and(|d| d > now.date_naive()) {
            return Err(Error::invalid("occurred_from", Reason::InFuture));
        }
        let nature: Vec<_> = self.nature.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
        if nature.is_empty() {
            return Err(Error::invalid("nature", Reason::Required));
        }
        let categories: Vec<_> = self.data_categories.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
        if categories.is_empty() {
            return Err(Error::invalid("data_categories", Reason::Required));
        }
        let clients: Vec<_> = self.client_ids.iter().copied().collect::<BTreeSet<_>>().into_iter().collect();
        if (self.subjects_estimate as usize) < clients.len() {
            return Err(Error::invalid("subjects_estimate", Reason::OutOfRange));
        }
        Ok(Clean {
            description: validate::text("description", &self.description, 5000, true)?,
            consequences: validate::text("consequences", &self.consequences, 5000, false)?,
            measures: validate::text("measures", &self.measures, 5000, false)?,
            nature,
            categories,
            clients,
        })
    }
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Internal("breach json"))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

const COLUMNS: &str = "id, discovered_at, occurred_from, occurred_to, nature, description, data_categories,
    subjects_estimate, records_estimate, consequences, measures, risk, encrypted, authority_notified_at,
    authority_reference, delay_reason, subjects_informed_at, recorded_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Breach> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.and_then(|s| time::parse_date(&s)))
    };
    let ts = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        Ok(r.get::<_, Option<String>>(i)?.map(|s| time::parse_ts(&s)))
    };
    Ok(Breach {
        id: r.get(0)?,
        facts: BreachInput {
            discovered_at: time::parse_ts(&r.get::<_, String>(1)?),
            occurred_from: date(2)?,
            occurred_to: date(3)?,
            nature: from_json(&r.get::<_, String>(4)?)?,
            description: r.get(5)?,
            data_categories: from_json(&r.get::<_, String>(6)?)?,
            client_ids: Vec::new(),
            subjects_estimate: r.get(7)?,
            records_estimate: r.get(8)?,
            consequences: r.get(9)?,
            measures: r.get(10)?,
            risk: parse_enum(&r.get::<_, String>(11)?)?,
            encrypted: r.get(12)?,
        },
        authority_notified_at: ts(13)?,
        authority_reference: r.get(14)?,
        delay_reason: r.get(15)?,
        subjects_informed_at: ts(16)?,
        recorded_at: time::parse_ts(&r.get::<_, String>(17)?),
    })
}

fn clients_of(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    let mut st = conn.prepare("SELECT client_id FROM breach_client WHERE breach_id = ?1 ORDER BY client_id")?;
    let rows = st.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(rows)
}

pub(crate) fn load(conn: &Connection, id: i64) -> Result<Breach> {
    let mut b = conn
        .query_row(&format!("SELECT {COLUMNS} FROM breach WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("breach"))?;
    b.facts.client_ids = clients_of(conn, id)?;
    Ok(b)
}

fn set_clients(tx: &Connection, id: i64, clients: &[i64]) -> Result<()> {
    tx.execute("DELETE FROM breach_client WHERE breach_id = ?1", [id])?;
    for c in clients {
        crate::domain::clients::exists(tx, *c)?;
        tx.execute("INSERT INTO breach_client (breach_id, client_id) VALUES (?1, ?2)", [id, *c])?;
    }
    Ok(())
}

/// Writes a breach's facts and its clients: a new row when `id` is `None` (recorded now), else
/// the existing one (its recording time and notification marks stay). Returns the id.
fn save_facts(tx: &Connection, id: Option<i64>, input: &BreachInput, c: &Clean) -> Result<i64> {
    tx.execute(
        "INSERT INTO breach (id, discovered_at, occurred_from, occurred_to, nature, description, data_categories,
           subjects_estimate, records_estimate, consequences, measures, risk, encrypted, recorded_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)
         ON CONFLICT (id) DO UPDATE SET discovered_at = excluded.discovered_at,
           occurred_from = excluded.occurred_from, occurred_to = excluded.occurred_to, nature = excluded.nature,
           description = excluded.description, data_categories = excluded.data_categories,
           subjects_estimate = excluded.subjects_estimate, records_estimate = excluded.records_estimate,
           consequences = excluded.consequences, measures = excluded.measures, risk = excluded.risk,
           encrypted = excluded.encrypted, updated_at = excluded.updated_at",
        params![
            id,
            time::to_string(&input.discovered_at),
            input.occurred_from.map(|d| d.to_string()),
            input.occurred_to.map(|d| d.to_string()),
            json(&c.nature)?,
            c.description,
            json(&c.categories)?,
            input.subjects_estimate,
            input.records_estimate,
            c.consequences,
            c.measures,
            enum_to_str(&input.risk),
            input.encrypted,
            time::now_string()
        ],
    )?;
    let id = id.unwrap_or_else(|| tx.last_insert_rowid());
    set_clients(tx, id, &c.clients)?;
    Ok(id)
}

/// Removes an erased client from the register's links (the estimate stays).
pub(crate) fn forget_client(tx: &Connection, client_id: i64) -> Result<()> {
    tx.execute("DELETE FROM breach_client WHERE client_id = ?1", [client_id])?;
    Ok(())
}

impl Vault {
    /// Records a breach in the register; its 72-hour clock starts at `discovered_at`.
    pub fn record_breach(&mut self, input: &BreachInput, now: DateTime<Utc>) -> Result<BreachView> {
        let c = input.clean(now)?;
        let b = self.session()?.write(Action::Breach, |tx| {
            let id = save_facts(tx, None, input, &c)?;
            Ok((load(tx, id)?, Target::record(ObjectKind::Breach, id)))
        })?;
        Ok(BreachView { duties: duties(&b, now), breach: b })
    }

    /// Completes or corrects a breach's facts (art. 33(4): information may come in phases).
    /// Once the authority was notified, the moment of discovery stays as it was.
    pub fn update_breach(&mut self, id: i64, input: &BreachInput, now: DateTime<Utc>) -> Result<BreachView> {
        let c = input.clean(now)?;
        let b = self.session()?.write(Action::Breach, |tx| {
            let before = load(tx, id)?;
            // Once notified, the moment of becoming aware is what the notification was measured
            // against: moving it could turn a late notification into one in time.
            if before.authority_notified_at.is_some() && before.facts.discovered_at != input.discovered_at {
                return Err(Error::invalid("discovered_at", Reason::AlreadyDone));
            }
            save_facts(tx, Some(id), input, &c)?;
            Ok((load(tx, id)?, Target::record(ObjectKind::Breach, id)))
        })?;
        Ok(BreachView { duties: duties(&b, now), breach: b })
    }

    /// Marks the notification to the authority as sent at `at`, with its case number. After the
    /// deadline a reason for the delay is required (art. 33(1)).
    pub fn mark_breach_notified(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        reference: &str,
        delay_reason: &str,
        now: DateTime<Utc>,
    ) -> Result<BreachView> {
        let reference = validate::one_line("authority_reference", reference, 100, false)?;
        let delay_reason = validate::text("delay_reason", delay_reason, 2000, false)?;
        if at > now {
            return Err(Error::invalid("authority_notified_at", Reason::InFuture));
        }
        let b = self.session()?.write(Action::Breach, |tx| {
            let b = load(tx, id)?;
            if b.authority_notified_at.is_some() {
                return Err(Error::invalid("authority_notified_at", Reason::AlreadyDone));
            }
            if at < b.facts.discovered_at {
                return Err(Error::invalid("authority_notified_at", Reason::BeforeStart));
            }
            if at > b.facts.discovered_at + Duration::hours(NOTIFY_WITHIN_HOURS) && delay_reason.is_empty() {
                return Err(Error::invalid("delay_reason", Reason::Required));
            }
            tx.execute(
                "UPDATE breach SET authority_notified_at = ?2, authority_reference = ?3, delay_reason = ?4,
                   updated_at = ?5 WHERE id = ?1",
                params![id, time::to_string(&at), reference, delay_reason, time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::record(ObjectKind::Breach, id)))
        })?;
        Ok(BreachView { duties: duties(&b, now), breach: b })
    }

    /// Marks the affected clients as told (art. 34) at `at`.
    pub fn mark_breach_clients_informed(
        &mut self,
        id: i64,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<BreachView> {
        if at > now {
            return Err(Error::invalid("subjects_informed_at", Reason::InFuture));
        }
        let b = self.session()?.write(Action::Breach, |tx| {
            let b = load(tx, id)?;
            if b.subjects_informed_at.is_some() {
                return Err(Error::invalid("subjects_informed_at", Reason::AlreadyDone));
            }
            if at < b.facts.discovered_at {
                return Err(Error::invalid("subjects_informed_at", Reason::BeforeStart));
            }
            tx.execute(
                "UPDATE breach SET subjects_informed_at = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, time::to_string(&at), time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::record(ObjectKind::Breach, id)))
        })?;
        Ok(BreachView { duties: duties(&b, now), breach: b })
    }

    /// The register, newest first, each breach with its duties at `now`. Reading it is logged.
    pub fn breaches(&mut self, now: DateTime<Utc>) -> Result<Vec<BreachView>> {
        let s = self.session()?;
        let ids: Vec<i64> = {
            let mut st = s.reader().prepare("SELECT id FROM breach ORDER BY discovered_at DESC, id DESC")?;
            let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
            v
        };
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let b = load(s.reader(), id)?;
            out.push(BreachView { duties: duties(&b, now), breach: b });
        }
        s.log(Action::BreachRead, Target::none())?;
        Ok(out)
    }

    /// The breaches whose notification is due and not yet sent (running or overdue), soonest
    /// deadline first: what the app keeps in view. Not logged: it names no client.
    pub fn breach_clocks(&mut self, now: DateTime<Utc>) -> Result<Vec<BreachView>> {
        let s = self.session()?;
        let mut st = s.reader().prepare(
            "SELECT id FROM breach WHERE authority_notified_at IS NULL AND risk <> 'unlikely' ORDER BY discovered_at",
        )?;
        let ids = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
        drop(st);
        ids.into_iter()
            .map(|id| {
                let b = load(s.reader(), id)?;
                Ok(BreachView { duties: duties(&b, now), breach: b })
            })
            .collect()
    }
}
