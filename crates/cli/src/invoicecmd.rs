//! Billing details and invoices from the command line. Every rule is the core's; this parses
//! amounts and days, calls and prints.

use anyhow::Context as _;
use chrono::Local;
use confidant_core::invoicing::{Billing, Invoice, InvoiceInput, LineInput, PaymentInput};
use confidant_core::money::{format_amount, parse_amount};
use confidant_documents::Engine;

use crate::args::{BillingAction, InvoiceAction, OnOff};
use crate::prompt::Ctx;
use crate::records::{date, parse_enum};
use crate::rightscmd::parse_name as name;

fn summary(i: &Invoice) {
    let number = i.number.map(|n| format!("no. {n}")).unwrap_or_else(|| "draft".to_owned());
    println!(
        "{:>4}  {number:<9} {:<11} {:<10} {:<24} {:>12} {}",
        i.id,
        name(&i.kind),
        i.issued_on.map(|d| d.to_string()).unwrap_or_default(),
        i.buyer_name,
        format_amount(i.totals.gross),
        name(&i.state)
    );
}

fn detail(i: &Invoice) {
    summary(i);
    if let Some(due) = i.due_on {
        println!("      due {due}");
    }
    for l in &i.lines {
        let day = l.service_date.map(|d| d.to_string()).unwrap_or_default();
        println!(
            "      {:<40} {day:<10} {:>3} × {:>10}  {:<6} {:>12}",
            l.description,
            l.quantity,
            format_amount(l.unit_price),
            name(&l.vat),
            format_amount(l.net)
        );
    }
    for r in &i.totals.per_rate {
        println!("      {:<6} net {:>12}  VAT {:>10}", name(&r.vat), format_amount(r.net), format_amount(r.vat_amount));
    }
    println!("      total {} {}", format_amount(i.totals.gross), i.currency);
    for p in &i.payments {
        println!("      paid {} {} ({})", p.paid_on, format_amount(p.amount), name(&p.method));
    }
    if i.outstanding > 0 && i.number.is_some() {
        println!("      outstanding {}", format_amount(i.outstanding));
    }
}

fn as_input(i: &Invoice) -> InvoiceInput {
    InvoiceInput {
        buyer_name: i.buyer_name.clone(),
        buyer_address: i.buyer_address.clone(),
        lines: i
            .lines
            .iter()
            .map(|l| LineInput {
                description: l.description.clone(),
                service_date: l.service_date,
                quantity: l.quantity,
                unit_price: l.unit_price,
                vat: l.vat,
                appointment_id: l.appointment_id,
            })
            .collect(),
    }
}

pub fn billing(ctx: &Ctx, action: BillingAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let mut b = v.billing()?;
    if let BillingAction::Set { org, vat, f_skatt, bankgiro, plusgiro, iban, bic, account, days } = action {
        let set = |field: &mut String, value: Option<String>| {
            if let Some(x) = value {
                *field = x;
            }
        };
        set(&mut b.org_number, org);
        set(&mut b.vat_number, vat);
        set(&mut b.bankgiro, bankgiro);
        set(&mut b.plusgiro, plusgiro);
        set(&mut b.iban, iban);
        set(&mut b.bic, bic);
        set(&mut b.account, account);
        if let Some(f) = f_skatt {
            b.f_skatt = matches!(f, OnOff::On);
        }
        if let Some(d) = days {
            b.payment_days = d;
        }
        b = v.set_billing(&b)?;
    }
    let Billing { org_number, vat_number, f_skatt, bankgiro, plusgiro, iban, bic, account, payment_days } = b;
    println!(
        "Organisation number: {org_number}\nVAT number: {vat_number}\nF-skatt: {}",
        if f_skatt { "yes" } else { "no" }
    );
    println!("Bankgiro: {bankgiro}\nPlusgiro: {plusgiro}\nIBAN: {iban}\nBIC: {bic}\nAccount: {account}");
    println!("Days to pay: {payment_days}");
    Ok(())
}

pub fn invoice(ctx: &Ctx, action: InvoiceAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let today = Local::now().date_naive();
    match action {
        InvoiceAction::Create { client, sessions } => {
            let i = v.create_invoice(client, &sessions, today)?;
            println!("Draft {} started.", i.id);
            detail(&i);
        }
        InvoiceAction::Line { id, description, price, qty, vat, date: day } => {
            let mut input = as_input(&v.invoice(id, today)?);
            input.lines.push(LineInput {
                description,
                service_date: day.map(|d| date("--date", Some(&d))).transpose()?,
                quantity: qty,
                unit_price: parse_amount("price", &price)?,
                vat: parse_enum("vat", &vat)?,
                appointment_id: None,
            });
            detail(&v.save_invoice_draft(id, &input, today)?);
        }
        InvoiceAction::Buyer { id, name: buyer, address } => {
            let mut input = as_input(&v.invoice(id, today)?);
            input.buyer_name = buyer;
            input.buyer_address = address.replace("\\n", "\n");
            detail(&v.save_invoice_draft(id, &input, today)?);
        }
        InvoiceAction::Issue { id } => {
            let i = v.issue_invoice(id, today)?;
            println!("Invoice {} issued as number {}.", i.id, i.number.unwrap_or_default());
            detail(&i);
        }
        InvoiceAction::Delete { id } => {
            v.delete_invoice_draft(id)?;
            println!("Draft {id} deleted.");
        }
        InvoiceAction::Credit { id, reason } => {
            let c = v.credit_invoice(id, &reason, today)?;
            println!("Credit note {} issued as number {}.", c.id, c.number.unwrap_or_default());
            detail(&c);
        }
        InvoiceAction::Pay { id, amount, on, method } => {
            let p = PaymentInput {
                paid_on: date("--on", on.as_deref())?,
                amount: parse_amount("amount", &amount)?,
                method: parse_enum("method", &method)?,
            };
            detail(&v.record_payment(id, &p, today)?);
        }
        InvoiceAction::Show { id } => detail(&v.invoice(id, today)?),
        InvoiceAction::List { client } => {
            let all = v.invoices(client, today)?;
            if all.is_empty() {
                println!("No invoices.");
            }
            all.iter().for_each(summary);
        }
        InvoiceAction::Overdue => {
            let all = v.overdue_invoices(today)?;
            if all.is_empty() {
                println!("Nothing overdue.");
            }
            all.iter().for_each(summary);
        }
        InvoiceAction::Pdf { id, to, receipt } => {
            let path = v.invoice_pdf(id, receipt, &to, &Engine::new(), today)?;
            println!("Saved: {}", path.display());
        }
        InvoiceAction::Purge { yes } => {
            let old = if yes { v.purge_old_invoices(today)? } else { v.old_invoices(today)? };
            let years = old.years.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
            match (old.invoices, yes) {
                (0, _) => println!("No invoice is past the bookkeeping period."),
                (n, false) => println!(
                    "{n} issued invoice(s) from {years} may be deleted ({}). Run again with --yes to delete them.",
                    old.source.unwrap_or_default()
                ),
                (n, true) => println!("Deleted {n} issued invoice(s) from {years}."),
            }
        }
        InvoiceAction::Csv { from, to, out } => {
            let csv = v.accounting_csv(date("--from", Some(&from))?, date("--to", Some(&to))?, today)?;
            match out {
                Some(path) => std::fs::write(&path, csv).context("could not write the CSV file")?,
                None => print!("{csv}"),
            }
        }
    }
    Ok(())
}
