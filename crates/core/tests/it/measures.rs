//! Outcome measures through the public API: results scored by their instrument's rule and kept
//! as recorded, one series per instrument with the reliable change, flags raised, refusals that
//! change nothing, and a result the database will not let change.

use chrono::NaiveDate;
use confidant_core::measures::{Band, Change, InstrumentInput, MeasureInput, Scoring};
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

/// A small instrument of the therapist's own: three items on 0–3, items 1 and 3 reversed,
/// item 2 flagged, two bands.
pub(crate) fn sleep() -> InstrumentInput {
    InstrumentInput {
        name: "Sömn, tre frågor".into(),
        intro: Some("Tänk på senaste veckan.".into()),
        items: vec!["Jag somnade lätt".into(), "Jag vaknade under natten".into(), "Jag kände mig utvilad".into()],
        options: vec!["Aldrig".into(), "Ibland".into(), "Ofta".into(), "Alltid".into()],
        min_answer: 0,
        max_answer: 3,
        reversed: vec![1, 3],
        scoring: Scoring::Sum,
        max_score: None,
        higher_is_worse: true,
        bands: vec![
            Band { from: 0, to: 3, label: "Lite besvär".into() },
            Band { from: 4, to: 9, label: "Besvär".into() },
        ],
        reliable_change: 3,
        flag_items: vec![2],
    }
}

#[test]
fn an_instrument_of_ones_own_scores_plots_and_is_kept_once_used() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let today = d("2026-12-03");
    let own = f.vault.define_instrument(&sleep()).unwrap();
    assert_eq!((own.id.as_str(), own.max_score, own.custom), ("custom-1", 9, true));
    let listed = f.vault.instruments(confidant_core::domain::profile::Language::Da).unwrap();
    assert_eq!(listed.last().unwrap(), &own, "listed after the built-in ones, in the therapist's words");
    assert_eq!(listed.iter().filter(|i| i.custom).count(), 1);

    // Until a result uses it, it can be changed.
    let wider = InstrumentInput { reliable_change: 4, ..sleep() };
    assert_eq!(f.vault.update_instrument(&own.id, &wider).unwrap().reliable_change, 4);
    let answer = |on: &str, a: [u32; 3]| MeasureInput {
        instrument: own.id.clone(),
        taken_on: d(on),
        answers: a.map(Some).to_vec(),
        total: None,
    };
    let first = f.vault.record_measure(c.id, &answer("2026-10-01", [0, 3, 0]), today).unwrap();
    assert_eq!((first.score, first.band.as_deref(), first.flags.as_slice()), (9, Some("Besvär"), &[2][..]));
    f.vault.record_measure(c.id, &answer("2026-11-20", [3, 0, 2]), today).unwrap();
    let series = f.vault.measures(c.id).unwrap();
    let mine = series.iter().find(|s| s.instrument.id == own.id).unwrap();
    assert_eq!(mine.results.iter().map(|m| m.score).collect::<Vec<_>>(), [9, 1]);
    assert_eq!((mine.change, mine.reliable), (Some(-8), Some(Change::Improved)));

    // Used: the definition is kept, by the core and by the database.
    let before = dump_db(&f.dir.join("vault.db"), &f.vault.database_key().unwrap())["instrument"].clone();
    let e = f.vault.update_instrument(&own.id, &sleep()).unwrap_err();
    assert!(
        matches!(&e, confidant_core::Error::Validation(v) if v.field == "instrument" && v.reason == Reason::NotAllowed)
    );
    assert_eq!(dump_db(&f.dir.join("vault.db"), &f.vault.database_key().unwrap())["instrument"], before);
    let bad = InstrumentInput { bands: vec![Band { from: 1, to: 9, label: "x".into() }], ..sleep() };
    let e = f.vault.define_instrument(&bad).unwrap_err();
    assert!(matches!(&e, confidant_core::Error::Validation(v) if v.field == "bands" && v.reason == Reason::Range));
    assert_eq!(f.vault.update_instrument("custom-99", &sleep()).unwrap_err().code(), Code::NotFound);

    // Retired: offered for no new result; the results stay in the series.
    f.vault.retire_instrument(&own.id).unwrap();
    let e = f.vault.record_measure(c.id, &answer("2026-12-01", [1, 1, 1]), today).unwrap_err();
    assert!(
        matches!(&e, confidant_core::Error::Validation(v) if v.field == "instrument" && v.reason == Reason::NotAllowed)
    );
    assert!(f.vault.measures(c.id).unwrap().iter().any(|s| s.instrument.id == own.id && s.instrument.retired));
    let log = f.vault.access_log(None, 50).unwrap();
    let row = log.iter().find(|r| r.action.as_str() == "instrument").unwrap();
    assert_eq!((row.what.as_deref(), row.client_id), (Some("Sömn, tre frågor"), None));

    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    for sql in ["UPDATE instrument SET definition = '{}'", "DELETE FROM instrument"] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("instrument is"), "{sql}: {e}");
    }
}
