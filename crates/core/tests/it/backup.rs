//! Backups: round trip of the demo vault, restore on a fresh machine with only the passphrase or
//! only the recovery key, old backups after a passphrase change, replace-keeping-old, target
//! errors (missing, read-only, full, FAT32), stale partial files, rotation and status.

use std::path::{Path, PathBuf};

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

#[test]
fn demo_vault_round_trip_on_a_fresh_machine() {
    let mut s = setup(200);
    let mut settings = s.fx.vault.settings().unwrap();
    settings.auto_lock_minutes = 42;
    s.fx.vault.update_settings(&settings).unwrap();
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
    assert_eq!(h.len(), 1);
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
    assert!(matches!(e.code(), Code::NotABackup | Code::BackupCorrupt), "{e}");
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
    assert!(matches!(Vault::open(&s.fx.dir).unwrap().unlock(&pass(PASS)), Err(Error::WrongPassphrase)));
}

#[test]
fn target_errors_are_clear_and_lose_nothing() {
    let mut s = setup(300);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let good = backups(&s.target);
    let good_bytes = std::fs::read(&good[0]).unwrap();
    let run = |s: &mut Setup, faults: Vec<Fault>| {
        let opts = BackupOptions { target_label: "USB".into(), faults };
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
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let good = backups(&s.target);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let opts = BackupOptions { target_label: String::new(), faults: vec![Fault::CorruptOnDisk] };
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
    assert!(listing(&s.fx.dir).iter().all(|n| !n.starts_with('.')), "no staging left: {:?}", listing(&s.fx.dir));
}

#[test]
fn read_only_bind_mount_if_available() {
    let mut s = setup(0);
    let ro = s.target.join("ro");
    std::fs::create_dir(&ro).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["--bind", "-o", "ro"])
        .arg(&s.target)
        .arg(&ro)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !ok {
        eprintln!("read_only_bind_mount_if_available: no bind mounts here (needs CAP_SYS_ADMIN); the read-only case is covered by fault injection");
        return;
    }
    let r = s.fx.vault.backup_now(&ro, &mut no_progress());
    let _ = std::process::Command::new("umount").arg(&ro).status();
    assert_eq!(r.unwrap_err().code(), Code::BackupTargetReadOnly);
}

#[test]
fn a_real_tiny_disk_if_mounts_are_available() {
    let mut s = setup(600);
    let tiny = s.target.join("tiny");
    std::fs::create_dir(&tiny).unwrap();
    let ok = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(&tiny)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !ok {
        eprintln!("a_real_tiny_disk_if_mounts_are_available: no tmpfs mounts here (needs CAP_SYS_ADMIN); covered by fault injection");
        return;
    }
    std::fs::write(tiny.join("earlier.txt"), b"an earlier file").unwrap();
    // Known before starting: free space is checked first.
    let before = s.fx.vault.backup_now(&tiny, &mut no_progress());
    // Not known in advance (the estimate is bypassed): the disk fills up mid-way.
    let opts = BackupOptions { target_label: String::new(), faults: vec![Fault::FreeBytes(u64::MAX / 4)] };
    let midway = s.fx.vault.backup_now_with(&tiny, &opts, &mut no_progress());
    let left = listing(&tiny);
    let _ = std::process::Command::new("umount").arg(&tiny).status();
    assert_eq!(before.unwrap_err().code(), Code::BackupTargetFull);
    assert_eq!(midway.unwrap_err().code(), Code::BackupTargetFull);
    assert_eq!(left, ["earlier.txt"], "no partial file left, nothing else touched");
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
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let first = backups(&s.target).remove(0);
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

    std::thread::sleep(std::time::Duration::from_millis(1100));
    let report = s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
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

#[test]
fn snapshot_is_consistent_while_the_vault_is_written() {
    // The backup reads through its own connection: the vault stays usable during and after.
    let mut s = setup(0);
    let job = s.fx.vault.prepare_backup().unwrap();
    let target = s.target.clone();
    let worker =
        std::thread::spawn(move || job.run(&target, &BackupOptions::default(), &mut confidant_core::JobCtl::quiet()));
    for i in 0..20 {
        s.fx.vault.create_client(&util::person("Samtidig", &format!("Klient{i}"))).unwrap();
    }
    let outcome = worker.join().unwrap().expect("backup while writing");
    s.fx.vault.record_backup(outcome.started_at, "", Ok(&outcome)).unwrap();
    assert_eq!(outcome.verify.vault_id, s.fx.vault.info().vault_id);
    assert_eq!(s.fx.vault.backup_history(5).unwrap().len(), 1);
}
