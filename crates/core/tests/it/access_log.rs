//! The access log records every read and change by action and id only, and verifies.

use std::collections::BTreeSet;
use std::io::Cursor;

use confidant_core::audit::LogEntry;
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::{ClientFilter, ClientStatus};
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::PracticeProfile;
use confidant_core::search::SearchQuery;
use confidant_core::Passphrase;

use crate::util::{kdf, new_vault, pass, person, recovery, Fixture, PASS, PASS2};

const GIVEN: &str = "Zlatana";
const FAMILY: &str = "Vinterström";

/// A full working session touching every logged operation. Returns the client id.
fn session(f: &mut Fixture) -> i64 {
    let v = &mut f.vault;
    v.set_profile(&PracticeProfile { therapist_name: "Terapeut".into(), ..Default::default() }).unwrap();
    let c = v.create_client(&person(GIVEN, FAMILY)).unwrap();
    v.list_clients(&ClientFilter::default()).unwrap();
    v.get_client(c.id).unwrap();
    v.update_client(c.id, &person(GIVEN, &format!("{FAMILY}-Ek"))).unwrap();
    v.set_client_status(c.id, ClientStatus::Archived).unwrap();
    v.set_client_status(c.id, ClientStatus::Active).unwrap();
    let course = v
        .create_course(
            c.id,
            &CourseInput { title: "Förlopp".into(), reason: String::new(), start_date: "2026-01-01".parse().unwrap() },
        )
        .unwrap();
    v.close_course(course.id, "2026-06-30".parse().unwrap()).unwrap();
    let e = v
        .create_entry(course.id, &EntryInput { title: "Samtal".into(), body: "Text".into(), ..Default::default() })
        .unwrap();
    v.update_draft(e.id, &EntryInput { title: "Samtal".into(), body: "Text 2".into(), ..Default::default() }).unwrap();
    v.sign_entry(e.id).unwrap();
    v.amend_entry(e.id, "Rättelse", "Samtal", "Text 3", &[]).unwrap();
    v.get_entry(e.id).unwrap();
    v.list_entries(c.id).unwrap();
    let pdf = b"%PDF-1.4\nbilaga".to_vec();
    let a = v.attach_bytes(AttachTo::Entry(e.id), "bilaga.pdf", pdf.len() as u64, Cursor::new(pdf)).unwrap();
    v.read_attachment(a.id, Vec::new()).unwrap();
    v.search(&SearchQuery { text: GIVEN.into(), client_id: None, limit: 10, oldest_first: false }).unwrap();
    v.search(&SearchQuery { text: "text".into(), client_id: Some(c.id), limit: 10, oldest_first: false }).unwrap();
    v.change_passphrase(&pass(PASS), &Passphrase::from(PASS2), kdf()).unwrap();
    v.lock();
    v.unlock(&pass(PASS2)).unwrap();
    v.lock();
    v.unlock(&recovery(&f.rk)).unwrap();
    v.access_log(None, 5).unwrap();
    c.id
}

fn actions(log: &[LogEntry]) -> BTreeSet<&str> {
    log.iter().map(|l| l.action.as_str()).collect()
}

