//! Invoices through the public API: drafted from sessions, numbered only at issue in one
//! series, frozen, paid, overdue, credited; what a full invoice must carry is refused field by
//! field with nothing changed and no number spent; the database itself keeps issued invoices
//! and payments; erasure keeps issued invoices without the client.

use chrono::{DateTime, NaiveDate, Utc};
use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
use confidant_core::domain::clients::ClientInput;
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::invoicing::{
    Billing, InvoiceInput, InvoiceKind, InvoiceState, LineInput, PaymentInput, PaymentMethod, VatRate,
};
use confidant_core::{Code, Reason, Vault};

use crate::util::{dump_db, new_vault};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// The practice profile and billing details an issued invoice needs (also the crash harness's).
pub(crate) fn practice(v: &mut Vault, j: Jurisdiction) {
    v.set_profile(&PracticeProfile {
        therapist_name: "Anna Lindqvist".into(),
        therapist_title: "leg. psykoterapeut".into(),
        practice_name: "Lindqvist Terapi".into(),
        practice_address: "Storgatan 1\n111 22 Stockholm".into(),
        language: Language::Sv,
        jurisdiction: j,
    })
    .unwrap();
    v.set_billing(&Billing {
        org_number: "556677-8899".into(),
        vat_number: "SE556677889901".into(),
        bankgiro: "123-4567".into(),
        f_skatt: true,
        ..Billing::default()
    })
    .unwrap();
}

/// A client with an address and two recorded sessions with fees: attended, and not come to.
fn client_with_sessions(v: &mut Vault) -> (i64, Vec<i64>) {
    let c = v
        .create_client(&ClientInput {
            given_name: "Maja".into(),
            family_name: "Ek".into(),
            address: "Kungsgatan 12\n411 19 Göteborg".into(),
            ..Default::default()
        })
        .unwrap();
    let mut ids = Vec::new();
    for (when, outcome) in
        [("2026-11-02T09:00:00Z", Attendance::Attended), ("2026-11-09T09:00:00Z", Attendance::NoShow)]
    {
        let a = v
            .plan_appointment(
                c.id,
                &AppointmentInput {
                    course_id: None,
                    starts_at: at(when),
                    minutes: 50,
                    kind: AppointmentKind::Individual,
                    fee: Some(110_000),
                },
            )
            .unwrap();
        v.record_attendance(a.id, outcome, at("2026-11-30T00:00:00Z")).unwrap();
        ids.push(a.id);
    }
    (c.id, ids)
}

fn refused(r: confidant_core::Result<impl std::fmt::Debug>) -> (String, Reason) {
    match r.unwrap_err() {
        confidant_core::Error::Validation(f) => (f.field, f.reason),
        other => panic!("not a field error: {other:?}"),
    }
}

fn invoice_tables(dir: &std::path::Path, v: &mut Vault) -> Vec<Vec<String>> {
    let d = dump_db(&dir.join("vault.db"), &v.database_key().unwrap());
    ["invoice", "invoice_line", "payment"].iter().map(|t| d[*t].clone()).collect()
}

