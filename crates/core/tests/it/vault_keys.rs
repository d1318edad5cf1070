//! Creating, locking and unlocking a vault, and changing what unlocks it.

use confidant_core::domain::clients::ClientFilter;
use confidant_core::{Error, Passphrase, RecoveryKey, UnlockMethod, Vault};

use crate::util::{kdf, new_vault, pass, person, recovery, snapshot, PASS, PASS2};

fn client_names(v: &mut Vault) -> Vec<String> {
    v.list_clients(&ClientFilter::default())
        .expect("list clients")
        .into_iter()
        .map(|c| format!("{} {}", c.given_name, c.family_name))
        .collect()
}

#[test]
fn create_lock_unlock_with_passphrase() {
    let mut f = new_vault();
    assert!(f.vault.is_unlocked());
    let info = f.vault.info();
    assert!(info.unlocked && info.has_recovery_key && !info.remembered);
    f.vault.create_client(&person("Ingrid", "Holm")).unwrap();

    f.vault.lock();
    assert!(!f.vault.is_unlocked());
    assert!(!f.vault.info().unlocked);
    assert!(matches!(f.vault.list_clients(&ClientFilter::default()), Err(Error::Locked)));
    f.vault.lock(); // idempotent
    assert!(!f.vault.is_unlocked());

    // The same instance unlocks again…
    assert_eq!(f.vault.unlock(&pass(PASS)).unwrap(), UnlockMethod::Passphrase);
    assert!(f.vault.is_unlocked());
    assert_eq!(client_names(&mut f.vault), vec!["Ingrid Holm"]);
    let id = f.vault.info().vault_id;
    drop(f.vault);

    // …and so does a fresh one opened from the folder.
    let mut v = Vault::open(&f.dir).unwrap();
    assert!(!v.is_unlocked());
    assert_eq!(v.info().vault_id, id);
    assert_eq!(v.unlock(&pass(PASS)).unwrap(), UnlockMethod::Passphrase);
    assert_eq!(client_names(&mut v), vec!["Ingrid Holm"]);
}

#[test]
fn unlock_with_recovery_key_as_typed() {
    let mut f = new_vault();
    f.vault.create_client(&person("Åsa", "Öberg")).unwrap();
    drop(f.vault);
    let shown = f.rk.display().to_string();
    assert_eq!(shown.split('-').count(), 9);

    let mut v = Vault::open(&f.dir).unwrap();
    assert_eq!(v.unlock(&recovery(&f.rk)).unwrap(), UnlockMethod::RecoveryKey);
    assert_eq!(client_names(&mut v), vec!["Åsa Öberg"]);
    v.lock();

    // Case, spaces instead of hyphens: still the same key.
    let sloppy = shown.to_lowercase().replace('-', " ");
    let cred = confidant_core::Credential::RecoveryKey(RecoveryKey::parse(&sloppy).unwrap());
    assert_eq!(v.unlock(&cred).unwrap(), UnlockMethod::RecoveryKey);
}

#[test]
fn wrong_passphrase_is_typed_and_touches_no_file() {
    let mut f = new_vault();
    f.vault.create_client(&person("Karin", "Berg")).unwrap();
    f.vault.lock();
    let before = snapshot(&f.dir);
    assert!(before.contains_key("vault.db") && before.contains_key("keys.json"));

    for wrong in ["lingon tavla regnbåge sextiosju ", "Lingon tavla regnbåge sextiosju", "", "x"] {
        assert!(matches!(f.vault.unlock(&pass(wrong)), Err(Error::WrongPassphrase)), "{wrong:?}");
        assert!(!f.vault.is_unlocked());
    }
    let mut fresh = Vault::open(&f.dir).unwrap();
    assert!(matches!(fresh.unlock(&pass("helt fel lösenfras igen")), Err(Error::WrongPassphrase)));
    assert!(!fresh.is_unlocked());
    drop(fresh);
    assert_eq!(snapshot(&f.dir), before);

    f.vault.unlock(&pass(PASS)).unwrap();
    assert_eq!(client_names(&mut f.vault), vec!["Karin Berg"]);
}

#[test]
fn another_vaults_recovery_key_is_wrong_and_touches_no_file() {
    let mut a = new_vault();
    let b = new_vault(); // a valid, well-formed key that belongs to another vault
    a.vault.lock();
    let before = snapshot(&a.dir);

    assert!(matches!(a.vault.unlock(&recovery(&b.rk)), Err(Error::WrongRecoveryKey)));
    assert!(!a.vault.is_unlocked());
    assert_eq!(snapshot(&a.dir), before);
    assert_eq!(a.vault.unlock(&recovery(&a.rk)).unwrap(), UnlockMethod::RecoveryKey);
}

