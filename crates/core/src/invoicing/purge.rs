//! Bookkeeping past its period: the issued invoices and credit notes the bookkeeping law no
//! longer asks the practice to keep, which may then be deleted with their lines and payments.
//!
//! # Rules
//! - The financial year is the calendar year (the app knows no other), and an invoice belongs to
//!   the year it was issued. A year's invoices may go once the profile's invoice rule has run out
//!   for that year ([`law::clock`]: SE Bokföringslagen 7 kap. 2 §, to the end of the seventh
//!   year after; DK Bogføringsloven § 12, five years from the year's end). A profile without an
//!   invoice rule deletes none.
//! - Years go whole and oldest first. A credit note refers to its invoice, so an invoice whose
//!   credit note belongs to a year not yet due stays until that year goes too.
//! - Invoices of a client under a legal hold stay (the database refuses too). Drafts are not
//!   bookkeeping and are left alone.
//! - Numbers are never handed out again: the highest number issued is remembered before any is
//!   deleted, so the series goes on where it was. Row ids likewise ([`crate::db::ids`]).
//! - The deletion is one access-log row, naming no buyer. Nothing is deleted without the
//!   therapist asking; the app and the CLI show first what would go.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::domain::profile::Jurisdiction;
use crate::law::{self, Clock, Facts, RecordKind};
use crate::{Result, Vault};

/// The meta key remembering the highest invoice number ever issued.
pub(crate) const MAX_NUMBER_KEY: &str = "invoice.max_number";

/// What may be deleted today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct OldBookkeeping {
    /// How many issued invoices and credit notes may go.
    pub invoices: u32,
    /// The years they were issued in, oldest first.
    pub years: Vec<i32>,
    /// The rule that lets them go (`None` when the profile has no invoice rule).
    pub source: Option<String>,
}

/// The latest year whose invoices may go today under `profile`, if any. Pure.
pub fn latest_free_year(profile: Jurisdiction, issued_years: &[i32], today: NaiveDate) -> Option<i32> {
    let rule = law::rule_for(profile, RecordKind::Invoice)?;
    issued_years
        .iter()
        .copied()
        .filter(|&y| {
            let year_end = NaiveDate::from_ymd_opt(y, 12, 31);
            let facts = Facts { financial_year_end: year_end, ..Facts::default() };
            matches!(law::clock(rule, &facts, today), Clock::Over { .. })
        })
        .max()
}