#[test]
fn an_invoice_of_sessions_is_numbered_at_issue_frozen_then_overdue_and_paid() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    assert_eq!(f.vault.uninvoiced_appointments().unwrap().len(), 2);

    let draft = f.vault.create_invoice(client, &sessions, today).unwrap();
    assert_eq!((draft.number, draft.state, draft.kind), (None, InvoiceState::Draft, InvoiceKind::Invoice));
    assert_eq!(
        (draft.buyer_name.as_str(), draft.buyer_address.as_str()),
        ("Maja Ek", "Kungsgatan 12\n411 19 Göteborg")
    );
    let lines: Vec<(&str, i64, VatRate)> = draft.lines.iter().map(|l| (l.description.as_str(), l.net, l.vat)).collect();
    assert_eq!(
        lines,
        [("Samtal, 50 min", 110_000, VatRate::Exempt), ("Samtal, 50 min (uteblivet besök)", 110_000, VatRate::Exempt)]
    );
    assert_eq!(draft.lines[0].service_date, Some(d("2026-11-02")));
    assert_eq!((draft.totals.net, draft.totals.vat, draft.totals.gross), (220_000, 0, 220_000));
    assert!(f.vault.uninvoiced_appointments().unwrap().is_empty(), "on a draft: no longer waiting");

    let issued = f.vault.issue_invoice(draft.id, today).unwrap();
    assert_eq!((issued.number, issued.state), (Some(1), InvoiceState::Open));
    assert_eq!((issued.issued_on, issued.due_on), (Some(today), Some(d("2027-01-02"))));
    let seller = issued.seller.clone().unwrap();
    assert_eq!(seller.name, "Lindqvist Terapi");
    assert_eq!(seller.therapist, "Anna Lindqvist, leg. psykoterapeut");
    assert!(seller.billing.f_skatt);
    assert!(seller.exemption.as_deref().unwrap().contains("10 kap. 6 § mervärdesskattelagen (2023:200)"));

    // The seller is frozen: new billing details do not reach an issued invoice.
    f.vault.set_billing(&Billing { org_number: "999999-9999".into(), ..Billing::default() }).unwrap();
    assert_eq!(f.vault.invoice(issued.id, today).unwrap().seller.unwrap().billing.org_number, "556677-8899");

    // Overdue after the due day; paid in two parts; never more than is outstanding, never ahead.
    let later = d("2027-01-03");
    assert_eq!(f.vault.invoice(issued.id, later).unwrap().state, InvoiceState::Overdue);
    assert_eq!(f.vault.overdue_invoices(later).unwrap().iter().map(|i| i.id).collect::<Vec<_>>(), [issued.id]);
    let pay = |amount, on: &str| PaymentInput { paid_on: d(on), amount, method: PaymentMethod::BankTransfer };
    assert_eq!(
        refused(f.vault.record_payment(issued.id, &pay(1_000, "2027-01-04"), later)),
        ("paid_on".into(), Reason::InFuture)
    );
    let part = f.vault.record_payment(issued.id, &pay(100_000, "2027-01-03"), later).unwrap();
    assert_eq!((part.outstanding, part.state), (120_000, InvoiceState::Overdue));
    assert_eq!(
        refused(f.vault.record_payment(issued.id, &pay(120_001, "2027-01-03"), later)),
        ("amount".into(), Reason::OutOfRange)
    );
    let paid = f.vault.record_payment(issued.id, &pay(120_000, "2027-01-03"), later).unwrap();
    assert_eq!((paid.outstanding, paid.state, paid.payments.len()), (0, InvoiceState::Paid, 2));
    assert!(f.vault.overdue_invoices(later).unwrap().is_empty());
    let log = f.vault.access_log(Some(client), 100).unwrap();
    let row = log.iter().find(|r| r.action.as_str() == "invoice").unwrap();
    assert_eq!((row.what.as_deref(), row.what_on), (Some("1"), Some(today)), "the log names the invoice by its number");
}

