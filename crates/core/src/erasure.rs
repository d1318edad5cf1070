//! Erasure (GDPR art. 17) and deletion when a retention clock has run out: one flow, owned
//! here, previewed before it runs.
//!
//! # The parts of a client's record
//! | Part | Holds | May go when |
//! |---|---|---|
//! | journal | courses, entries with their amendments, attachments, consents, sessions, outcome measures | no rule of the profile keeps it (a `keep_at_least` clock still running keeps it, with the date it may go) |
//! | contact details | address, e-mail, phones, emergency contact, free fields | always on request; by retention when their clock is over |
//! | identity | name, date of birth, national ID — the client row itself | only with the journal: a kept journal must say whose it is |
//! | access log | who opened or changed what, when; ids only, no contents | never by a client's request: the log proves how the record was handled |
//!
//! A legal hold in force keeps everything (and the database refuses the permit that signed
//! entries need to be deleted, so the rule holds even against a bug here).
//!
//! # The flow ([`Vault::erase`])
//! 1. **Plan again.** The preview the therapist confirmed lists what would be erased; the plan
//!    is computed again inside the job and must list the same parts, or nothing happens
//!    ([`crate::Error::ErasurePlanChanged`]).
//! 2. **Erase** in one transaction: the rows, their search-index rows, and the erasure record
//!    (what went, what stayed by which rule until when — no personal data), with an access-log
//!    row that names only the client's former id. Ids are never handed out again
//!    ([`crate::db::ids`]). This is the commit point.
//! 3. **Compact**: the search index is merged so deleted tokens leave its pages, the database
//!    is rewritten (`VACUUM`; `secure_delete` already zeroes freed space), and the write-ahead
//!    log is checkpointed and truncated. A decrypted copy of the vault then holds no trace of
//!    what was erased (`tests/it/erasure.rs` proves it page by page).
//!
//! Backups made before stay as they are until rotation removes them; the plan says by when
//! ([`ErasurePlan::backups_until`]) so the therapist can tell the client.

use chrono::{Days, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::domain::profile::Jurisdiction;
use crate::job::{JobCtl, Phase, Progress};
use crate::kinds::ObjectKind;
use crate::law::{self, Clock, Duty, RecordKind};
use crate::retention::{self, ClientFacts};
use crate::settings::{Retention, Settings};
use crate::{search, time, Error, Result, Vault};

/// Why records are erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum ErasureCause {
    /// The client asked (GDPR art. 17); received on that day.
    Request {
        /// The day the request came in.
        received_on: NaiveDate,
    },
    /// A retention clock ran out (the due list).
    Retention,
}

/// A part of a client's record, as erasure sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Courses, entries with amendments, attachments, consents, sessions.
    Journal,
    /// Address, e-mail, phones, emergency contact, free fields.
    ContactDetails,
    /// Name, date of birth, national ID: the client itself.
    Identity,
    /// The client's rows in the access log (ids only).
    AccessLog,
    /// Invoices and credit notes issued to the client: bookkeeping, kept by its own law; an
    /// erasure leaves them as issued (the buyer as invoiced) without the link to the client.
    Invoices,
}

/// Why a part is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum KeepReason {
    /// A rule of the profile keeps it (see `source` and `until`).
    Rule,
    /// A legal hold is in force.
    LegalHold,
    /// The kept journal must say whose it is.
    IdentifiesJournal,
    /// Its retention clock has not run out (deletion by retention only).
    NotDue,
}

/// One part in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlanItem {
    /// The part.
    pub part: Part,
    /// Erased by this erasure.
    pub erase: bool,
    /// Why it is kept (when `erase` is false).
    pub keep: Option<KeepReason>,
    /// The first day it may go, when a clock says so.
    pub until: Option<NaiveDate>,
    /// The rule's source ("Patientdatalagen (2008:355) 3 kap. 17 §").
    pub source: Option<String>,
}

/// What an erasure would do, shown before it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErasurePlan {
    /// The client.
    pub client_id: i64,
    /// Why.
    pub cause: ErasureCause,
    /// Every part the client has, erased or kept.
    pub items: Vec<PlanItem>,
    /// Backups made before today keep the data until rotation removes them: by this day at
    /// the latest (`None` when no backup folder is set up).
    pub backups_until: Option<NaiveDate>,
}

impl ErasurePlan {
    /// The parts this erasure removes.
    pub fn erased(&self) -> Vec<Part> {
        self.items.iter().filter(|i| i.erase).map(|i| i.part).collect()
    }
}

