use std::panic::{catch_unwind, AssertUnwindSafe};

use super::*;
use crate::backup::{self, RestoreMode};
use crate::keys::successor::{keygen, SuccessorSecret, SuccessorTo};
use crate::testing::{client, unlocked_vault, PASS};
use crate::{Argon2Params, JobCtl};

const NEW: &str = "kanel fönster mörkblå femtiotre";

fn pass(p: &str) -> Credential {
    Credential::Passphrase(Passphrase::from(p))
}

fn fixed() -> KdfChoice {
    KdfChoice::Fixed(Argon2Params::MINIMUM)
}

fn names(v: &mut Vault) -> Vec<String> {
    let mut n: Vec<String> = v.list_clients(&Default::default()).unwrap().into_iter().map(|c| c.family_name).collect();
    n.sort();
    n
}

fn rekey_to(v: &mut Vault, new: &str) -> RekeyOutcome {
    let (cur, new) = (pass(PASS), Passphrase::from(new));
    let req =
        RekeyRequest { reason: RekeyReason::PassphraseKnown, current: &cur, new_passphrase: Some(&new), kdf: fixed() };
    v.rekey(&req, &mut JobCtl::quiet()).unwrap()
}

#[test]
fn the_old_key_file_and_passphrase_open_neither_the_vault_nor_a_later_backup() {
    let (d, mut v) = unlocked_vault();
    v.create_client(&client("Lindqvist", "Maja")).unwrap();
    let usb = d.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let before = v.backup_now(&usb, &mut JobCtl::quiet()).unwrap();
    let old_keys = std::fs::read(v.dir().join(KEY_FILE)).unwrap();
    let old_key = v.database_key().unwrap();

    let out = rekey_to(&mut v, NEW);
    assert!(out.log_rows_anchored >= 3);
    assert_ne!(v.database_key().unwrap().expose(), old_key.expose());
    assert_eq!(names(&mut v), ["Lindqvist"]);
    v.create_client(&client("Berg", "Ola")).unwrap();
    // Another folder: rotation must not remove the first backup.
    let usb2 = d.path().join("usb2");
    std::fs::create_dir(&usb2).unwrap();
    let after = v.backup_now(&usb2, &mut JobCtl::quiet()).unwrap();
    let rows = v.verify_access_log().unwrap().rows;
    let log = v.access_log(None, 5).unwrap();
    assert!(log.iter().any(|r| r.action == Action::Rekey));
    let dir = v.dir().to_owned();
    drop(v);

    // The attacker's material: the old key file and the old passphrase give the old key …
    let old_kf = KeyFile::parse(&old_keys).unwrap();
    let leaked = old_kf.unwrap(&pass(PASS)).unwrap();
    assert_eq!(leaked.expose(), old_key.expose());
    // … which opens neither the live vault …
    assert!(matches!(db::open(&dir.join(DB_FILE), &leaked, db::Mode::Existing), Err(Error::NotAVault(_))));
    // … nor a backup made after the re-key.
    let later = usb2.join(&after.file_name);
    assert!(backup::verify_file_with_key(&later, &leaked, &mut JobCtl::quiet()).is_err());
    assert!(matches!(backup::verify_file(&later, &pass(PASS), &mut JobCtl::quiet()), Err(Error::WrongPassphrase)));
    // The old passphrase no longer opens the vault; the new one does, and the log verifies.
    let mut v = Vault::open(&dir).unwrap();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
    v.unlock(&pass(NEW)).unwrap();
    assert!(v.verify_access_log().unwrap().rows > rows);
    assert_eq!(names(&mut v), ["Berg", "Lindqvist"]);
    drop(v);

    // What the app says plainly: a backup from before still opens with the old credentials
    // (and restores a working vault), and today's passphrase is told why it does not open it.
    let earlier = usb.join(&before.file_name);
    backup::verify_file(&earlier, &pass(PASS), &mut JobCtl::quiet()).unwrap();
    let fresh = d.path().join("fresh");
    backup::restore(&earlier, &pass(PASS), &fresh, RestoreMode::New, &mut JobCtl::quiet()).unwrap();
    let mut old = Vault::open(&fresh).unwrap();
    old.unlock(&pass(PASS)).unwrap();
    assert_eq!(names(&mut old), ["Lindqvist"]);
    drop(old);
    let over = d.path().join("over");
    std::fs::create_dir(&over).unwrap();
    std::fs::copy(dir.join(KEY_FILE), over.join(KEY_FILE)).unwrap();
    let r = backup::check::verify_with(
        &earlier,
        backup::keys::Unlocker::Credential {
            cred: &pass(NEW),
            local: Some(KeyFile::load(&dir.join(KEY_FILE)).unwrap()),
        },
        &std::env::temp_dir(),
        &mut JobCtl::quiet(),
    );
    assert!(matches!(r, Err(Error::BackupFromOlderKeys)), "{r:?}");
}

