//! Export on request through the public API, with a stand-in typesetter (the engine is tested in
//! `crates/documents`): `data.json` validates against the committed schema, the manifest holds
//! every file's hash, the package of client X holds everything of X and nothing of anyone
//! else, and the encrypted package opens with its passphrase only.

use std::collections::BTreeMap;
use std::path::Path;

use confidant_core::documents::{DocumentKind, Typesetter};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::export::{ExportRequest, WithholdEntry};
use confidant_core::{JobCtl, Vault};

use crate::util::{cannot_run, contains_bytes, new_vault, person, sha256_hex};

/// A "PDF" that is the document data itself, so the tests can see what the page would show.
pub(crate) struct Echo;
impl Typesetter for Echo {
    fn render(&self, kind: DocumentKind, data: &[u8]) -> confidant_core::Result<Vec<u8>> {
        assert_eq!(kind, DocumentKind::Journal);
        Ok(data.to_vec())
    }
}

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schemas/confidant-export-v1.schema.json");

/// xorshift: a generated vault that is the same on every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn canary(client: usize, what: &str, n: u64) -> String {
    format!("QZX{client}{what}{n}K")
}

/// Clients with courses, signed and draft entries, amendments and attachments, every text
/// carrying a canary that names its client. Returns each client's id and canaries.
pub(crate) fn generated(v: &mut Vault, seed: u64) -> Vec<(i64, Vec<String>)> {
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let own = v.define_instrument(&crate::measures::sleep()).unwrap();
    for c in 0..4 {
        let name = canary(c, "NAME", 0);
        let client = v.create_client(&person(&name, "Berg")).unwrap();
        let mut marks = vec![name.clone()];
        // A rectification, so the package carries the history too.
        let old = canary(c, "OLDNAME", 0);
        v.update_client(client.id, &person(&name, &old)).unwrap();
        v.update_client(client.id, &person(&name, "Berg")).unwrap();
        marks.push(old);
        let consent = canary(c, "CONSENT", 0);
        v.record_consent(
            client.id,
            &confidant_core::domain::consent::ConsentInput {
                purpose: confidant_core::domain::consent::ConsentPurpose::Referral,
                body: format!("Samtycke {consent}"),
                text_version: consent.clone(),
                given_on: "2026-01-10".parse().unwrap(),
                given_how: confidant_core::domain::consent::ConsentForm::Written,
                evidence_id: None,
            },
            "2026-12-02".parse().unwrap(),
        )
        .unwrap();
        marks.push(consent);
        for k in 0..=rng.next(2) {
            let title = canary(c, "COURSE", k);
            let course = v
                .create_course(
                    client.id,
                    &CourseInput {
                        title: title.clone(),
                        reason: String::new(),
                        start_date: "2026-01-10".parse().unwrap(),
                    },
                )
                .unwrap();
            marks.push(title);
            for n in 0..rng.next(5) {
                let body = canary(c, "BODY", k * 10 + n);
                let e = v
                    .create_entry(
                        course.id,
                        &EntryInput { title: "Samtal".into(), body: body.clone(), ..Default::default() },
                    )
                    .unwrap();
                marks.push(body);
                if rng.next(3) > 0 {
                    v.sign_entry(e.id).unwrap();
                    if rng.next(2) == 0 {
                        let amended = canary(c, "AMEND", k * 10 + n);
                        v.amend_entry(e.id, "Rättelse", "Samtal", &amended, &[]).unwrap();
                        marks.push(amended);
                    }
                }
                if rng.next(4) == 0 {
                    let bytes = format!("%PDF-1.4\n{}", canary(c, "FILE", k * 10 + n)).into_bytes();
                    v.attach_bytes(AttachTo::Entry(e.id), "remiss.pdf", bytes.len() as u64, bytes.as_slice()).unwrap();
                    marks.push(canary(c, "FILE", k * 10 + n));
                }
            }
        }
        // Sessions: one attended with its note, one not come to, one still planned.
        use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
        let when = |s: &str| s.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
        let plan = |at: &str| AppointmentInput {
            course_id: None,
            starts_at: when(at),
            minutes: 50,
            kind: AppointmentKind::Individual,
            fee: Some(95_000),
        };
        let held = v.plan_appointment(client.id, &plan("2026-02-02T09:00:00Z")).unwrap();
        v.record_attendance(held.id, Attendance::Attended, when("2026-02-02T10:00:00Z")).unwrap();
        v.start_appointment_note(held.id, None, confidant_core::domain::profile::Language::Sv).unwrap();
        let missed = v.plan_appointment(client.id, &plan("2026-02-09T09:00:00Z")).unwrap();
        v.record_attendance(missed.id, Attendance::NoShow, when("2026-02-09T10:00:00Z")).unwrap();
        v.plan_appointment(client.id, &plan("2027-01-11T09:00:00Z")).unwrap();
        // An issued invoice of the attended session, part paid.
        use confidant_core::invoicing::{Billing, PaymentInput, PaymentMethod};
        let mut profile = v.profile().unwrap();
        if profile.practice_name.is_empty() {
            profile.practice_name = "Testpraktiken".into();
            profile.practice_address = "Storgatan 1".into();
            v.set_profile(&profile).unwrap();
        }
        v.set_billing(&Billing {
            org_number: "556677-8899".into(),
            vat_number: "SE556677889901".into(),
            ..Billing::default()
        })
        .unwrap();
        let today: chrono::NaiveDate = "2026-12-02".parse().unwrap();
        let inv = v.create_invoice(client.id, &[held.id], today).unwrap();
        let lines = inv
            .lines
            .iter()
            .map(|l| confidant_core::invoicing::LineInput {
                description: l.description.clone(),
                service_date: l.service_date,
                quantity: l.quantity,
                unit_price: l.unit_price,
                vat: l.vat,
                appointment_id: l.appointment_id,
            })
            .collect();
        let buyer = confidant_core::invoicing::InvoiceInput {
            buyer_name: inv.buyer_name.clone(),
            buyer_address: "Storgatan 2".into(),
            lines,
        };
        v.save_invoice_draft(inv.id, &buyer, today).unwrap();
        v.issue_invoice(inv.id, today).unwrap();
        v.record_payment(inv.id, &PaymentInput { paid_on: today, amount: 50_000, method: PaymentMethod::Swish }, today)
            .unwrap();
        // Two questionnaire results, one flagged.
        for answers in [[1, 2, 1, 0, 1, 1, 0, 0, 1], [0, 1, 0, 0, 1, 0, 0, 0, 0]] {
            let phq = confidant_core::measures::MeasureInput {
                instrument: "phq9".into(),
                taken_on: today,
                answers: answers.map(Some).to_vec(),
                total: None,
            };
            v.record_measure(client.id, &phq, today).unwrap();
        }
        // And one on the therapist's own instrument, which the package must carry.
        let mine = confidant_core::measures::MeasureInput {
            instrument: own.id.clone(),
            taken_on: today,
            answers: vec![Some(1), Some(rng.next(3) as u32), Some(0)],
            total: None,
        };
        v.record_measure(client.id, &mine, today).unwrap();
        out.push((client.id, marks));
    }
    out
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walk(dir) {
        out.insert(e.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(&e).unwrap());
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

pub(crate) fn request(client_id: i64) -> ExportRequest {
    ExportRequest { client_id, identity_check: "Fotolegitimation visad".into(), withheld: vec![], encrypt: false }
}

#[test]
fn each_package_holds_all_of_its_client_and_nothing_of_the_others() {
    for seed in [7, 1234, 99_991] {
        let mut f = new_vault();
        let clients = generated(&mut f.vault, seed);
        let out = tempfile::tempdir().unwrap();
        for (i, (id, mine)) in clients.iter().enumerate() {
            let got = f.vault.export_client(&request(*id), out.path(), &Echo, &mut JobCtl::quiet()).unwrap();
            let pkg = files(&got.path);
            let data = &pkg["data.json"];
            for m in mine {
                if m.contains("FILE") {
                    let file = pkg.iter().find(|(_, b)| contains_bytes(b, m.as_bytes())).map(|(n, _)| n.as_str());
                    assert!(
                        file.is_some_and(|n| n.starts_with("attachments/")),
                        "seed {seed}: {m} not in an attachment"
                    );
                } else {
                    assert!(contains_bytes(data, m.as_bytes()), "seed {seed}: {m} missing from data.json");
                    // The document shows the current details; their history is in data.json.
                    let in_doc = contains_bytes(&pkg["journal.pdf"], m.as_bytes());
                    assert!(in_doc || m.contains("OLDNAME"), "seed {seed}: {m} missing from the document");
                }
            }
            for (j, (_, theirs)) in clients.iter().enumerate() {
                if i == j {
                    continue;
                }
                for (name, bytes) in &pkg {
                    for m in theirs {
                        assert!(!contains_bytes(bytes, m.as_bytes()), "seed {seed}: {name} of client {i} holds {m}");
                    }
                }
            }
            // The manifest lists every other file with its hash.
            let manifest: serde_json::Value = serde_json::from_slice(&pkg["manifest.json"]).unwrap();
            let listed: BTreeMap<String, String> = manifest["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| (f["path"].as_str().unwrap().to_owned(), f["sha256"].as_str().unwrap().to_owned()))
                .collect();
            assert_eq!(listed.len(), pkg.len() - 1);
            for (name, bytes) in &pkg {
                if name != "manifest.json" {
                    assert_eq!(listed[name], sha256_hex(bytes), "{name}");
                }
            }
        }
    }
}

#[test]
fn data_json_validates_against_the_committed_schema() {
    let Ok(python) = std::env::var("CONFIDANT_TEST_PYTHON") else {
        return cannot_run("data_json_validates_against_the_committed_schema", "CONFIDANT_TEST_PYTHON is not set");
    };
    let mut f = new_vault();
    let clients = generated(&mut f.vault, 5);
    let (id, _) = &clients[0];
    let entries = f.vault.list_entries(*id).unwrap();
    let mut req = request(*id);
    if let Some(e) = entries.first() {
        req.withheld.push(WithholdEntry { entry_id: e.id, reason: "Uppgifter om tredje person".into() });
    }
    let out = tempfile::tempdir().unwrap();
    let got = f.vault.export_client(&req, out.path(), &Echo, &mut JobCtl::quiet()).unwrap();
    let script = "import json,sys,jsonschema\n\
                  schema=json.load(open(sys.argv[1]))\n\
                  jsonschema.Draft202012Validator.check_schema(schema)\n\
                  jsonschema.Draft202012Validator(schema).validate(json.load(open(sys.argv[2])))\n\
                  bad=json.load(open(sys.argv[2])); bad['entries'].append({'id': 'entry-1'})\n\
                  assert not jsonschema.Draft202012Validator(schema).is_valid(bad)\n\
                  print('valid')";
    let run = std::process::Command::new(python)
        .args(["-c", script, SCHEMA, got.path.join("data.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(String::from_utf8_lossy(&run.stdout).trim(), "valid");
}

#[test]
fn an_encrypted_package_is_one_file_that_opens_with_its_passphrase_only() {
    let mut f = new_vault();
    let clients = generated(&mut f.vault, 42);
    let (id, mine) = &clients[1];
    let out = tempfile::tempdir().unwrap();
    let got = f
        .vault
        .export_client(&ExportRequest { encrypt: true, ..request(*id) }, out.path(), &Echo, &mut JobCtl::quiet())
        .unwrap();
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1, "no plaintext beside the encrypted file");
    let bytes = std::fs::read(&got.path).unwrap();
    assert!(mine.iter().all(|m| !contains_bytes(&bytes, m.as_bytes())));
    let pass = got.passphrase.as_ref().unwrap().expose().to_owned();
    let open = |p: &str| -> Option<Vec<u8>> {
        let id = age::scrypt::Identity::new(age::secrecy::SecretString::from(p.to_owned()));
        let d = age::Decryptor::new(bytes.as_slice()).ok()?;
        let mut r = d.decrypt(std::iter::once(&id as &dyn age::Identity)).ok()?;
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut r, &mut v).ok()?;
        Some(v)
    };
    assert!(open("wrong-pass-phrase").is_none());
    let tar = open(&pass).unwrap();
    let mut a = tar::Archive::new(tar.as_slice());
    let names: Vec<String> =
        a.entries().unwrap().map(|e| e.unwrap().path().unwrap().to_string_lossy().into_owned()).collect();
    assert!(
        names.iter().any(|n| n.ends_with("/data.json")) && names.iter().any(|n| n.ends_with("/manifest.json")),
        "{names:?}"
    );
}