#[test]
fn mistyped_recovery_key_is_invalid() {
    let f = new_vault();
    let shown: Vec<char> = f.rk.display().chars().collect();

    // A letter that recovery keys never use.
    let mut typo = shown.clone();
    typo[1] = 'U';
    let typed: String = typo.into_iter().collect();
    assert!(matches!(
        RecoveryKey::parse(&typed),
        Err(Error::InvalidRecoveryKey("it contains a character that is not used in recovery keys"))
    ));

    // A group left out.
    let short: String = shown[..shown.len() - 5].iter().collect();
    assert!(matches!(
        RecoveryKey::parse(&short),
        Err(Error::InvalidRecoveryKey("it should be 36 characters in 9 groups of 4"))
    ));

    // Every other valid character in the first place: the check group catches them
    // (a 20-bit check may miss one in a million, so allow a single miss).
    let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut caught = 0;
    let mut tried = 0;
    for c in alphabet.chars().filter(|c| *c != shown[0]) {
        let mut t = shown.clone();
        t[0] = c;
        tried += 1;
        if matches!(
            RecoveryKey::parse(&t.into_iter().collect::<String>()),
            Err(Error::InvalidRecoveryKey("the check group does not match; look for a typo"))
        ) {
            caught += 1;
        }
    }
    assert_eq!(tried, 31);
    assert!(caught >= 30, "{caught}/{tried} typos caught");
    assert!(matches!(
        RecoveryKey::parse(""),
        Err(Error::InvalidRecoveryKey("it should be 36 characters in 9 groups of 4"))
    ));
}

