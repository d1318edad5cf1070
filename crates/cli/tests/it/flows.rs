//! The journal flows from init to search, with snapshots of what the therapist sees.

use crate::support::{files, settings, Env, PASS};

#[test]
fn journal_flow_end_to_end() {
    let env = Env::new();
    let rk = env.init();
    assert_eq!(rk.len(), 44);
    let s = settings(&env);
    let _g = s.bind_to_scope();

    let out = env.ok(&[
        "client",
        "add",
        "--given",
        "Åsa",
        "--family",
        "Öberg",
        "--national-id",
        "19811218-9876",
        "--email",
        "asa@example.se",
        "--phone",
        "070-123 45 67",
    ]);
    insta::assert_snapshot!("client_add", out);
    env.ok(&["client", "add", "--given", "Søren", "--family", "Østergaard", "--national-id", "150384-4321"]);
    insta::assert_snapshot!("client_list", env.ok(&["client", "list"]));
    insta::assert_snapshot!("client_list_filtered", env.ok(&["client", "list", "--name", "oberg"]));

    env.ok(&[
        "course",
        "add",
        "--client",
        "1",
        "--title",
        "Sömn och stress",
        "--reason",
        "Sömnproblem",
        "--start",
        "2026-01-10",
    ]);
    let out = env.ok(&[
        "entry",
        "add",
        "--course",
        "1",
        "--title",
        "Första samtal",
        "--body",
        "Åsa sover dåligt, vaknar kl. 04.",
        "--tag",
        "sömn",
        "--at",
        "2026-01-10 09:00",
        "--minutes",
        "50",
    ]);
    insta::assert_snapshot!("entry_add", out);
    env.ok(&["entry", "edit", "1", "--body", "Åsa sover dåligt, vaknar kl. 04. Ångest inför arbetet."]);
    insta::assert_snapshot!("entry_sign", env.ok(&["entry", "sign", "1"]));

    let err = env.fails(&["entry", "edit", "1", "--body", "changed"], Some(&format!("{PASS}\n")));
    insta::assert_snapshot!("entry_edit_signed_error", err);

    env.ok(&[
        "entry",
        "amend",
        "1",
        "--reason",
        "Förtydligande",
        "--body",
        "Åsa sover dåligt, vaknar kl. 04–05. Ångest inför arbetet.",
    ]);
    insta::assert_snapshot!("entry_show_with_history", env.ok(&["entry", "show", "1"]));
    insta::assert_snapshot!("client_show", env.ok(&["client", "show", "1"]));

    insta::assert_snapshot!("search_without_diacritics", env.ok(&["search", "angest"]));
    insta::assert_snapshot!("search_client_name", env.ok(&["search", "soren"]));
    insta::assert_snapshot!("search_scoped_other_client", env.ok(&["search", "angest", "--client", "2"]));

    let pdf = env.dir.path().join("remiss.pdf");
    std::fs::write(&pdf, b"%PDF-1.4\nfake but typed\n%%EOF\n").unwrap();
    insta::assert_snapshot!("attach", env.ok(&["attach", "--entry", "1", pdf.to_str().unwrap()]));
    insta::assert_snapshot!("attachment_list", env.ok(&["attachment", "list", "--client", "1"]));
    let copy = env.dir.path().join("copy.pdf");
    env.ok(&["attachment", "save", "1", copy.to_str().unwrap()]);
    assert_eq!(std::fs::read(&copy).unwrap(), std::fs::read(&pdf).unwrap());
    // Saving a copy never overwrites.
    env.fails(&["attachment", "save", "1", copy.to_str().unwrap()], Some(&format!("{PASS}\n")));

    insta::assert_snapshot!("client_archive", env.ok(&["client", "archive", "2"]));
    assert!(!env.ok(&["client", "list"]).contains("Søren"));
    assert!(env.ok(&["client", "list", "--archived"]).contains("Søren"));

    insta::assert_snapshot!("log_verify", env.ok(&["log", "verify"]));
    let log = env.ok(&["log", "show", "--limit", "500"]);
    for action in ["unlock", "lock", "client_create", "entry_sign", "entry_amend", "attachment_read", "search"] {
        assert!(log.contains(action), "log lacks {action}");
    }
    assert!(!log.contains("Åsa") && !log.contains("Öberg"));

    // Nothing typed above is readable in any file of the vault.
    for (name, bytes) in files(&env.vault) {
        for needle in ["Öberg", "oberg", "sover dåligt", "19811218"] {
            assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} found in {name}");
        }
    }
}

#[test]
fn demo_vault_opens_and_verifies() {
    let env = Env::new();
    let out = env.run(&["demo", env.vault.to_str().unwrap()], None);
    assert!(out.status.success());
    let pass = format!("{}\n", confidant_core::demo::DEMO_PASSPHRASE);
    let list = env.run(&["client", "list", "--all"], Some(&pass));
    let s = settings(&env);
    let _g = s.bind_to_scope();
    insta::assert_snapshot!("demo_client_list", String::from_utf8(list.stdout).unwrap());
    let search = env.run(&["search", "baenk"], Some(&pass));
    assert!(String::from_utf8(search.stdout).unwrap().contains("[bænk]"));
    let verify = env.run(&["log", "verify"], Some(&pass));
    assert!(verify.status.success());
}

/// The retention rules of a profile, with their sources: without a vault for a named profile,
/// and the vault's own profile otherwise.
#[test]
fn profile_rules_name_each_clock_and_its_source() {
    let env = crate::support::Env::new();
    let out = env.run(&["profile", "rules", "--jurisdiction", "se_licensed"], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "journal          kept at least 10 years after the last entry  (Patientdatalagen (2008:355) 3 kap. 17 §)"
        ),
        "{text}"
    );
    assert!(text.contains("Bokföringslagen (1999:1078) 7 kap. 2 §"), "{text}");
    let custom = env.run(&["profile", "rules", "--jurisdiction", "custom"], None);
    assert!(String::from_utf8_lossy(&custom.stdout).contains("No retention rules"));
    let err = env.fails(&["profile", "rules", "--jurisdiction", "atlantis"], None);
    assert!(err.contains("jurisdiction"), "{err}");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "dk_psychologist"]);
    assert!(env.ok(&["profile", "rules"]).contains("BEK nr. 567 af 19/05/2017 § 6, stk. 1"));
}
