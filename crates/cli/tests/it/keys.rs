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
