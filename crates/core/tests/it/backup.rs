//! Backups: round trip of the demo vault, restore on a fresh machine with only the passphrase or
//! only the recovery key, old backups after a passphrase change, replace-keeping-old, target
//! errors (missing, read-only, full, FAT32), stale partial files, rotation and status.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use confidant_core::backup::{self, BackupOptions, BackupRunStatus, Fault, RestoreMode};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::ClientFilter;
use confidant_core::{demo, Code, Error, Passphrase, Retention, Vault};

use crate::util::{self, kdf, new_vault, pass, recovery, Fixture, PASS, PASS2};

pub fn no_progress() -> confidant_core::JobCtl<'static> {
    confidant_core::JobCtl::quiet()
}

/// A demo vault with an extra attachment of incompressible bytes (so the file spans several
/// age chunks) and a target folder.
pub struct Setup {
    pub fx: Fixture,
    pub target: PathBuf,
    pub _t: tempfile::TempDir,
}

pub fn setup(attachment_kib: usize) -> Setup {
    let mut fx = new_vault();
    demo::populate(&mut fx.vault).expect("demo data");
    if attachment_kib > 0 {
        let clients = fx.vault.list_clients(&ClientFilter::default()).expect("clients");
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(util::noise(attachment_kib * 1024, 42));
        fx.vault
            .attach_bytes(AttachTo::Client(clients[0].id), "scan.png", png.len() as u64, png.as_slice())
            .expect("attach");
    }
    let t = tempfile::tempdir().expect("target");
    let target = t.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    Setup { fx, target, _t: t }
}

/// Every file name in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

pub fn backups(dir: &Path) -> Vec<PathBuf> {
    listing(dir).into_iter().filter(|n| n.ends_with(".age") && !n.starts_with('.')).map(|n| dir.join(n)).collect()
}

/// A UTC time from RFC 3339.
pub fn at(t: &str) -> DateTime<Utc> {
    t.parse().unwrap()
}

/// Options that stamp the backup with `t` instead of the clock.
pub fn at_time(t: DateTime<Utc>) -> BackupOptions {
    BackupOptions { now: Some(t), ..Default::default() }
}

/// Clients, entries and attachment bytes, to compare two vaults.
fn contents(v: &mut Vault) -> Vec<String> {
    let mut out = Vec::new();
    for c in v.list_clients(&ClientFilter::default()).unwrap() {
        let full = v.get_client(c.id).unwrap();
        out.push(format!("{full:?}"));
        for a in v.list_attachments(AttachTo::Client(c.id)).unwrap() {
            let mut bytes = Vec::new();
            v.read_attachment(a.id, &mut bytes).unwrap();
            out.push(format!("{} {}", a.file_name, util::sha256_hex(&bytes)));
        }
    }
    out.push(format!("{:?}", v.profile().unwrap()));
    out
}

/// Tables every restored vault must carry over, each non-empty in the demo vault.
const TABLES: [&str; 15] = [
    "access_log",
    "amendment",
    "attachment",
    "attachment_content",
    "backup_run",
    "breach",
    "breach_client",
    "client",
    "consent",
    "course",
    "entry",
    "meta",
    "practice_profile",
    "search_doc",
    "user_template",
];

