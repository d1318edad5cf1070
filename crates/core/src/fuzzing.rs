//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`; nothing else turns it on).
//!
//! Each takes untrusted bytes the way the product receives them and runs the same code the
//! product runs, returning whether the input was accepted. A fuzz target fails only on a panic,
//! an abort or a broken property asserted here, never on a refusal: refusing bad input with a
//! clear error is the product working. The same functions replay the committed seeds and every
//! crash ever found (`fuzz/corpus`, `fuzz/regressions`) in the core's own tests, so a crash
//! once found stays a test on stable Rust without the fuzzer.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use crate::backup::format::{check_files, unpack, Manifest};
use crate::domain::national_id::{detect_national_id, parse_national_id, NationalIdKind};
use crate::keys::keyfile::KeyFile;
use crate::DatabaseKey;

/// The fuzz targets, by the name of their folder under `fuzz/corpus`.
pub const TARGETS: [&str; 7] =
    ["backup_archive", "key_file", "import_package", "national_id", "attachment", "ipc_args", "backup_manifest"];

/// Runs target `name` on `data` (for the replay tests and the trust report).
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "backup_archive" => {
            let tmp = scratch();
            let ok = backup_archive(data, &tmp);
            let _ = std::fs::remove_dir_all(&tmp);
            ok
        }
        "key_file" => key_file(data),
        "import_package" => import_package(data),
        "national_id" => national_id(data),
        "attachment" => attachment(data),
        "ipc_args" => ipc_args(data),
        "backup_manifest" => backup_manifest(data),
        other => panic!("no fuzz target {other}"),
    }
}

/// An empty folder of its own under the temp folder (the caller removes it).
fn scratch() -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "confidant-fuzz-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The payload of a decrypted backup (a tar stream, after 32 bytes of database key), unpacked
/// into `staging` (an empty folder) with every page of `vault.db` checked under that key, and
/// checked against its manifest, as restore and verify do after age decryption.
pub fn backup_archive(data: &[u8], staging: &Path) -> bool {
    if data.len() < 32 {
        return false;
    }
    let key = DatabaseKey::from_slice(&data[..32]).expect("32 bytes");
    let ok = unpack(&data[32..], staging, false, &key, &mut |_| {}).and_then(|u| check_files(&u)).is_ok();
    // Whatever the archive said, nothing was written outside the staging folder.
    if let Some(parent) = staging.parent() {
        assert!(parent.join(crate::paths::DB_FILE).metadata().is_err(), "an archive member escaped its folder");
    }
    ok
}

/// `manifest.json` of a backup.
pub fn backup_manifest(data: &[u8]) -> bool {
    Manifest::parse(data).is_ok()
}

/// `keys.json`, as every open reads it before any unlock.
pub fn key_file(data: &[u8]) -> bool {
    KeyFile::parse(data).is_ok()
}

