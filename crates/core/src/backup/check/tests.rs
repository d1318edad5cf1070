//! Tests of the parent module.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::*;
use crate::testing::{client, unlocked_vault, PASS};
use crate::{Passphrase, Vault};

fn cred() -> Credential {
    Credential::Passphrase(Passphrase::from(PASS))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v = Vault::open(dir).unwrap_or_else(|e| panic!("the vault folder does not open: {e}"));
    v.unlock(&cred()).unwrap();
    let mut n: Vec<String> = v.list_clients(&Default::default()).unwrap().into_iter().map(|c| c.family_name).collect();
    n.sort();
    n
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

/// A vault (client "Ny"), a backup of it, then client "Gammal" added: the backup restores
/// `["Ny"]` over a vault holding `["Gammal", "Ny"]`.
fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, mut v) = unlocked_vault();
    v.create_client(&client("Ny", "A")).unwrap();
    let target = tmp.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    let name = v.backup_now(&target, &mut crate::JobCtl::quiet()).unwrap().file_name;
    v.create_client(&client("Gammal", "B")).unwrap();
    let dir = v.dir().to_owned();
    drop(v);
    (tmp, dir, target.join(name))
}

/// Runs `restore` with a simulated kill at `point`.
fn killed_restore(file: &Path, dir: &Path, mode: RestoreMode, point: &'static str) {
    crash::AT.with(|c| c.set(Some(point)));
    let r = catch_unwind(AssertUnwindSafe(|| restore(file, &cred(), dir, mode, &mut crate::JobCtl::quiet())));
    crash::AT.with(|c| c.set(None));
    assert!(r.is_err(), "the restore must have stopped at {point}");
}

#[test]
fn a_kill_at_any_step_leaves_the_old_or_the_new_vault_after_recovery() {
    let old = vec!["Gammal".to_owned(), "Ny".to_owned()];
    let new = vec!["Ny".to_owned()];
    for (point, expect) in [("staged", &old), ("ready", &old), ("old_moved", &new), ("moved", &new)] {
        let (tmp, dir, file) = setup();
        killed_restore(&file, &dir, RestoreMode::ReplaceKeepingOld, point);
        let ready = tmp.path().join(".v.restore-ready");
        if point == "old_moved" {
            // The window the recovery exists for: no vault folder at all, the verified
            // restored vault waiting next to it.
            assert!(!dir.exists(), "{point}");
            assert!(ready.join(DB_FILE).exists() && ready.join(KEY_FILE).exists(), "{point}");
        }
        recover_interrupted_restore(&dir).unwrap();
        assert_eq!(&names(&dir), expect, "after a kill at {point}");
        assert!(!ready.exists(), "{point}: no ready folder left");
        assert!(!dir.join(LOCK).exists(), "{point}: no lock file left in the vault");
        // Idempotent, and the next restore goes through.
        recover_interrupted_restore(&dir).unwrap();
        restore(&file, &cred(), &dir, RestoreMode::ReplaceKeepingOld, &mut crate::JobCtl::quiet()).unwrap();
        assert_eq!(names(&dir), new, "{point}: restore after recovery");
        let left: Vec<String> = listing(tmp.path())
            .into_iter()
            .filter(|n| n != "v" && n != "usb" && !n.starts_with("v.before-restore-"))
            .collect();
        assert!(left.is_empty(), "{point}: {left:?}");
    }
}

#[test]
fn restore_itself_finishes_an_interrupted_restore_first() {
    let (tmp, dir, file) = setup();
    killed_restore(&file, &dir, RestoreMode::ReplaceKeepingOld, "old_moved");
    assert!(!dir.exists());
    let r = restore(&file, &cred(), &dir, RestoreMode::ReplaceKeepingOld, &mut crate::JobCtl::quiet()).unwrap();
    assert_eq!(names(&dir), ["Ny"]);
    // The old vault of the interrupted run and the one this run replaced are both kept.
    let kept: Vec<String> = listing(tmp.path()).into_iter().filter(|n| n.starts_with("v.before-restore-")).collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(r.kept_old_vault.is_some());
    assert_eq!(names(&tmp.path().join(&kept[0])), ["Gammal", "Ny"]);
}

#[test]
fn a_kill_while_restoring_into_a_new_folder_is_finished() {
    let (tmp, _dir, file) = setup();
    let fresh = tmp.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap(); // an empty folder, as a person may choose
    for point in ["ready", "old_moved", "moved"] {
        killed_restore(&file, &fresh, RestoreMode::New, point);
        recover_interrupted_restore(&fresh).unwrap();
        assert_eq!(names(&fresh), ["Ny"], "after a kill at {point}");
        std::fs::remove_dir_all(&fresh).unwrap();
    }
}

#[test]
fn a_restore_still_running_is_left_alone() {
    let (tmp, dir, _file) = setup();
    let ready = tmp.path().join(".v.restore-ready");
    std::fs::create_dir(&ready).unwrap();
    let lock = fsutil::private_create_new(&ready.join(LOCK)).unwrap();
    assert!(fs4::fs_std::FileExt::try_lock_exclusive(&lock).unwrap());
    std::fs::rename(&dir, tmp.path().join("v.before-restore-x")).unwrap();
    recover_interrupted_restore(&dir).unwrap();
    assert!(ready.exists() && !dir.exists(), "a live restore's folder is not touched");
    drop(lock);
    // Once its process is gone, the next run finishes it (here an empty "restored vault").
    recover_interrupted_restore(&dir).unwrap();
    assert!(dir.is_dir() && !ready.exists());
}

