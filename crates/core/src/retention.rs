//! The retention engine: the law's clocks ([`crate::law`]) applied to the vault's records.
//!
//! # What each clock counts from
//! - **Journal** (courses, entries with their amendments, attachments): *last entry* is the
//!   latest day anything was written into the journal — an entry's date, its signing, an
//!   amendment. *Course end* is the end of the client's last course, and only once every
//!   course is closed (a running course keeps the clock from starting).
//! - **Contact details** (address, e-mail, phones, emergency contact, free fields): *last
//!   contact* is the latest of the journal's last entry, a course's end and the day the client
//!   was added — and only when no course is open ("no ongoing relationship").
//! - A **legal hold** in force stops every clock of the client ([`crate::law::Clock::Held`]).
//!
//! # The due list
//! A client appears once per record kind whose clock is over *and* that still holds something:
//! a `delete_after` record is due ("should go"), a `keep_at_least` record may go from then on
//! ("may go"). Reading the list is logged (it names clients). Deleting from it is an erasure
//! ([`crate::erasure`]) with the cause `retention`, previewed and confirmed like a request.

use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use crate::audit::{Action, Target};
use crate::domain::profile::Jurisdiction;
use crate::law::{self, Clock, Duty, Facts, RecordKind, Rule};
use crate::{time, Result, Vault};

/// What the vault knows of one client for the clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientFacts {
    pub journal: Facts,
    pub contact: Facts,
    /// The journal holds something (a course, an entry or an attachment).
    pub has_journal: bool,
    /// Any contact field is filled in.
    pub has_contact: bool,
    /// For the invoices addressed to the client: the end of the financial year of the latest
    /// (a financial year is taken to be the calendar year, as for a sole trader).
    pub invoices: Facts,
    /// Invoices or credit notes have been issued to the client.
    pub has_invoices: bool,
}

fn day(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| time::parse_date(s.get(..10)?))
}

pub(crate) fn facts(conn: &Connection, client_id: i64) -> Result<ClientFacts> {
    let (last_entry, open_courses, last_course_end, courses, created, has_contact, held): (
        Option<String>,
        i64,
        Option<String>,
        i64,
        String,
        bool,
        bool,
    ) = conn.query_row(
        "SELECT
           (SELECT max(d) FROM (
              SELECT max(occurred_at, coalesce(signed_at, ''), recorded_at) AS d FROM entry WHERE client_id = ?1
              UNION ALL
              SELECT a.amended_at FROM amendment a JOIN entry e ON e.id = a.entry_id WHERE e.client_id = ?1
              UNION ALL
              SELECT starts_at FROM appointment
              WHERE client_id = ?1 AND attendance IN ('attended', 'late_cancellation', 'no_show')
              UNION ALL
              SELECT taken_on FROM measure WHERE client_id = ?1
              UNION ALL
              SELECT coalesce(withdrawn_on, given_on) FROM consent WHERE client_id = ?1)),
           (SELECT count(*) FROM course WHERE client_id = ?1 AND end_date IS NULL),
           (SELECT max(end_date) FROM course WHERE client_id = ?1),
           (SELECT count(*) FROM course WHERE client_id = ?1),
           c.created_at,
           (c.address <> '' OR c.email <> '' OR c.phones <> '[]' OR c.emergency_contact IS NOT NULL
              OR c.custom_fields <> '[]'),
           EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = c.id AND h.released_at IS NULL)
         FROM client c WHERE c.id = ?1",
        [client_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
    )?;
    // Whatever erasure of the journal takes (see `erasure`): a client with only a consent, a
    // result or a session that took place still has a journal part to erase, or keep, and its
    // clock runs from the latest of them (above). A session planned, or cancelled in time, is
    // no record of care: it goes with the client's identity.
    let attachments: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM attachment WHERE client_id = ?1) + (SELECT count(*) FROM consent WHERE client_id = ?1)
              + (SELECT count(*) FROM appointment
                 WHERE client_id = ?1 AND attendance IN ('attended', 'late_cancellation', 'no_show'))
              + (SELECT count(*) FROM measure WHERE client_id = ?1)",
        [client_id],
        |r| r.get(0),
    )?;
    let last_entry = day(last_entry);
    let last_course_end = day(last_course_end);
    let course_end = if open_courses == 0 { last_course_end } else { None };
    let journal = Facts { last_entry, course_end, legal_hold: held, ..Facts::default() };
    let last_contact = if open_courses == 0 {
        [last_entry, last_course_end, day(Some(created))].into_iter().flatten().max()
    } else {
        None
    };
    let contact = Facts { last_contact, legal_hold: held, ..Facts::default() };
    let last_invoice: Option<String> = conn.query_row(
        "SELECT max(issued_on) FROM invoice WHERE client_id = ?1 AND status = 'issued'",
        [client_id],
        |r| r.get(0),
    )?;
    let last_invoice = day(last_invoice);
    let year_end = last_invoice.and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 31));
    let invoices = Facts { financial_year_end: year_end, legal_hold: held, ..Facts::default() };
    Ok(ClientFacts {
        journal,
        contact,
        has_journal: courses > 0 || attachments > 0 || last_entry.is_some(),
        has_contact,
        invoices,
        has_invoices: last_invoice.is_some(),
    })
}