#[test]
fn every_kind_of_access_is_logged() {
    let mut f = new_vault();
    let client = session(&mut f);
    // What the session above does not do: a template, a backup, the identity for recovery.
    f.vault.create_template("Mitt", "## Anteckning").unwrap();
    let usb = f._tmp.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    f.vault.backup_now(&usb, &mut confidant_core::JobCtl::quiet()).unwrap();
    f.vault.backup_identity().unwrap();
    // A client's rights: a hold placed and released, a restriction, the due list, an erasure.
    let today = chrono::Utc::now().date_naive();
    let other = f.vault.create_client(&person("Annan", "Klient")).unwrap();
    struct Stand;
    impl confidant_core::documents::Typesetter for Stand {
        fn render(&self, _: confidant_core::documents::DocumentKind, d: &[u8]) -> confidant_core::Result<Vec<u8>> {
            Ok(d.to_vec())
        }
    }
    let req = confidant_core::export::ExportRequest {
        client_id: other.id,
        identity_check: "Körkort".into(),
        withheld: vec![],
        encrypt: false,
    };
    let out = f._tmp.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let pkg = f.vault.export_client(&req, &out, &Stand, &mut confidant_core::JobCtl::quiet()).unwrap();
    // The package read into a second vault is logged there; here it stands for a client who
    // arrives from another practice.
    let mut g = new_vault();
    g.vault.import_packages(&[pkg.path.as_path()], &mut confidant_core::JobCtl::quiet()).unwrap();
    let imported = g.vault.access_log(None, 1000).unwrap();
    assert!(imported.iter().any(|l| l.action.as_str() == "import"), "the import is logged");
    let hold = f.vault.place_legal_hold(other.id, confidant_core::domain::rights::HoldReason::Complaint, "").unwrap();
    f.vault.release_legal_hold(hold.id).unwrap();
    f.vault.set_restriction(other.id, true).unwrap();
    f.vault.due_for_deletion(today).unwrap();
    let cause = confidant_core::erasure::ErasureCause::Request { received_on: today };
    let plan = f.vault.erasure_plan(other.id, cause, today).unwrap();
    f.vault.erase(other.id, cause, &plan.erased(), today, None, &mut confidant_core::JobCtl::quiet()).unwrap();
    f.vault.search(&SearchQuery { text: GIVEN.into(), client_id: None, limit: 10, oldest_first: false }).unwrap();
    f.vault.access_log(None, 1).unwrap();
    // Consents, a referral under one, a printout, the breach register, the record of processing.
    use confidant_core::domain::consent::{ConsentForm, ConsentInput, ConsentPurpose};
    let given = ConsentInput {
        purpose: ConsentPurpose::Referral,
        body: "Remiss.".into(),
        text_version: "1".into(),
        given_on: today,
        given_how: ConsentForm::Verbal,
        evidence_id: None,
    };
    let consent = f.vault.record_consent(client, &given, today).unwrap();
    f.vault.consents(client, today).unwrap();
    let letter = confidant_core::referral::ReferralInput { recipient: "Vårdcentralen".into(), body: "Remiss.".into() };
    f.vault.referral_letter(client, &letter, &out, &Stand, today).unwrap();
    f.vault.withdraw_consent(consent.id, today, today).unwrap();
    f.vault.print_journal(client, None, &out, &Stand).unwrap();
    f.vault.processing_record(&out, &Stand, today).unwrap();
    let now = chrono::Utc::now();
    // A session planned, then the week and the client's sessions read.
    use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind};
    let planned =
        AppointmentInput { course_id: None, starts_at: now, minutes: 50, kind: AppointmentKind::Video, fee: None };
    f.vault.plan_appointment(client, &planned).unwrap();
    f.vault.calendar(now - chrono::Duration::days(1), now + chrono::Duration::days(1)).unwrap();
    f.vault.appointments(client, now).unwrap();
    // An invoice drafted (and deleted), and the invoices read.
    let draft = f.vault.create_invoice(client, &[], today).unwrap();
    f.vault.invoices(Some(client), today).unwrap();
    f.vault.delete_invoice_draft(draft.id).unwrap();
    f.vault.purge_old_invoices(today).unwrap();
    let phq = confidant_core::measures::MeasureInput {
        instrument: "phq9".into(),
        taken_on: today,
        answers: vec![Some(1); 9],
        total: None,
    };
    f.vault.record_measure(client, &phq, today).unwrap();
    f.vault.measures(client).unwrap();
    let own = f.vault.define_instrument(&crate::measures::sleep()).unwrap();
    f.vault.retire_instrument(&own.id).unwrap();
    let breach = confidant_core::breach::BreachInput {
        discovered_at: now,
        occurred_from: None,
        occurred_to: None,
        nature: vec![confidant_core::breach::BreachNature::Availability],
        description: "Disk failure.".into(),
        data_categories: vec![confidant_core::breach::DataCategory::HealthNotes],
        client_ids: vec![],
        subjects_estimate: 0,
        records_estimate: None,
        consequences: String::new(),
        measures: String::new(),
        risk: confidant_core::breach::BreachRisk::Unlikely,
        encrypted: true,
    };
    f.vault.record_breach(&breach, now).unwrap();
    f.vault.breaches(now).unwrap();
    // The home page's day.
    f.vault.day(now - chrono::Duration::hours(12), now + chrono::Duration::hours(12), today, now).unwrap();
    // The key lifecycle: a successor, a re-key, and a database put back to an older copy.
    let (_, recipient) = confidant_core::keys::successor::keygen();
    let to = confidant_core::keys::successor::SuccessorTo::X25519(recipient);
    f.vault.set_successor(&pass(PASS2), "Kollega", &to).unwrap();
    let cur = pass(PASS2);
    let req = confidant_core::rekey::RekeyRequest {
        reason: confidant_core::rekey::RekeyReason::RecoveryLost,
        current: &cur,
        new_passphrase: None,
        kdf: kdf(),
    };
    f.vault.rekey(&req, &mut confidant_core::JobCtl::quiet()).unwrap();
    f.vault.lock();
    let older = std::fs::read(f.dir.join("vault.db")).unwrap();
    f.vault.unlock(&pass(PASS2)).unwrap();
    f.vault.lock();
    std::fs::write(f.dir.join("vault.db"), older).unwrap();
    f.vault.unlock(&pass(PASS2)).unwrap();
    f.vault.access_log(None, 1).unwrap();
    let log = f.vault.access_log(None, 1000).unwrap();
    let mut seen = actions(&log);
    seen.extend(imported.iter().map(|l| l.action.as_str()));
    // Pruning the log removes what came before it, so its row is read from a copy of the
    // vault (the rest of this test reads the full log).
    let copy = f._tmp.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for name in std::fs::read_dir(&f.dir).unwrap().flatten() {
        if name.path().is_file() {
            std::fs::copy(name.path(), copy.join(name.file_name())).unwrap();
        }
    }
    let pruned = {
        let mut other = confidant_core::Vault::open(&copy).unwrap();
        other.unlock(&pass(PASS2)).unwrap();
        let p = confidant_core::domain::profile::Jurisdiction::SeOther;
        other.set_profile(&PracticeProfile { jurisdiction: p, ..Default::default() }).unwrap();
        let later = today.checked_add_months(chrono::Months::new(60)).unwrap();
        assert!(other.prune_access_log(later).unwrap() > 0);
        other.access_log(None, 10).unwrap().iter().map(|l| l.action.as_str().to_owned()).collect::<Vec<_>>()
    };
    seen.extend(pruned.iter().map(String::as_str));
    // Every action the core knows is written by some call: a new one must be exercised here.
    for expected in confidant_core::audit::Action::ALL.iter().map(|a| a.as_str()) {
        assert!(seen.contains(expected), "{expected} missing from {seen:?}");
    }
    // A search is followed by the clients whose records it showed.
    let i = log.iter().position(|l| l.action.as_str() == "search").unwrap();
    assert_eq!(log[i - 1].action.as_str(), "search_result");
    assert_eq!(log[i - 1].client_id, Some(client));

    // Newest first, contiguous from 1, starting with the vault's creation.
    let seqs: Vec<i64> = log.iter().map(|l| l.seq).collect();
    let expected: Vec<i64> = (1..=log.len() as i64).rev().collect();
    assert_eq!(seqs, expected);
    assert_eq!(log.last().unwrap().action.as_str(), "vault_create");
    assert_eq!(log[0].action.as_str(), "log_read", "the previous read of the log is the newest row");
    assert!(log.windows(2).all(|w| w[0].at >= w[1].at), "time runs forward");

    // Two unlocks (passphrase, recovery key) and two locks in the session, one lock after the
    // re-key, and the unlock that found the older database (the rows between were cut with it).
    assert_eq!(log.iter().filter(|l| l.action.as_str() == "unlock").count(), 3);
    assert_eq!(log.iter().filter(|l| l.action.as_str() == "lock").count(), 3);

    // Object references are ids of the right kind.
    let read = log.iter().find(|l| l.action.as_str() == "attachment_read").unwrap();
    assert_eq!(read.object_kind, Some(confidant_core::ObjectKind::Attachment));
    assert_eq!(read.client_id, Some(client));
    let sign = log.iter().find(|l| l.action.as_str() == "entry_sign").unwrap();
    assert_eq!(sign.object_kind, Some(confidant_core::ObjectKind::Entry));
    let scoped_search = log.iter().find(|l| l.action.as_str() == "search" && l.client_id.is_some()).unwrap();
    assert_eq!(scoped_search.client_id, Some(client));
    let unlock = log.iter().find(|l| l.action.as_str() == "unlock").unwrap();
    assert_eq!((unlock.object_kind.as_ref(), unlock.object_id, unlock.client_id), (None, None, None));
}

