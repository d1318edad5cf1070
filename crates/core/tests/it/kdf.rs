//! The passphrase key derivation: what new slots cost, what a key file may ask for, older
//! 64 MiB slots, and the names rule of the strength check on key changes.

use std::time::{Duration, Instant};

use confidant_core::domain::profile::PracticeProfile;
use confidant_core::keys::keyfile::{Kdf, KeyFile, SlotKind};
use confidant_core::keys::strength::NAMES_HINT;
use confidant_core::paths::KEY_FILE;
use confidant_core::{Argon2Params, Error, KdfChoice, Passphrase, Vault, Workspace};

use crate::util::{new_vault, pass, person, snapshot, PASS, PASS2};

fn passphrase_params(dir: &std::path::Path) -> Argon2Params {
    let keys = KeyFile::load(&dir.join(KEY_FILE)).unwrap();
    match &keys.slot(SlotKind::Passphrase).unwrap().kdf {
        Kdf::Argon2id { params, .. } => *params,
        other => panic!("not Argon2id: {other:?}"),
    }
}

/// Rewrites the passphrase slot's stored cost in keys.json, as a damaged or hostile file would.
fn set_stored_params(dir: &std::path::Path, m: u64, t: u64, p: u64) {
    let path = dir.join(KEY_FILE);
    let mut json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for slot in json["slots"].as_array_mut().unwrap() {
        if slot["kind"] == "passphrase" {
            slot["kdf"]["m_cost_kib"] = m.into();
            slot["kdf"]["t_cost"] = t.into();
            slot["kdf"]["p_cost"] = p.into();
        }
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&json).unwrap()).unwrap();
}

#[test]
fn an_older_64_mib_vault_opens_and_the_next_passphrase_change_writes_256_mib() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    // What every earlier version wrote: 64 MiB, passes calibrated.
    let old = Argon2Params { m_cost_kib: 64 * 1024, t_cost: 2, p_cost: 1 };
    let (mut v, _rk) = Vault::create(&dir, &Passphrase::from(PASS), KdfChoice::Fixed(old)).unwrap();
    v.create_client(&person("Karin", "Lindqvist")).unwrap();
    drop(v);
    assert_eq!(passphrase_params(&dir), old);

    let mut v = Vault::open(&dir).unwrap();
    v.unlock(&pass(PASS)).expect("a 64 MiB slot still opens");
    // The product path (calibrated), as the app and the CLI call it.
    v.change_passphrase(&pass(PASS), &Passphrase::from(PASS2), KdfChoice::Calibrate).unwrap();
    let new = passphrase_params(&dir);
    assert_eq!(new.m_cost_kib, 256 * 1024, "{new:?}");
    assert_eq!(new.p_cost, 1);
    assert!((1..=8).contains(&new.t_cost), "{new:?}");
    v.lock();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
    v.unlock(&pass(PASS2)).unwrap();
    assert_eq!(v.list_clients(&Default::default()).unwrap().len(), 1);
}

#[test]
fn fixed_costs_outside_what_the_app_writes_are_refused_and_create_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    for bad in [
        Argon2Params { m_cost_kib: 1024, t_cost: 1, p_cost: 1 },
        Argon2Params { m_cost_kib: 512 * 1024, t_cost: 1, p_cost: 1 },
        Argon2Params { t_cost: 9, ..Argon2Params::PRODUCT_FLOOR },
        Argon2Params { p_cost: 4, ..Argon2Params::PRODUCT_FLOOR },
    ] {
        let dir = tmp.path().join("vault");
        let err = Vault::create(&dir, &Passphrase::from(PASS), KdfChoice::Fixed(bad)).unwrap_err();
        assert!(matches!(err, Error::Internal(_)), "{bad:?}: {err:?}");
        assert!(!dir.join(KEY_FILE).exists(), "{bad:?} created a key file");
    }
}