/// The ids of the issued invoices that may go when every year up to `through` may (see the
/// rules: a credit note of a later year holds its invoice; a held client keeps theirs).
fn purgeable(conn: &Connection, through: NaiveDate) -> Result<Vec<(i64, i32)>> {
    let mut st = conn.prepare(
        "SELECT i.id, CAST(substr(i.issued_on, 1, 4) AS INTEGER) FROM invoice i
         WHERE i.status = 'issued' AND i.issued_on <= ?1
           AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND (c.status <> 'issued' OR c.issued_on > ?1))
           AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = i.client_id AND h.released_at IS NULL)
         ORDER BY i.id",
    )?;
    let rows = st.query_map([through.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn issued_years(conn: &Connection) -> Result<Vec<i32>> {
    let mut st = conn.prepare(
        "SELECT DISTINCT CAST(substr(issued_on, 1, 4) AS INTEGER) FROM invoice WHERE status = 'issued' ORDER BY 1",
    )?;
    let rows = st.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The last day of the latest year that may go, and the invoices (id, year) that go with it.
type Plan = (Option<NaiveDate>, Vec<(i64, i32)>);

fn plan(conn: &Connection, profile: Jurisdiction, today: NaiveDate) -> Result<Plan> {
    let Some(year) = latest_free_year(profile, &issued_years(conn)?, today) else { return Ok((None, vec![])) };
    let through = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    Ok((Some(through), purgeable(conn, through)?))
}

fn summary(rows: &[(i64, i32)], profile: Jurisdiction) -> OldBookkeeping {
    let mut years: Vec<i32> = rows.iter().map(|r| r.1).collect();
    years.dedup();
    OldBookkeeping {
        invoices: rows.len() as u32,
        years,
        source: law::rule_for(profile, RecordKind::Invoice).map(|r| r.source.to_owned()),
    }
}

/// The next invoice number: above every number held and every number ever issued.
pub(crate) fn next_number(conn: &Connection) -> Result<i64> {
    let held: i64 = conn.query_row("SELECT coalesce(max(number), 0) FROM invoice", [], |r| r.get(0))?;
    let gone: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [MAX_NUMBER_KEY], |r| r.get(0)).optional()?;
    Ok(held.max(gone.and_then(|v| v.parse().ok()).unwrap_or(0)) + 1)
}

impl Vault {
    /// The issued invoices the bookkeeping law no longer keeps today (see the module's rules).
    pub fn old_invoices(&mut self, today: NaiveDate) -> Result<OldBookkeeping> {
        let profile = self.profile()?.jurisdiction;
        let (_, rows) = plan(self.session()?.reader(), profile, today)?;
        Ok(summary(&rows, profile))
    }

    /// Deletes them, with their lines and payments; returns what went.
    pub fn purge_old_invoices(&mut self, today: NaiveDate) -> Result<OldBookkeeping> {
        let profile = self.profile()?.jurisdiction;
        self.session()?.write(Action::InvoicePurge, |tx| {
            let (through, rows) = plan(tx, profile, today)?;
            let gone = summary(&rows, profile);
            let Some(through) = through.filter(|_| !rows.is_empty()) else { return Ok((gone, Target::none())) };
            let highest = next_number(tx)? - 1;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![MAX_NUMBER_KEY, highest.to_string()],
            )?;
            ids::retire_up_to_max(tx, IdTable::Invoice)?;
            tx.execute("INSERT INTO invoice_purge_permit (through) VALUES (?1)", [through.to_string()])?;
            let ids = serde_json::to_string(&rows.iter().map(|r| r.0).collect::<Vec<_>>())
                .map_err(|_| crate::Error::Internal("encoding"))?;
            for sql in [
                "DELETE FROM payment WHERE invoice_id IN (SELECT value FROM json_each(?1))",
                "DELETE FROM invoice_line WHERE invoice_id IN (SELECT value FROM json_each(?1))",
                // Credit notes before the invoices they refer to.
                "DELETE FROM invoice WHERE id IN (SELECT value FROM json_each(?1)) AND credits_id IS NOT NULL",
                "DELETE FROM invoice WHERE id IN (SELECT value FROM json_each(?1))",
            ] {
                tx.execute(sql, [&ids])?;
            }
            tx.execute("DELETE FROM invoice_purge_permit", [])?;
            Ok((gone, Target::none()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_year_goes_when_its_period_is_over_in_each_country() {
        let years = [2018, 2019, 2020, 2021];
        // SE: to the end of the seventh calendar year after: 2019's invoices go on 1 January 2027.
        assert_eq!(latest_free_year(Jurisdiction::SeLicensed, &years, d("2026-12-31")), Some(2018));
        assert_eq!(latest_free_year(Jurisdiction::SeLicensed, &years, d("2027-01-01")), Some(2019));
        // DK: five years from the year's end: 2021's go on 1 January 2027.
        assert_eq!(latest_free_year(Jurisdiction::DkTherapistCoach, &years, d("2026-12-31")), Some(2020));
        assert_eq!(latest_free_year(Jurisdiction::DkPsychologist, &years, d("2027-01-01")), Some(2021));
        assert_eq!(latest_free_year(Jurisdiction::SeLicensed, &[2024], d("2027-01-01")), None);
        assert_eq!(latest_free_year(Jurisdiction::SeLicensed, &[], d("2027-01-01")), None);
    }
}