#[test]
fn log_verifies_after_a_session_and_across_unlocks() {
    let mut f = new_vault();
    session(&mut f);
    let first = f.vault.verify_access_log().unwrap();
    assert!(first.rows > 20, "{first:?}");
    let log = f.vault.access_log(None, 1000).unwrap();
    assert_eq!(log.len() as i64, first.rows, "every row was checked");
    f.vault.lock();
    f.vault.unlock(&pass(PASS2)).unwrap();
    let again = f.vault.verify_access_log().unwrap();
    // The log read, the lock and the unlock since then.
    assert_eq!(again.rows, first.rows + 3);
}

#[test]
fn client_filter_and_limit() {
    let mut f = new_vault();
    let client = session(&mut f);
    let other = f.vault.create_client(&person("Per", "Annan")).unwrap();
    f.vault.get_client(other.id).unwrap();

    let mine = f.vault.access_log(Some(client), 1000).unwrap();
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|l| l.client_id == Some(client)), "{mine:?}");
    assert!(actions(&mine).contains("attachment_read") && actions(&mine).contains("entry_amend"));

    let limited = f.vault.access_log(None, 3).unwrap();
    assert_eq!(limited.len(), 3);
    let all = f.vault.access_log(None, 1000).unwrap();
    assert_eq!(limited[0].seq + 1, all[0].seq, "limit keeps the newest rows");
}