#[test]
fn keeping_the_passphrase_renews_the_recovery_key_only() {
    let (_d, mut v) = unlocked_vault();
    let cur = pass(PASS);
    let req = RekeyRequest { reason: RekeyReason::RecoveryLost, current: &cur, new_passphrase: None, kdf: fixed() };
    let out = v.rekey(&req, &mut JobCtl::quiet()).unwrap();
    let dir = v.dir().to_owned();
    drop(v);
    let mut v = Vault::open(&dir).unwrap();
    v.unlock(&pass(PASS)).unwrap();
    v.lock();
    let rk = RecoveryKey::parse(&out.recovery_key.display()).unwrap();
    v.unlock(&Credential::RecoveryKey(rk)).unwrap();
}

#[test]
fn bad_requests_change_nothing() {
    let (_d, mut v) = unlocked_vault();
    let dir = v.dir().to_owned();
    let keys = std::fs::read(dir.join(KEY_FILE)).unwrap();
    let key = v.database_key().unwrap();
    let (wrong, weak, cur) = (pass("not it at all, sorry"), Passphrase::from("1234"), pass(PASS));
    type Expect = fn(&Error) -> bool;
    let attempts: [(RekeyRequest<'_>, Expect); 3] = [
        (
            RekeyRequest { reason: RekeyReason::PassphraseKnown, current: &wrong, new_passphrase: None, kdf: fixed() },
            |e| matches!(e, Error::WrongPassphrase),
        ),
        (
            RekeyRequest {
                reason: RekeyReason::PassphraseKnown,
                current: &cur,
                new_passphrase: Some(&weak),
                kdf: fixed(),
            },
            |e| matches!(e, Error::WeakPassphrase(_)),
        ),
        (
            RekeyRequest { reason: RekeyReason::PassphraseKnown, current: &cur, new_passphrase: None, kdf: fixed() },
            |e| matches!(e, Error::Validation(f) if f.field == "new_passphrase"),
        ),
    ];
    for (req, ok) in &attempts {
        let e = v.rekey(req, &mut JobCtl::quiet()).unwrap_err();
        assert!(ok(&e), "{e:?}");
    }
    // A running backup on this session blocks it.
    let running = JobCtl::quiet();
    v.track_job(&running.handle()).unwrap();
    let new = Passphrase::from(NEW);
    let req =
        RekeyRequest { reason: RekeyReason::PassphraseKnown, current: &cur, new_passphrase: Some(&new), kdf: fixed() };
    assert!(matches!(v.rekey(&req, &mut JobCtl::quiet()), Err(Error::JobRunning)));
    drop(running);
    // Cancelled before the commit point: the old vault, untouched.
    let cancel = crate::CancelToken::new();
    cancel.cancel(crate::CancelReason::Person);
    assert!(matches!(v.rekey(&req, &mut JobCtl::new(cancel, |_| {})), Err(Error::Cancelled(_))));
    assert_eq!(std::fs::read(dir.join(KEY_FILE)).unwrap(), keys);
    assert_eq!(v.database_key().unwrap().expose(), key.expose());
    assert!(!dir.join(REKEY_DIR).exists());
    v.create_client(&client("Still", "Works")).unwrap();
}

/// A crash (no cleanup code runs) at every step of a re-key leaves a vault that opens with the
/// old passphrase (before the commit point) or the new one (after), with every row.
#[test]
fn a_crash_at_any_step_leaves_one_openable_vault_with_every_row() {
    for point in 1..=7u8 {
        let (_d, mut v) = unlocked_vault();
        v.create_client(&client("Ekholm", "Sara")).unwrap();
        let dir = v.dir().to_owned();
        crate::commit::CRASH_AT.with(|c| c.set(point));
        let crashed = catch_unwind(AssertUnwindSafe(|| rekey_to(&mut v, NEW)));
        crate::commit::CRASH_AT.with(|c| c.set(0));
        assert!(crashed.is_err(), "point {point} was not reached");
        drop(v);
        let mut v = Vault::open(&dir).unwrap();
        let committed = point >= 4;
        let (works, fails) = if committed { (NEW, PASS) } else { (PASS, NEW) };
        assert!(v.unlock(&pass(fails)).is_err(), "point {point}");
        v.unlock(&pass(works)).unwrap_or_else(|e| panic!("point {point}: {e}"));
        assert_eq!(names(&mut v), ["Ekholm"], "point {point}");
        v.verify_access_log().unwrap_or_else(|e| panic!("point {point}: {e}"));
        assert!(!dir.join(REKEY_DIR).exists(), "point {point}");
        v.create_client(&client("Efter", "Krasch")).unwrap();
    }
}

#[test]
fn an_x25519_successor_is_carried_over_and_a_passphrase_one_is_removed_and_reported() {
    let (d, mut v) = unlocked_vault();
    v.create_client(&client("Holm", "Per")).unwrap();
    let (file, recipient) = keygen();
    v.set_successor(&pass(PASS), "Advokat Eva Sund", &SuccessorTo::X25519(recipient)).unwrap();
    assert_eq!(v.successor_name().unwrap().as_deref(), Some("Advokat Eva Sund"));
    let out = rekey_to(&mut v, NEW);
    assert!(out.successor_kept && !out.successor_removed);
    let usb = d.path().join("usb");
    std::fs::create_dir(&usb).unwrap();
    let b = v.backup_now(&usb, &mut JobCtl::quiet()).unwrap();
    let dir = v.dir().to_owned();
    drop(v);
    // The custodian, with their own key alone: the live vault and a backup made after.
    let custodian = || Credential::Successor(SuccessorSecret::from_identity_file(&file).unwrap());
    let mut v = Vault::open(&dir).unwrap();
    assert_eq!(v.unlock(&custodian()).unwrap(), crate::UnlockMethod::Successor);
    assert_eq!(names(&mut v), ["Holm"]);
    drop(v);
    let theirs = d.path().join("theirs");
    backup::restore(&usb.join(&b.file_name), &custodian(), &theirs, RestoreMode::New, &mut JobCtl::quiet()).unwrap();
    let mut r = Vault::open(&theirs).unwrap();
    r.unlock(&custodian()).unwrap();
    assert_eq!(names(&mut r), ["Holm"]);
    drop(r);

    let mut v = Vault::open(&dir).unwrap();
    v.unlock(&pass(NEW)).unwrap();
    let custodian_pass = SuccessorTo::Passphrase(Passphrase::from("lantern orchard velvet quarry"));
    v.set_successor(&pass(NEW), "Kollega Jon", &custodian_pass).unwrap();
    let (cur, again) = (pass(NEW), Passphrase::from(PASS));
    let req = RekeyRequest {
        reason: RekeyReason::PassphraseKnown,
        current: &cur,
        new_passphrase: Some(&again),
        kdf: fixed(),
    };
    let out = v.rekey(&req, &mut JobCtl::quiet()).unwrap();
    assert!(!out.successor_kept && out.successor_removed);
    assert!(v.info().successor.is_none());
    v.remove_successor(&pass(PASS)).unwrap();
    let log: Vec<Action> = v.access_log(None, 50).unwrap().into_iter().map(|r| r.action).collect();
    assert_eq!(log.iter().filter(|a| **a == Action::SuccessorChange).count(), 2);
}

#[test]
fn a_new_passphrase_is_required_unless_the_sheet_is_lost_and_the_passphrase_typed() {
    let rk = Credential::RecoveryKey(RecoveryKey::generate().unwrap());
    assert!(RekeyReason::PassphraseKnown.new_passphrase_required(&pass(PASS)));
    assert!(RekeyReason::PassphraseKnown.new_passphrase_required(&rk));
    assert!(RekeyReason::RecoveryLost.new_passphrase_required(&rk));
    assert!(!RekeyReason::RecoveryLost.new_passphrase_required(&pass(PASS)));
    // The core holds to it: a recovery key cannot "keep" a passphrase it did not present.
    let (_d, mut v) = unlocked_vault();
    let rk_text = {
        let cur = pass(PASS);
        let req = RekeyRequest { reason: RekeyReason::RecoveryLost, current: &cur, new_passphrase: None, kdf: fixed() };
        v.rekey(&req, &mut JobCtl::quiet()).unwrap().recovery_key.display().to_string()
    };
    let cur = Credential::RecoveryKey(RecoveryKey::parse(&rk_text).unwrap());
    let req = RekeyRequest { reason: RekeyReason::RecoveryLost, current: &cur, new_passphrase: None, kdf: fixed() };
    let e = v.rekey(&req, &mut JobCtl::quiet()).unwrap_err();
    assert!(matches!(&e, Error::Validation(f) if f.field == "new_passphrase"), "{e:?}");
}
