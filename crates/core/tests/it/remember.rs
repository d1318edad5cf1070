//! "Remember on this computer", against keyring-core's in-memory mock store.

use std::sync::Arc;

use confidant_core::keys::keyfile::{KeyFile, KeyringRef, SlotKind};
use confidant_core::{Error, Keyring, UnlockMethod};
use keyring_core::api::CredentialStoreApi;
use keyring_core::mock;

use crate::util::{base64, contains_bytes, new_vault, pass, person, snapshot, unhex, Fixture, PASS};

const NAMESPACE: &str = "confidant-test";

fn mock_keyring() -> (Arc<mock::Store>, Keyring) {
    let store = mock::Store::new().unwrap();
    let keyring = Keyring::with_store(store.clone(), NAMESPACE);
    (store, keyring)
}

fn device_ref(f: &Fixture) -> Option<KeyringRef> {
    let kf = KeyFile::load(&f.dir.join("keys.json")).unwrap();
    kf.slot(SlotKind::Device).map(|s| s.keyring.clone().expect("a device slot names its keyring entry"))
}

fn entry(store: &mock::Store, r: &KeyringRef) -> keyring_core::Entry {
    store.build(&r.service, &r.user, None).unwrap()
}

#[test]
fn remembered_vault_unlocks_from_the_keyring() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.create_client(&person("Greta", "Vik")).unwrap();
    assert!(!f.vault.info().remembered);
    f.vault.set_remembered(true, &keyring).unwrap();
    assert!(f.vault.info().remembered);

    let r = device_ref(&f).expect("a device slot after turning remember on");
    assert!(r.service.contains(NAMESPACE), "entries are namespaced: {}", r.service);
    assert!(r.user.contains(&f.vault.info().vault_id.to_string()));
    let secret = entry(&store, &r).get_secret().expect("the keyring holds a device key");
    assert_eq!(secret.len(), 32);

    f.vault.lock();
    assert_eq!(f.vault.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);
    assert!(f.vault.is_unlocked());
    assert_eq!(f.vault.list_clients(&Default::default()).unwrap().len(), 1);

    // A fresh instance from the folder knows it is remembered.
    drop(f.vault);
    let mut v = confidant_core::Vault::open(&f.dir).unwrap();
    assert!(v.info().remembered);
    assert_eq!(v.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);

    // The device key is not the database key.
    let db_key = unhex(&v.database_key().unwrap().to_hex());
    assert_ne!(secret, db_key);
}

#[test]
fn deleted_keyring_entry_is_reported_and_the_passphrase_still_works() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.lock();
    let r = device_ref(&f).unwrap();
    entry(&store, &r).delete_credential().unwrap();
    let before = snapshot(&f.dir);

    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::RememberedKeyMissing)));
    assert!(!f.vault.is_unlocked());
    assert_eq!(snapshot(&f.dir), before, "a failed remembered unlock must not write");
    assert!(f.vault.info().remembered, "the slot stays until the person turns it off");

    assert_eq!(f.vault.unlock(&pass(PASS)).unwrap(), UnlockMethod::Passphrase);
    assert!(f.vault.is_unlocked());
}

#[test]
fn replaced_keyring_secret_is_as_good_as_missing() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.lock();
    let r = device_ref(&f).unwrap();
    entry(&store, &r).set_secret(&[7u8; 32]).unwrap();
    let before = snapshot(&f.dir);
    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::RememberedKeyMissing)));
    assert_eq!(snapshot(&f.dir), before);
    f.vault.unlock(&pass(PASS)).unwrap();
}

#[test]
fn keyring_failure_is_keyring_unavailable() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.lock();
    let r = device_ref(&f).unwrap();
    let e = entry(&store, &r);
    let cred: &mock::Cred = e.as_any().downcast_ref().expect("a mock credential");
    cred.set_error(keyring_core::Error::NoStorageAccess("locked keychain".into()));
    let before = snapshot(&f.dir);

    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::KeyringUnavailable)));
    assert!(!f.vault.is_unlocked());
    assert_eq!(snapshot(&f.dir), before);

    // The mock clears its error after one call: the keyring is back.
    assert_eq!(f.vault.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);
}

#[test]
fn keyring_failure_when_turning_on_leaves_it_off() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    let id = f.vault.info().vault_id;
    let r = KeyringRef { service: format!("app.confidant.{NAMESPACE}"), user: format!("vault-{id}") };
    let e = entry(&store, &r);
    let cred: &mock::Cred = e.as_any().downcast_ref().unwrap();
    cred.set_error(keyring_core::Error::NoStorageAccess("no secret service".into()));
    let keys_before = std::fs::read(f.dir.join("keys.json")).unwrap();

    assert!(matches!(f.vault.set_remembered(true, &keyring), Err(Error::KeyringUnavailable)));
    assert!(!f.vault.info().remembered);
    assert!(device_ref(&f).is_none());
    assert_eq!(std::fs::read(f.dir.join("keys.json")).unwrap(), keys_before);
    f.vault.lock();
    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::NotRemembered)));
}

#[test]
fn turning_remember_off_removes_the_slot_and_the_secret() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.lock();
    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::NotRemembered)));
    f.vault.unlock(&pass(PASS)).unwrap();

    f.vault.set_remembered(true, &keyring).unwrap();
    let r = device_ref(&f).unwrap();
    f.vault.set_remembered(false, &keyring).unwrap();
    assert!(!f.vault.info().remembered);
    assert!(device_ref(&f).is_none(), "the key file must have no device slot");
    let kf = KeyFile::load(&f.dir.join("keys.json")).unwrap();
    assert!(kf.slots.iter().all(|s| s.kind != SlotKind::Device && s.keyring.is_none()));
    assert!(
        matches!(entry(&store, &r).get_secret(), Err(keyring_core::Error::NoEntry)),
        "the keyring secret must be deleted"
    );

    f.vault.lock();
    let before = snapshot(&f.dir);
    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::NotRemembered)));
    assert_eq!(snapshot(&f.dir), before);
    f.vault.unlock(&pass(PASS)).unwrap();
}