/// The stored row holds ids and actions only; what it touched is named at read time from the
/// record itself (so an erased record leaves no title behind in the log).
#[test]
fn log_rows_hold_no_names() {
    let mut f = new_vault();
    session(&mut f);
    let log = f.vault.access_log(None, 1000).unwrap();
    assert!(log.len() > 20);
    for l in &log {
        let fields = [
            l.seq.to_string(),
            l.at.to_rfc3339(),
            l.action.as_str().to_owned(),
            l.object_kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
            l.object_id.map(|v| v.to_string()).unwrap_or_default(),
            l.client_id.map(|v| v.to_string()).unwrap_or_default(),
        ];
        for field in &fields {
            for name in [GIVEN, FAMILY, "zlatana", "vinterstrom", "Vinterstrom"] {
                assert!(!field.contains(name), "log row {} carries a name: {field}", l.seq);
            }
            assert!(!field.contains("Text") && !field.contains("bilaga"), "log row {} carries content: {field}", l.seq);
        }
    }
}

/// An older database file put back in place (or a cut write-ahead log) is not refused, but
/// reported at the next unlock and logged; a normal lock/unlock reports nothing.
#[test]
fn a_rolled_back_database_is_reported_at_unlock() {
    let mut f = new_vault();
    let dir = f.dir.clone();
    f.vault.create_client(&person("Äldre", "Kopia")).unwrap();
    f.vault.lock();
    let old_db = std::fs::read(dir.join("vault.db")).unwrap();
    assert!(!dir.join("vault.db-wal").exists(), "a clean lock leaves no write-ahead log");

    f.vault.unlock(&pass(PASS)).unwrap();
    assert_eq!(f.vault.info().log_rollback, None);
    f.vault.create_client(&person("Nyare", "Rad")).unwrap();
    f.vault.lock();

    std::fs::write(dir.join("vault.db"), &old_db).unwrap();
    f.vault.unlock(&pass(PASS)).unwrap();
    let r = f.vault.info().log_rollback.expect("the rollback is reported");
    assert!(r.found_seq < r.seen_seq, "{r:?}");
    let log = f.vault.access_log(None, 5).unwrap();
    assert!(log.iter().any(|e| e.action == confidant_core::audit::Action::LogRollback));
    f.vault.verify_access_log().unwrap();
    // Reported once: the next lock and unlock see the database as it is now.
    f.vault.lock();
    f.vault.unlock(&pass(PASS)).unwrap();
    assert_eq!(f.vault.info().log_rollback, None);
}

