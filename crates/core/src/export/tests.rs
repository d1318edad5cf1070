//! The export flow with a stand-in typesetter (the engine has its own tests): what the package
//! holds, what it must not, and that a failure leaves nothing behind.

use std::sync::Mutex;

use super::*;
use crate::documents::DocumentKind;

/// An unlocked vault with one client and `n` signed entries.
fn client_with_entries(n: usize) -> (Vault, tempfile::TempDir, i64) {
    let (tmp, mut v) = crate::testing::unlocked_vault();
    let c = v.create_client(&crate::testing::client("Berg", "Maja")).unwrap();
    let course = v
        .create_course(
            c.id,
            &crate::domain::courses::CourseInput {
                title: "Samtal".into(),
                reason: String::new(),
                start_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            },
        )
        .unwrap();
    for i in 0..n {
        let e = v
            .create_entry(
                course.id,
                &crate::domain::entries::EntryInput {
                    title: format!("Samtal {i}"),
                    body: format!("Anteckning nummer {i} om QZX{i}HEMLIG."),
                    ..Default::default()
                },
            )
            .unwrap();
        v.sign_entry(e.id).unwrap();
    }
    (v, tmp, c.id)
}

/// Records the document data it was given and returns a fixed "PDF".
#[derive(Default)]
struct Recorder(Mutex<Vec<serde_json::Value>>);

impl Typesetter for Recorder {
    fn render(&self, kind: DocumentKind, data: &[u8]) -> Result<Vec<u8>> {
        assert_eq!(kind, DocumentKind::Journal);
        self.0.lock().unwrap().push(serde_json::from_slice(data).unwrap());
        Ok(b"%PDF-1.7 stand-in".to_vec())
    }
}

struct Failing;
impl Typesetter for Failing {
    fn render(&self, _: DocumentKind, _: &[u8]) -> Result<Vec<u8>> {
        Err(Error::DocumentFailed("journal"))
    }
}

#[test]
fn a_failed_document_leaves_no_folder_and_logs_no_disclosure() {
    let (mut v, _tmp, client) = client_with_entries(3);
    let out = tempfile::tempdir().unwrap();
    let req = ExportRequest { client_id: client, identity_check: "Körkort".into(), withheld: vec![], encrypt: false };
    let err = v.export_client(&req, out.path(), &Failing, &mut JobCtl::quiet()).unwrap_err();
    assert_eq!(err.code(), crate::Code::DocumentFailed);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
    let log = v.access_log(Some(client), 5).unwrap();
    assert!(log.iter().all(|r| r.action != Action::Export));
    // The identity check is required.
    let req = ExportRequest { identity_check: " ".into(), ..req };
    let err = v.export_client(&req, out.path(), &Recorder::default(), &mut JobCtl::quiet()).unwrap_err();
    assert_eq!(err.code(), crate::Code::Validation);
}

#[test]
fn the_document_gets_the_data_and_never_a_withheld_text() {
    let (mut v, _tmp, client) = client_with_entries(3);
    let entries = v.list_entries(client).unwrap();
    let hidden = entries[0].id;
    let secret = v.get_entry(hidden).unwrap().body;
    let out = tempfile::tempdir().unwrap();
    let engine = Recorder::default();
    let req = ExportRequest {
        client_id: client,
        identity_check: "Fotolegitimation".into(),
        withheld: vec![WithholdEntry { entry_id: hidden, reason: "Uppgifter om tredje person".into() }],
        encrypt: false,
    };
    let got = v.export_client(&req, out.path(), &engine, &mut JobCtl::quiet()).unwrap();
    let doc = engine.0.lock().unwrap().pop().unwrap();
    assert_eq!(doc["entries"].as_array().unwrap().len(), 3);
    assert_eq!(doc["identity_check"], "Fotolegitimation");
    for f in std::fs::read_dir(got.path.clone()).unwrap() {
        let f = f.unwrap().path();
        if f.is_file() {
            let bytes = std::fs::read(&f).unwrap();
            assert!(!String::from_utf8_lossy(&bytes).contains(&secret), "{f:?} holds withheld text");
        }
    }
    assert!(!doc.to_string().contains(&secret));
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(got.path.join("data.json")).unwrap()).unwrap();
    assert_eq!(json["disclosure"]["withheld_entries"], 1);
}

#[test]
fn the_document_gets_the_sessions_the_results_per_instrument_and_the_invoices() {
    let (mut v, _tmp, client) = client_with_entries(1);
    let now = chrono::Utc::now();
    let a = v
        .plan_appointment(
            client,
            &crate::domain::appointments::AppointmentInput {
                course_id: None,
                starts_at: now - chrono::Duration::days(7),
                minutes: 50,
                kind: crate::domain::appointments::AppointmentKind::Video,
                fee: None,
            },
        )
        .unwrap();
    v.record_attendance(a.id, crate::domain::appointments::Attendance::Attended, now).unwrap();
    let today = now.date_naive();
    for (days, answers) in [(30, [3, 3, 2, 2, 2, 2, 2, 1, 1]), (2, [1, 1, 1, 1, 0, 0, 1, 0, 0])] {
        let input = crate::measures::MeasureInput {
            instrument: "phq9".into(),
            taken_on: today - chrono::Duration::days(days),
            answers: answers.iter().map(|a| Some(*a)).collect(),
            total: None,
        };
        v.record_measure(client, &input, today).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let engine = Recorder::default();
    let req = ExportRequest { client_id: client, identity_check: "Körkort".into(), withheld: vec![], encrypt: false };
    v.export_client(&req, out.path(), &engine, &mut JobCtl::quiet()).unwrap();
    let doc = engine.0.lock().unwrap().pop().unwrap();
    assert_eq!(doc["sessions"][0]["kind"], "video");
    assert_eq!(doc["sessions"][0]["attendance"], "attended");
    let series = doc["measures"].as_array().unwrap();
    assert_eq!(series.len(), 1, "one series per instrument");
    assert_eq!(series[0]["instrument"], "PHQ-9");
    assert_eq!(series[0]["max"], 27);
    assert_eq!(series[0]["bands"].as_array().unwrap().len(), 5);
    let scores: Vec<u64> =
        series[0]["results"].as_array().unwrap().iter().map(|r| r["score"].as_u64().unwrap()).collect();
    assert_eq!(scores, [18, 5], "oldest first");
    assert_eq!(series[0]["results"][0]["flagged"], true, "item 9 above 0");
    assert_eq!(doc["invoices"].as_array().unwrap().len(), 0);
}
