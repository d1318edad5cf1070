//! Outcome measures through the public API: results scored by their instrument's rule and kept
//! as recorded, one series per instrument with the reliable change, flags raised, refusals that
//! change nothing, and a result the database will not let change.

use chrono::NaiveDate;
use confidant_core::measures::{Change, MeasureInput};
use confidant_core::{Code, Reason};

use crate::util::{client_with_course, dump_db, new_vault};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn phq(on: &str, answers: [u32; 9]) -> MeasureInput {
    MeasureInput { instrument: "phq9".into(), taken_on: d(on), answers: answers.map(Some).to_vec(), total: None }
}

#[test]
fn results_make_a_series_per_instrument_with_the_reliable_change_and_flags() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let today = d("2026-12-03");
    let first = f.vault.record_measure(c.id, &phq("2026-09-01", [3, 3, 2, 2, 2, 2, 2, 1, 1]), today).unwrap();
    assert_eq!((first.score, first.band.as_deref(), first.flags.as_slice()), (18, Some("moderately_severe"), &[9][..]));
    f.vault.record_measure(c.id, &phq("2026-10-01", [2, 2, 2, 1, 2, 1, 2, 1, 0]), today).unwrap();
    f.vault.record_measure(c.id, &phq("2026-11-15", [1, 1, 1, 1, 1, 1, 1, 1, 0]), today).unwrap();
    let who =
        MeasureInput { instrument: "who5".into(), taken_on: d("2026-11-15"), answers: vec![Some(2); 5], total: None };
    assert_eq!(f.vault.record_measure(c.id, &who, today).unwrap().score, 40);
    let madrs =
        MeasureInput { instrument: "madrs_s".into(), taken_on: d("2026-11-15"), answers: vec![], total: Some(21) };
    f.vault.record_measure(c.id, &madrs, today).unwrap();

    let series = f.vault.measures(c.id).unwrap();
    let ids: Vec<&str> = series.iter().map(|s| s.instrument.id.as_str()).collect();
    assert_eq!(ids, ["phq9", "who5", "madrs_s"], "the instruments used, in the app's order");
    let phq9 = &series[0];
    assert_eq!(phq9.results.iter().map(|m| m.score).collect::<Vec<_>>(), [18, 13, 8]);
    assert_eq!((phq9.change, phq9.reliable), (Some(-10), Some(Change::Improved)));
    assert_eq!((series[1].change, series[1].reliable), (None, None), "one result: no change yet");
    assert_eq!(series[2].results[0].score, 21);
    let log = f.vault.access_log(Some(c.id), 20).unwrap();
    let row = log.iter().find(|r| r.action.as_str() == "measure").unwrap();
    assert_eq!((row.what.as_deref(), row.what_on), (Some("madrs_s"), Some(d("2026-11-15"))));
}

#[test]
fn bad_results_are_refused_by_field_and_nothing_is_written() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let today = d("2026-12-03");
    let before = dump_db(&f.dir.join("vault.db"), &f.vault.database_key().unwrap())["measure"].clone();
    let field = |r: confidant_core::Result<confidant_core::measures::Measure>| match r.unwrap_err() {
        confidant_core::Error::Validation(e) => (e.field, e.reason),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(f.vault.record_measure(c.id, &phq("2026-12-04", [0; 9]), today)),
        ("taken_on".into(), Reason::InFuture)
    );
    assert_eq!(
        field(f.vault.record_measure(c.id, &phq("2026-12-03", [0, 0, 0, 0, 4, 0, 0, 0, 0]), today)),
        ("answers".into(), Reason::OutOfRange)
    );
    let short = MeasureInput { answers: vec![Some(1); 8], ..phq("2026-12-03", [0; 9]) };
    assert_eq!(field(f.vault.record_measure(c.id, &short, today)), ("answers".into(), Reason::TooMany));
    let unknown = MeasureInput { instrument: "bdi".into(), ..phq("2026-12-03", [0; 9]) };
    assert_eq!(field(f.vault.record_measure(c.id, &unknown, today)), ("instrument".into(), Reason::Format));
    assert_eq!(f.vault.record_measure(999, &phq("2026-12-03", [0; 9]), today).unwrap_err().code(), Code::NotFound);
    f.vault.set_restriction(c.id, true).unwrap();
    assert_eq!(f.vault.record_measure(c.id, &phq("2026-12-03", [0; 9]), today).unwrap_err().code(), Code::Restricted);
    f.vault.set_restriction(c.id, false).unwrap();
    assert_eq!(dump_db(&f.dir.join("vault.db"), &f.vault.database_key().unwrap())["measure"], before);

    f.vault.record_measure(c.id, &phq("2026-12-03", [1; 9]), today).unwrap();
    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    for sql in ["UPDATE measure SET score = 0", "DELETE FROM measure"] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("measure is kept"), "{sql}: {e}");
    }
}
