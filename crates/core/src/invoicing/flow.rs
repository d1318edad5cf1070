//! The invoice flows on the vault: billing details, drafts from sessions, issue, credit,
//! payments, and reads with each invoice's state on the day asked. The rules are the module's
//! (see `invoicing/mod.rs`).

use chrono::{Days, Local, NaiveDate};
use rusqlite::{params, Connection, OptionalExtension};

use super::store::{load, status};
use super::totals::{default_vat, exemption_reference, simplified_limit};
use super::*;
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::domain::appointments::{self, Attendance};
use crate::domain::profile::{enum_to_str, Language, PracticeProfile};
use crate::domain::validate;
use crate::kinds::ObjectKind;
use crate::{time, Error, Reason, Result, Vault};

const BILLING_COLUMNS: &str = "org_number, vat_number, f_skatt, bankgiro, plusgiro, iban, bic, account, payment_days";

pub(crate) fn load_billing(conn: &Connection) -> Result<Billing> {
    let b = conn
        .query_row(&format!("SELECT {BILLING_COLUMNS} FROM billing WHERE id = 1"), [], |r| {
            Ok(Billing {
                org_number: r.get(0)?,
                vat_number: r.get(1)?,
                f_skatt: r.get(2)?,
                bankgiro: r.get(3)?,
                plusgiro: r.get(4)?,
                iban: r.get(5)?,
                bic: r.get(6)?,
                account: r.get(7)?,
                payment_days: r.get(8)?,
            })
        })
        .optional()?;
    Ok(b.unwrap_or_default())
}

impl Billing {
    pub(crate) fn clean(&self) -> Result<Billing> {
        let line = |field: &str, v: &str| validate::one_line(field, v, 60, false);
        if self.payment_days > 120 {
            return Err(Error::invalid("payment_days", Reason::OutOfRange));
        }
        Ok(Billing {
            org_number: line("org_number", &self.org_number)?,
            vat_number: line("vat_number", &self.vat_number)?,
            f_skatt: self.f_skatt,
            bankgiro: line("bankgiro", &self.bankgiro)?,
            plusgiro: line("plusgiro", &self.plusgiro)?,
            iban: line("iban", &self.iban)?,
            bic: line("bic", &self.bic)?,
            account: line("account", &self.account)?,
            payment_days: self.payment_days,
        })
    }
}

struct CleanLine {
    description: String,
    service_date: Option<String>,
    quantity: u32,
    unit_price: i64,
    vat: String,
    appointment_id: Option<i64>,
}

fn clean_lines(lines: &[LineInput]) -> Result<Vec<CleanLine>> {
    if lines.len() > 200 {
        return Err(Error::invalid("lines", Reason::TooMany));
    }
    lines
        .iter()
        .map(|l| {
            if !(1..=10_000).contains(&l.quantity) {
                return Err(Error::invalid("quantity", Reason::OutOfRange));
            }
            if !(0..=100_000_000).contains(&l.unit_price) {
                return Err(Error::invalid("unit_price", Reason::OutOfRange));
            }
            Ok(CleanLine {
                description: validate::one_line("description", &l.description, 300, true)?,
                service_date: l.service_date.map(|d| d.to_string()),
                quantity: l.quantity,
                unit_price: l.unit_price,
                vat: enum_to_str(&l.vat),
                appointment_id: l.appointment_id,
            })
        })
        .collect()
}

fn write_lines(tx: &Connection, invoice_id: i64, lines: &[CleanLine]) -> Result<()> {
    tx.execute("DELETE FROM invoice_line WHERE invoice_id = ?1", [invoice_id])?;
    for (i, l) in lines.iter().enumerate() {
        tx.execute(
            "INSERT INTO invoice_line (invoice_id, position, description, service_date, quantity, unit_price, vat, appointment_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![invoice_id, i as i64 + 1, l.description, l.service_date, l.quantity, l.unit_price, l.vat, l.appointment_id],
        )?;
    }
    Ok(())
}

/// No session twice in one invoice.
fn once_each(ids: impl Iterator<Item = i64>) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    if ids.into_iter().all(|id| seen.insert(id)) {
        Ok(())
    } else {
        Err(Error::invalid("appointment_id", Reason::Duplicate))
    }
}

