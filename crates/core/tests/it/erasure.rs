//! Erasure through the public API: what the preview promises is what happens; after it, a
//! decrypted copy of every page of the database (free pages included) and of its write-ahead
//! log holds no trace of the erased client; legal holds and restriction block what they must.

use std::path::Path;

use aes::cipher::{block_padding::NoPadding, BlockDecryptMut, KeyIvInit};
use chrono::NaiveDate;
use confidant_core::breach::{BreachInput, BreachNature, BreachRisk, DataCategory};
use confidant_core::documents::{DocumentKind, Typesetter};
use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::{ClientInput, EmergencyContact, Phone};
use confidant_core::domain::consent::{ConsentForm, ConsentInput, ConsentPurpose};
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::domain::rights::HoldReason;
use confidant_core::erasure::{ErasureCause, KeepReason, LetterTo, Part};
use confidant_core::law::RecordKind;
use confidant_core::search::SearchQuery;
use confidant_core::{Code, DatabaseKey, JobCtl, Vault};

use crate::util::{contains_bytes, new_vault};

/// A "PDF" that is the letter's data, so the test can read what the letter says.
struct Echo;
impl Typesetter for Echo {
    fn render(&self, kind: DocumentKind, data: &[u8]) -> confidant_core::Result<Vec<u8>> {
        assert_eq!(kind, DocumentKind::ErasureReply);
        Ok(data.to_vec())
    }
}

const GONE: &str = "QZXERASED4417";
const KEPT: &str = "QZXKEPT9902";
const PAGE: usize = 4096;
const RESERVE: usize = 80;

/// Every page of the database file and every frame of its write-ahead log, decrypted with the
/// raw key (SQLCipher 4: AES-256-CBC per page, the IV at the start of the reserved tail, the
/// salt in place of page 1's first 16 bytes). Free pages and old log frames included: this is
/// what someone with the key and the file would see, not what SQL shows.
fn decrypted(dir: &Path, key: &DatabaseKey) -> Vec<u8> {
    let hex = key.to_hex();
    let k: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&hex.as_str()[2 * i..2 * i + 2], 16).unwrap()).collect();
    let mut out = Vec::new();
    let mut page = |p: &[u8], first: bool| {
        let start = if first { 16 } else { 0 };
        let iv = &p[PAGE - RESERVE..PAGE - RESERVE + 16];
        let mut buf = p[start..PAGE - RESERVE].to_vec();
        cbc::Decryptor::<aes::Aes256>::new(k.as_slice().into(), iv.into())
            .decrypt_padded_mut::<NoPadding>(&mut buf)
            .unwrap();
        out.extend_from_slice(&buf);
    };
    let db = std::fs::read(dir.join(confidant_core::paths::DB_FILE)).unwrap();
    assert_eq!(db.len() % PAGE, 0, "whole pages");
    for (i, p) in db.chunks(PAGE).enumerate() {
        page(p, i == 0);
    }
    if let Ok(wal) = std::fs::read(dir.join(format!("{}-wal", confidant_core::paths::DB_FILE))) {
        for frame in wal.get(32..).unwrap_or_default().chunks(24 + PAGE).filter(|f| f.len() == 24 + PAGE) {
            // A frame of page 1 carries the page as stored in the file, salt and all.
            let pgno = u32::from_be_bytes(frame[..4].try_into().unwrap());
            page(&frame[24..], pgno == 1);
        }
    }
    out
}

fn forms(canary: &str) -> [String; 2] {
    [canary.to_owned(), canary.to_lowercase()]
}

