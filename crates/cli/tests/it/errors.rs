//! Every bad input: one clear line on stderr, exit code 1, and nothing lost or changed.

use crate::support::{settings, Env, PASS};

#[test]
fn wrong_passphrase_changes_nothing() {
    let env = Env::new();
    env.init();
    env.ok(&["client", "add", "--given", "Anna"]);
    let before = env.files();
    let err = env.fails(&["client", "list"], Some("not the passphrase\n"));
    assert_eq!(err, "error: the passphrase is not correct\n");
    assert_eq!(before, env.files(), "every vault file must be byte-identical");
}

#[test]
fn clear_errors_for_bad_input() {
    let env = Env::new();
    let s = settings(&env);
    let _g = s.bind_to_scope();
    insta::assert_snapshot!("no_vault", env.fails(&["client", "list"], Some(&format!("{PASS}\n"))));
    let rk = env.init();
    let pass = format!("{PASS}\n");
    insta::assert_snapshot!("vault_exists", env.fails(&["init"], Some(&pass)));
    insta::assert_snapshot!(
        "bad_personnummer",
        env.fails(
            &["client", "add", "--given", "A", "--national-id", "19811218-9875", "--email", "a@b.se"],
            Some(&pass)
        )
    );
    insta::assert_snapshot!(
        "bad_email",
        env.fails(&["client", "add", "--given", "A", "--email", "not-an-email"], Some(&pass))
    );
    insta::assert_snapshot!("missing_given_name", env.fails(&["client", "add", "--given", " "], Some(&pass)));
    insta::assert_snapshot!("unknown_client", env.fails(&["client", "show", "42"], Some(&pass)));
    let mut typo = rk.clone();
    typo.replace_range(0..1, if rk.starts_with('A') { "B" } else { "A" });
    insta::assert_snapshot!(
        "mistyped_recovery_key",
        env.fails(&["--recovery-key", "client", "list"], Some(&format!("{typo}\n")))
    );
    let exe = env.dir.path().join("setup.exe");
    std::fs::write(&exe, b"MZ\x90\x00rest").unwrap();
    env.ok(&["client", "add", "--given", "Anna"]);
    let before = env.ok(&["attachment", "list", "--client", "1"]);
    insta::assert_snapshot!(
        "attachment_type",
        env.fails(&["attach", "--client", "1", exe.to_str().unwrap()], Some(&pass))
    );
    assert_eq!(before, env.ok(&["attachment", "list", "--client", "1"]));
    insta::assert_snapshot!("amend_draft", {
        env.ok(&["course", "add", "--client", "1", "--title", "T"]);
        env.ok(&["entry", "add", "--course", "1", "--body", "x"]);
        env.fails(&["entry", "amend", "1", "--reason", "r", "--body", "y"], Some(&pass))
    });
}

#[test]
fn damaged_key_file_is_named_and_left_alone() {
    let env = Env::new();
    env.init();
    std::fs::write(env.vault.join("keys.json"), b"{ this is not json").unwrap();
    let before = env.files();
    let err = env.fails(&["client", "list"], Some(&format!("{PASS}\n")));
    assert_eq!(err, "error: the vault's key file is damaged: it is not valid key file JSON\n");
    assert_eq!(before, env.files());
    std::fs::remove_file(env.vault.join("keys.json")).unwrap();
    let err = env.fails(&["client", "list"], Some(&format!("{PASS}\n")));
    assert!(err.contains("key file is missing"), "{err}");
    assert!(!env.vault.join("keys.json").exists(), "nothing may be created");
}

#[test]
fn a_journal_open_in_the_app_is_refused_by_name_and_nothing_changes() {
    use confidant_core::{Credential, Holder, Passphrase, Vault};
    let env = Env::new();
    env.init();
    env.ok(&["client", "add", "--given", "Anna"]);
    // This test process plays the app: it has the journal unlocked.
    confidant_core::writer::identify(Holder::App);
    let mut app = Vault::open(&env.vault).unwrap();
    app.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
    let before = env.files();
    let err = env.fails(&["client", "add", "--given", "Berit"], Some(&format!("{PASS}\n")));
    assert_eq!(err, "error: the journal is open in the Confidant app; lock it or quit the app first\n");
    // Not even a restore may replace the folder underneath the app.
    let err = env.fails(&["restore", "--replace", "/nonexistent.age"], Some(&format!("{PASS}\n")));
    assert_eq!(err, "error: the journal is open in the Confidant app; lock it or quit the app first\n");
    assert_eq!(before, env.files(), "nothing was changed while the app had the journal");
    // Once the app locks, the command line works again.
    app.lock();
    env.ok(&["client", "add", "--given", "Berit"]);
}