#[test]
fn demo_vault_round_trip_on_a_fresh_machine() {
    let mut s = setup(200);
    let mut settings = s.fx.vault.settings().unwrap();
    settings.auto_lock_minutes = 42;
    s.fx.vault.update_settings(&settings).unwrap();
    // So the backup history has a row to carry over too.
    let e = s.fx.vault.backup_now(&s.target.join("unplugged"), &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetMissing);
    // Every table as it is when the backup is taken (nothing writes to the vault until the
    // run is recorded, after the snapshot).
    let key = s.fx.vault.database_key().unwrap();
    let source = util::dump_db(&s.fx.dir.join("vault.db"), &key);
    for t in TABLES {
        assert!(source.get(t).is_some_and(|rows| !rows.is_empty()), "the demo vault has rows in {t}");
    }
    assert!(source.keys().any(|t| t.starts_with("search_fts_")), "the search index's tables are compared too");
    let mut phases = Vec::new();
    let report = {
        let mut ctl = confidant_core::JobCtl::new(confidant_core::CancelToken::new(), |p: backup::Progress| {
            assert!(p.done <= p.total || p.total == 0, "{p:?}");
            phases.push(p.phase)
        });
        s.fx.vault.backup_now(&s.target, &mut ctl).expect("backup")
    };
    assert!(phases.contains(&backup::Phase::Snapshot) && phases.contains(&backup::Phase::Write));
    assert!(phases.contains(&backup::Phase::Verify));
    assert!(report.rows > 10 && report.tables > 5);
    let files = backups(&s.target);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name().unwrap().to_string_lossy(), report.file_name);
    assert!(listing(&s.target).iter().all(|n| !n.ends_with(".partial")));
    // No plaintext anywhere in the file; no snapshot left in the vault folder.
    let raw = std::fs::read(&files[0]).unwrap();
    assert!(raw.starts_with(b"age-encryption.org/v1\n"));
    for needle in ["Lindqvist", "SQLite format 3", "Remiss"] {
        assert!(!util::contains_bytes(&raw, needle.as_bytes()), "{needle} in the backup");
    }
    assert_eq!(util::names(&util::snapshot(&s.fx.dir)).iter().filter(|n| n.contains("snapshot")).count(), 0);
    let expected = contents(&mut s.fx.vault);

    // Fresh machine: a new folder, no keyring, only the passphrase.
    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().join("restored");
    let r = backup::restore(&files[0], &pass(PASS), &dest, RestoreMode::New, &mut no_progress()).expect("restore");
    assert_eq!(r.kept_old_vault, None);
    assert!(!r.used_local_key_file);
    assert_eq!(listing(fresh.path()), ["restored"], "no staging folder left");
    // Every table, row for row, before anything opens the restored vault (unlocking logs).
    util::assert_same_tables(&source, &util::dump_db(&dest.join("vault.db"), &key), "restored vault");
    let mut v = Vault::open(&dest).unwrap();
    v.unlock(&pass(PASS)).unwrap();
    assert_eq!(contents(&mut v), expected);
    assert_eq!(v.settings().unwrap().auto_lock_minutes, 42);
    assert_eq!(v.info().vault_id, s.fx.vault.info().vault_id);
    drop(v);

    // Only the recovery key.
    let dest2 = fresh.path().join("restored2");
    backup::restore(&files[0], &recovery(&s.fx.rk), &dest2, RestoreMode::New, &mut no_progress()).expect("restore");
    let mut v = Vault::open(&dest2).unwrap();
    v.unlock(&recovery(&s.fx.rk)).unwrap();
    assert_eq!(contents(&mut v), expected);

    // History and status.
    let h = s.fx.vault.backup_history(10).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1].failure.map(|f| f.code), Some(Code::BackupTargetMissing));
    assert_eq!(h[0].status, BackupRunStatus::Verified);
    assert_eq!(h[0].file_name.as_deref(), Some(report.file_name.as_str()));
    assert_eq!(h[0].size_bytes, raw.len() as u64);
    let st = s.fx.vault.backup_status().unwrap();
    assert!(!st.due_now && !st.reminder_due && st.last_verified_at.is_some());
    // verify_file with either credential.
    let vr = backup::verify_file(&files[0], &pass(PASS), &mut no_progress()).unwrap();
    assert_eq!(vr.vault_id, s.fx.vault.info().vault_id);
    backup::verify_file(&files[0], &recovery(&s.fx.rk), &mut no_progress()).unwrap();
}

#[test]
fn wrong_credentials_restore_nothing() {
    let mut s = setup(0);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let file = &backups(&s.target)[0];
    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().join("v");
    let e = backup::restore(file, &pass(PASS2), &dest, RestoreMode::New, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::WrongPassphrase);
    let other = new_vault();
    let e = backup::restore(file, &recovery(&other.rk), &dest, RestoreMode::New, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::WrongRecoveryKey);
    assert!(listing(fresh.path()).is_empty(), "nothing restored or staged: {:?}", listing(fresh.path()));
    let e = backup::verify_file(file, &pass(PASS2), &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::WrongPassphrase);
    // Not a backup at all.
    let junk = fresh.path().join("junk.age");
    std::fs::write(&junk, b"hello").unwrap();
    let e = backup::restore(&junk, &pass(PASS), &dest, RestoreMode::New, &mut no_progress()).unwrap_err();
    assert!(matches!(e, Error::NotABackup("it is not an age file")), "{e}");
    assert_eq!(listing(fresh.path()), ["junk.age"]);
}