/// A session may be billed on `invoice_id` when it is the client's, took the therapist's time,
/// has a fee, and is on no other invoice that stands (one not credited).
fn check_session(tx: &Connection, client_id: i64, invoice_id: Option<i64>, appointment_id: i64) -> Result<()> {
    let a =
        appointments::load(tx, appointment_id).map_err(|_| Error::invalid("appointment_id", Reason::NotThisClient))?;
    if a.client_id != client_id {
        return Err(Error::invalid("appointment_id", Reason::NotThisClient));
    }
    if !a.attendance.chargeable() || a.fee.unwrap_or(0) <= 0 {
        return Err(Error::invalid("appointment_id", Reason::Required));
    }
    let elsewhere: Option<i64> = tx
        .query_row(
            "SELECT i.id FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
             WHERE l.appointment_id = ?1 AND i.id IS NOT ?2 AND i.kind = 'invoice'
               AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued')
             LIMIT 1",
            params![appointment_id, invoice_id],
            |r| r.get(0),
        )
        .optional()?;
    if elsewhere.is_some() {
        return Err(Error::invalid("appointment_id", Reason::Duplicate));
    }
    Ok(())
}

/// How a session reads as an invoice line, in the invoice's language.
fn session_line(a: &appointments::Appointment, lang: Language) -> String {
    use appointments::AppointmentKind as K;
    let kind = match (lang, a.kind) {
        (Language::Sv, K::Individual) => "Samtal",
        (Language::Sv, K::Couple) => "Parsamtal",
        (Language::Sv, K::Group) => "Gruppsamtal",
        (Language::Sv, K::Phone) => "Telefonsamtal",
        (Language::Sv, K::Video) => "Videosamtal",
        (Language::Da, K::Individual) => "Samtale",
        (Language::Da, K::Couple) => "Parsamtale",
        (Language::Da, K::Group) => "Gruppesamtale",
        (Language::Da, K::Phone) => "Telefonsamtale",
        (Language::Da, K::Video) => "Videosamtale",
        (Language::En, K::Individual) => "Session",
        (Language::En, K::Couple) => "Couple session",
        (Language::En, K::Group) => "Group session",
        (Language::En, K::Phone) => "Phone session",
        (Language::En, K::Video) => "Video session",
    };
    let absent = match (lang, a.attendance) {
        (Language::Sv, Attendance::LateCancellation) => " (sen avbokning)",
        (Language::Sv, Attendance::NoShow) => " (uteblivet besök)",
        (Language::Da, Attendance::LateCancellation) => " (sen aflysning)",
        (Language::Da, Attendance::NoShow) => " (udeblivelse)",
        (Language::En, Attendance::LateCancellation) => " (late cancellation)",
        (Language::En, Attendance::NoShow) => " (did not attend)",
        _ => "",
    };
    format!("{kind}, {} min{absent}", a.minutes)
}

fn draft_of(conn: &Connection, id: i64) -> Result<i64> {
    match status(conn, id)? {
        (s, Some(client)) if s == "draft" => Ok(client),
        _ => Err(Error::InvoiceIssued),
    }
}

fn target(id: i64, client: Option<i64>) -> Target {
    match client {
        Some(c) => Target::object(ObjectKind::Invoice, id, c),
        None => Target::record(ObjectKind::Invoice, id),
    }
}

/// What an invoice must carry before it is issued, field by field (see the module's rules).
fn check_complete(inv: &Invoice, profile: &PracticeProfile, billing: &Billing) -> Result<()> {
    let missing = |field: &str| Err(Error::invalid(field, Reason::Required));
    if inv.lines.is_empty() {
        return missing("lines");
    }
    if profile.practice_name.trim().is_empty() {
        return missing("practice_name");
    }
    if profile.practice_address.trim().is_empty() {
        return missing("practice_address");
    }
    if billing.org_number.is_empty() {
        return missing("org_number");
    }
    if inv.lines.iter().any(|l| l.vat != VatRate::Exempt) && billing.vat_number.is_empty() {
        return missing("vat_number");
    }
    if inv.lines.iter().any(|l| l.vat == VatRate::Exempt)
        && exemption_reference(profile.jurisdiction, inv.language).is_none()
    {
        return Err(Error::invalid("vat", Reason::NotAllowed));
    }
    if inv.buyer_name.trim().is_empty() {
        return missing("buyer_name");
    }
    let simplified = simplified_limit(profile.jurisdiction).is_some_and(|max| inv.totals.gross <= max);
    if inv.buyer_address.trim().is_empty() && !simplified {
        return missing("buyer_address");
    }
    Ok(())
}