#[test]
fn remembered_unlock_survives_key_changes_and_re_enabling() {
    let (_store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault
        .change_passphrase(&pass(PASS), &confidant_core::Passphrase::from(crate::util::PASS2), crate::util::kdf())
        .unwrap();
    f.vault.regenerate_recovery_key(&pass(crate::util::PASS2)).unwrap();
    f.vault.lock();
    assert_eq!(f.vault.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);
    // Turning it on again replaces the device key; the new one works.
    let old = device_ref(&f).unwrap();
    f.vault.set_remembered(true, &keyring).unwrap();
    assert_eq!(device_ref(&f).unwrap(), old, "same keyring entry, new secret");
    f.vault.lock();
    assert_eq!(f.vault.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);
    f.vault.verify_access_log().unwrap();
}

#[test]
fn no_file_ever_holds_the_raw_database_key() {
    let (_store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.create_client(&person("Hedvig", "Lönn")).unwrap();
    let hex = f.vault.database_key().unwrap().to_hex().to_string();
    assert_eq!(hex.len(), 64);
    let raw = unhex(&hex);
    let forms = [hex.to_uppercase(), hex.to_lowercase(), base64(&raw)];

    let check = |when: &str| {
        let files = snapshot(&f.dir);
        assert!(files.contains_key("keys.json"));
        for (name, bytes) in &files {
            for form in &forms {
                assert!(!contains_bytes(bytes, form.as_bytes()), "{when}: {name} contains the key as {form}");
            }
            assert!(!contains_bytes(bytes, &raw), "{when}: {name} contains the raw key bytes");
        }
    };
    check("while unlocked");
    f.vault
        .change_passphrase(&pass(PASS), &confidant_core::Passphrase::from(crate::util::PASS2), crate::util::kdf())
        .unwrap();
    f.vault.regenerate_recovery_key(&pass(crate::util::PASS2)).unwrap();
    check("after key changes");
    f.vault.lock();
    check("after lock");
}

#[test]
fn the_keyring_entry_must_be_the_one_derived_from_the_vault_id() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.lock();
    let r = device_ref(&f).unwrap();
    let secret = entry(&store, &r).get_secret().unwrap();
    let path = f.dir.join("keys.json");
    let original = std::fs::read(&path).unwrap();
    let edit = |field: &str, value: &str| {
        let mut kf: serde_json::Value = serde_json::from_slice(&original).unwrap();
        for slot in kf["slots"].as_array_mut().unwrap() {
            if slot["keyring"].is_object() {
                slot["keyring"][field] = serde_json::json!(value);
            }
        }
        std::fs::write(&path, serde_json::to_vec_pretty(&kf).unwrap()).unwrap();
    };
    // The key file edited to name another entry (which even holds the right secret): refused.
    edit("user", "vault-someone-else");
    entry(&store, &KeyringRef { service: r.service.clone(), user: "vault-someone-else".into() })
        .set_secret(&secret)
        .unwrap();
    let e = f.vault.unlock_remembered(&keyring).unwrap_err();
    assert!(matches!(e, Error::KeyFileCorrupt(_)), "{e:?}");
    // Another build's namespace: this build did not remember the vault.
    std::fs::write(&path, &original).unwrap();
    edit("service", "app.confidant.some-other-build");
    assert!(matches!(f.vault.unlock_remembered(&keyring), Err(Error::NotRemembered)));
    assert!(!f.vault.is_unlocked());
    // The untouched key file still unlocks.
    std::fs::write(&path, &original).unwrap();
    assert_eq!(f.vault.unlock_remembered(&keyring).unwrap(), UnlockMethod::Remembered);
}

/// For a remembered vault the keyring keeps a copy of the log's head, so even the whole vault
/// folder put back to an older copy (the record beside the database with it) is reported.
#[test]
fn a_rollback_of_the_whole_folder_is_reported_from_the_keyring_copy() {
    let (store, keyring) = mock_keyring();
    let mut f = new_vault();
    f.vault.set_remembered(true, &keyring).unwrap();
    f.vault.create_client(&person("Äldre", "Mapp")).unwrap();
    f.vault.lock();
    let older = snapshot(&f.dir);

    f.vault.unlock_remembered(&keyring).unwrap();
    assert_eq!(f.vault.info().log_rollback, None);
    f.vault.create_client(&person("Nyare", "Rad")).unwrap();
    f.vault.lock();
    let r = confidant_core::keys::keyfile::KeyringRef {
        service: device_ref(&f).unwrap().service,
        user: format!("vault-{}-log-head", f.vault.info().vault_id),
    };
    assert!(entry(&store, &r).get_secret().is_ok(), "the keyring holds the head");

    // The whole folder, the record beside the database included, back to the older copy.
    for (name, bytes) in &older {
        std::fs::write(f.dir.join(name), bytes).unwrap();
    }
    drop(f.vault);
    let mut v = confidant_core::Vault::open(&f.dir).unwrap();
    v.unlock_remembered(&keyring).unwrap();
    let rb = v.info().log_rollback.expect("the keyring copy tells");
    assert!(rb.found_seq < rb.seen_seq, "{rb:?}");

    // Turning "remember" off removes the copy with the device key.
    v.set_remembered(false, &keyring).unwrap();
    assert!(entry(&store, &r).get_secret().is_err());
}