#[test]
fn restore_over_a_vault_needs_replace_and_keeps_the_old_one() {
    let mut s = setup(0);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let file = backups(&s.target).remove(0);
    s.fx.vault.create_client(&util::person("Efter", "Backupen")).unwrap();
    s.fx.vault.lock();
    let before = util::snapshot(&s.fx.dir);
    let e = backup::restore(&file, &pass(PASS), &s.fx.dir, RestoreMode::New, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::RestoreTargetExists);
    assert_eq!(util::snapshot(&s.fx.dir), before, "nothing changed");

    let r = backup::restore(&file, &pass(PASS), &s.fx.dir, RestoreMode::ReplaceKeepingOld, &mut no_progress())
        .expect("replace");
    let old = r.kept_old_vault.expect("old vault kept");
    assert!(old.file_name().unwrap().to_string_lossy().starts_with("vault.before-restore-"));
    assert_eq!(old.parent(), s.fx.dir.parent());
    assert_eq!(util::snapshot(&old), before, "the old vault is kept byte for byte");
    let mut v = Vault::open(&s.fx.dir).unwrap();
    v.unlock(&pass(PASS)).unwrap();
    let names: Vec<String> =
        v.list_clients(&ClientFilter::default()).unwrap().into_iter().map(|c| c.family_name).collect();
    assert!(!names.contains(&"Backupen".to_owned()), "the restored vault is the backup's");

    // Replace never moves a folder that is not a vault.
    let plain = tempfile::tempdir().unwrap();
    std::fs::write(plain.path().join("notes.txt"), b"x").unwrap();
    let e = backup::restore(&file, &pass(PASS), plain.path(), RestoreMode::ReplaceKeepingOld, &mut no_progress())
        .unwrap_err();
    assert_eq!(e.code(), Code::RestoreTargetExists);
}