#[test]
fn what_a_full_invoice_must_carry_is_refused_by_field_and_no_number_is_spent() {
    let mut f = new_vault();
    let today = d("2026-12-03");
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let draft = f.vault.create_invoice(client, &sessions, today).unwrap();
    let before = invoice_tables(&f.dir, &mut f.vault);
    // No practice profile yet.
    assert_eq!(refused(f.vault.issue_invoice(draft.id, today)), ("practice_name".into(), Reason::Required));
    f.vault
        .set_profile(&PracticeProfile {
            practice_name: "Lindqvist Terapi".into(),
            practice_address: "Storgatan 1".into(),
            jurisdiction: Jurisdiction::SeLicensed,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(refused(f.vault.issue_invoice(draft.id, today)), ("org_number".into(), Reason::Required));
    f.vault.set_billing(&Billing { org_number: "556677-8899".into(), ..Billing::default() }).unwrap();
    assert_eq!(invoice_tables(&f.dir, &mut f.vault), before, "the refusals changed nothing");

    // A line with VAT needs the seller's VAT number; a buyer without an address is only
    // allowed on a simplified invoice (at most 4 000 kr).
    let mut input = InvoiceInput {
        buyer_name: "Maja Ek".into(),
        buyer_address: String::new(),
        lines: vec![LineInput {
            description: "Handledning".into(),
            service_date: None,
            quantity: 1,
            unit_price: 80_000,
            vat: VatRate::Vat25,
            appointment_id: None,
        }],
    };
    f.vault.save_invoice_draft(draft.id, &input, today).unwrap();
    assert_eq!(refused(f.vault.issue_invoice(draft.id, today)), ("vat_number".into(), Reason::Required));
    f.vault
        .set_billing(&Billing {
            org_number: "556677-8899".into(),
            vat_number: "SE556677889901".into(),
            ..Billing::default()
        })
        .unwrap();
    input.lines[0].quantity = 5; // 4 000 kr + 25 %: 5 000 kr, above the simplified limit
    f.vault.save_invoice_draft(draft.id, &input, today).unwrap();
    assert_eq!(refused(f.vault.issue_invoice(draft.id, today)), ("buyer_address".into(), Reason::Required));
    input.lines[0].quantity = 4; // 3 200 kr + 25 % = 4 000 kr: simplified
    let small = f.vault.save_invoice_draft(draft.id, &input, today).unwrap();
    assert_eq!(small.totals.gross, 400_000);
    let issued = f.vault.issue_invoice(draft.id, today).unwrap();
    assert_eq!(issued.number, Some(1), "no number was spent by the refusals");
    assert_eq!((issued.totals.net, issued.totals.vat), (320_000, 80_000));

    // An empty draft, and an exempt line where the profile cites no exemption.
    let empty = f.vault.create_invoice(client, &[], today).unwrap();
    assert_eq!(refused(f.vault.issue_invoice(empty.id, today)), ("lines".into(), Reason::Required));
    f.vault
        .set_profile(&PracticeProfile {
            practice_name: "Lindqvist Coaching".into(),
            practice_address: "Storgatan 1".into(),
            jurisdiction: Jurisdiction::SeOther,
            ..Default::default()
        })
        .unwrap();
    input.lines[0].vat = VatRate::Exempt;
    input.buyer_address = "Kungsgatan 12".into();
    f.vault.save_invoice_draft(empty.id, &input, today).unwrap();
    assert_eq!(refused(f.vault.issue_invoice(empty.id, today)), ("vat".into(), Reason::NotAllowed));
    // Bad lines never reach the draft.
    input.lines[0].quantity = 0;
    assert_eq!(refused(f.vault.save_invoice_draft(empty.id, &input, today)), ("quantity".into(), Reason::OutOfRange));
    input.lines[0].quantity = 1;
    input.lines[0].unit_price = -5;
    assert_eq!(refused(f.vault.save_invoice_draft(empty.id, &input, today)), ("unit_price".into(), Reason::OutOfRange));
}

#[test]
fn a_credit_note_cancels_an_invoice_with_its_own_number_and_frees_its_sessions() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    let first = f.vault.create_invoice(client, &sessions, today).unwrap();
    let first = f.vault.issue_invoice(first.id, today).unwrap();

    let credit = f.vault.credit_invoice(first.id, "Fel belopp", today).unwrap();
    assert_eq!(
        (credit.kind, credit.number, credit.state),
        (InvoiceKind::CreditNote, Some(2), InvoiceState::CreditNote)
    );
    assert_eq!(credit.credits_id, Some(first.id));
    assert_eq!(credit.note, "Fel belopp");
    assert_eq!(credit.totals.gross, -first.totals.gross);
    assert!(credit
        .lines
        .iter()
        .zip(&first.lines)
        .all(|(c, o)| c.unit_price == -o.unit_price && c.description == o.description));
    let original = f.vault.invoice(first.id, today).unwrap();
    assert_eq!(
        (original.state, original.credited_by, original.outstanding),
        (InvoiceState::Credited, Some(credit.id), 0)
    );

    assert_eq!(refused(f.vault.credit_invoice(first.id, "igen", today)), ("invoice".into(), Reason::AlreadyDone));
    assert_eq!(refused(f.vault.credit_invoice(credit.id, "igen", today)), ("invoice".into(), Reason::AlreadyDone));
    let pay = PaymentInput { paid_on: today, amount: 1, method: PaymentMethod::Swish };
    assert_eq!(refused(f.vault.record_payment(first.id, &pay, today)), ("invoice".into(), Reason::NotAllowed));
    // A credit note keeps the original's seller, even after the profile changed.
    let new_profile = PracticeProfile {
        practice_name: "Nytt namn".into(),
        practice_address: "Ny gata 2".into(),
        jurisdiction: Jurisdiction::SeOther,
        ..Default::default()
    };
    f.vault.set_profile(&new_profile).unwrap();

    // The sessions wait for an invoice again, and go on a new one, numbered next.
    assert_eq!(f.vault.uninvoiced_appointments().unwrap().len(), 2);
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let again = f.vault.create_invoice(client, &sessions, today).unwrap();
    let again = f.vault.issue_invoice(again.id, today).unwrap();
    assert_eq!(again.number, Some(3));
    // A paid invoice can be credited too; its payment stays recorded, to be refunded.
    let all = PaymentInput { paid_on: today, amount: again.totals.gross, method: PaymentMethod::Swish };
    f.vault.record_payment(again.id, &all, today).unwrap();
    f.vault.set_profile(&new_profile).unwrap();
    let late = f.vault.credit_invoice(again.id, "Fel klient", today).unwrap();
    assert_eq!((late.number, late.seller.unwrap().name.as_str()), (Some(4), "Lindqvist Terapi"));
    let credited = f.vault.invoice(again.id, today).unwrap();
    assert_eq!((credited.state, credited.payments.len()), (InvoiceState::Credited, 1));
    let listed: Vec<Option<i64>> = f.vault.invoices(Some(client), today).unwrap().iter().map(|i| i.number).collect();
    assert_eq!(listed, [Some(4), Some(3), Some(2), Some(1)]);
}

#[test]
fn a_session_is_billed_once_and_only_a_clients_own_recorded_sessions() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let (other, theirs) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    f.vault.create_invoice(client, &sessions[..1], today).unwrap();
    let before = invoice_tables(&f.dir, &mut f.vault);
    assert_eq!(refused(f.vault.create_invoice(client, &sessions, today)), ("appointment_id".into(), Reason::Duplicate));
    assert_eq!(
        refused(f.vault.create_invoice(client, &[sessions[1], sessions[1]], today)),
        ("appointment_id".into(), Reason::Duplicate),
        "twice on one invoice"
    );
    assert_eq!(
        refused(f.vault.create_invoice(client, &theirs, today)),
        ("appointment_id".into(), Reason::NotThisClient)
    );
    let planned = f
        .vault
        .plan_appointment(
            other,
            &AppointmentInput {
                course_id: None,
                starts_at: at("2026-12-20T09:00:00Z"),
                minutes: 50,
                kind: AppointmentKind::Individual,
                fee: Some(1),
            },
        )
        .unwrap();
    assert_eq!(
        refused(f.vault.create_invoice(other, &[planned.id], today)),
        ("appointment_id".into(), Reason::Required)
    );
    // Without a fee a session is not billed; the fee can be set after it took place.
    f.vault.set_appointment_fee(theirs[0], None).unwrap();
    assert_eq!(
        refused(f.vault.create_invoice(other, &theirs[..1], today)),
        ("appointment_id".into(), Reason::Required)
    );
    assert_eq!(f.vault.set_appointment_fee(theirs[0], Some(95_000)).unwrap().fee, Some(95_000));
    assert_eq!(invoice_tables(&f.dir, &mut f.vault), before, "the refusals changed nothing");
}

