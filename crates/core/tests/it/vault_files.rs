//! A vault folder in every broken or foreign state is refused with a typed error and left
//! exactly as it was; a locked vault refuses every data operation.

use std::io::Cursor;

use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::{ClientFilter, ClientStatus};
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::{Language, PracticeProfile};
use confidant_core::search::SearchQuery;
use confidant_core::{Error, Keyring, Passphrase, Result, Vault};

use crate::util::{kdf, new_vault, pass, person, snapshot, PASS};

#[test]
fn missing_key_file_is_reported_and_nothing_is_created() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    std::fs::remove_file(f.dir.join("keys.json")).unwrap();
    let before = snapshot(&f.dir);
    assert!(matches!(Vault::open(&f.dir), Err(Error::KeyFileMissing)));
    assert_eq!(snapshot(&f.dir), before);
    assert!(!f.dir.join("keys.json").exists());
}

#[test]
fn garbage_key_file_is_corrupt() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    let keys = f.dir.join("keys.json");
    let good: serde_json::Value = serde_json::from_slice(&std::fs::read(&keys).unwrap()).unwrap();
    let edit = |change: &dyn Fn(&mut serde_json::Value)| {
        let mut j = good.clone();
        change(&mut j);
        serde_json::to_vec_pretty(&j).unwrap()
    };
    let slot = |kind: &str| good["slots"].as_array().unwrap().iter().position(|s| s["kind"] == kind).unwrap();
    let p = slot("passphrase");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("binary", b"\x00\xff\x13garbage\x9c".to_vec(), "it is not valid key file JSON"),
        ("other JSON", b"{\"format\": \"something else\"}".to_vec(), "it is not valid key file JSON"),
        ("empty", Vec::new(), "it is not valid key file JSON"),
        ("truncated", serde_json::to_vec(&good).unwrap()[..40].to_vec(), "it is not valid key file JSON"),
        ("another format", edit(&|j| j["format"] = "other-keys".into()), "it is not a Confidant key file"),
        ("version 0", edit(&|j| j["version"] = 0.into()), "unknown key file version"),
        (
            "no passphrase slot",
            edit(&|j| {
                j["slots"].as_array_mut().unwrap().remove(p);
            }),
            "it has no passphrase slot",
        ),
        (
            "two passphrase slots",
            edit(&|j| {
                let s = j["slots"][p].clone();
                j["slots"].as_array_mut().unwrap().push(s);
            }),
            "it has duplicate slots",
        ),
        ("too large", vec![b' '; 1024 * 1024 + 1], "it is not a key file"),
    ];
    for (what, bytes, message) in cases {
        std::fs::write(&keys, &bytes).unwrap();
        let before = snapshot(&f.dir);
        match Vault::open(&f.dir) {
            Err(Error::KeyFileCorrupt(m)) => assert_eq!(m, message, "{what}"),
            other => panic!("{what}: expected KeyFileCorrupt({message:?}), got {other:?}"),
        }
        assert_eq!(snapshot(&f.dir), before, "{what}");
    }
    // A newer format is not "corrupt": it is newer.
    std::fs::write(&keys, edit(&|j| j["version"] = 2.into())).unwrap();
    assert!(matches!(Vault::open(&f.dir), Err(Error::NewerVersion { found: 2, known: 1 })));
    // A folder where the key file should be.
    std::fs::remove_file(&keys).unwrap();
    std::fs::create_dir(&keys).unwrap();
    assert!(matches!(Vault::open(&f.dir), Err(Error::KeyFileCorrupt("it is not a key file"))));
}

#[test]
fn missing_database_is_reported() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    std::fs::remove_file(f.dir.join("vault.db")).unwrap();
    let before = snapshot(&f.dir);
    assert!(matches!(Vault::open(&f.dir), Err(Error::DatabaseMissing)));
    assert_eq!(snapshot(&f.dir), before);
    assert!(!f.dir.join("vault.db").exists());
}

#[test]
fn database_removed_after_open_is_missing_on_unlock_and_not_recreated() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    let mut v = Vault::open(&f.dir).unwrap();
    std::fs::remove_file(f.dir.join("vault.db")).unwrap();
    let before = snapshot(&f.dir);
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::DatabaseMissing)));
    assert!(!v.is_unlocked());
    drop(v);
    assert_eq!(snapshot(&f.dir), before, "SQLite must not create an empty database");
}

#[cfg(unix)]
#[test]
fn vault_files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let mut f = new_vault();
    f.vault.create_client(&person("Rut", "Falk")).unwrap();
    let mode = |name: &str| std::fs::metadata(f.dir.join(name)).unwrap().permissions().mode();
    assert_eq!(std::fs::metadata(&f.dir).unwrap().permissions().mode() & 0o077, 0, "folder");
    for name in ["vault.db", "keys.json"] {
        assert_eq!(mode(name) & 0o077, 0, "{name} is readable by others: {:o}", mode(name));
    }
}

#[test]
fn empty_or_absent_folder_is_not_a_vault() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(matches!(Vault::open(tmp.path()), Err(Error::VaultNotFound)));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "open must create nothing");
    let absent = tmp.path().join("nowhere");
    assert!(matches!(Vault::open(&absent), Err(Error::VaultNotFound)));
    assert!(!absent.exists());
}