/// One clock of one client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct KindClock {
    /// The record kind.
    pub kind: RecordKind,
    /// The profile's rule (`None`: the profile has no rule for it).
    pub rule: Option<Rule>,
    /// Where the clock stands today (`not_started` when there is no rule).
    pub clock: Clock,
    /// The client has records of this kind.
    pub present: bool,
}

fn one(profile: Jurisdiction, kind: RecordKind, facts: &Facts, present: bool, today: NaiveDate) -> KindClock {
    let rule = law::rule_for(profile, kind).copied();
    let clock = match &rule {
        Some(r) => law::clock(r, facts, today),
        None if facts.legal_hold => Clock::Held,
        None => Clock::NotStarted,
    };
    KindClock { kind, rule, clock, present }
}

pub(crate) fn clocks(profile: Jurisdiction, f: &ClientFacts, today: NaiveDate) -> [KindClock; 2] {
    [
        one(profile, RecordKind::Journal, &f.journal, f.has_journal, today),
        one(profile, RecordKind::ContactDetails, &f.contact, f.has_contact, today),
    ]
}

/// The clock of the invoices issued to the client: bookkeeping the law keeps whatever the
/// client asks. Not on the due list: old invoices go by year, for the whole practice
/// ([`crate::invoicing::OldBookkeeping`]), not by the client's erasure (which keeps them,
/// without the link to the client).
pub(crate) fn invoice_clock(profile: Jurisdiction, f: &ClientFacts, today: NaiveDate) -> KindClock {
    one(profile, RecordKind::Invoice, &f.invoices, f.has_invoices, today)
}

/// A line of the due list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DueItem {
    /// The client.
    pub client_id: i64,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// What is due.
    pub kind: RecordKind,
    /// `delete_after`: should be deleted; `keep_at_least`: may be deleted.
    pub duty: Duty,
    /// Since when.
    pub since: NaiveDate,
    /// The rule's source.
    pub source: String,
}

/// The due list of every client under `profile` on `today`, oldest first.
pub(crate) fn due(conn: &Connection, profile: Jurisdiction, today: NaiveDate) -> Result<Vec<DueItem>> {
    let mut st = conn.prepare("SELECT id, given_name, family_name FROM client ORDER BY id")?;
    let clients = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<(i64, String, String)>>>()?;
    let mut out = Vec::new();
    for (id, given, family) in clients {
        let f = facts(conn, id)?;
        for c in clocks(profile, &f, today) {
            if let (true, Some(rule), Clock::Over { since }) = (c.present, c.rule, c.clock) {
                out.push(DueItem {
                    client_id: id,
                    given_name: given.clone(),
                    family_name: family.clone(),
                    kind: c.kind,
                    duty: rule.duty,
                    since,
                    source: rule.source.to_owned(),
                });
            }
        }
    }
    out.sort_by(|a, b| a.since.cmp(&b.since).then(a.client_id.cmp(&b.client_id)));
    Ok(out)
}

impl Vault {
    /// What is due for deletion under the practice profile on `today` (logged: it names
    /// clients).
    pub fn due_for_deletion(&mut self, today: NaiveDate) -> Result<Vec<DueItem>> {
        let profile = self.profile()?.jurisdiction;
        let s = self.session()?;
        let out = due(s.reader(), profile, today)?;
        s.log(Action::RetentionRead, Target::none())?;
        Ok(out)
    }

    /// Where each clock of a client stands on `today` ("why can't I delete this?").
    pub fn retention_clocks(&mut self, client_id: i64, today: NaiveDate) -> Result<Vec<KindClock>> {
        let profile = self.profile()?.jurisdiction;
        let s = self.session()?;
        crate::domain::clients::exists(s.reader(), client_id)?;
        let f = facts(s.reader(), client_id)?;
        s.log(Action::ClientRead, Target::client(client_id))?;
        let mut out = clocks(profile, &f, today).to_vec();
        if f.has_invoices {
            out.push(invoice_clock(profile, &f, today));
        }
        Ok(out)
    }
}
