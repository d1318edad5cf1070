//! Passphrase, recovery key and key-change flows.

use crate::support::{Env, PASS, PASS2};

#[test]
fn recovery_key_unlocks_and_can_reset_a_forgotten_passphrase() {
    let env = Env::new();
    let rk = env.init();
    let out = env.run(&["--recovery-key", "client", "list"], Some(&format!("{}\n", rk.to_lowercase())));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // Forgot the passphrase: authorize the change with the recovery key.
    let out = env.run(&["--recovery-key", "change-passphrase"], Some(&format!("{rk}\n{PASS2}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    env.fails(&["client", "list"], Some(&format!("{PASS}\n")));
    assert!(env.run(&["client", "list"], Some(&format!("{PASS2}\n"))).status.success());
}

#[test]
fn change_passphrase_rewrites_only_the_key_file() {
    let env = Env::new();
    env.init();
    env.ok(&["client", "add", "--given", "Anna"]);
    let before = env.files();
    let out = env.run(&["change-passphrase"], Some(&format!("{PASS}\n{PASS2}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = env.files();
    assert_eq!(before["vault.db"], after["vault.db"], "the database must not be rewritten");
    assert_ne!(before["keys.json"], after["keys.json"]);
    assert!(env.run(&["client", "list"], Some(&format!("{PASS2}\n"))).status.success());
}

#[test]
fn regenerated_recovery_key_replaces_the_old_one() {
    let env = Env::new();
    let old = env.init();
    let out = env.run(&["recovery-key", "regenerate"], Some(&format!("{PASS}\n")));
    assert!(out.status.success());
    let new = crate::support::recovery_key_in(&String::from_utf8(out.stdout).unwrap());
    assert_ne!(old, new);
    let err = env.fails(&["--recovery-key", "client", "list"], Some(&format!("{old}\n")));
    assert_eq!(err, "error: the recovery key does not open this vault\n");
    assert!(env.run(&["--recovery-key", "client", "list"], Some(&format!("{new}\n"))).status.success());
}

#[test]
fn weak_new_passphrase_is_refused_with_the_reason() {
    let env = Env::new();
    let err = env.fails(&["init"], Some("password123\n"));
    assert!(err.starts_with("error: the passphrase is too weak: score"), "{err}");
    assert!(!env.vault.exists() || env.files().is_empty(), "nothing may be created");
    env.init();
    let before = env.files();
    let err = env.fails(&["change-passphrase"], Some(&format!("{PASS}\nsommar2024\n")));
    assert!(err.contains("too weak"));
    assert_eq!(before, env.files());
}

/// The professional will, through the command line only: the custodian makes a key, the
/// therapist adds it, and with that key alone the custodian restores a later backup on another
/// computer and reads the journal. Someone else's key opens nothing; removing the slot stops it
/// opening the vault.
#[test]
fn the_successor_restores_a_backup_and_reads_the_journal_with_their_own_key_alone() {
    let env = Env::new();
    env.init();
    env.ok(&["client", "add", "--given", "Vera", "--family", "Lind"]);
    let custodian = Env::new();
    let key_file = custodian.dir.path().join("custodian.key");
    let out = custodian.run(&["successor", "keygen", "--out", key_file.to_str().unwrap()], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    let recipient = printed.split_whitespace().find(|w| w.starts_with("age1")).expect("the public key is printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Keygen never overwrites a key file.
    custodian.fails(&["successor", "keygen", "--out", key_file.to_str().unwrap()], None);

    let out = env.run(
        &["successor", "set", "--name", "Advokat Eva Sund", "--recipient", recipient],
        Some(&format!("{PASS}\n{PASS}\n")),
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(env.ok(&["successor", "show"]).contains("Advokat Eva Sund"));
    let usb = env.dir.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    env.ok(&["backup", "--target", usb.to_str().unwrap()]);
    let backup = crate::backup::finals(&usb).pop().expect("a backup");

    // On the custodian's computer: their key file alone.
    let with_key = ["--successor-key", key_file.to_str().unwrap()];
    let restore = [&with_key[..], &["restore", backup.to_str().unwrap()]].concat();
    let out = custodian.run(&restore, None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = custodian.run(&[&with_key[..], &["client", "list"]].concat(), None);
    assert!(list.status.success(), "{}", String::from_utf8_lossy(&list.stderr));
    assert!(String::from_utf8_lossy(&list.stdout).contains("Lind"));
    assert!(custodian.run(&[&with_key[..], &["log", "verify"]].concat(), None).status.success());

    // Another key opens nothing.
    let stranger = custodian.dir.path().join("stranger.key");
    assert!(custodian.run(&["successor", "keygen", "--out", stranger.to_str().unwrap()], None).status.success());
    let err = custodian.fails(&["--successor-key", stranger.to_str().unwrap(), "client", "list"], None);
    assert!(err.contains("successor key does not open"), "{err}");

    // Removed: the custodian's key no longer opens the therapist's vault.
    let out = env.run(&["successor", "remove"], Some(&format!("{PASS}\n{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    env.fails(&[&with_key[..], &["client", "list"]].concat(), None);
    assert!(env.ok(&["successor", "show"]).contains("No successor"));
}

/// Re-key through the command line: the old passphrase stops opening the vault, the new recovery
/// key is printed, and what did not change is said plainly.
#[test]
fn rekey_replaces_the_key_and_says_what_old_backups_still_open_with() {
    let env = Env::new();
    let old_rk = env.init();
    env.ok(&["client", "add", "--given", "Nils"]);
    let out = env.run(&["rekey", "--reason", "passphrase-known"], Some(&format!("{PASS}\n{PASS}\n{PASS2}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("backups made before today still open"), "{text}");
    let new_rk = crate::support::recovery_key_in(&text);
    assert_ne!(new_rk, old_rk);
    env.fails(&["client", "list"], Some(&format!("{PASS}\n")));
    env.fails(&["--recovery-key", "client", "list"], Some(&format!("{old_rk}\n")));
    assert!(env.run(&["client", "list"], Some(&format!("{PASS2}\n"))).status.success());
    assert!(env.run(&["--recovery-key", "client", "list"], Some(&format!("{new_rk}\n"))).status.success());
}