/// Retention of the log: nothing is due within the period; after it every row but the newest
/// may go, the rest still verifies, across a re-key before and after the prune.
#[test]
fn rows_past_the_profiles_period_are_pruned_and_the_rest_still_verifies() {
    use confidant_core::domain::profile::Jurisdiction;
    let mut f = new_vault();
    session(&mut f);
    let today = chrono::Utc::now().date_naive();
    let years = |n: u32| today.checked_add_months(chrono::Months::new(12 * n)).unwrap();

    // Custom: no rule, nothing goes.
    assert_eq!(f.vault.access_log_retention(years(9)).unwrap().due_rows, 0);
    f.vault
        .set_profile(&PracticeProfile { jurisdiction: Jurisdiction::DkTherapistCoach, ..Default::default() })
        .unwrap();
    // Within five years nothing is due; on the day five years on, the rows of today are.
    let r = f.vault.access_log_retention(years(5).pred_opt().unwrap()).unwrap();
    assert_eq!((r.due_rows, r.rule.map(|r| r.years)), (0, Some(5)));
    assert_eq!(f.vault.prune_access_log(years(5).pred_opt().unwrap()).unwrap(), 0);

    // A re-key anchors the rows so far under the new key; the prune then cuts through them.
    let cur = pass(PASS2);
    let req = confidant_core::rekey::RekeyRequest {
        reason: confidant_core::rekey::RekeyReason::RecoveryLost,
        current: &cur,
        new_passphrase: None,
        kdf: kdf(),
    };
    f.vault.rekey(&req, &mut confidant_core::JobCtl::quiet()).unwrap();
    let total = f.vault.verify_access_log().unwrap().rows;
    let due = f.vault.access_log_retention(years(5)).unwrap();
    assert_eq!(due.due_rows, total - 1, "every row but the newest");
    assert_eq!(due.last_due_day, Some(today));
    assert_eq!(f.vault.prune_access_log(years(5)).unwrap(), total - 1);
    let log = f.vault.access_log(None, 1000).unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["log_prune", "rekey"], "the newest row stays, the prune is logged");
    f.vault.verify_access_log().unwrap();

    // Locking, unlocking and a second re-key keep the pruned chain verifiable.
    f.vault.lock();
    f.vault.unlock(&pass(PASS2)).unwrap();
    let cur = pass(PASS2);
    let req = confidant_core::rekey::RekeyRequest {
        reason: confidant_core::rekey::RekeyReason::RecoveryLost,
        current: &cur,
        new_passphrase: None,
        kdf: kdf(),
    };
    f.vault.rekey(&req, &mut confidant_core::JobCtl::quiet()).unwrap();
    f.vault.verify_access_log().unwrap();
    assert!(f.vault.prune_access_log(years(5)).unwrap() > 0);
    f.vault.verify_access_log().unwrap();
    let log = f.vault.access_log(None, 1000).unwrap();
    assert_eq!(log.len(), 2);
}