fn holds(hay: &[u8], canary: &str) -> bool {
    forms(canary).iter().any(|f| contains_bytes(hay, f.as_bytes()))
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn profile(v: &mut Vault, j: Jurisdiction) {
    v.set_profile(&PracticeProfile {
        therapist_name: "Anna Lindqvist".into(),
        therapist_title: "leg. psykoterapeut".into(),
        practice_name: "Lindqvist Terapi".into(),
        practice_address: String::new(),
        language: Language::Sv,
        jurisdiction: j,
    })
    .unwrap();
}

/// A client whose every field, note, amendment, tag and attachment carries `canary`.
fn full_client(v: &mut Vault, canary: &str) -> i64 {
    let tagged = |s: &str| format!("{s} {canary} {s}");
    let c = v
        .create_client(&ClientInput {
            given_name: canary.into(),
            family_name: format!("{canary}sson"),
            address: tagged("Kungsgatan 12"),
            email: format!("{}@example.se", canary.to_lowercase()),
            phones: vec![Phone { label: tagged("mobil"), number: "+46 70 123 45 67".into() }],
            emergency_contact: Some(EmergencyContact {
                name: tagged("Mamma"),
                relation: "mor".into(),
                phone: "070-765 43 21".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    let course = v
        .create_course(
            c.id,
            &CourseInput { title: tagged("Förlopp"), reason: tagged("Orsak"), start_date: d("2026-01-10") },
        )
        .unwrap();
    for n in 0..30 {
        let e = v
            .create_entry(
                course.id,
                &EntryInput {
                    title: tagged("Samtal"),
                    body: format!("Samtal {n}. Klienten berättar om {canary} och sömn. {}", "Lång text. ".repeat(40)),
                    tags: vec![canary.into()],
                    ..Default::default()
                },
            )
            .unwrap();
        v.sign_entry(e.id).unwrap();
        if n % 3 == 0 {
            v.amend_entry(e.id, &tagged("Rättelse"), &tagged("Samtal"), &format!("Rättad: {canary}"), &[]).unwrap();
        }
        if n == 0 {
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend(format!("{canary} bilaga ").repeat(200).as_bytes());
            v.attach_bytes(AttachTo::Entry(e.id), "scan.png", png.len() as u64, png.as_slice()).unwrap();
        }
    }
    // Sessions: one attended with its note (a session names its note, so erasure must take
    // them in order), one still planned.
    let when = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let plan = |at: &str| AppointmentInput {
        course_id: Some(course.id),
        starts_at: when(at),
        minutes: 50,
        kind: AppointmentKind::Individual,
        fee: Some(95_000),
    };
    let held = v.plan_appointment(c.id, &plan("2026-03-02T09:00:00Z")).unwrap();
    v.record_attendance(held.id, Attendance::Attended, when("2026-03-02T10:00:00Z")).unwrap();
    v.start_appointment_note(held.id, None, Language::Sv).unwrap();
    v.plan_appointment(c.id, &plan("2027-01-11T09:00:00Z")).unwrap();
    // A consent whose text carries the canary, its evidence the scan; a breach that names the
    // client among those affected.
    let scan = v.list_attachments(AttachTo::Client(c.id)).unwrap_or_default();
    v.record_consent(
        c.id,
        &ConsentInput {
            purpose: ConsentPurpose::Referral,
            body: format!("Jag samtycker till remiss ({canary})."),
            text_version: format!("v-{canary}"),
            given_on: d("2026-01-10"),
            given_how: ConsentForm::Written,
            evidence_id: scan.first().map(|a| a.id),
        },
        d("2026-12-02"),
    )
    .unwrap();
    v.record_breach(
        &BreachInput {
            discovered_at: "2026-11-01T10:00:00Z".parse().unwrap(),
            occurred_from: None,
            occurred_to: None,
            nature: vec![BreachNature::Confidentiality],
            description: "A letter went to the wrong address.".into(),
            data_categories: vec![DataCategory::ContactDetails],
            client_ids: vec![c.id],
            subjects_estimate: 1,
            records_estimate: None,
            consequences: String::new(),
            measures: String::new(),
            risk: BreachRisk::Unlikely,
            encrypted: false,
        },
        chrono::Utc::now(),
    )
    .unwrap();
    // Searching puts nothing of the client on disk but the log row; it must find them first.
    let hits = v
        .search(&SearchQuery { text: canary.to_lowercase(), client_id: None, limit: 10, oldest_first: false })
        .unwrap();
    assert!(!hits.is_empty());
    c.id
}

#[test]
fn after_erasure_no_page_of_the_vault_holds_the_erased_client() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::DkTherapistCoach);
    let gone = full_client(&mut f.vault, GONE);
    let kept = full_client(&mut f.vault, KEPT);
    let key = f.vault.database_key().unwrap();

    let before = decrypted(&f.dir, &key);
    assert!(holds(&before, GONE) && holds(&before, KEPT), "the page reader must see the canaries first");

    let cause = ErasureCause::Request { received_on: d("2026-11-20") };
    let plan = f.vault.erasure_plan(gone, cause, d("2026-12-02")).unwrap();
    assert_eq!(plan.erased(), vec![Part::Journal, Part::ContactDetails, Part::Identity]);
    let letters = tempfile::tempdir().unwrap();
    let mut phases = Vec::new();
    let out = f
        .vault
        .erase(
            gone,
            cause,
            &plan.erased(),
            d("2026-12-02"),
            Some(LetterTo { folder: letters.path(), engine: &Echo }),
            &mut JobCtl::new(Default::default(), |p| phases.push(p.phase)).unthrottled(),
        )
        .unwrap();
    assert_eq!(out.plan, plan);
    // The reply letter was made from the client's details before they went.
    let letter: serde_json::Value = serde_json::from_slice(&std::fs::read(out.letter.unwrap()).unwrap()).unwrap();
    assert_eq!(letter["client"]["name"], format!("{GONE} {GONE}sson"));
    assert!(letter["client"]["address"].as_str().unwrap().contains(GONE));
    assert_eq!(letter["request_received_on"], "2026-11-20");
    let erased: Vec<&str> = letter["erased"].as_array().unwrap().iter().map(|l| l["kind"].as_str().unwrap()).collect();
    assert_eq!(erased, ["journal", "contact_details", "identity"]);
    assert_eq!(letter["kept"][0]["kind"], "access_log");
    assert!(phases.contains(&confidant_core::job::Phase::Compact));

    let after = decrypted(&f.dir, &key);
    assert!(!holds(&after, GONE), "a decrypted page or log frame still holds the erased client");
    assert!(holds(&after, KEPT), "the other client must be untouched");
    assert!(!holds(&std::fs::read(f.dir.join("vault.db")).unwrap(), GONE));

    // Gone through the API too, the id is never handed out again, and the log says what
    // happened without a name.
    assert_eq!(f.vault.get_client(gone).unwrap_err().code(), Code::NotFound);
    let now = chrono::Utc::now();
    assert_eq!(f.vault.appointments(gone, now).unwrap_err().code(), Code::NotFound);
    assert_eq!(f.vault.appointments(kept, now).unwrap().len(), 2, "the other client's sessions stay");
    let next = f.vault.create_client(&crate::util::person("Ny", "Klient")).unwrap();
    assert!(next.id > kept && next.id != gone);
    let log = f.vault.access_log(Some(gone), 500).unwrap();
    assert_eq!(log.first().map(|r| r.action.as_str()), Some("erasure"));
    f.vault.verify_access_log().unwrap();
    let hits = f
        .vault
        .search(&SearchQuery { text: GONE.to_lowercase(), client_id: None, limit: 10, oldest_first: false })
        .unwrap();
    assert!(hits.is_empty());
    // The breach register keeps the breaches; only the erased client's link went.
    let register = f.vault.breaches(chrono::Utc::now()).unwrap();
    assert_eq!(register.len(), 2);
    let linked: Vec<Vec<i64>> = register.iter().map(|b| b.breach.facts.client_ids.clone()).collect();
    assert!(linked.contains(&vec![kept]) && linked.contains(&vec![]), "{linked:?}");
}

#[test]
fn a_licensed_journal_stays_and_only_contact_details_go() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::SeLicensed);
    let id = full_client(&mut f.vault, GONE);
    let cause = ErasureCause::Request { received_on: d("2026-11-20") };
    let today = chrono::Utc::now().date_naive();
    let plan = f.vault.erasure_plan(id, cause, today).unwrap();
    assert_eq!(plan.erased(), vec![Part::ContactDetails]);
    let journal = plan.items.iter().find(|i| i.part == Part::Journal).unwrap();
    assert_eq!(journal.keep, Some(KeepReason::Rule));
    assert!(journal.until.unwrap() > today.checked_add_months(chrono::Months::new(119)).unwrap());
    let entries_before = f.vault.list_entries(id).unwrap().len();

    // A preview that no longer matches is refused, and nothing changes.
    let err = f
        .vault
        .erase(id, cause, &[Part::ContactDetails, Part::Journal], today, None, &mut JobCtl::quiet())
        .unwrap_err();
    assert_eq!(err.code(), Code::ErasurePlanChanged);
    assert!(f.vault.get_client(id).unwrap().address.contains(GONE));

    f.vault.erase(id, cause, &plan.erased(), today, None, &mut JobCtl::quiet()).unwrap();
    let history = f.vault.client_history(id).unwrap();
    assert!(
        !history.is_empty()
            && history.iter().all(|h| h.address.is_empty() && h.email.is_empty() && h.phones.is_empty())
    );
    assert!(history.iter().all(|h| h.given_name == GONE), "the names stay with the journal");
    let c = f.vault.get_client(id).unwrap();
    assert_eq!((c.address.as_str(), c.email.as_str(), c.phones.len()), ("", "", 0));
    assert!(c.emergency_contact.is_none());
    assert_eq!(c.given_name, GONE, "the name stays with the journal it identifies");
    assert_eq!(f.vault.list_entries(id).unwrap().len(), entries_before);
}

#[test]
fn a_legal_hold_stops_erasure_until_released() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::DkTherapistCoach);
    let id = full_client(&mut f.vault, GONE);
    let hold = f.vault.place_legal_hold(id, HoldReason::Complaint, "Ärende 123").unwrap();
    assert!(f.vault.get_client(id).unwrap().legal_hold);
    let cause = ErasureCause::Request { received_on: d("2026-11-20") };
    let today = d("2026-12-02");
    let plan = f.vault.erasure_plan(id, cause, today).unwrap();
    assert!(plan.erased().is_empty());
    assert!(plan.items.iter().filter(|i| i.part != Part::AccessLog).all(|i| i.keep == Some(KeepReason::LegalHold)));
    let clocks = f.vault.retention_clocks(id, today).unwrap();
    assert!(clocks.iter().all(|c| c.clock == confidant_core::law::Clock::Held));
    assert_eq!(
        f.vault
            .erase(id, cause, &[Part::Journal, Part::ContactDetails, Part::Identity], today, None, &mut JobCtl::quiet())
            .unwrap_err()
            .code(),
        Code::ErasurePlanChanged
    );
    assert_eq!(f.vault.list_entries(id).unwrap().len(), 31, "30 notes and the session's");

    f.vault.release_legal_hold(hold.id).unwrap();
    let holds = f.vault.legal_holds(id).unwrap();
    assert!(holds[0].released_at.is_some(), "released, and kept as history");
    let plan = f.vault.erasure_plan(id, cause, today).unwrap();
    assert_eq!(plan.erased().len(), 3);
}

