//! A client's rights from the command line: hold, restriction, the due list and erasure, each
//! refusing what it must with a clear message.

use crate::support::{Env, PASS};

fn client_with_signed_note(env: &Env, given: &str) {
    env.ok(&["client", "add", "--given", given, "--family", "Berg", "--email", "maja@example.se"]);
    let id = env.ok(&["client", "list"]).lines().count().to_string();
    env.ok(&["course", "add", "--client", &id, "--title", "Samtal", "--start", "2026-01-10"]);
    env.ok(&["entry", "add", "--course", &id, "--title", "Första", "--body", "Text", "--at", "2026-01-10 09:00"]);
    env.ok(&["entry", "sign", &id]);
}

#[test]
fn erasure_shows_what_the_law_keeps_and_refuses_under_a_hold() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "se_licensed"]);
    client_with_signed_note(&env, "Maja");

    // Licensed: the journal is kept ten years; only contact details go.
    let out = env.ok(&["erase", "--client", "1", "--request-received", "2026-11-20", "--yes"]);
    assert!(out.contains("Erased now:\n  - contact details"), "{out}");
    assert!(out.contains("Patientdatalagen (2008:355) 3 kap. 17 §"), "{out}");
    assert!(out.contains("the kept journal must say whose it is"), "{out}");
    let shown = env.ok(&["client", "show", "1"]);
    assert!(!shown.contains("maja@example.se") && shown.contains("Första"), "{shown}");

    // Without --yes and without a terminal nothing happens.
    env.ok(&["profile", "set", "--jurisdiction", "dk_therapist_coach"]);
    let err = env.fails(&["erase", "--client", "1", "--request-received", "2026-11-20"], Some(&pass));
    assert!(err.contains("confirm with --yes"), "{err}");
    assert!(env.ok(&["client", "show", "1"]).contains("Första"));

    // A hold keeps everything; restriction blocks changes; both are visible.
    let out = env.ok(&["hold", "place", "--client", "1", "--reason", "complaint", "--note", "IVO 2026-123"]);
    assert!(out.contains("Legal hold 1 placed"), "{out}");
    let out = env.ok(&["erase", "--client", "1", "--request-received", "2026-11-20", "--yes"]);
    assert!(out.contains("Nothing to erase.") && out.contains("a legal hold is in force"), "{out}");
    assert!(env.ok(&["hold", "list", "--client", "1"]).contains("IVO 2026-123"));
    env.ok(&["hold", "release", "1"]);
    env.ok(&["restrict", "--client", "1", "on"]);
    let err = env.fails(&["course", "add", "--client", "1", "--title", "Ny", "--start", "2026-02-01"], Some(&pass));
    assert!(err.contains("restricted"), "{err}");
    env.ok(&["restrict", "--client", "1", "off"]);

    // Coach: on request everything but the access log goes, and the log still verifies.
    let out = env.ok(&["erase", "--client", "1", "--request-received", "2026-11-20", "--yes"]);
    assert!(out.contains("Erased; erasure record"), "{out}");
    let err = env.fails(&["client", "show", "1"], Some(&pass));
    assert!(err.contains("not found"), "{err}");
    assert!(env.ok(&["log", "verify"]).contains("chain intact"));
}

#[test]
fn the_due_list_counts_from_the_course_end() {
    let env = Env::new();
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "dk_therapist_coach"]);
    client_with_signed_note(&env, "Maja");
    env.ok(&["course", "close", "1", "--end", "2026-01-31"]);
    let out = env.ok(&["due", "--date", "2027-01-30"]);
    assert!(out.contains("Nothing is due"), "{out}");
    let out = env.ok(&["due", "--date", "2027-01-31"]);
    assert!(out.contains("Berg, Maja  journal due for deletion since 2027-01-31"), "{out}");
    assert!(!out.contains("contact details"), "the last contact was today: {out}");
}

#[test]
fn an_exported_client_is_imported_into_another_vault_once() {
    let from = Env::new();
    from.init();
    client_with_signed_note(&from, "Maja");
    let out =
        from.ok(&["export", "--client", "1", "--to", from.dir.path().to_str().unwrap(), "--identity-check", "Pass"]);
    let pkg = out.lines().next().unwrap().strip_prefix("Exported to ").unwrap().to_owned();

    let to = Env::new();
    to.init();
    client_with_signed_note(&to, "Olle");
    let out = to.ok(&["import", &pkg, "--progress"]);
    assert!(out.contains("Imported 1 client(s): 2"), "{out}");
    assert!(out.contains("1 courses, 1 entries, 0 amendments, 0 attachments, 0 consents"), "{out}");
    let shown = to.ok(&["client", "show", "2"]);
    assert!(shown.contains("Maja") && shown.contains("Första"), "{shown}");
    assert!(to.ok(&["log", "verify"]).contains("chain intact"));

    // The same package again, and a damaged one: refused by name, nothing added.
    let pass = format!("{PASS}\n");
    let err = to.fails(&["import", &pkg], Some(&pass));
    assert!(err.contains("check failed: already_imported") && err.contains("nothing was imported"), "{err}");
    let data = std::path::Path::new(&pkg).join("data.json");
    let mut bytes = std::fs::read(&data).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&data, bytes).unwrap();
    let err = to.fails(&["import", &pkg], Some(&pass));
    assert!(err.contains("check failed: file_hash"), "{err}");
    assert!(!err.contains(&pkg), "no path in the message: {err}");
    assert_eq!(to.ok(&["client", "list"]).lines().count(), 2);
}