#[test]
fn change_passphrase_rewrites_only_the_key_file() {
    let mut f = new_vault();
    f.vault.create_client(&person("Maja", "Lund")).unwrap();
    f.vault.lock();
    let before = snapshot(&f.dir);

    f.vault.change_passphrase(&pass(PASS), &Passphrase::from(PASS2), kdf()).unwrap();
    let after = snapshot(&f.dir);
    assert_eq!(after.get("vault.db"), before.get("vault.db"), "the database must not change");
    assert_ne!(after.get("keys.json"), before.get("keys.json"), "the key file must change");
    assert_eq!(crate::util::names(&after), crate::util::names(&before), "no stray files");

    assert!(matches!(f.vault.unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
    assert_eq!(f.vault.unlock(&pass(PASS2)).unwrap(), UnlockMethod::Passphrase);
    assert_eq!(client_names(&mut f.vault), vec!["Maja Lund"]);
    f.vault.lock();
    // The recovery key is unaffected.
    assert_eq!(f.vault.unlock(&recovery(&f.rk)).unwrap(), UnlockMethod::RecoveryKey);
    f.vault.lock();

    // Persisted: a fresh instance sees the new passphrase.
    drop(f.vault);
    let mut v = Vault::open(&f.dir).unwrap();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
    v.unlock(&pass(PASS2)).unwrap();
}

#[test]
fn change_passphrase_with_wrong_current_changes_nothing() {
    let mut f = new_vault();
    f.vault.lock();
    let before = snapshot(&f.dir);
    let r = f.vault.change_passphrase(&pass("inte rätt lösenfras alls"), &Passphrase::from(PASS2), kdf());
    assert!(matches!(r, Err(Error::WrongPassphrase)));
    assert_eq!(snapshot(&f.dir), before);
    f.vault.unlock(&pass(PASS)).unwrap();
}

#[test]
fn forgotten_passphrase_is_replaced_with_the_recovery_key() {
    let mut f = new_vault();
    f.vault.create_client(&person("Nils", "Ek")).unwrap();
    f.vault.lock();
    let db_before = snapshot(&f.dir).remove("vault.db");

    f.vault.change_passphrase(&recovery(&f.rk), &Passphrase::from(PASS2), kdf()).unwrap();
    assert_eq!(snapshot(&f.dir).remove("vault.db"), db_before);
    assert!(matches!(f.vault.unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
    f.vault.unlock(&pass(PASS2)).unwrap();
    assert_eq!(client_names(&mut f.vault), vec!["Nils Ek"]);
    f.vault.lock();
    assert_eq!(f.vault.unlock(&recovery(&f.rk)).unwrap(), UnlockMethod::RecoveryKey);
}

#[test]
fn regenerated_recovery_key_replaces_the_old_one() {
    let mut f = new_vault();
    let new_rk = f.vault.regenerate_recovery_key(&pass(PASS)).unwrap();
    assert_ne!(new_rk.display().as_str(), f.rk.display().as_str());
    f.vault.lock();

    assert!(matches!(f.vault.unlock(&recovery(&f.rk)), Err(Error::WrongRecoveryKey)));
    assert_eq!(f.vault.unlock(&recovery(&new_rk)).unwrap(), UnlockMethod::RecoveryKey);
    f.vault.lock();
    assert_eq!(f.vault.unlock(&pass(PASS)).unwrap(), UnlockMethod::Passphrase);
    f.vault.lock();

    // The old recovery key cannot authorize another regeneration either.
    assert!(matches!(f.vault.regenerate_recovery_key(&recovery(&f.rk)), Err(Error::WrongRecoveryKey)));
    let third = f.vault.regenerate_recovery_key(&recovery(&new_rk)).unwrap();
    assert!(matches!(f.vault.unlock(&recovery(&new_rk)), Err(Error::WrongRecoveryKey)));
    f.vault.unlock(&recovery(&third)).unwrap();
}

#[test]
fn weak_new_passphrase_is_refused_with_feedback() {
    let mut f = new_vault();
    f.vault.lock();
    let before = snapshot(&f.dir);
    for weak in ["password", "confidant2024", "Anna1980", "qwertyuiop"] {
        match f.vault.change_passphrase(&pass(PASS), &Passphrase::from(weak), kdf()) {
            Err(Error::WeakPassphrase(s)) => {
                assert!(s.score < 3, "{weak}: score {}", s.score);
                assert!(!s.acceptable);
                assert!(s.warning.is_some() || !s.suggestions.is_empty(), "{weak}: no feedback");
            }
            other => panic!("{weak}: expected WeakPassphrase, got {other:?}"),
        }
    }
    assert_eq!(snapshot(&f.dir), before);
    f.vault.unlock(&pass(PASS)).unwrap();

    let meter = Vault::check_passphrase("password");
    assert!(!meter.acceptable && meter.score < 3);
    assert!(Vault::check_passphrase(PASS2).acceptable);
}

#[test]
fn weak_passphrase_creates_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let r = Vault::create(&dir, &Passphrase::from("password1"), kdf());
    assert!(matches!(r, Err(Error::WeakPassphrase(s)) if s.score < 3));
    assert!(!dir.exists());
}

#[test]
fn lock_drops_the_session() {
    let mut f = new_vault();
    assert!(f.vault.database_key().is_ok());
    f.vault.lock();
    assert!(!f.vault.is_unlocked());
    assert!(!f.vault.info().unlocked);
    assert!(matches!(f.vault.database_key(), Err(Error::Locked)));
    // After locking, SQLite has checkpointed and closed: only the two vault files remain, the
    // log head seen at the lock, and the writer lock file, now unlocked (the next unlock, from
    // any program, takes it).
    let files = snapshot(&f.dir);
    assert_eq!(
        crate::util::names(&files),
        vec![confidant_core::LOG_SEEN_FILE, confidant_core::writer::WRITER_LOCK, "keys.json", "vault.db"]
    );
    let mut other = confidant_core::Vault::open(&f.dir).unwrap();
    other.unlock(&crate::util::pass(crate::util::PASS)).unwrap();
}

#[test]
fn a_second_writer_is_refused_until_the_first_locks() {
    let mut f = new_vault();
    let mut other = confidant_core::Vault::open(&f.dir).unwrap();
    let e = other.unlock(&crate::util::pass(crate::util::PASS)).unwrap_err();
    assert_eq!(e.code(), confidant_core::Code::VaultBusy);
    assert!(e.to_string().contains("command line"), "{e}");
    assert!(!other.is_unlocked());
    f.vault.lock();
    other.unlock(&crate::util::pass(crate::util::PASS)).unwrap();
    assert_eq!(
        f.vault.unlock(&crate::util::pass(crate::util::PASS)).unwrap_err().code(),
        confidant_core::Code::VaultBusy
    );
}

#[test]
fn a_key_file_changed_by_another_program_is_used_at_unlock_and_never_overwritten() {
    let mut f = new_vault();
    f.vault.lock();
    // Another program (the CLI while the app is locked) changes the passphrase.
    {
        let mut cli = confidant_core::Vault::open(&f.dir).unwrap();
        cli.unlock(&crate::util::pass(crate::util::PASS)).unwrap();
        cli.change_passphrase(
            &crate::util::pass(crate::util::PASS),
            &confidant_core::Passphrase::from(crate::util::PASS2),
            crate::util::kdf(),
        )
        .unwrap();
    }
    // The app's next unlock reads the new key file: the old passphrase no longer opens it.
    assert_eq!(
        f.vault.unlock(&crate::util::pass(crate::util::PASS)).unwrap_err().code(),
        confidant_core::Code::WrongPassphrase
    );
    f.vault.unlock(&crate::util::pass(crate::util::PASS2)).unwrap();
    // Changed underneath while unlocked (a restored or copied key file): a key change and a
    // backup refuse instead of overwriting it or embedding a stale copy.
    let path = f.dir.join("keys.json");
    let original = std::fs::read(&path).unwrap();
    let mut edited: serde_json::Value = serde_json::from_slice(&original).unwrap();
    edited["created_at"] = serde_json::json!("2020-01-01T00:00:00Z");
    std::fs::write(&path, serde_json::to_vec_pretty(&edited).unwrap()).unwrap();
    let e = f
        .vault
        .change_passphrase(
            &crate::util::pass(crate::util::PASS2),
            &confidant_core::Passphrase::from(crate::util::PASS),
            crate::util::kdf(),
        )
        .unwrap_err();
    assert_eq!(e.code(), confidant_core::Code::KeyFileChanged);
    assert_eq!(f.vault.prepare_backup().unwrap_err().code(), confidant_core::Code::KeyFileChanged);
    let now: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(now, edited, "the changed key file was left as it was");
}
