//! A recognisable string written into every kind of record must never reach the disk in a
//! readable form: not in the database, its WAL or shared-memory file, nor the key file.

use std::collections::BTreeMap;
use std::io::Cursor;

use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::{ClientInput, CustomField, EmergencyContact, NationalIdInput, Phone};
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::national_id::NationalIdKind;
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::search::SearchQuery;
use confidant_core::ObjectKind;

use crate::util::{contains_bytes, new_vault, pass, snapshot, PASS};

const CANARY: &str = "QZXCANARY7731";

/// The file names (and which form) in which the canary can be read.
fn leaks(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let forms = [CANARY.to_owned(), CANARY.to_lowercase()];
    let mut found = Vec::new();
    for (name, bytes) in files {
        for form in &forms {
            if contains_bytes(bytes, form.as_bytes()) {
                found.push(format!("{name}: {form}"));
            }
        }
    }
    found
}

#[test]
fn leak_detector_sees_plaintext() {
    // The check below would be worthless if it could not spot the canary in an unencrypted
    // SQLite file, folded to lowercase the way the search index stores it.
    let tmp = tempfile::tempdir().unwrap();
    let c = rusqlite::Connection::open(tmp.path().join("plain.db")).unwrap();
    c.execute("CREATE TABLE t (x TEXT)", []).unwrap();
    c.execute("INSERT INTO t VALUES (?1)", [CANARY.to_lowercase()]).unwrap();
    drop(c);
    let found = leaks(&snapshot(tmp.path()));
    assert_eq!(found, vec![format!("plain.db: {}", CANARY.to_lowercase())]);
}

#[test]
fn canary_never_appears_in_any_vault_file() {
    let mut f = new_vault();
    let v = &mut f.vault;
    let tagged = |s: &str| format!("{s} {CANARY} {s}");

    v.set_profile(&PracticeProfile {
        therapist_name: tagged("Terapeut"),
        therapist_title: "Leg. psykoterapeut".into(),
        practice_name: tagged("Mottagning"),
        practice_address: tagged("Storgatan 1"),
        language: Language::Sv,
        jurisdiction: Jurisdiction::SeLicensed,
    })
    .unwrap();
    let client = v
        .create_client(&ClientInput {
            given_name: CANARY.into(),
            family_name: format!("{CANARY}sson"),
            address: tagged("Kungsgatan 12, 111 22 Stockholm"),
            email: format!("{}@example.se", CANARY.to_lowercase()),
            phones: vec![Phone { label: tagged("mobil"), number: "+46 70 123 45 67".into() }],
            emergency_contact: Some(EmergencyContact {
                name: tagged("Mamma"),
                relation: "mor".into(),
                phone: "070-765 43 21".into(),
            }),
            custom_fields: vec![CustomField { name: "Remitterad av".into(), value: tagged("Dr") }],
            national_id: Some(NationalIdInput { kind: Some(NationalIdKind::Other), value: CANARY.into() }),
            ..Default::default()
        })
        .unwrap();
    let course = v
        .create_course(
            client.id,
            &CourseInput {
                title: tagged("Förlopp"),
                reason: tagged("Orsak"),
                start_date: "2026-01-10".parse().unwrap(),
            },
        )
        .unwrap();
    let entry = v
        .create_entry(
            course.id,
            &EntryInput {
                title: tagged("Samtal"),
                body: format!("## Subjektivt\n\nKlienten berättar om {CANARY} och sömn."),
                tags: vec![CANARY.into(), "sömn".into()],
                ..Default::default()
            },
        )
        .unwrap();
    v.update_draft(
        entry.id,
        &EntryInput {
            title: tagged("Samtal"),
            body: format!("Reviderat utkast: {CANARY}. Mer text."),
            tags: vec![CANARY.into()],
            ..Default::default()
        },
    )
    .unwrap();
    v.sign_entry(entry.id).unwrap();
    v.amend_entry(entry.id, &tagged("Skäl"), &tagged("Rättelse"), &tagged("Ändrad text"), &[format!("{CANARY}tag")])
        .unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    for _ in 0..200 {
        png.extend_from_slice(CANARY.as_bytes());
        png.extend_from_slice(CANARY.to_lowercase().as_bytes());
    }
    let att = v
        .attach_bytes(AttachTo::Entry(entry.id), &format!("{CANARY}.png"), png.len() as u64, Cursor::new(png.clone()))
        .unwrap();
    v.create_template(&tagged("Mall"), &tagged("## Rubrik")).unwrap();

    // Reads and searches too, so any read path that writes (log, temp tables) is exercised.
    v.get_client(client.id).unwrap();
    v.get_entry(entry.id).unwrap();
    let mut copy = Vec::new();
    v.read_attachment(att.id, &mut copy).unwrap();
    assert_eq!(copy, png);
    let hits = v
        .search(&SearchQuery { text: CANARY.to_lowercase(), client_id: None, limit: 50, oldest_first: false })
        .unwrap();
    assert!(hits.iter().any(|h| h.kind == ObjectKind::Client && h.client_id == client.id));
    assert!(hits.iter().any(|h| h.entry_id == Some(entry.id)), "the canary is indexed: {hits:?}");

    // During the session, with the WAL in use.
    let during = snapshot(&f.dir);
    assert!(during.contains_key("vault.db-wal"), "expected a WAL while unlocked: {:?}", crate::util::names(&during));
    assert_eq!(leaks(&during), Vec::<String>::new(), "readable canary while unlocked");

    // After locking (checkpointed into the main file).
    f.vault.lock();
    let after = snapshot(&f.dir);
    assert!(after.contains_key("vault.db") && after.contains_key("keys.json"));
    assert_eq!(leaks(&after), Vec::<String>::new(), "readable canary after lock");

    // The data really is there: the absence above is encryption, not a lost write.
    f.vault.unlock(&pass(PASS)).unwrap();
    let c = f.vault.get_client(client.id).unwrap();
    assert_eq!(c.given_name, CANARY);
    assert!(c.address.contains(CANARY) && c.custom_fields[0].value.contains(CANARY));
    let e = f.vault.get_entry(entry.id).unwrap();
    assert!(e.history[0].body.contains(CANARY) && e.body.contains(CANARY));
    assert_eq!(f.vault.profile().unwrap().practice_name, tagged("Mottagning"));
    let during_again = snapshot(&f.dir);
    assert_eq!(leaks(&during_again), Vec::<String>::new(), "readable canary after reopening");
}