/// The last day a backup made today can still exist under `r`: the longest of its buckets.
pub fn backups_kept_until(r: &Retention, today: NaiveDate) -> NaiveDate {
    // One period more than the bucket count: today's backup leaves a bucket only when that
    // many newer periods have a backup, and the period it was made in is already begun.
    let by_days = today.checked_add_days(Days::new(u64::from(r.daily) + 1));
    let by_weeks = (r.weekly > 0).then(|| today.checked_add_days(Days::new(u64::from(r.weekly) * 7 + 7))).flatten();
    let by_months = (r.monthly > 0).then(|| law::add_period(today, r.monthly / 12, r.monthly % 12 + 1));
    [by_days, by_weeks, by_months].into_iter().flatten().max().unwrap_or(today)
}

fn keep(part: Part, why: KeepReason, until: Option<NaiveDate>, source: Option<&str>) -> PlanItem {
    PlanItem { part, erase: false, keep: Some(why), until, source: source.map(str::to_owned) }
}

fn erase(part: Part) -> PlanItem {
    PlanItem { part, erase: true, keep: None, until: None, source: None }
}

/// The plan for a client with `facts` under `profile` on `today`. Pure, so every rule is
/// tested at its boundaries without a vault.
pub(crate) fn plan_parts(
    profile: Jurisdiction,
    f: &ClientFacts,
    cause: ErasureCause,
    today: NaiveDate,
) -> Vec<PlanItem> {
    let [journal, contact] = retention::clocks(profile, f, today);
    let held = f.journal.legal_hold;
    let by_request = matches!(cause, ErasureCause::Request { .. });
    let decide = |part: Part, c: &retention::KindClock| -> PlanItem {
        let source = c.rule.map(|r| r.source);
        if held {
            return keep(part, KeepReason::LegalHold, None, None);
        }
        match (c.rule, c.clock) {
            (_, Clock::Over { .. }) => erase(part),
            // A keep-at-least clock keeps the part whoever asks.
            (Some(r), Clock::Running { ends }) if r.duty == Duty::KeepAtLeast => {
                keep(part, KeepReason::Rule, Some(ends), source)
            }
            (Some(r), Clock::NotStarted) if r.duty == Duty::KeepAtLeast => keep(part, KeepReason::Rule, None, source),
            _ if by_request => erase(part),
            (_, Clock::Running { ends }) => keep(part, KeepReason::NotDue, Some(ends), source),
            _ => keep(part, KeepReason::NotDue, None, source),
        }
    };
    let mut items = Vec::new();
    let journal_item = f.has_journal.then(|| decide(Part::Journal, &journal));
    let journal_goes = journal_item.as_ref().is_none_or(|i| i.erase);
    if let Some(i) = journal_item.clone() {
        items.push(i);
    }
    let contact_item = decide(Part::ContactDetails, &contact);
    let contact_goes = !f.has_contact || contact_item.erase;
    if f.has_contact {
        items.push(contact_item);
    }
    // The client itself goes when nothing of it stays: its journal and contact details gone.
    let identity = if held {
        keep(Part::Identity, KeepReason::LegalHold, None, None)
    } else if !journal_goes {
        let j = journal_item.as_ref();
        PlanItem {
            part: Part::Identity,
            erase: false,
            keep: Some(KeepReason::IdentifiesJournal),
            until: j.and_then(|j| j.until),
            source: j.and_then(|j| j.source.clone()),
        }
    } else if contact_goes && (by_request || contact.clock != Clock::NotStarted || !f.has_contact) {
        erase(Part::Identity)
    } else {
        keep(Part::Identity, KeepReason::NotDue, None, contact.rule.map(|r| r.source))
    };
    items.push(identity);
    let log_rule = law::rule_for(profile, RecordKind::AccessLog);
    items.push(keep(Part::AccessLog, KeepReason::Rule, None, log_rule.map(|r| r.source)));
    if f.has_invoices {
        let c = retention::invoice_clock(profile, f, today);
        let until = match c.clock {
            Clock::Running { ends } | Clock::Over { since: ends } => Some(ends),
            _ => None,
        };
        items.push(keep(Part::Invoices, KeepReason::Rule, until, c.rule.map(|r| r.source)));
    }
    items
}

/// What an erasure did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ErasureOutcome {
    /// The plan that ran (what was erased and what was kept, and why).
    pub plan: ErasurePlan,
    /// The erasure record's id (in the access log as `erasure`).
    pub record_id: i64,
    /// The reply letter, when one was asked for (a request).
    pub letter: Option<String>,
}