/// A vault with client "Ny" and a snapshot of it, for tests that write a backup by hand, the
/// way an older build wrote it or with damage a real backup cannot have.
struct HandMade {
    tmp: tempfile::TempDir,
    v: Vault,
    key: crate::DatabaseKey,
    keys_json: Vec<u8>,
    settings: Vec<u8>,
    snap: PathBuf,
}

impl HandMade {
    fn new() -> HandMade {
        let (tmp, mut v) = unlocked_vault();
        v.create_client(&client("Ny", "A")).unwrap();
        let key = v.database_key().unwrap();
        let keys_json = std::fs::read(v.dir().join(KEY_FILE)).unwrap();
        let settings = serde_json::to_vec_pretty(&v.settings().unwrap()).unwrap();
        let snap = tmp.path().join("snap.db");
        let src = db::snapshot::open_source(&v.dir().join(DB_FILE), &key).unwrap();
        db::snapshot::snapshot(&src, &snap, &key, &mut |_, _| Ok(())).unwrap();
        drop(src);
        HandMade { tmp, v, key, keys_json, settings, snap }
    }

    /// The manifest of the snapshot at format `version`, with `tables` read from it.
    fn manifest(&self, version: u32, tables: impl FnOnce(&rusqlite::Connection) -> Vec<format::TableStat>) -> Manifest {
        let conn = db::snapshot::open_check(&self.snap, &self.key).unwrap();
        Manifest {
            format: "confidant-backup".into(),
            version,
            vault_id: self.v.info().vault_id,
            created_at: Utc::now(),
            app_version: "0.1.0".into(),
            schema_version: conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap(),
            tables: tables(&conn),
            files: Vec::new(),
        }
    }

    /// A backup file `name` of `db` under manifest `m`, written as a real backup is.
    fn write(&self, m: Manifest, db: Vec<u8>, name: &str) -> PathBuf {
        use crate::backup::keys::{BackupIdentity, BackupRecipient};
        let path = self.tmp.path().join(name);
        let recipient = BackupRecipient::new(&BackupIdentity::derive(&self.key).unwrap(), self.keys_json.clone());
        let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).unwrap();
        let out = enc.wrap_output(std::fs::File::create(&path).unwrap()).unwrap();
        let small: [(&str, &[u8]); 2] = [(KEY_FILE, &self.keys_json), (crate::settings::SETTINGS_FILE, &self.settings)];
        let len = db.len() as u64;
        let (out, _) = format::write_archive(out, m, &small, std::io::Cursor::new(db), len, &mut |_| {}).unwrap();
        out.finish().unwrap();
        path
    }
}

/// A format 1 backup (per-table content hashes in the manifest; a snapshot in rollback-journal
/// mode), written the way builds before format 2 wrote it: it still verifies and restores with
/// every check of its day, and a content hash that does not match is still caught.
#[test]
fn format_1_backups_still_verify_and_restore() {
    let h = HandMade::new();
    let manifest = h.manifest(1, |c| format::table_stats(c).unwrap());
    assert!(manifest.tables.iter().all(|t| t.sha256.is_some()));
    let bytes = std::fs::read(&h.snap).unwrap();
    let good = h.write(manifest.clone(), bytes.clone(), "v1.age");
    let report = crate::backup::verify_file_with_key(&good, &h.key, &mut crate::JobCtl::quiet()).unwrap();
    assert_eq!(report.rows, manifest.tables.iter().map(|t| t.rows).sum::<u64>());
    let dest = h.tmp.path().join("restored");
    restore(&good, &cred(), &dest, RestoreMode::New, &mut crate::JobCtl::quiet()).unwrap();
    assert_eq!(names(&dest), ["Ny"]);

    let mut wrong = manifest;
    let t = wrong.tables.iter_mut().find(|t| t.name == "client").unwrap();
    t.sha256 = Some("0".repeat(64));
    let bad = h.write(wrong, bytes, "v1-bad.age");
    let e = crate::backup::verify_file_with_key(&bad, &h.key, &mut crate::JobCtl::quiet()).unwrap_err();
    assert!(matches!(e, Error::BackupCorrupt(BackupCheck::ContentHash)), "{e}");
}

/// A page damaged in the vault file before the backup read it: the file hash matches (it was
/// taken from the damaged bytes), age authenticates, and the page's HMAC is what fails, in the
/// same pass as the decryption. The intact file, written the same way, verifies.
#[test]
fn a_damaged_page_under_a_matching_hash_is_found_while_streaming() {
    let h = HandMade::new();
    let manifest = h.manifest(format::FORMAT_VERSION, |c| format::row_counts(c).unwrap());
    let bytes = std::fs::read(&h.snap).unwrap();
    let good = h.write(manifest.clone(), bytes.clone(), "good.age");
    crate::backup::verify_file_with_key(&good, &h.key, &mut crate::JobCtl::quiet()).unwrap();
    let mut damaged = bytes;
    let last_page = damaged.len() - 4096;
    damaged[last_page + 100] ^= 0x40;
    let bad = h.write(manifest, damaged, "bad.age");
    let e = crate::backup::verify_file_with_key(&bad, &h.key, &mut crate::JobCtl::quiet()).unwrap_err();
    assert!(matches!(e, Error::BackupCorrupt(BackupCheck::CipherIntegrityCheck)), "{e}");
    let dest = h.tmp.path().join("restored");
    let e = restore(&bad, &cred(), &dest, RestoreMode::New, &mut crate::JobCtl::quiet()).unwrap_err();
    assert!(matches!(e, Error::BackupCorrupt(BackupCheck::CipherIntegrityCheck)), "{e}");
    assert!(!dest.exists(), "nothing restored from a damaged backup");
}