#[test]
fn the_database_keeps_issued_invoices_and_payments() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    let inv = f.vault.create_invoice(client, &sessions, today).unwrap();
    let inv = f.vault.issue_invoice(inv.id, today).unwrap();
    f.vault
        .record_payment(inv.id, &PaymentInput { paid_on: today, amount: 5_000, method: PaymentMethod::Card }, today)
        .unwrap();
    let input = InvoiceInput { buyer_name: "X".into(), buyer_address: "Y".into(), lines: Vec::new() };
    assert_eq!(f.vault.save_invoice_draft(inv.id, &input, today).unwrap_err().code(), Code::InvoiceIssued);
    assert_eq!(f.vault.delete_invoice_draft(inv.id).unwrap_err().code(), Code::InvoiceIssued);

    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    for (sql, why) in [
        ("UPDATE invoice SET buyer_name = 'Någon annan'", "issued invoice is kept"),
        ("UPDATE invoice SET number = 7", "issued invoice is kept"),
        ("UPDATE invoice SET client_id = NULL", "issued invoice is kept"),
        ("DELETE FROM invoice", "issued invoice is kept"),
        ("UPDATE invoice_line SET unit_price = 1", "issued invoice is kept"),
        ("DELETE FROM invoice_line", "issued invoice is kept"),
        (
            "INSERT INTO invoice_line (invoice_id, position, description, quantity, unit_price, vat)
             SELECT id, 9, 'Extra', 1, 100, 'exempt' FROM invoice",
            "issued invoice is kept",
        ),
        (
            "INSERT INTO invoice (kind, status, number, language, currency, created_at, updated_at)
             VALUES ('invoice', 'issued', 2, 'sv', 'SEK', 'x', 'x')",
            "issued invoice is kept",
        ),
        ("UPDATE payment SET amount = 1", "payment is kept"),
        ("DELETE FROM payment", "payment is kept"),
    ] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains(why), "{sql}: {e}");
    }
}