fn clear_contact_details(tx: &Connection, client_id: i64) -> Result<()> {
    // Restriction blocks updates of the client; erasure is the client's right and goes first.
    let restricted: Option<String> =
        tx.query_row("SELECT restricted_at FROM client WHERE id = ?1", [client_id], |r| r.get(0))?;
    if restricted.is_some() {
        tx.execute("UPDATE client SET restricted_at = NULL WHERE id = ?1", [client_id])?;
    }
    tx.execute(
        "UPDATE client SET address = '', email = '', phones = '[]', emergency_contact = NULL, custom_fields = '[]',
           updated_at = ?2 WHERE id = ?1",
        params![client_id, time::now_string()],
    )?;
    // The update kept the old details as history (art. 16); they go too.
    tx.execute(
        "UPDATE client_history SET address = '', email = '', phones = '[]', emergency_contact = NULL, custom_fields = '[]'
         WHERE client_id = ?1",
        [client_id],
    )?;
    if let Some(at) = restricted {
        tx.execute("UPDATE client SET restricted_at = ?2 WHERE id = ?1", params![client_id, at])?;
    }
    Ok(())
}

fn erase_journal(tx: &Connection, client_id: i64) -> Result<()> {
    for t in IdTable::ALL {
        ids::retire_up_to_max(tx, t)?;
    }
    search::remove_client(tx, client_id, Some(ObjectKind::Entry))?;
    // Consents go with the journal; their evidence is an attachment, so they go first.
    tx.execute("DELETE FROM consent WHERE client_id = ?1", [client_id])?;
    tx.execute(
        "DELETE FROM attachment_content WHERE attachment_id IN (SELECT id FROM attachment WHERE client_id = ?1)",
        [client_id],
    )?;
    tx.execute("DELETE FROM attachment WHERE client_id = ?1", [client_id])?;
    // Sessions first: a session names its note.
    tx.execute("DELETE FROM appointment WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM measure WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM amendment WHERE entry_id IN (SELECT id FROM entry WHERE client_id = ?1)", [client_id])?;
    tx.execute("DELETE FROM entry WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM course WHERE client_id = ?1", [client_id])?;
    Ok(())
}

fn erase_identity(tx: &Connection, client_id: i64) -> Result<()> {
    ids::retire_up_to_max(tx, IdTable::Client)?;
    search::remove_client(tx, client_id, None)?;
    tx.execute("DELETE FROM legal_hold WHERE client_id = ?1", [client_id])?;
    crate::breach::forget_client(tx, client_id)?;
    crate::invoicing::forget_client(tx, client_id)?;
    // Sessions that are no record of care (planned, cancelled in time) go with the identity.
    tx.execute("DELETE FROM appointment WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM client_history WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM import_run WHERE client_id = ?1", [client_id])?;
    tx.execute("DELETE FROM client WHERE id = ?1", [client_id])?;
    Ok(())
}

#[derive(Serialize)]
struct RecordedOutcome<'a> {
    cause: &'a ErasureCause,
    items: &'a [PlanItem],
}

impl Vault {
    fn plan_in(&mut self, client_id: i64, cause: ErasureCause, today: NaiveDate) -> Result<ErasurePlan> {
        let profile = self.profile()?.jurisdiction;
        let settings = Settings::load(&self.dir)?;
        let s = self.session()?;
        crate::domain::clients::exists(s.reader(), client_id)?;
        let f = retention::facts(s.reader(), client_id)?;
        let items = plan_parts(profile, &f, cause, today);
        let backups_until =
            settings.backup.target.as_ref().map(|_| backups_kept_until(&settings.backup.retention, today));
        Ok(ErasurePlan { client_id, cause, items, backups_until })
    }

    /// The preview of an erasure: what goes, what the law keeps (with the rule and the day it
    /// may go), and how long older backups keep the data. Reading it is a read of the client.
    pub fn erasure_plan(&mut self, client_id: i64, cause: ErasureCause, today: NaiveDate) -> Result<ErasurePlan> {
        let plan = self.plan_in(client_id, cause, today)?;
        self.session()?.log(Action::ClientRead, Target::client(client_id))?;
        Ok(plan)
    }