#[test]
fn plaintext_sqlite_database_is_not_a_vault() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    let db = f.dir.join("vault.db");
    std::fs::remove_file(&db).unwrap();
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("CREATE TABLE client (name TEXT); INSERT INTO client VALUES ('Anna');").unwrap();
    }
    assert!(confidant_core::db::is_plaintext_sqlite(&db));
    let before = snapshot(&f.dir);

    let mut v = Vault::open(&f.dir).unwrap();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::NotAVault(_))));
    assert!(!v.is_unlocked());
    drop(v);
    assert_eq!(snapshot(&f.dir), before);
}

#[test]
fn key_file_of_one_vault_with_database_of_another_is_refused() {
    let mut a = new_vault();
    let mut b = new_vault();
    b.vault.create_client(&person("Bodil", "Ström")).unwrap();
    a.vault.lock();
    b.vault.lock();
    drop(a.vault);
    drop(b.vault);
    std::fs::copy(b.dir.join("vault.db"), a.dir.join("vault.db")).unwrap();
    let before = snapshot(&a.dir);

    let mut v = Vault::open(&a.dir).unwrap();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::NotAVault(_))));
    assert!(matches!(v.unlock(&crate::util::recovery(&a.rk)), Err(Error::NotAVault(_))));
    assert!(!v.is_unlocked());
    drop(v);
    assert_eq!(snapshot(&a.dir), before, "files must be unchanged");
}

#[test]
fn truncated_database_is_not_a_vault() {
    let mut f = new_vault();
    f.vault.lock();
    drop(f.vault);
    std::fs::write(f.dir.join("vault.db"), b"short").unwrap();
    let before = snapshot(&f.dir);
    let mut v = Vault::open(&f.dir).unwrap();
    assert!(matches!(v.unlock(&pass(PASS)), Err(Error::NotAVault(_))));
    drop(v);
    assert_eq!(snapshot(&f.dir), before);
}

#[test]
fn creating_over_an_existing_vault_is_refused() {
    let mut f = new_vault();
    f.vault.create_client(&person("Elsa", "Nord")).unwrap();
    f.vault.lock();
    let before = snapshot(&f.dir);
    assert!(matches!(Vault::create(&f.dir, &Passphrase::from(PASS), kdf()), Err(Error::VaultExists)));
    assert_eq!(snapshot(&f.dir), before);

    // Either file alone is enough to refuse.
    std::fs::remove_file(f.dir.join("vault.db")).unwrap();
    let keys_only = snapshot(&f.dir);
    assert!(matches!(Vault::create(&f.dir, &Passphrase::from(PASS), kdf()), Err(Error::VaultExists)));
    assert_eq!(snapshot(&f.dir), keys_only);
}

fn locked<T: std::fmt::Debug>(what: &str, r: Result<T>) {
    assert!(matches!(r, Err(Error::Locked)), "{what}: expected Locked, got {r:?}");
}

#[test]
fn locked_vault_refuses_every_data_operation() {
    let mut f = new_vault();
    let (c, course) = crate::util::client_with_course(&mut f.vault, "Olle", "Sand");
    let e = crate::util::draft(&mut f.vault, &course, "Första samtalet", "Text");
    let pdf = b"%PDF-1.4\nx".to_vec();
    let a = f.vault.attach_bytes(AttachTo::Client(c.id), "a.pdf", pdf.len() as u64, Cursor::new(pdf.clone())).unwrap();
    f.vault.lock();
    let before = snapshot(&f.dir);

    let v = &mut f.vault;
    locked("list_clients", v.list_clients(&ClientFilter::default()));
    locked("create_client", v.create_client(&person("Ny", "Klient")));
    locked("get_client", v.get_client(c.id));
    locked("update_client", v.update_client(c.id, &person("Olle", "Sand")));
    locked("set_client_status", v.set_client_status(c.id, ClientStatus::Archived));
    let ci = CourseInput { title: "Ny".into(), reason: String::new(), start_date: "2026-02-01".parse().unwrap() };
    locked("create_course", v.create_course(c.id, &ci));
    locked("list_courses", v.list_courses(c.id));
    locked("close_course", v.close_course(course.id, "2026-03-01".parse().unwrap()));
    locked("create_entry", v.create_entry(course.id, &EntryInput::default()));
    locked("update_draft", v.update_draft(e.id, &EntryInput::default()));
    locked("sign_entry", v.sign_entry(e.id));
    locked("amend_entry", v.amend_entry(e.id, "skäl", "t", "b", &[]));
    locked("get_entry", v.get_entry(e.id));
    locked("list_entries", v.list_entries(c.id));
    locked("attach_bytes", v.attach_bytes(AttachTo::Entry(e.id), "b.pdf", pdf.len() as u64, Cursor::new(pdf.clone())));
    locked("list_attachments", v.list_attachments(AttachTo::Client(c.id)));
    locked("read_attachment", v.read_attachment(a.id, Vec::new()));
    locked("search", v.search(&SearchQuery { text: "olle".into(), client_id: None, limit: 10, oldest_first: false }));
    locked("access_log", v.access_log(None, 100));
    locked("verify_access_log", v.verify_access_log());
    locked("profile", v.profile());
    locked("set_profile", v.set_profile(&PracticeProfile::default()));
    locked("templates", v.templates(Language::Sv));
    locked("template", v.template("builtin:soap", Language::Sv));
    locked("create_template", v.create_template("Mall", "## Rubrik"));
    locked("database_key", v.database_key());
    let keyring = Keyring::with_store(keyring_core::mock::Store::new().unwrap(), "confidant-test");
    locked("set_remembered(true)", v.set_remembered(true, &keyring));
    locked("set_remembered(false)", v.set_remembered(false, &keyring));
    assert!(!v.is_unlocked());
    assert_eq!(snapshot(&f.dir), before, "refused operations must not write");
}
