//! Sessions from the command line: plan, the week, record attendance, start the note, the
//! list not yet invoiced, and the refusals (in UTC: the test runs with TZ=UTC).

use crate::support::{Env, PASS};

#[test]
fn a_week_of_sessions_from_planning_to_the_note() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "se_licensed", "--language", "sv"]);
    env.ok(&["client", "add", "--given", "Maja", "--family", "Berg"]);
    env.ok(&["client", "add", "--given", "Erik", "--family", "Lund"]);
    env.ok(&["course", "add", "--client", "1", "--title", "Samtal", "--start", "2026-01-10"]);

    let out = env.ok(&["session", "plan", "--client", "1", "--at", "2026-11-30 09:00", "--fee", "950"]);
    assert!(out.contains("Session 1 planned"), "{out}");
    env.ok(&["session", "plan", "--client", "2", "--at", "2026-12-02 14:00", "--minutes", "80", "--kind", "couple"]);
    env.ok(&["session", "plan", "--client", "1", "--at", "2026-12-07 09:00"]);
    let week = env.ok(&["session", "week", "--date", "2026-12-03"]);
    assert!(week.contains("Week 49 (2026-11-30 – 2026-12-06)"), "{week}");
    let rows: Vec<&str> = week.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{week}");
    assert!(
        rows[0].contains("2026-11-30 Mon 09:00") && rows[0].contains("Maja Berg") && rows[0].contains("fee 950,00")
    );
    assert!(rows[1].contains("Erik Lund") && rows[1].contains("couple") && rows[1].contains("80 min"));

    let out = env.ok(&["session", "record", "1", "--as", "attended"]);
    assert!(out.contains("attended"), "{out}");
    let err = env.fails(&["session", "record", "1", "--as", "no_show"], Some(&pass));
    assert!(err.contains("attendance"), "{err}");
    // The session next week has not begun.
    let err = env.fails(&["session", "record", "3", "--as", "attended"], Some(&pass));
    assert!(err.contains("attendance"), "{err}");
    let err = env.fails(&["session", "record", "3", "--as", "maybe"], Some(&pass));
    assert!(err.contains("unknown attendance 'maybe'"), "{err}");
    let err = env.fails(&["session", "plan", "--client", "1", "--at", "2026-12-08 09:00", "--fee", "9x"], Some(&pass));
    assert!(err.contains("fee"), "{err}");

    let out = env.ok(&["session", "note", "1", "--template", "soap"]);
    assert!(out.contains("Draft 1 started for session 1"), "{out}");
    let entry = env.ok(&["entry", "show", "1"]);
    assert!(entry.contains("2026-11-30") && entry.contains("Bedömning"), "{entry}");
    let list = env.ok(&["session", "list", "--client", "1"]);
    assert!(list.lines().last().unwrap().contains("note 1"), "{list}");
    let due = env.ok(&["session", "uninvoiced"]);
    assert_eq!(due.lines().count(), 1, "{due}");
    assert!(due.contains("Maja Berg") && due.contains("fee 950,00"), "{due}");

    let moved = env.ok(&["session", "change", "3", "--at", "2026-12-08 10:00", "--minutes", "45", "--kind", "video"]);
    assert!(moved.contains("2026-12-08 Tue 10:00") && moved.contains("45 min") && moved.contains("video"), "{moved}");
    env.ok(&["session", "remove", "3"]);

    // Today: the test's clock is the machine's, so a session is booked for today.
    let now = chrono::Local::now();
    let at = format!("{} 00:00", now.format("%Y-%m-%d"));
    env.ok(&["session", "plan", "--client", "2", "--at", &at, "--kind", "video"]);
    let today = env.ok(&["today"]);
    let lines: Vec<&str> = today.lines().collect();
    assert!(lines[1].contains("Erik Lund") && lines[1].contains("video") && lines[1].contains("00:00"), "{today}");
    assert!(today.contains("Unsigned notes: 1") && today.contains("Maja Berg"), "{today}");
    assert!(today.contains("No verified backup yet"), "{today}");
    assert!(!today.contains("Bedömning"), "no note text on the day: {today}");
    let err = env.fails(&["session", "remove", "1"], Some(&pass));
    assert!(err.contains("attendance"), "{err}");
    assert_eq!(env.ok(&["session", "list", "--client", "1"]).lines().count(), 1);
}

fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn saved(out: &str) -> std::path::PathBuf {
    out.lines().find_map(|l| l.strip_prefix("Saved: ")).unwrap_or_else(|| panic!("no path in {out}")).trim().into()
}

#[test]
fn sessions_are_invoiced_issued_paid_and_credited_with_pdfs_and_a_csv() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&[
        "profile",
        "set",
        "--jurisdiction",
        "se_licensed",
        "--language",
        "sv",
        "--practice",
        "Lindqvist Terapi",
        "--address",
        "Storgatan 1",
        "--name",
        "Anna Lindqvist",
    ]);
    env.ok(&["client", "add", "--given", "Maja", "--family", "Berg"]);
    env.ok(&["session", "plan", "--client", "1", "--at", "2026-11-30 09:00", "--fee", "950"]);
    env.ok(&["session", "record", "1", "--as", "attended"]);
    // The fee can still be set once the session took place.
    let out = env.ok(&["session", "fee", "1", "950,00"]);
    assert!(out.contains("fee 950,00"), "{out}");
    let err = env.fails(&["invoice", "create", "--client", "1", "--session", "1", "--session", "1"], Some(&pass));
    assert!(err.contains("appointment_id"), "{err}");

    let out = env.ok(&["invoice", "create", "--client", "1", "--session", "1"]);
    assert!(out.contains("Draft 1 started") && out.contains("Samtal, 50 min"), "{out}");
    // What a full invoice must carry: the organisation number first.
    let err = env.fails(&["invoice", "issue", "1"], Some(&pass));
    assert!(err.contains("org_number"), "{err}");
    env.ok(&["billing", "set", "--org", "556677-8899", "--bankgiro", "123-4567", "--f-skatt", "on"]);
    let out = env.ok(&["invoice", "issue", "1"]);
    assert!(out.contains("issued as number 1"), "{out}");
    assert_eq!(env.ok(&["session", "uninvoiced"]).trim(), "Nothing to invoice.");
    let err = env.fails(&["invoice", "buyer", "1", "--name", "Någon annan"], Some(&pass));
    assert!(err.contains("credit note"), "{err}");

    let docs = tempfile::tempdir().unwrap();
    let to = docs.path().to_str().unwrap();
    let text = pdf_text(&saved(&env.ok(&["invoice", "pdf", "1", "--to", to])));
    for needle in [
        "Faktura",
        "Ange fakturanummer 1 vid betalning",
        "Maja Berg",
        "Samtal, 50 min",
        "2026-11-30",
        "950,00 SEK",
        "10 kap. 6 § mervärdesskattelagen (2023:200)",
        "556677-8899",
        "Godkänd för F-skatt",
        "Bankgiro: 123-4567",
    ] {
        assert!(text.contains(needle), "{needle} missing from: {text}");
    }
    let err = env.fails(&["invoice", "pdf", "1", "--to", to, "--receipt"], Some(&pass));
    assert!(err.contains("receipt"), "{err}");
    env.ok(&["invoice", "pay", "1", "--amount", "950", "--method", "swish"]);
    let receipt = pdf_text(&saved(&env.ok(&["invoice", "pdf", "1", "--to", to, "--receipt"])));
    assert!(
        receipt.contains("Kvitto") && receipt.contains("Swish") && receipt.contains("betald i sin helhet"),
        "{receipt}"
    );

    let csv = env.ok(&["invoice", "csv", "--from", "2026-01-01", "--to", "2099-12-31"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], "number;kind;issued_on;due_on;buyer;net;vat;gross;currency;credits;paid");
    assert!(
        rows[1].starts_with("1;invoice;") && rows[1].ends_with(";Maja Berg;950,00;0,00;950,00;SEK;;950,00"),
        "{csv}"
    );

    // Another invoice, credited with the next number.
    env.ok(&["invoice", "create", "--client", "1"]);
    env.ok(&["invoice", "line", "2", "--description", "Intyg", "--price", "500"]);
    env.ok(&["invoice", "issue", "2"]);
    let out = env.ok(&["invoice", "credit", "2", "--reason", "Fel mottagare"]);
    assert!(out.contains("issued as number 3") && out.contains("-500,00"), "{out}");
    let credit = pdf_text(&saved(&env.ok(&["invoice", "pdf", "3", "--to", to])));
    assert!(
        credit.contains("Kreditfaktura") && credit.contains("Krediterar faktura 2") && credit.contains("Fel mottagare"),
        "{credit}"
    );
    let list = env.ok(&["invoice", "list"]);
    assert_eq!(list.lines().count(), 3, "{list}");
    // Nothing of this year is past the bookkeeping period; without --yes nothing would go anyway.
    let old = env.ok(&["invoice", "purge", "--yes"]);
    assert!(old.contains("No invoice is past the bookkeeping period"), "{old}");
    assert_eq!(env.ok(&["invoice", "list"]).lines().count(), 3);
}

