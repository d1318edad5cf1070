//! Reading invoices as stored, and what other flows ask of them (the sessions still waiting
//! for one, a client's issued ones for the export, forgetting a client at erasure).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::totals::totals;
use super::*;
use crate::db::ids::{self, IdTable};
use crate::domain::profile::parse_enum;
use crate::{time, Error, Result};

/// Sessions billed on an invoice that stands are not "not yet invoiced" (SQL over `a`).
pub(crate) const NOT_INVOICED_SQL: &str = "NOT EXISTS (
    SELECT 1 FROM invoice_line l JOIN invoice i ON i.id = l.invoice_id
    WHERE l.appointment_id = a.id AND i.kind = 'invoice'
      AND NOT EXISTS (SELECT 1 FROM invoice c WHERE c.credits_id = i.id AND c.status = 'issued'))";

const COLUMNS: &str = "id, kind, status, number, client_id, credits_id, language, currency, buyer_name, buyer_address,
    note, issued_on, due_on, seller, created_at";

/// Reads an invoice with its lines, payments and state on `today`.
pub(crate) fn load(conn: &Connection, id: i64, today: NaiveDate) -> Result<Invoice> {
    let mut inv = conn
        .query_row(&format!("SELECT {COLUMNS} FROM invoice WHERE id = ?1"), [id], |r| {
            let seller: Option<String> = r.get(13)?;
            Ok(Invoice {
                id: r.get(0)?,
                kind: parse_enum(&r.get::<_, String>(1)?)?,
                number: r.get(3)?,
                state: if r.get::<_, String>(2)? == "draft" { InvoiceState::Draft } else { InvoiceState::Open },
                client_id: r.get(4)?,
                credits_id: r.get(5)?,
                credited_by: None,
                language: parse_enum(&r.get::<_, String>(6)?)?,
                currency: r.get(7)?,
                buyer_name: r.get(8)?,
                buyer_address: r.get(9)?,
                note: r.get(10)?,
                issued_on: r.get::<_, Option<String>>(11)?.and_then(|s| time::parse_date(&s)),
                due_on: r.get::<_, Option<String>>(12)?.and_then(|s| time::parse_date(&s)),
                seller: seller.and_then(|s| serde_json::from_str(&s).ok()),
                lines: Vec::new(),
                totals: Totals::default(),
                payments: Vec::new(),
                outstanding: 0,
                created_at: time::parse_ts(&r.get::<_, String>(14)?),
            })
        })
        .optional()?
        .ok_or(Error::NotFound("invoice"))?;
    let mut st = conn.prepare_cached(
        "SELECT description, service_date, quantity, unit_price, vat, appointment_id FROM invoice_line
         WHERE invoice_id = ?1 ORDER BY position",
    )?;
    inv.lines = st
        .query_map([id], |r| {
            let quantity: u32 = r.get(2)?;
            let unit_price: i64 = r.get(3)?;
            Ok(InvoiceLine {
                description: r.get(0)?,
                service_date: r.get::<_, Option<String>>(1)?.and_then(|s| time::parse_date(&s)),
                quantity,
                unit_price,
                vat: parse_enum(&r.get::<_, String>(4)?)?,
                appointment_id: r.get(5)?,
                net: i64::from(quantity) * unit_price,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st =
        conn.prepare_cached("SELECT id, paid_on, amount, method FROM payment WHERE invoice_id = ?1 ORDER BY id")?;
    inv.payments = st
        .query_map([id], |r| {
            Ok(Payment {
                id: r.get(0)?,
                paid_on: time::parse_date(&r.get::<_, String>(1)?).unwrap_or_default(),
                amount: r.get(2)?,
                method: parse_enum(&r.get::<_, String>(3)?)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    inv.credited_by = conn
        .query_row("SELECT id FROM invoice WHERE credits_id = ?1 AND status = 'issued'", [id], |r| r.get(0))
        .optional()?;
    inv.totals = totals(&inv.lines.iter().map(|l| (l.net, l.vat)).collect::<Vec<_>>());
    // An issued invoice's sums are the ones frozen at issue, whatever a later build computes.
    let frozen: Option<(Option<i64>, Option<i64>)> = conn
        .query_row("SELECT net_total, vat_total FROM invoice WHERE id = ?1 AND status = 'issued'", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    if let Some((Some(net), Some(vat))) = frozen {
        inv.totals.net = net;
        inv.totals.vat = vat;
        inv.totals.gross = net + vat;
    }
    let paid: i64 = inv.payments.iter().map(|p| p.amount).sum();
    inv.outstanding =
        if inv.kind == InvoiceKind::Invoice && inv.credited_by.is_none() { inv.totals.gross - paid } else { 0 };
    if inv.state != InvoiceState::Draft {
        inv.state = match (inv.kind, inv.credited_by) {
            (InvoiceKind::CreditNote, _) => InvoiceState::CreditNote,
            (_, Some(_)) => InvoiceState::Credited,
            _ if inv.outstanding <= 0 => InvoiceState::Paid,
            _ if inv.due_on.is_some_and(|d| d < today) => InvoiceState::Overdue,
            _ => InvoiceState::Open,
        };
    }
    Ok(inv)
}

pub(super) fn status(conn: &Connection, id: i64) -> Result<(String, Option<i64>)> {
    conn.query_row("SELECT status, client_id FROM invoice WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::NotFound("invoice"))
}

/// A client's issued invoices and credit notes, oldest first (for the client's export).
pub(crate) fn issued_of_client(conn: &Connection, client_id: i64) -> Result<Vec<Invoice>> {
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM invoice WHERE client_id = ?1 AND status = 'issued' ORDER BY number")?
        .query_map([client_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let today = chrono::Local::now().date_naive();
    ids.into_iter().map(|id| load(conn, id, today)).collect()
}

/// At erasure of a client's identity: their drafts go, their issued invoices stay with the
/// buyer details frozen in them and lose the link to the client (under the erasure permit).
pub(crate) fn forget_client(tx: &Connection, client_id: i64) -> Result<()> {
    ids::retire_up_to_max(tx, IdTable::Invoice)?;
    tx.execute(
        "DELETE FROM invoice_line WHERE invoice_id IN (SELECT id FROM invoice WHERE client_id = ?1 AND status = 'draft')",
        [client_id],
    )?;
    tx.execute("DELETE FROM invoice WHERE client_id = ?1 AND status = 'draft'", [client_id])?;
    tx.execute("UPDATE invoice SET client_id = NULL WHERE client_id = ?1", [client_id])?;
    Ok(())
}