/// The seller as a new invoice names them, from today's profile and billing details.
fn seller_now(inv: &Invoice, profile: &PracticeProfile, billing: &Billing) -> Seller {
    Seller {
        name: profile.practice_name.clone(),
        address: profile.practice_address.clone(),
        therapist: if profile.therapist_title.is_empty() {
            profile.therapist_name.clone()
        } else {
            format!("{}, {}", profile.therapist_name, profile.therapist_title)
        },
        billing: billing.clone(),
        exemption: inv
            .lines
            .iter()
            .any(|l| l.vat == VatRate::Exempt)
            .then(|| exemption_reference(profile.jurisdiction, inv.language).map(str::to_owned))
            .flatten(),
    }
}

/// Gives the draft `id` the next number and freezes it with `seller`, in the caller's
/// transaction (the caller has checked what it must carry).
fn issue_in(tx: &Connection, id: i64, today: NaiveDate, seller: &Seller) -> Result<()> {
    let inv = load(tx, id, today)?;
    let number = super::purge::next_number(tx)?;
    let due = today.checked_add_days(Days::new(u64::from(seller.billing.payment_days))).unwrap_or(today);
    tx.execute(
        "UPDATE invoice SET status = 'issued', number = ?2, issued_on = ?3, due_on = ?4, seller = ?5, net_total = ?6,
           vat_total = ?7, updated_at = ?8 WHERE id = ?1",
        params![
            id,
            number,
            today.to_string(),
            due.to_string(),
            serde_json::to_string(seller).map_err(|_| Error::Internal("encoding"))?,
            inv.totals.net,
            inv.totals.vat,
            time::now_string()
        ],
    )?;
    Ok(())
}

impl Vault {
    /// The seller's billing details (defaults until saved).
    pub fn billing(&mut self) -> Result<Billing> {
        let s = self.session()?;
        load_billing(s.reader())
    }

    /// Saves the billing details. Issued invoices keep the details they were issued with.
    pub fn set_billing(&mut self, b: &Billing) -> Result<Billing> {
        let b = b.clean()?;
        self.session()?.write(Action::ProfileUpdate, |tx| {
            tx.execute(
                &format!(
                    "INSERT INTO billing (id, {BILLING_COLUMNS}, updated_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT (id) DO UPDATE SET org_number = ?1, vat_number = ?2, f_skatt = ?3, bankgiro = ?4,
                       plusgiro = ?5, iban = ?6, bic = ?7, account = ?8, payment_days = ?9, updated_at = ?10"
                ),
                params![
                    b.org_number,
                    b.vat_number,
                    b.f_skatt,
                    b.bankgiro,
                    b.plusgiro,
                    b.iban,
                    b.bic,
                    b.account,
                    b.payment_days,
                    time::now_string()
                ],
            )?;
            Ok((load_billing(tx)?, Target::none()))
        })
    }