#[test]
fn a_key_file_asking_for_more_than_twice_what_the_app_writes_is_refused_at_once() {
    let mut f = new_vault();
    f.vault.lock();
    for (m, t, p) in [
        (512 * 1024 + 1, 1, 1),
        (256 * 1024, 17, 1),
        (256 * 1024, 1, 3),
        (u64::from(u32::MAX), u64::from(u32::MAX), 1),
        (4 * 1024 * 1024 * 1024, 1, 1),
    ] {
        set_stored_params(&f.dir, m, t, p);
        let before = snapshot(&f.dir);
        let start = Instant::now();
        let at_open = Vault::open(&f.dir).unwrap_err();
        // The vault already open re-reads the file at unlock and refuses it the same way.
        let at_unlock = f.vault.unlock(&pass(PASS)).unwrap_err();
        // Refused before Argon2 allocates: no 512 MiB+ derivation ran.
        assert!(start.elapsed() < Duration::from_millis(200), "({m}, {t}, {p}) took {:?}", start.elapsed());
        // A number too large for the field at all is not valid key file JSON; either way the
        // same clear "damaged key file" error.
        let reason = if m > u64::from(u32::MAX) {
            "it is not valid key file JSON"
        } else {
            "key derivation parameters out of range"
        };
        for err in [at_open, at_unlock] {
            assert!(matches!(err, Error::KeyFileCorrupt(_)), "({m}, {t}, {p}): {err:?}");
            assert_eq!(err.to_string(), format!("the vault's key file is damaged: {reason}"));
        }
        assert!(!f.vault.is_unlocked());
        assert_eq!(before, snapshot(&f.dir), "nothing may be written");
    }
}

#[test]
fn the_profile_names_count_against_a_new_passphrase_when_unlocked() {
    let mut f = new_vault();
    let profile = PracticeProfile {
        therapist_name: "Anna Lind".into(),
        practice_name: "Lind Terapi & Samtal".into(),
        ..Default::default()
    };
    f.vault.set_profile(&profile).unwrap();
    let names_only = "Anna Lind Terapi Samtal";
    // Without the names (no vault yet, the first-run form) it passes zxcvbn.
    assert!(Vault::check_passphrase(names_only).acceptable);

    let verdict = f.vault.rate_passphrase("anna-LIND samtal_Lind");
    assert!(!verdict.acceptable);
    assert_eq!(verdict.warning.map(|w| w.code).as_deref(), Some(NAMES_HINT));

    let before = snapshot(&f.dir);
    let err = f
        .vault
        .change_passphrase(&pass(PASS), &Passphrase::from(names_only), KdfChoice::Fixed(Argon2Params::MINIMUM))
        .unwrap_err();
    match err {
        Error::WeakPassphrase(s) => assert_eq!(s.warning.map(|w| w.code).as_deref(), Some(NAMES_HINT)),
        other => panic!("expected weak_passphrase, got {other:?}"),
    }
    assert_eq!(before[KEY_FILE], snapshot(&f.dir)[KEY_FILE], "the key file is unchanged");
    // With words of its own around the names it is fine.
    assert!(f.vault.rate_passphrase("Anna lingon tavla regnbåge sextiosju").acceptable);
}

#[test]
fn the_live_meter_uses_the_names_only_while_unlocked() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::new(tmp.path().join("vault"), KdfChoice::Fixed(Argon2Params::MINIMUM));
    let names_only = "Anna Lind Terapi Samtal";
    // First run: no vault, no names known.
    assert!(ws.check_passphrase(names_only).acceptable);
    ws.create(&Passphrase::from(PASS)).unwrap();
    ws.vault()
        .unwrap()
        .set_profile(&PracticeProfile {
            therapist_name: "Anna Lind".into(),
            practice_name: "Terapi Samtal".into(),
            ..Default::default()
        })
        .unwrap();
    let s = ws.check_passphrase(names_only);
    assert!(!s.acceptable);
    assert_eq!(s.warning.map(|w| w.code).as_deref(), Some(NAMES_HINT));
    // Locked, the profile cannot be read: the meter rates without names.
    ws.lock();
    assert!(ws.check_passphrase(names_only).acceptable);
}