/// An export package's `data.json` (with a manifest that matches it), read and checked as an
/// import reads it before anything is written.
pub fn import_package(data: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    let dir = scratch();
    let manifest = serde_json::json!({
        "format": "confidant-export-manifest",
        "version": 1,
        "files": [{ "path": "data.json", "size": data.len(), "sha256": hex::encode(Sha256::digest(data)) }],
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).expect("write the manifest");
    std::fs::write(dir.join("data.json"), data).expect("write data.json");
    let read = crate::import::read_package(&dir);
    if std::env::var_os("CONFIDANT_FUZZ_DEBUG").is_some() {
        eprintln!("import_package: {:?}", read.as_ref().err());
    }
    let ok = read.is_ok();
    let _ = std::fs::remove_dir_all(&dir);
    ok
}

/// A national ID as typed: what is accepted parses again to the same value under its kind.
pub fn national_id(data: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(data) else { return false };
    let today = NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date");
    for kind in [NationalIdKind::SePersonnummer, NationalIdKind::SeSamordningsnummer, NationalIdKind::DkCpr] {
        let _ = parse_national_id(kind, text, today);
    }
    match detect_national_id(text, today) {
        Ok(id) => {
            let again = parse_national_id(id.kind, &id.value, today).expect("a detected ID parses again as its kind");
            assert_eq!(again.value, id.value, "the stored form is stable");
            true
        }
        Err(_) => false,
    }
}

/// An attachment's first bytes and its file name (the input split at the first NUL): the type
/// is sniffed from the bytes, and an accepted name is one path component without control
/// characters, at most 255 characters.
pub fn attachment(data: &[u8]) -> bool {
    let (name, bytes) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let _ = crate::domain::attachments::sniff(&bytes[..bytes.len().min(16)]);
    match crate::domain::attachments::clean_name(&String::from_utf8_lossy(name)) {
        Ok(n) => {
            assert!(!n.is_empty() && n.chars().count() <= 255, "name length");
            assert!(!n.contains(['/', '\\']) && !n.chars().any(char::is_control), "a clean name");
            true
        }
        Err(_) => false,
    }
}

/// A command's JSON arguments from the webview, decoded into each input type the commands
/// take and, where it decodes, checked by that type's own rules.
pub fn ipc_args(data: &[u8]) -> bool {
    use crate::domain::{appointments::AppointmentInput, clients::ClientInput, entries::EntryInput};
    fn decode<T: DeserializeOwned>(data: &[u8]) -> Option<T> {
        serde_json::from_slice(data).ok()
    }
    let mut any = false;
    if let Some(c) = decode::<ClientInput>(data) {
        any |= crate::domain::clients::clean(&c).is_ok();
    }
    if let Some(e) = decode::<EntryInput>(data) {
        any |= crate::domain::entries::clean(&e).is_ok();
    }
    if let Some(a) = decode::<AppointmentInput>(data) {
        any |= a.clean().is_ok();
    }
    if let Some(i) = decode::<crate::measures::custom::InstrumentInput>(data) {
        any |= crate::measures::custom::clean(&i, crate::domain::profile::Language::Sv).is_ok();
    }
    if let Some(c) = decode::<crate::domain::consent::ConsentInput>(data) {
        any |= c.clean(today()).is_ok();
    }
    if let Some(b) = decode::<crate::breach::BreachInput>(data) {
        any |= b.clean(chrono::Utc::now()).is_ok();
    }
    if let Some(b) = decode::<crate::invoicing::Billing>(data) {
        any |= b.clean().is_ok();
    }
    any
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 3).expect("a date")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One valid input per target, made by the product's own code: what the fuzzers start from.
    fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
        use crate::backup::format::{row_counts, write_archive, FORMAT_VERSION};
        use crate::paths::{DB_FILE, KEY_FILE};
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("vault");
        let (mut v, _) = crate::demo::create(&dir, crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM)).unwrap();
        let mut out = Vec::new();
        let keys_json = std::fs::read(dir.join(KEY_FILE)).unwrap();
        out.push(("key_file", "keys.json".into(), keys_json.clone()));
        // A backup payload of the demo vault, as a backup writes it.
        let key = v.database_key().unwrap();
        let snap = tmp.path().join("snap.db");
        let src = crate::db::snapshot::open_source(&dir.join(DB_FILE), &key).unwrap();
        crate::db::snapshot::snapshot(&src, &snap, &key, &mut |_, _| Ok(())).unwrap();
        drop(src);
        let conn = crate::db::snapshot::open_check(&snap, &key).unwrap();
        let manifest = Manifest {
            format: "confidant-backup".into(),
            version: FORMAT_VERSION,
            vault_id: v.info().vault_id,
            created_at: "2026-12-03T12:00:00Z".parse().unwrap(),
            app_version: "0.1.0".into(),
            schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap(),
            tables: row_counts(&conn).unwrap(),
            files: Vec::new(),
        };
        drop(conn);
        let settings = serde_json::to_vec(&v.settings().unwrap()).unwrap();
        let db = std::fs::read(&snap).unwrap();
        let small: [(&str, &[u8]); 2] = [(KEY_FILE, &keys_json), (crate::settings::SETTINGS_FILE, &settings)];
        let mut payload = key.expose().to_vec();
        let len = db.len() as u64;
        let (tar, m) = write_archive(Vec::new(), manifest, &small, std::io::Cursor::new(db), len, &mut |_| {}).unwrap();
        payload.extend(tar);
        out.push(("backup_archive", "demo-vault".into(), payload));
        out.push(("backup_manifest", "manifest.json".into(), serde_json::to_vec_pretty(&m).unwrap()));
        // The export package of each demo client that has no attachments (the target's package
        // holds `data.json` alone).
        let profile = v.profile().unwrap();
        let vault_id = v.info().vault_id;
        let s = v.session().unwrap();
        let ids: Vec<i64> = s
            .reader()
            .prepare("SELECT id FROM client")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for id in ids {
            let (data, _) = crate::export::package::collect(s.reader(), &vault_id, &profile, id, "Pass", &[]).unwrap();
            let json = serde_json::to_vec_pretty(&data).unwrap();
            if import_package(&json) {
                out.push(("import_package", format!("client-{id}.json"), json));
            }
        }
        for (i, id) in ["19121212-1212", "121212-1212", "20121212+1212", "191212721212", "010203-1234", "0102031234"]
            .iter()
            .enumerate()
        {
            out.push(("national_id", format!("id-{i}"), id.as_bytes().to_vec()));
        }
        for (name, head) in [
            ("scan.png", &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]),
            ("brev.pdf", b"%PDF-1.7\n"),
            ("../../x.jpg", b"\xFF\xD8\xFF\xE0"),
        ] {
            let mut d = name.as_bytes().to_vec();
            d.push(0);
            d.extend_from_slice(head);
            out.push(("attachment", name.trim_start_matches("../").into(), d));
        }
        let client = crate::domain::clients::ClientInput {
            given_name: "Maja".into(),
            family_name: "Ek".into(),
            address: "Kungsgatan 12".into(),
            ..Default::default()
        };
        out.push(("ipc_args", "client".into(), serde_json::to_vec(&client).unwrap()));
        let entry = crate::domain::entries::EntryInput {
            title: "Samtal".into(),
            body: "**Plan**".into(),
            ..Default::default()
        };
        out.push(("ipc_args", "entry".into(), serde_json::to_vec(&entry).unwrap()));
        out.push(("ipc_args", "billing".into(), serde_json::to_vec(&v.billing().unwrap()).unwrap()));
        out
    }

    /// `CONFIDANT_WRITE_SEEDS=1` writes the seeds into `fuzz/corpus` (done once, committed);
    /// every run checks that the seeds made now are accepted by their targets.
    #[test]
    fn the_seeds_are_inputs_the_product_accepts() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
        for (target, name, data) in seeds() {
            assert!(run(target, &data), "{target}/{name} is refused by its target");
            if std::env::var_os("CONFIDANT_WRITE_SEEDS").is_some() {
                std::fs::create_dir_all(root.join(target)).unwrap();
                std::fs::write(root.join(target).join(format!("seed-{name}")), &data).unwrap();
            }
        }
    }

    /// Every committed seed and every crash the fuzzers ever found, through its target.
    #[test]
    fn the_seeds_and_every_crash_found_replay_cleanly() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
        let mut replayed = 0;
        for target in TARGETS {
            let mut accepted = 0usize;
            for folder in ["corpus", "regressions"] {
                let Ok(files) = std::fs::read_dir(root.join(folder).join(target)) else { continue };
                for f in files.flatten() {
                    let data = std::fs::read(f.path()).unwrap();
                    accepted += usize::from(run(target, &data));
                    replayed += 1;
                }
            }
            assert!(accepted > 0, "{target} has a committed seed its target accepts");
        }
        assert!(replayed >= TARGETS.len());
    }
}