    /// Starts a draft for a client, its buyer the client (name and address), one line per
    /// session in `sessions` (each the client's, chargeable, on no other invoice that stands),
    /// priced at its fee, with the profile's VAT, written in the profile's language.
    pub fn create_invoice(&mut self, client_id: i64, sessions: &[i64], today: NaiveDate) -> Result<Invoice> {
        let profile = self.profile()?;
        self.session()?.write(Action::Invoice, |tx| {
            let c = crate::domain::clients::load(tx, client_id)?;
            once_each(sessions.iter().copied())?;
            let mut lines = Vec::new();
            for &sid in sessions {
                check_session(tx, client_id, None, sid)?;
                let a = appointments::load(tx, sid)?;
                lines.push(LineInput {
                    description: session_line(&a, profile.language),
                    service_date: Some(a.starts_at.with_timezone(&Local).date_naive()),
                    quantity: 1,
                    unit_price: a.fee.unwrap_or(0),
                    vat: default_vat(profile.jurisdiction),
                    appointment_id: Some(sid),
                });
            }
            let lines = clean_lines(&lines)?;
            let now = time::now_string();
            tx.execute(
                "INSERT INTO invoice (id, kind, client_id, language, currency, buyer_name, buyer_address, created_at, updated_at)
                 VALUES (?7, 'invoice', ?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![
                    client_id,
                    enum_to_str(&profile.language),
                    profile.jurisdiction.currency(),
                    format!("{} {}", c.given_name, c.family_name).trim(),
                    c.address,
                    now,
                    ids::next(tx, IdTable::Invoice)?
                ],
            )?;
            let id = tx.last_insert_rowid();
            write_lines(tx, id, &lines)?;
            Ok((load(tx, id, today)?, target(id, Some(client_id))))
        })
    }

    /// Saves a draft's buyer and lines (all of them, in order). An issued invoice is refused
    /// with [`Error::InvoiceIssued`].
    pub fn save_invoice_draft(&mut self, id: i64, input: &InvoiceInput, today: NaiveDate) -> Result<Invoice> {
        let buyer_name = validate::one_line("buyer_name", &input.buyer_name, 200, false)?;
        let buyer_address = validate::text("buyer_address", &input.buyer_address, 500, false)?;
        let lines = clean_lines(&input.lines)?;
        self.session()?.write(Action::Invoice, |tx| {
            let client = draft_of(tx, id)?;
            once_each(lines.iter().filter_map(|l| l.appointment_id))?;
            for l in &lines {
                if let Some(sid) = l.appointment_id {
                    check_session(tx, client, Some(id), sid)?;
                }
            }
            tx.execute(
                "UPDATE invoice SET buyer_name = ?2, buyer_address = ?3, updated_at = ?4 WHERE id = ?1",
                params![id, buyer_name, buyer_address, time::now_string()],
            )?;
            write_lines(tx, id, &lines)?;
            Ok((load(tx, id, today)?, target(id, Some(client))))
        })
    }

    /// Deletes a draft. An issued invoice is refused (it is corrected by a credit note).
    pub fn delete_invoice_draft(&mut self, id: i64) -> Result<()> {
        self.session()?.write(Action::Invoice, |tx| {
            let client = draft_of(tx, id)?;
            // The access log names it by id: never hand the id out again.
            ids::retire_up_to_max(tx, IdTable::Invoice)?;
            tx.execute("DELETE FROM invoice_line WHERE invoice_id = ?1", [id])?;
            tx.execute("DELETE FROM invoice WHERE id = ?1", [id])?;
            Ok(((), target(id, Some(client))))
        })
    }

    /// Issues a draft on `today`: checks what a full invoice must carry, gives it the next
    /// number and freezes it.
    pub fn issue_invoice(&mut self, id: i64, today: NaiveDate) -> Result<Invoice> {
        let profile = self.profile()?;
        self.session()?.write(Action::Invoice, |tx| {
            let client = draft_of(tx, id)?;
            let inv = load(tx, id, today)?;
            let billing = load_billing(tx)?;
            check_complete(&inv, &profile, &billing)?;
            issue_in(tx, id, today, &seller_now(&inv, &profile, &billing))?;
            Ok((load(tx, id, today)?, target(id, Some(client))))
        })
    }

    /// Cancels an issued invoice with a credit note, issued at once on `today` with the next
    /// number, every line negated, `reason` printed on it. Returns the credit note.
    pub fn credit_invoice(&mut self, id: i64, reason: &str, today: NaiveDate) -> Result<Invoice> {
        let reason = validate::one_line("reason", reason, 300, true)?;
        self.session()?.write(Action::Invoice, |tx| {
            let original = load(tx, id, today)?;
            if original.number.is_none() {
                return Err(Error::invalid("invoice", Reason::Required));
            }
            if original.kind == InvoiceKind::CreditNote || original.credited_by.is_some() {
                return Err(Error::invalid("invoice", Reason::AlreadyDone));
            }
            let now = time::now_string();
            tx.execute(
                "INSERT INTO invoice (id, kind, client_id, credits_id, language, currency, buyer_name, buyer_address, note,
                   created_at, updated_at)
                 VALUES (?9, 'credit_note', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                params![
                    original.client_id,
                    id,
                    enum_to_str(&original.language),
                    original.currency,
                    original.buyer_name,
                    original.buyer_address,
                    reason,
                    now,
                    ids::next(tx, IdTable::Invoice)?
                ],
            )?;
            let credit = tx.last_insert_rowid();
            let lines: Vec<CleanLine> = original
                .lines
                .iter()
                .map(|l| CleanLine {
                    description: l.description.clone(),
                    service_date: l.service_date.map(|d| d.to_string()),
                    quantity: l.quantity,
                    unit_price: -l.unit_price,
                    vat: enum_to_str(&l.vat),
                    appointment_id: l.appointment_id,
                })
                .collect();
            write_lines(tx, credit, &lines)?;
            // The seller as on the original, and no check against today's profile: a credit note
            // corrects that invoice as it was issued.
            let seller = original.seller.clone().ok_or(Error::Internal("issued invoice without its seller"))?;
            issue_in(tx, credit, today, &seller)?;
            Ok((load(tx, credit, today)?, target(credit, original.client_id)))
        })
    }

    /// Records a payment against an issued invoice; refused for a draft, a credit note, a
    /// credited invoice, a day after today, or more than is outstanding.
    pub fn record_payment(&mut self, id: i64, p: &PaymentInput, today: NaiveDate) -> Result<Invoice> {
        if p.paid_on > today {
            return Err(Error::invalid("paid_on", Reason::InFuture));
        }
        self.session()?.write(Action::Invoice, |tx| {
            let inv = load(tx, id, today)?;
            if inv.state == InvoiceState::Draft {
                return Err(Error::invalid("invoice", Reason::Required));
            }
            if inv.kind == InvoiceKind::CreditNote || inv.credited_by.is_some() {
                return Err(Error::invalid("invoice", Reason::NotAllowed));
            }
            if p.amount <= 0 || p.amount > inv.outstanding {
                return Err(Error::invalid("amount", Reason::OutOfRange));
            }
            tx.execute(
                "INSERT INTO payment (invoice_id, paid_on, amount, method, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, p.paid_on.to_string(), p.amount, enum_to_str(&p.method), time::now_string()],
            )?;
            Ok((load(tx, id, today)?, target(id, inv.client_id)))
        })
    }

    /// One invoice with its state on `today` (logged as a read of it).
    pub fn invoice(&mut self, id: i64, today: NaiveDate) -> Result<Invoice> {
        let s = self.session()?;
        let inv = load(s.reader(), id, today)?;
        s.log(Action::InvoiceRead, target(id, inv.client_id))?;
        Ok(inv)
    }

    /// Invoices and credit notes, newest first: a client's, or every one (which names
    /// buyers, so it is logged like the client list).
    pub fn invoices(&mut self, client_id: Option<i64>, today: NaiveDate) -> Result<Vec<Invoice>> {
        let s = self.session()?;
        let ids: Vec<i64> = s
            .reader()
            .prepare("SELECT id FROM invoice WHERE ?1 IS NULL OR client_id = ?1 ORDER BY coalesce(number, 1e18) DESC, id DESC")?
            .query_map([client_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let out = ids.into_iter().map(|id| load(s.reader(), id, today)).collect::<Result<Vec<_>>>()?;
        s.log(Action::InvoiceRead, client_id.map_or(Target::none(), Target::client))?;
        Ok(out)
    }

    /// Issued invoices past their due day and not paid, oldest due first.
    pub fn overdue_invoices(&mut self, today: NaiveDate) -> Result<Vec<Invoice>> {
        let mut all = self.invoices(None, today)?;
        all.retain(|i| i.state == InvoiceState::Overdue);
        all.sort_by_key(|i| (i.due_on, i.number));
        Ok(all)
    }
}