#[test]
fn restriction_blocks_every_change_until_lifted() {
    let mut f = new_vault();
    let (client, course) = crate::util::client_with_course(&mut f.vault, "Maja", "Berg");
    let e = crate::util::draft(&mut f.vault, &course, "Samtal", "Text");
    f.vault.set_restriction(client.id, true).unwrap();
    assert!(f.vault.get_client(client.id).unwrap().restricted_at.is_some());
    let list = f.vault.list_clients(&Default::default()).unwrap();
    assert!(list.iter().find(|c| c.id == client.id).unwrap().restricted);

    let refused = [
        f.vault.update_client(client.id, &crate::util::person("Maja", "Ändrad")).map(|_| ()),
        f.vault
            .create_course(
                client.id,
                &CourseInput { title: "Ny".into(), reason: String::new(), start_date: d("2026-01-01") },
            )
            .map(|_| ()),
        f.vault.close_course(course.id, d("2026-12-01")).map(|_| ()),
        f.vault.create_entry(course.id, &EntryInput { title: "Ny".into(), ..Default::default() }).map(|_| ()),
        f.vault.update_draft(e.id, &EntryInput { title: "Ändrad".into(), ..Default::default() }).map(|_| ()),
        f.vault.sign_entry(e.id).map(|_| ()),
        f.vault.attach_bytes(AttachTo::Client(client.id), "a.png", 10, &b"\x89PNG\r\n\x1a\nxx"[..]).map(|_| ()),
        f.vault.set_client_status(client.id, confidant_core::domain::clients::ClientStatus::Archived).map(|_| ()),
    ];
    for (i, r) in refused.into_iter().enumerate() {
        assert_eq!(r.unwrap_err().code(), Code::Restricted, "change {i} went through");
    }
    // Nothing changed; reading still works.
    assert_eq!(f.vault.get_client(client.id).unwrap().family_name, "Berg");
    assert_eq!(f.vault.get_entry(e.id).unwrap().title, "Samtal");

    f.vault.set_restriction(client.id, false).unwrap();
    f.vault.sign_entry(e.id).unwrap();
}