#[test]
fn erasure_keeps_issued_invoices_without_the_client_and_drops_drafts() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::DkTherapistCoach);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    let issued = f.vault.create_invoice(client, &sessions[..1], today).unwrap();
    f.vault.issue_invoice(issued.id, today).unwrap();
    let draft = f.vault.create_invoice(client, &sessions[1..], today).unwrap();
    use confidant_core::erasure::ErasureCause;
    let cause = ErasureCause::Request { received_on: today };
    let plan = f.vault.erasure_plan(client, cause, today).unwrap();
    // The preview says the invoices stay, by the bookkeeping law, and the first day they may go
    // (five years after the end of the financial year of 2026).
    use confidant_core::erasure::{KeepReason, Part};
    let kept = plan.items.iter().find(|i| i.part == Part::Invoices).expect("the invoices in the plan");
    assert_eq!((kept.erase, kept.keep, kept.until), (false, Some(KeepReason::Rule), Some(d("2032-01-01"))));
    assert!(kept.source.as_deref().unwrap().starts_with("Bogføringsloven"), "{:?}", kept.source);
    assert!(!plan.erased().contains(&Part::Invoices));
    f.vault.erase(client, cause, &plan.erased(), today, None, &mut confidant_core::JobCtl::quiet()).unwrap();
    let all = f.vault.invoices(None, today).unwrap();
    assert_eq!(all.len(), 1, "the draft went with the client");
    assert_eq!((all[0].id, all[0].client_id, all[0].buyer_name.as_str()), (issued.id, None, "Maja Ek"));
    assert_eq!(f.vault.invoice(draft.id, today).unwrap_err().code(), Code::NotFound);
    // A Danish therapist or coach bills 25 % unless they choose the exemption; the number stays.
    assert_eq!(all[0].lines[0].vat, VatRate::Vat25);
    assert_eq!(all[0].seller.as_ref().unwrap().exemption, None);
    assert_eq!(all[0].number, Some(1));
}

#[test]
fn the_accountants_csv_is_written_where_asked_and_refused_for_a_reversed_period() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, sessions) = client_with_sessions(&mut f.vault);
    let today = d("2026-12-03");
    let draft = f.vault.create_invoice(client, &sessions, today).unwrap();
    f.vault.issue_invoice(draft.id, today).unwrap();
    let out = tempfile::tempdir().unwrap();

    let path = f.vault.save_accounting_csv(d("2026-01-01"), d("2026-12-31"), out.path(), today).unwrap();
    assert_eq!(path.file_name().unwrap(), "invoices-2026-01-01--2026-12-31-2026-12-03.csv");
    let csv = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "number;kind;issued_on;due_on;buyer;net;vat;gross;currency;credits;paid");
    assert!(lines[1].starts_with("1;invoice;2026-12-03;") && lines[1].contains(";Maja Ek;2200,00;0,00;2200,00;SEK;"));
    // A second save of the same period gets a name of its own.
    let again = f.vault.save_accounting_csv(d("2026-01-01"), d("2026-12-31"), out.path(), today).unwrap();
    assert_ne!(again, path);

    let (field, reason) = refused(f.vault.save_accounting_csv(d("2026-12-31"), d("2026-01-01"), out.path(), today));
    assert_eq!((field.as_str(), reason), ("to", Reason::BeforeStart));
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 2, "nothing written for a refusal");
    let missing = out.path().join("not-there");
    assert!(f.vault.save_accounting_csv(d("2026-01-01"), d("2026-12-31"), &missing, today).is_err());
    assert!(!missing.exists());
}

/// Issues an invoice of one line for `client` on `on`.
fn issued_on(v: &mut Vault, client: i64, on: &str) -> confidant_core::invoicing::Invoice {
    let draft = v.create_invoice(client, &[], d(on)).unwrap();
    let input = InvoiceInput {
        buyer_name: "Maja Ek".into(),
        buyer_address: "Kungsgatan 12\n411 19 Göteborg".into(),
        lines: vec![LineInput {
            description: "Samtal".into(),
            service_date: Some(d(on)),
            quantity: 1,
            unit_price: 110_000,
            vat: VatRate::Exempt,
            appointment_id: None,
        }],
    };
    v.save_invoice_draft(draft.id, &input, d(on)).unwrap();
    v.issue_invoice(draft.id, d(on)).unwrap()
}