    /// Erases what the plan for `client_id` erases, provided it is still exactly `confirmed`
    /// (the parts the therapist saw in the preview), then compacts the database. See the
    /// module docs for the steps; cancelling is possible until the erasing transaction starts.
    ///
    /// For a request, `letter` also writes the reply letter (made before anything is erased,
    /// while the name and address exist; removed again if the erasure then fails).
    pub fn erase(
        &mut self,
        client_id: i64,
        cause: ErasureCause,
        confirmed: &[Part],
        today: NaiveDate,
        letter: Option<LetterTo<'_>>,
        ctl: &mut JobCtl<'_>,
    ) -> Result<ErasureOutcome> {
        const STEPS: u64 = 4;
        ctl.report(Progress { phase: Phase::Erase, done: 0, total: STEPS })?;
        let plan = self.plan_in(client_id, cause, today)?;
        let mut want = confirmed.to_vec();
        want.sort_by_key(|p| *p as u8);
        want.dedup();
        let mut have = plan.erased();
        have.sort_by_key(|p| *p as u8);
        if want != have || have.is_empty() {
            return Err(Error::ErasurePlanChanged);
        }
        ctl.check()?;
        let outcome = serde_json::to_string(&RecordedOutcome { cause: &plan.cause, items: &plan.items })
            .map_err(|_| Error::Internal("erasure outcome"))?;
        let received = match cause {
            ErasureCause::Request { received_on } => Some(received_on.to_string()),
            ErasureCause::Retention => None,
        };
        let letter_path = match (letter, cause) {
            (Some(to), ErasureCause::Request { received_on }) => {
                let profile = self.profile()?;
                let pdf = letter::render(self.session()?.reader(), &profile, &plan, received_on, today, to.engine)?;
                Some(letter::write(to.folder, today, &pdf)?)
            }
            _ => None,
        };
        let record_id = self.session()?.write(Action::Erasure, |tx| {
            // The plan already kept everything of a held client; this is the last word, in the
            // transaction (the database's permit trigger covers the journal as well).
            if crate::domain::rights::held(tx, client_id)? {
                return Err(Error::LegalHold);
            }
            // Signed entries, amendments and the client's history can be deleted only under a
            // permit, which the database refuses under a legal hold; it lasts this transaction.
            tx.execute("INSERT INTO erasure_permit (client_id) VALUES (?1)", [client_id])?;
            if have.contains(&Part::Journal) {
                erase_journal(tx, client_id)?;
            }
            if have.contains(&Part::ContactDetails) && !have.contains(&Part::Identity) {
                clear_contact_details(tx, client_id)?;
            }
            if have.contains(&Part::Identity) {
                if have.contains(&Part::Journal) || !plan.items.iter().any(|i| i.part == Part::Journal) {
                    erase_identity(tx, client_id)?;
                } else {
                    return Err(Error::Internal("identity without its journal"));
                }
            }
            tx.execute("DELETE FROM erasure_permit WHERE client_id = ?1", [client_id])?;
            tx.execute(
                "INSERT INTO erasure_record (cause, received_on, executed_at, outcome) VALUES (?1, ?2, ?3, ?4)",
                params![
                    if received.is_some() { "request" } else { "retention" },
                    received,
                    time::now_string(),
                    outcome
                ],
            )?;
            Ok((tx.last_insert_rowid(), Target::client(client_id)))
        });
        let record_id = match record_id {
            Ok(id) => id,
            Err(e) => {
                if let Some(p) = &letter_path {
                    let _ = std::fs::remove_file(p);
                }
                return Err(e);
            }
        };
        // Past the commit point: compaction finishes even if cancelled (a report's
        // `Cancelled` is ignored), or the erased data would linger in the index's segments
        // until the next erasure.
        let _ = ctl.report(Progress { phase: Phase::Compact, done: 1, total: STEPS });
        let s = self.session()?;
        s.writable(search::purge_deleted)?;
        let _ = ctl.report(Progress { phase: Phase::Compact, done: 2, total: STEPS });
        s.writable(|c| Ok(c.execute_batch("VACUUM")?))?;
        let _ = ctl.report(Progress { phase: Phase::Compact, done: 3, total: STEPS });
        s.writable(|c| Ok(c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?))?;
        let _ = ctl.report(Progress { phase: Phase::Compact, done: STEPS, total: STEPS });
        let letter = letter_path.map(|p| p.to_string_lossy().into_owned());
        Ok(ErasureOutcome { plan, record_id, letter })
    }
}

mod letter;
pub use letter::LetterTo;

#[cfg(test)]
mod tests;
