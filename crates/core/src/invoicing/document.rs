//! An issued invoice as a PDF (or the receipt of a paid one), and the invoices of a period as
//! CSV for the accountant. The data is the invoice as frozen at issue.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::store::load;
use super::*;
use crate::audit::{Action, Target};
use crate::documents::{write_pdf, DocumentKind, Typesetter};
use crate::kinds::ObjectKind;
use crate::{Error, Reason, Result, Vault};

#[derive(Serialize)]
struct DocSeller<'a> {
    name: &'a str,
    address: &'a str,
    therapist: &'a str,
    org_number: &'a str,
    vat_number: &'a str,
    f_skatt: bool,
    bankgiro: &'a str,
    plusgiro: &'a str,
    iban: &'a str,
    bic: &'a str,
    account: &'a str,
    exemption: Option<&'a str>,
}

#[derive(Serialize)]
struct DocBuyer<'a> {
    name: &'a str,
    address: &'a str,
}

#[derive(Serialize)]
struct InvoiceDoc<'a> {
    lang: crate::domain::profile::Language,
    generated_on: String,
    kind: InvoiceKind,
    receipt: bool,
    number: i64,
    issued_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
    currency: &'a str,
    credits_number: Option<i64>,
    note: &'a str,
    seller: DocSeller<'a>,
    buyer: DocBuyer<'a>,
    lines: &'a [InvoiceLine],
    totals: &'a Totals,
    payments: &'a [Payment],
    outstanding: i64,
}

/// One CSV field: quoted when it holds the separator, a quote or a line break; a text that a
/// spreadsheet would run as a formula (`=`, `+`, `-`, `@`) starts with an apostrophe instead.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
    if s.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn amount(minor: i64) -> String {
    crate::money::format_amount(minor)
}

impl Vault {
    /// Writes an issued invoice or credit note as a PDF in its language into `folder`; with
    /// `receipt`, the receipt of a paid invoice (refused while not paid).
    pub fn invoice_pdf(
        &mut self,
        id: i64,
        receipt: bool,
        folder: &Path,
        engine: &dyn Typesetter,
        today: NaiveDate,
    ) -> Result<PathBuf> {
        let (inv, credits_number) = {
            let s = self.session()?;
            let inv = load(s.reader(), id, today)?;
            let credits_number = match inv.credits_id {
                Some(o) => load(s.reader(), o, today)?.number,
                None => None,
            };
            (inv, credits_number)
        };
        let (Some(number), Some(seller)) = (inv.number, inv.seller.as_ref()) else {
            return Err(Error::invalid("invoice", Reason::Required));
        };
        if receipt && inv.state != InvoiceState::Paid {
            return Err(Error::invalid("receipt", Reason::NotAllowed));
        }
        let b = &seller.billing;
        let doc = InvoiceDoc {
            lang: inv.language,
            generated_on: today.to_string(),
            kind: inv.kind,
            receipt,
            number,
            issued_on: inv.issued_on,
            due_on: inv.due_on,
            currency: &inv.currency,
            credits_number,
            note: &inv.note,
            seller: DocSeller {
                name: &seller.name,
                address: &seller.address,
                therapist: &seller.therapist,
                org_number: &b.org_number,
                vat_number: &b.vat_number,
                f_skatt: b.f_skatt,
                bankgiro: &b.bankgiro,
                plusgiro: &b.plusgiro,
                iban: &b.iban,
                bic: &b.bic,
                account: &b.account,
                exemption: seller.exemption.as_deref(),
            },
            buyer: DocBuyer { name: &inv.buyer_name, address: &inv.buyer_address },
            lines: &inv.lines,
            totals: &inv.totals,
            payments: &inv.payments,
            outstanding: inv.outstanding,
        };
        let json = serde_json::to_vec(&doc).map_err(|_| Error::Internal("invoice data"))?;
        let pdf = engine.render(DocumentKind::Invoice, &json)?;
        let stem = match (inv.kind, receipt) {
            (InvoiceKind::CreditNote, _) => format!("credit-note-{number}"),
            (_, true) => format!("receipt-{number}"),
            _ => format!("invoice-{number}"),
        };
        let path = write_pdf(folder, &stem, today, &pdf)?;
        let target = match inv.client_id {
            Some(c) => Target::object(ObjectKind::Invoice, id, c),
            None => Target::record(ObjectKind::Invoice, id),
        };
        self.session()?.log(Action::InvoiceRead, target)?;
        Ok(path)
    }

    /// The invoices and credit notes issued from `from` to `to` (both included), one row each,
    /// as CSV for the accountant (semicolons, amounts with a decimal comma, UTF-8): number, kind,
    /// issue and due day, buyer, net, VAT, gross, currency, the invoice a credit note cancels,
    /// paid so far.
    pub fn accounting_csv(&mut self, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<String> {
        if to < from {
            return Err(Error::invalid("to", Reason::BeforeStart));
        }
        let all = self.invoices(None, today)?;
        let number_of = |id: Option<i64>| {
            id.and_then(|i| all.iter().find(|x| x.id == i))
                .and_then(|x| x.number)
                .map(|n| n.to_string())
                .unwrap_or_default()
        };
        let mut rows: Vec<&Invoice> =
            all.iter().filter(|i| i.number.is_some() && i.issued_on.is_some_and(|d| d >= from && d <= to)).collect();
        rows.sort_by_key(|i| i.number);
        let mut out = String::from("number;kind;issued_on;due_on;buyer;net;vat;gross;currency;credits;paid\n");
        for i in rows {
            let paid: i64 = i.payments.iter().map(|p| p.amount).sum();
            let line = [
                i.number.map(|n| n.to_string()).unwrap_or_default(),
                crate::domain::profile::enum_to_str(&i.kind),
                i.issued_on.map(|d| d.to_string()).unwrap_or_default(),
                i.due_on.map(|d| d.to_string()).unwrap_or_default(),
                field(&i.buyer_name),
                amount(i.totals.net),
                amount(i.totals.vat),
                amount(i.totals.gross),
                i.currency.clone(),
                number_of(i.credits_id),
                amount(paid),
            ];
            out.push_str(&line.join(";"));
            out.push('\n');
        }
        Ok(out)
    }

    /// [`Vault::accounting_csv`] written into `folder` as `invoices-FROM--TO-TODAY.csv` (the
    /// app's "for the accountant"); the path comes back. The file names buyers: it goes only
    /// where the person chose.
    pub fn save_accounting_csv(
        &mut self,
        from: NaiveDate,
        to: NaiveDate,
        folder: &Path,
        today: NaiveDate,
    ) -> Result<PathBuf> {
        let csv = self.accounting_csv(from, to, today)?;
        crate::documents::write_file(folder, &format!("invoices-{from}--{to}"), "csv", today, csv.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(field("Maja Ek"), "Maja Ek");
        assert_eq!(field("Ek; Maja"), "\"Ek; Maja\"");
        assert_eq!(field("Maja \"M\" Ek"), "\"Maja \"\"M\"\" Ek\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }
}