#[test]
fn bookkeeping_past_its_period_goes_by_year_and_the_series_goes_on() {
    let mut f = new_vault();
    practice(&mut f.vault, Jurisdiction::SeLicensed);
    let (client, _) = client_with_sessions(&mut f.vault);
    let held = f
        .vault
        .create_client(&ClientInput { given_name: "Per".into(), family_name: "Ek".into(), ..Default::default() })
        .unwrap()
        .id;
    // 2018: paid (1), credited in 2020 (2), a held client's (3); 2019 (4); the credit note (5).
    let paid = issued_on(&mut f.vault, client, "2018-03-01");
    let pay = PaymentInput { paid_on: d("2018-03-20"), amount: paid.totals.gross, method: PaymentMethod::Swish };
    f.vault.record_payment(paid.id, &pay, d("2018-03-20")).unwrap();
    let credited = issued_on(&mut f.vault, client, "2018-06-01");
    let kept_for_hold = issued_on(&mut f.vault, held, "2018-09-01");
    let next_year = issued_on(&mut f.vault, client, "2019-05-01");
    f.vault.credit_invoice(credited.id, "Fel belopp", d("2020-02-01")).unwrap();
    f.vault.create_invoice(client, &[], d("2018-10-01")).unwrap(); // a draft: not bookkeeping
    f.vault.place_legal_hold(held, confidant_core::domain::rights::HoldReason::Complaint, "").unwrap();

    // Not yet: on the last day of 2025 nothing of 2018 may go in Sweden (7 years after 2018's end).
    assert_eq!(f.vault.old_invoices(d("2025-12-31")).unwrap().invoices, 0);
    let before = invoice_tables(&f.dir, &mut f.vault);
    assert_eq!(f.vault.purge_old_invoices(d("2025-12-31")).unwrap().invoices, 0);
    assert_eq!(invoice_tables(&f.dir, &mut f.vault), before, "nothing changed");

    // 2026: the paid 2018 invoice goes with its payment; the credited one waits for its 2020
    // credit note, the held client's for the hold, 2019 for its own year.
    let today = d("2026-12-03");
    let old = f.vault.old_invoices(today).unwrap();
    assert_eq!((old.invoices, old.years.as_slice()), (1, &[2018][..]));
    assert_eq!(old.source.as_deref(), Some("Bokföringslagen (1999:1078) 7 kap. 2 §"));
    assert_eq!(f.vault.purge_old_invoices(today).unwrap().invoices, 1);
    let left: Vec<i64> = f.vault.invoices(None, today).unwrap().iter().map(|i| i.id).collect();
    assert!(!left.contains(&paid.id));
    for kept in [credited.id, kept_for_hold.id, next_year.id] {
        assert!(left.contains(&kept), "{kept}");
    }
    let log = f.vault.access_log(None, 5).unwrap();
    let row = log.iter().find(|r| r.action.as_str() == "invoice_purge").unwrap();
    assert_eq!((row.client_id, row.what.as_deref()), (None, None), "no buyer named");

    // 2028: 2020 is free too, so the credited invoice goes with its credit note, and 2019.
    let gone = f.vault.purge_old_invoices(d("2028-01-01")).unwrap();
    assert_eq!((gone.invoices, gone.years.as_slice()), (3, &[2018, 2019, 2020][..]));
    // The series goes on above every number ever issued (5), not above those left (3).
    let newest = issued_on(&mut f.vault, client, "2028-01-02");
    assert_eq!(newest.number, Some(6));
    // The database refuses on its own what the rule keeps.
    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    let e = conn.execute("DELETE FROM invoice WHERE id = ?1", [newest.id]).unwrap_err().to_string();
    assert!(e.contains("issued invoice is kept"), "{e}");
    conn.execute("INSERT INTO invoice_purge_permit (through) VALUES ('2019-12-31')", []).unwrap();
    let e = conn.execute("DELETE FROM invoice WHERE id = ?1", [kept_for_hold.id]).unwrap_err().to_string();
    assert!(e.contains("issued invoice is kept"), "a held client's stay even with a permit: {e}");
}