#[test]
fn old_backup_after_a_passphrase_change() {
    let mut s = setup(0);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let file = backups(&s.target).remove(0);
    s.fx.vault.change_passphrase(&pass(PASS), &Passphrase::from(PASS2), kdf()).unwrap();
    s.fx.vault.lock();

    // Fresh machine: the passphrase of the backup's time works, today's does not.
    let fresh = tempfile::tempdir().unwrap();
    let e = backup::restore(&file, &pass(PASS2), &fresh.path().join("a"), RestoreMode::New, &mut no_progress())
        .unwrap_err();
    assert_eq!(e.code(), Code::WrongPassphrase);
    backup::restore(&file, &pass(PASS), &fresh.path().join("b"), RestoreMode::New, &mut no_progress()).unwrap();

    // Over the current vault, today's passphrase works through the current key file, which is
    // kept, so the restored vault opens with today's passphrase.
    let r = backup::restore(&file, &pass(PASS2), &s.fx.dir, RestoreMode::ReplaceKeepingOld, &mut no_progress())
        .expect("restore with the current key file");
    assert!(r.used_local_key_file);
    let mut v = Vault::open(&s.fx.dir).unwrap();
    v.unlock(&pass(PASS2)).unwrap();
    drop(v);
    assert!(matches!(Vault::open(&s.fx.dir).unwrap().unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
}

#[test]
fn target_errors_are_clear_and_lose_nothing() {
    let mut s = setup(300);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let good = backups(&s.target);
    let good_bytes = std::fs::read(&good[0]).unwrap();
    let run = |s: &mut Setup, faults: Vec<Fault>| {
        let opts = BackupOptions { target_label: "USB".into(), faults, ..Default::default() };
        s.fx.vault.backup_now_with(&s.target, &opts, &mut no_progress()).unwrap_err()
    };

    let missing = s.target.join("not-there");
    let e = s.fx.vault.backup_now(&missing, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetMissing);
    let e = run(&mut s, vec![Fault::ReadOnly]);
    assert_eq!(e.code(), Code::BackupTargetReadOnly);
    let e = run(&mut s, vec![Fault::FreeBytes(1000)]);
    assert_eq!(e.code(), Code::BackupTargetFull);
    assert!(e.to_string().contains("MB needed"), "{e}");
    let e = run(&mut s, vec![Fault::Fat32, Fault::SizeEstimate(5 << 30)]);
    assert_eq!(e.code(), Code::BackupTooLargeForFat32);
    // Mid-way: the disk fills up after 100 KB.
    let e = run(&mut s, vec![Fault::FullAfter(100_000)]);
    assert_eq!(e.code(), Code::BackupTargetFull);
    assert!(!e.to_string().contains(&s.target.display().to_string()), "no paths in messages");

    // Nothing lost, nothing half-written, no snapshot left behind.
    assert_eq!(backups(&s.target), good);
    assert_eq!(std::fs::read(&good[0]).unwrap(), good_bytes);
    assert_eq!(listing(&s.target).len(), 2, "{:?}", listing(&s.target)); // backup + marker
    assert!(util::names(&util::snapshot(&s.fx.dir)).iter().all(|n| !n.contains("snapshot")));
    backup::verify_file(&good[0], &pass(PASS), &mut no_progress()).unwrap();

    let h = s.fx.vault.backup_history(10).unwrap();
    let checks: Vec<_> = h.iter().filter_map(|r| r.failure.map(|f| f.code.as_str())).collect();
    assert_eq!(
        checks,
        [
            "backup_target_full",
            "backup_too_large_for_fat32",
            "backup_target_full",
            "backup_target_read_only",
            "backup_target_missing"
        ]
    );
    assert!(h.iter().filter(|r| r.status == BackupRunStatus::Failed).all(|r| r.file_name.is_none()));
    assert_eq!(h.iter().filter(|r| r.target_label == "USB").count(), 4);
    let st = s.fx.vault.backup_status().unwrap();
    assert_eq!(st.last_run.unwrap().status, BackupRunStatus::Failed);
    assert!(st.last_verified_at.is_some());
}

#[test]
fn a_backup_that_fails_verification_is_removed_and_recorded() {
    let mut s = setup(100);
    let t0 = at("2026-03-10T09:00:00Z");
    s.fx.vault.backup_now_with(&s.target, &at_time(t0), &mut no_progress()).unwrap();
    let good = backups(&s.target);
    // A second later: its own file name, not a `-2` variant of the first.
    let opts = BackupOptions { faults: vec![Fault::CorruptOnDisk], ..at_time(t0 + Duration::seconds(1)) };
    let e = s.fx.vault.backup_now_with(&s.target, &opts, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupCorrupt);
    assert!(e.to_string().contains("check failed: payload"), "{e}");
    assert_eq!(backups(&s.target), good, "the bad file is gone, the good one is untouched");
    assert!(listing(&s.target).iter().all(|n| !n.ends_with(".partial")));
    let h = s.fx.vault.backup_history(1).unwrap();
    assert_eq!(
        h[0].failure,
        Some(backup::BackupFailure { code: Code::BackupCorrupt, check: Some(backup::BackupCheck::Payload) })
    );
    assert!(
        listing(&s.fx.dir).iter().all(|n| !n.starts_with('.') || n == confidant_core::writer::WRITER_LOCK),
        "no staging left: {:?}",
        listing(&s.fx.dir)
    );
}

/// A file system mounted for one test, unmounted when dropped (also when the test fails).
struct Mount(PathBuf);

impl Mount {
    /// `mount <args…> <at>`; `Err` says why it could not (no root, no mount tool).
    fn new(args: &[&str], at: &Path) -> Result<Mount, String> {
        let out = std::process::Command::new("mount").args(args).arg(at).output().map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
        }
        Ok(Mount(at.to_owned()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A read-only bind mount of `src` at `at`.
fn read_only_bind(src: &Path, at: &Path) -> Result<Mount, String> {
    let m = Mount::new(&["--bind", src.to_str().unwrap()], at)?;
    let out = std::process::Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(at)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(m)
}

/// The target is a real read-only file system: the kernel's EROFS goes through the core's own
/// error mapping (creating the partial file; writing the target marker).
#[test]
fn a_real_read_only_target_is_backup_target_read_only() {
    let mut s = setup(0);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let disk = util::snapshot(&s.target);
    let ro = s._t.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let m = match read_only_bind(&s.target, &ro) {
        Ok(m) => m,
        Err(why) => return util::cannot_run("a_real_read_only_target_is_backup_target_read_only", &why),
    };
    // Really read-only, for root too.
    let probe = std::fs::write(ro.join("probe"), b"x").unwrap_err();
    assert_eq!(probe.kind(), std::io::ErrorKind::ReadOnlyFilesystem);

    let e = s.fx.vault.backup_now(&ro, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetReadOnly, "{e}");
    assert_eq!(s.fx.vault.backup_history(1).unwrap()[0].failure.map(|f| f.code), Some(Code::BackupTargetReadOnly));
    // Choosing a read-only folder as the target (the marker cannot be written).
    let empty_ro = s._t.path().join("empty-ro");
    std::fs::create_dir(&empty_ro).unwrap();
    let m2 = Mount::new(&["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"], &empty_ro).expect("a second mount");
    let e = s.fx.vault.set_backup_target(&empty_ro).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetReadOnly, "{e}");
    drop((m, m2));

    assert_eq!(util::snapshot(&s.target), disk, "the disk is as it was");
    assert!(
        listing(&s.fx.dir).iter().all(|n| !n.starts_with('.') || n == confidant_core::writer::WRITER_LOCK),
        "no snapshot left: {:?}",
        listing(&s.fx.dir)
    );
    // The same folder, writable again: the backup goes through.
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
}

/// Writes `path` until the file system says it is full; returns how much was written.
fn fill(path: &Path) -> u64 {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0x5a_u8; 1 << 20];
    let mut n = 0;
    loop {
        match f.write(&chunk) {
            Ok(0) => panic!("a write of nothing"),
            Ok(k) => n += k as u64,
            Err(e) => {
                assert_eq!(e.kind(), std::io::ErrorKind::StorageFull, "filling the disk: {e}");
                return n;
            }
        }
    }
}

/// Real tiny file systems (tmpfs): one too small to begin (the free-space check), and one that
/// another program fills up while the backup is being written (ENOSPC mid-write, mapped by the
/// core). Earlier files are untouched and no partial file is left.
#[test]
fn a_real_full_disk_is_backup_target_full() {
    let mut s = setup(3 * 1024);
    let tiny = s._t.path().join("tiny");
    let roomy = s._t.path().join("roomy");
    std::fs::create_dir(&tiny).unwrap();
    std::fs::create_dir(&roomy).unwrap();
    let m1 = match Mount::new(&["-t", "tmpfs", "-o", "size=256k", "tmpfs"], &tiny) {
        Ok(m) => m,
        Err(why) => return util::cannot_run("a_real_full_disk_is_backup_target_full", &why),
    };
    let m2 = Mount::new(&["-t", "tmpfs", "-o", "size=64m", "tmpfs"], &roomy).expect("a second tmpfs");
    for d in [&tiny, &roomy] {
        std::fs::write(d.join("earlier.txt"), b"an earlier file").unwrap();
    }

    // Too small to begin: known before anything is written.
    let e = s.fx.vault.backup_now(&tiny, &mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetFull, "{e}");
    assert!(e.to_string().contains("MB needed"), "{e}");
    assert_eq!(listing(&tiny), ["earlier.txt"]);

    // Room enough at the start; full once the backup has begun writing.
    let mut filled = 0;
    let e = {
        let mut ctl = confidant_core::JobCtl::new(confidant_core::CancelToken::new(), |p: backup::Progress| {
            if p.phase == backup::Phase::Write && filled == 0 {
                filled = fill(&roomy.join("filler"));
            }
        });
        s.fx.vault.backup_now(&roomy, &mut ctl).unwrap_err()
    };
    assert!(filled > 0, "the disk was filled while the backup was writing");
    assert_eq!(e.code(), Code::BackupTargetFull, "{e}");
    assert!(!e.to_string().contains(&roomy.display().to_string()), "no paths in messages");
    assert_eq!(listing(&roomy), ["earlier.txt", "filler"], "no partial file left, nothing else touched");
    assert_eq!(std::fs::read(roomy.join("earlier.txt")).unwrap(), b"an earlier file");
    drop((m1, m2));

    let checks: Vec<_> =
        s.fx.vault.backup_history(2).unwrap().into_iter().filter_map(|r| r.failure.map(|f| f.code)).collect();
    assert_eq!(checks, [Code::BackupTargetFull, Code::BackupTargetFull]);
    assert!(
        listing(&s.fx.dir).iter().all(|n| !n.starts_with('.') || n == confidant_core::writer::WRITER_LOCK),
        "no snapshot left: {:?}",
        listing(&s.fx.dir)
    );
}

#[test]
fn stale_partials_of_this_vault_are_cleaned() {
    let mut s = setup(0);
    let id8 = &s.fx.vault.info().vault_id.simple().to_string()[..8];
    let ours = s.target.join(format!(".confidant-{id8}-20260101T000000Z.age.partial"));
    let theirs = s.target.join(".confidant-ffffffff-20260101T000000Z.age.partial");
    std::fs::write(&ours, b"half").unwrap();
    std::fs::write(&theirs, b"half").unwrap();
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    assert!(!ours.exists());
    assert!(theirs.exists(), "another vault's file is not ours to delete");
}

#[test]
fn rotation_deletes_only_superseded_backups_of_this_vault() {
    let mut s = setup(0);
    let mut st = s.fx.vault.settings().unwrap();
    st.backup.retention = Retention { daily: 2, weekly: 0, monthly: 0 };
    s.fx.vault.update_settings(&st).unwrap();
    let t0 = at("2026-03-10T09:00:00Z");
    s.fx.vault.backup_now_with(&s.target, &at_time(t0), &mut no_progress()).unwrap();
    let first = backups(&s.target).remove(0);
    assert!(first.ends_with(format!(
        "confidant-{}-20260310T090000Z.age",
        &s.fx.vault.info().vault_id.simple().to_string()[..8]
    )));
    let id8 = &s.fx.vault.info().vault_id.simple().to_string()[..8];
    let old = |day: u32| s.target.join(format!("confidant-{id8}-202601{day:02}T120000Z.age"));
    for day in 1..=4 {
        std::fs::copy(&first, old(day)).unwrap();
    }
    // Our name but not provably ours, and another vault's real backup under our name.
    std::fs::write(old(5), b"not an age file").unwrap();
    let mut other = setup(0);
    other.fx.vault.backup_now(&other.target, &mut no_progress()).unwrap();
    std::fs::copy(&backups(&other.target)[0], old(6)).unwrap();
    // A backup "from the future" relative to the new one is not superseded.
    let future = s.target.join(format!("confidant-{id8}-29990101T000000Z.age"));
    std::fs::copy(&first, &future).unwrap();

    let report =
        s.fx.vault.backup_now_with(&s.target, &at_time(t0 + Duration::seconds(1)), &mut no_progress()).unwrap();
    assert!(report.file_name.ends_with("-20260310T090001Z.age"), "{}", report.file_name);
    let mut deleted = report.deleted.clone();
    deleted.sort();
    let name = |p: PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
    // Kept: the new one, the newest of the previous day bucket (the first backup, same day as
    // the new one, is superseded), the future one and the two unprovable files.
    let mut expect_deleted = vec![name(old(1)), name(old(2)), name(old(3)), name(first.clone())];
    expect_deleted.sort();
    assert_eq!(deleted, expect_deleted);
    assert!(old(4).exists() && old(5).exists() && old(6).exists() && future.exists());
    assert!(s.target.join(&report.file_name).exists());
}

#[test]
fn status_reminder_and_targets() {
    let mut s = setup(0);
    let st = s.fx.vault.backup_status().unwrap();
    assert!(st.due_now, "never backed up: due");
    assert!(!st.reminder_due, "a vault made today needs no reminder yet");
    assert!(!st.target_configured && !st.target_available);
    assert_eq!(s.fx.vault.auto_backup_target().unwrap(), None, "no target yet");
    let t = s.fx.vault.set_backup_target(&s.target).unwrap();
    assert_eq!(s.fx.vault.auto_backup_target().unwrap(), Some(t.path.clone()), "due and plugged in");
    assert!(s.target.join(backup::MARKER_FILE).exists());
    assert_eq!(s.fx.vault.settings().unwrap().backup.target, Some(t.clone()));
    assert!(s.fx.vault.backup_status().unwrap().target_available);
    s.fx.vault.backup_to_target(&mut no_progress()).unwrap();
    let st = s.fx.vault.backup_status().unwrap();
    assert!(!st.due_now && !st.reminder_due);
    assert_eq!(s.fx.vault.auto_backup_target().unwrap(), None, "not due right after a backup");
    // Unplugged: a clear error, recorded.
    std::fs::rename(&s.target, s.target.with_file_name("elsewhere")).unwrap();
    assert!(!s.fx.vault.backup_status().unwrap().target_available);
    let e = s.fx.vault.backup_to_target(&mut no_progress()).unwrap_err();
    assert_eq!(e.code(), Code::BackupTargetMissing);
    assert_eq!(
        s.fx.vault.backup_history(1).unwrap()[0].failure,
        Some(backup::BackupFailure { code: Code::BackupTargetMissing, check: None })
    );
    // Locked: no backup, no history.
    s.fx.vault.lock();
    assert_eq!(s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap_err().code(), Code::Locked);
}

/// The backup reads the vault through its own connection while the app keeps writing through
/// its own: either the live file under a held read transaction (the normal way) or a copy made
/// step by step with the online backup API (the fallback, forced here with a fault). The backup
/// is paused while it copies (its progress callback waits) while clients, entries, signatures,
/// amendments and attachments are written (and the app's checkpoints run); the backup must hold
/// the vault exactly as it was when the backup began, every table row for row.
#[test]
fn snapshot_is_a_point_in_time_while_the_vault_is_written() {
    // Normally the live file: no snapshot steps, one report of the whole file.
    assert!(!point_in_time(BackupOptions::default()), "the live file was not used");
    assert!(point_in_time(BackupOptions { faults: vec![backup::Fault::OnlineCopy], ..Default::default() }));
}

/// Returns whether the snapshot was copied step by step (the online backup API).
fn point_in_time(opts: BackupOptions) -> bool {
    use std::sync::mpsc;
    // Several snapshot steps of 1024 pages: about 10 MB.
    let mut s = setup(10 * 1024);
    let key = s.fx.vault.database_key().unwrap();
    let db = s.fx.dir.join("vault.db");
    let (_c, course) = util::client_with_course(&mut s.fx.vault, "Samtidig", "Före");
    let before = util::dump_db(&db, &key);

    let job = s.fx.vault.prepare_backup().unwrap();
    let target = s.target.clone();
    let (paused_tx, paused) = mpsc::channel::<(u64, u64)>();
    let (go, go_rx) = mpsc::channel::<()>();
    let stepped = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen = stepped.clone();
    let worker = std::thread::spawn(move || {
        let mut ctl = confidant_core::JobCtl::new(confidant_core::CancelToken::new(), move |p: backup::Progress| {
            // The online copy reports its steps; the live file is copied while it is written.
            if p.phase == backup::Phase::Snapshot && p.done < p.total {
                seen.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            let copying = matches!(p.phase, backup::Phase::Snapshot | backup::Phase::Write);
            if copying && p.done < p.total {
                paused_tx.send((p.done, p.total)).unwrap();
                go_rx.recv().unwrap();
            }
        })
        .unthrottled();
        job.run(&target, &opts, &mut ctl)
    });
    let mut pauses = Vec::new();
    // Ends when the worker's callback (and its sender) is gone. Writes at the first two pauses
    // only: a copy that restarted on every change would otherwise never finish.
    while let Ok(at) = paused.recv() {
        pauses.push(at);
        if pauses.len() > 2 {
            go.send(()).unwrap();
            continue;
        }
        let v = &mut s.fx.vault;
        for i in 0..3 {
            let c = v.create_client(&util::person("Under", &format!("Backupen{}-{i}", pauses.len()))).unwrap();
            let e = util::draft(v, &course, "Mitt i", "Skrivet medan säkerhetskopian togs");
            v.sign_entry(e.id).unwrap();
            v.amend_entry(e.id, "Tillägg", "Mitt i", "Ändrat", &[]).unwrap();
            let png = b"\x89PNG\r\n\x1a\nmitt i".to_vec();
            v.attach_bytes(AttachTo::Client(c.id), "mitt-i.png", png.len() as u64, png.as_slice()).unwrap();
        }
        go.send(()).unwrap();
    }
    let outcome = worker.join().unwrap().expect("backup while writing");
    assert!(!pauses.is_empty(), "the snapshot took several steps and writes landed between them");
    eprintln!("snapshot paused at {pauses:?} (bytes done, total)");
    let after = util::dump_db(&db, &key);
    for t in ["client", "entry", "amendment", "attachment", "access_log", "search_doc"] {
        assert_ne!(before[t], after[t], "the writes during the backup changed {t}");
    }
    s.fx.vault.record_backup(outcome.started_at, "", Ok(&outcome)).unwrap();

    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().join("restored");
    backup::restore(&outcome.path, &pass(PASS), &dest, RestoreMode::New, &mut no_progress()).unwrap();
    util::assert_same_tables(&before, &util::dump_db(&dest.join("vault.db"), &key), "the backup");
    let mut v = Vault::open(&dest).unwrap();
    v.unlock(&pass(PASS)).unwrap();
    v.verify_access_log().expect("the restored log and its head are of one moment");
    stepped.load(std::sync::atomic::Ordering::Relaxed)
}