#[test]
fn questionnaire_results_are_scored_flagged_and_listed_with_the_reliable_change() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["client", "add", "--given", "Maja", "--family", "Berg"]);
    let out = env.ok(&[
        "measure",
        "record",
        "--client",
        "1",
        "--instrument",
        "phq9",
        "--answers",
        "3,3,2,2,2,2,2,1,1",
        "--on",
        "2026-09-01",
    ]);
    assert!(out.contains("phq9 2026-09-01: 18 (moderately_severe)") && out.contains("FLAG: item 9"), "{out}");
    env.ok(&[
        "measure",
        "record",
        "--client",
        "1",
        "--instrument",
        "phq9",
        "--answers",
        "1,1,1,1,1,1,1,1,0",
        "--on",
        "2026-11-01",
    ]);
    let err =
        env.fails(&["measure", "record", "--client", "1", "--instrument", "phq9", "--answers", "1,1,1"], Some(&pass));
    assert!(err.contains("answers"), "{err}");
    let list = env.ok(&["measure", "list", "--client", "1"]);
    assert!(list.contains("PHQ-9  change -10 (improved)") && list.contains("2026-11-01    8  mild"), "{list}");
}

#[test]
fn a_questionnaire_of_ones_own_is_defined_from_a_file_used_and_retired() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["client", "add", "--given", "Maja", "--family", "Berg"]);
    let def = env.dir.path().join("sleep.json");
    std::fs::write(
        &def,
        r#"{"name": "Sömn", "intro": null, "items": ["Somnade lätt", "Vaknade ofta", "Utvilad"],
            "options": [], "min_answer": 0, "max_answer": 3, "reversed": [1, 3], "scoring": "sum",
            "max_score": null, "higher_is_worse": true,
            "bands": [{"from": 0, "to": 3, "label": "Lite"}, {"from": 4, "to": 9, "label": "Mycket"}],
            "reliable_change": 3, "flag_items": [2]}"#,
    )
    .unwrap();
    let out = env.ok(&["measure", "define", "--file", def.to_str().unwrap()]);
    assert!(out.contains("custom-1 Sömn: 3 items, highest score 9"), "{out}");
    let out = env.ok(&["measure", "record", "--client", "1", "--instrument", "custom-1", "--answers", "0,3,0"]);
    assert!(out.contains(": 9 (Mycket)") && out.contains("FLAG: item 2"), "{out}");
    // Used: a change is refused by field, and the file's mistakes are named without its text.
    let err =
        env.fails(&["measure", "define", "--file", def.to_str().unwrap(), "--instrument", "custom-1"], Some(&pass));
    assert!(err.contains("instrument"), "{err}");
    std::fs::write(&def, "{\"name\": \"Sömn\", \"items\": 7}").unwrap();
    let err = env.fails(&["measure", "define", "--file", def.to_str().unwrap()], Some(&pass));
    assert!(err.contains("line 1") && !err.contains("Sömn"), "{err}");
    env.ok(&["measure", "retire", "--instrument", "custom-1"]);
    let list = env.ok(&["measure", "instruments"]);
    assert!(list.contains("phq9") && list.contains("custom-1   Sömn  3 items, 0–9  (retired)"), "{list}");
    let err = env
        .fails(&["measure", "record", "--client", "1", "--instrument", "custom-1", "--answers", "0,3,0"], Some(&pass));
    assert!(err.contains("instrument"), "{err}");
    assert!(env.ok(&["measure", "list", "--client", "1"]).contains("Sömn"));
}
