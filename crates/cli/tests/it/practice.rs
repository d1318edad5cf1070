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
    let err = env.fails(&["session", "remove", "1"], Some(&pass));
    assert!(err.contains("attendance"), "{err}");
    assert_eq!(env.ok(&["session", "list", "--client", "1"]).lines().count(), 1);
}