#[test]
fn the_due_list_names_what_ran_out_and_a_hold_takes_it_off() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::DkTherapistCoach);
    let (client, course) = crate::util::client_with_course(&mut f.vault, "Maja", "Berg");
    crate::util::draft(&mut f.vault, &course, "Samtal", "Text");
    f.vault.close_course(course.id, chrono::Utc::now().date_naive()).unwrap();
    let today = chrono::Utc::now().date_naive();
    assert!(f.vault.due_for_deletion(today).unwrap().is_empty());
    let in_a_year = today.checked_add_months(chrono::Months::new(12)).unwrap();
    let due = f.vault.due_for_deletion(in_a_year.checked_add_days(chrono::Days::new(1)).unwrap()).unwrap();
    assert!(due.iter().any(|i| i.client_id == client.id && i.kind == RecordKind::Journal));
    f.vault.place_legal_hold(client.id, HoldReason::SupervisoryCase, "").unwrap();
    assert!(f.vault.due_for_deletion(in_a_year.checked_add_days(chrono::Days::new(1)).unwrap()).unwrap().is_empty());
}

#[test]
fn the_demo_shows_a_finished_client_whose_contact_details_are_due() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut v, _) = confidant_core::demo::create(&tmp.path().join("demo"), crate::util::kdf()).unwrap();
    let today = chrono::Local::now().date_naive();
    let due = v.due_for_deletion(today).unwrap();
    assert_eq!(due.len(), 1, "{due:?}");
    assert_eq!((due[0].family_name.as_str(), due[0].kind), ("Åkesson", RecordKind::ContactDetails));
    // Under the demo's licensed profile his journal stays ten years from when it was written.
    let plan = v.erasure_plan(due[0].client_id, ErasureCause::Retention, today).unwrap();
    assert_eq!(plan.erased(), vec![Part::ContactDetails]);
    let journal = plan.items.iter().find(|i| i.part == Part::Journal).unwrap();
    assert!(journal.until.unwrap() < today.checked_add_months(chrono::Months::new(120)).unwrap());
}

#[test]
fn rectification_keeps_every_replaced_version_and_the_history_cannot_be_changed() {
    let mut f = new_vault();
    let c = f.vault.create_client(&crate::util::person("Maja", "Berg")).unwrap();
    f.vault.update_client(c.id, &crate::util::person("Maja", "Lind")).unwrap();
    f.vault.set_client_status(c.id, confidant_core::domain::clients::ClientStatus::Archived).unwrap();
    f.vault.update_client(c.id, &crate::util::person("Maja", "Ek")).unwrap();
    let h = f.vault.client_history(c.id).unwrap();
    assert_eq!(
        h.iter().map(|v| v.family_name.as_str()).collect::<Vec<_>>(),
        ["Berg", "Lind"],
        "archiving is no rectification"
    );
    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    for sql in ["UPDATE client_history SET family_name = 'X'", "DELETE FROM client_history"] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("append-only"), "{sql}: {e}");
    }
}
