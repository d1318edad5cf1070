//! Reading a backup back: decrypt, unpack into a private staging folder, check every hash,
//! open the snapshot, run SQLite's and SQLCipher's integrity checks and compare row counts and
//! content hashes with the manifest. Verify and restore share this path; restore then moves the
//! staged files into place.

use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::format::{self, Manifest};
use super::keys::{open_age, Unlocker, Unwrapped, VaultIdentity};
use super::{BackupCheck, RestoreMode, RestoreReport, VerifyReport};
use crate::job::{JobCtl, Phase, Progress};
use crate::keys::keyfile::KeyFile;
use crate::keys::secret::Credential;
use crate::paths::{DB_FILE, KEY_FILE};
use crate::{db, fsutil, Error, Result};

/// A private folder removed (with its contents) when dropped, unless kept. A locked `.lock`
/// file inside marks it as in use, so [`Staging::clean_stale`] removes only the leftovers of a
/// killed run.
pub(crate) struct Staging {
    pub path: PathBuf,
    lock: Option<std::fs::File>,
    keep: bool,
}

const LOCK: &str = ".lock";
/// How long a staging folder may exist without its lock file before it counts as a leftover.
const STARTING: std::time::Duration = std::time::Duration::from_secs(600);

impl Staging {
    pub(crate) fn new(parent: &Path, purpose: &str) -> Result<Staging> {
        Self::clean_stale(parent, purpose);
        let name = format!(".confidant-{purpose}-{}", hex::encode(crate::keys::crypto::random::<6>()?));
        let path = parent.join(name);
        fsutil::create_private_dir(&path)?;
        let lock = fsutil::private_create_new(&path.join(LOCK))?;
        let _ = fs4::fs_std::FileExt::try_lock_exclusive(&lock);
        Ok(Staging { path, lock: Some(lock), keep: false })
    }

    /// Removes `.confidant-<purpose>-*` folders in `parent` that no live run holds.
    pub(crate) fn clean_stale(parent: &Path, purpose: &str) {
        let head = format!(".confidant-{purpose}-");
        for e in std::fs::read_dir(parent).into_iter().flatten().flatten() {
            if !e.file_name().to_string_lossy().starts_with(&head) || !e.path().is_dir() {
                continue;
            }
            let free = match std::fs::File::open(e.path().join(LOCK)) {
                Ok(f) => fs4::fs_std::FileExt::try_lock_exclusive(&f).unwrap_or(false),
                // No lock file yet: a run that is just starting (it creates the folder, then
                // its lock), or one killed in between. Only the latter is old.
                Err(_) => e
                    .metadata()
                    .and_then(|m| m.modified())
                    .map(|t| t.elapsed().unwrap_or_default() > STARTING)
                    .unwrap_or(true),
            };
            if free {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }

    /// Keeps the folder (it was moved into place); its lock file is removed first.
    fn keep(mut self) -> PathBuf {
        self.keep = true;
        self.lock = None;
        std::mem::take(&mut self.path)
    }

    /// Drops the lock file before the folder is moved into place.
    fn release_lock(&mut self) {
        self.lock = None;
        let _ = std::fs::remove_file(self.path.join(LOCK));
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.lock = None;
        if !self.keep && !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Counts bytes read from the backup file and reports them.
struct Counting<'p, 'c, R> {
    inner: R,
    done: u64,
    total: u64,
    phase: Phase,
    ctl: &'p mut JobCtl<'c>,
}

impl<R: Read> Read for Counting<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done += n as u64;
        self.ctl.io_report(Progress { phase: self.phase, done: self.done.min(self.total), total: self.total })?;
        Ok(n)
    }
}

/// What a complete check established.
pub(crate) struct Checked {
    pub manifest: Manifest,
    pub unwrapped: Unwrapped,
    pub size: u64,
}

/// Decrypts `file` into `staging` and checks everything. Any failure is a typed error naming
/// the check; the caller drops the staging folder.
pub(crate) fn decrypt_and_check(
    file: &Path,
    unlocker: Unlocker<'_>,
    staging: &Path,
    phase: Phase,
    ctl: &mut JobCtl<'_>,
) -> Result<Checked> {
    ctl.check()?;
    let token = ctl.token().clone();
    // A cancelled read surfaces as whatever check it interrupted; report the cancellation.
    decrypt_and_check_inner(file, unlocker, staging, phase, ctl).map_err(|e| token.check().err().unwrap_or(e))
}

fn decrypt_and_check_inner(
    file: &Path,
    unlocker: Unlocker<'_>,
    staging: &Path,
    phase: Phase,
    ctl: &mut JobCtl<'_>,
) -> Result<Checked> {
    let f = std::fs::File::open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::NotFound("backup file"),
        k => Error::Io { op: "read the backup", kind: k },
    })?;
    let size = f.metadata().map_err(Error::io("read the backup"))?.len();
    let identity = VaultIdentity::new(unlocker);
    let counting = Counting { inner: f, done: 0, total: size, phase, ctl };
    let reader = match open_age(BufReader::with_capacity(1 << 20, counting), &[&identity]) {
        Ok(r) => r,
        Err(e) => return Err(identity.error.take().unwrap_or(e)),
    };
    let mut nothing = |_n: u64| {};
    let unpacked = format::unpack(reader, staging, &mut nothing)?;
    format::check_files(&unpacked)?;
    let unwrapped = identity.found.take().ok_or(Error::Internal("age decrypted without our identity"))?;
    let manifest = unpacked.manifest;
    if unwrapped.vault_id.is_some_and(|id| id != manifest.vault_id) {
        return Err(Error::BackupCorrupt(BackupCheck::VaultId));
    }
    let staged_keys = std::fs::read(staging.join(KEY_FILE)).map_err(Error::io("read the staging copy"))?;
    let kf = KeyFile::parse(&staged_keys).map_err(|_| Error::BackupCorrupt(BackupCheck::KeysFile))?;
    if kf.vault_id != manifest.vault_id {
        return Err(Error::BackupCorrupt(BackupCheck::VaultId));
    }
    check_database(&staging.join(DB_FILE), &unwrapped, &manifest)?;
    Ok(Checked { manifest, unwrapped, size })
}

fn check_database(path: &Path, u: &Unwrapped, m: &Manifest) -> Result<()> {
    let conn = db::snapshot::open_check(path, &u.key).map_err(|e| match e {
        Error::EncryptionUnavailable => e,
        _ => Error::BackupCorrupt(BackupCheck::DatabaseOpen),
    })?;
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|_| Error::BackupCorrupt(BackupCheck::IntegrityCheck))?;
    if integrity != ["ok"] {
        return Err(Error::BackupCorrupt(BackupCheck::IntegrityCheck));
    }
    let cipher: Vec<String> = conn
        .prepare("PRAGMA cipher_integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(|_| Error::BackupCorrupt(BackupCheck::CipherIntegrityCheck))?;
    if !cipher.is_empty() {
        return Err(Error::BackupCorrupt(BackupCheck::CipherIntegrityCheck));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != m.schema_version {
        return Err(Error::BackupCorrupt(BackupCheck::SchemaVersion));
    }
    let stats = format::table_stats(&conn).map_err(|_| Error::BackupCorrupt(BackupCheck::ContentHash))?;
    let counts = |v: &[format::TableStat]| v.iter().map(|t| (t.name.clone(), t.rows)).collect::<Vec<_>>();
    if counts(&stats) != counts(&m.tables) {
        return Err(Error::BackupCorrupt(BackupCheck::RowCounts));
    }
    if stats != m.tables {
        return Err(Error::BackupCorrupt(BackupCheck::ContentHash));
    }
    Ok(())
}

fn report(c: &Checked, started: std::time::Instant) -> VerifyReport {
    VerifyReport {
        vault_id: c.manifest.vault_id,
        created_at: c.manifest.created_at,
        app_version: c.manifest.app_version.clone(),
        schema_version: c.manifest.schema_version,
        size_bytes: c.size,
        tables: c.manifest.tables.len() as u64,
        rows: c.manifest.tables.iter().map(|t| t.rows).sum(),
        duration_ms: started.elapsed().as_millis() as u64,
    }
}

/// Verifies a backup completely with a passphrase or recovery key (see the module docs).
/// Staging happens in a private folder under the system temp folder, removed afterwards.
pub fn verify_file(path: &Path, cred: &Credential, ctl: &mut JobCtl<'_>) -> Result<VerifyReport> {
    verify_with(path, Unlocker::Credential { cred, local: None }, &std::env::temp_dir(), ctl)
}

/// Verifies a backup with the vault's database key (an unlocked vault or the keyring).
pub fn verify_file_with_key(path: &Path, key: &crate::DatabaseKey, ctl: &mut JobCtl<'_>) -> Result<VerifyReport> {
    verify_with(path, Unlocker::Key(key), &std::env::temp_dir(), ctl)
}

pub(crate) fn verify_with(
    path: &Path,
    unlocker: Unlocker<'_>,
    staging_parent: &Path,
    ctl: &mut JobCtl<'_>,
) -> Result<VerifyReport> {
    let started = std::time::Instant::now();
    let staging = Staging::new(staging_parent, "verify")?;
    let c = decrypt_and_check(path, unlocker, &staging.path, Phase::Verify, ctl)?;
    Ok(report(&c, started))
}

/// Restores a backup into `vault_dir`: decrypt into a staging folder next to it, verify
/// completely (every check of [`verify_file`], and the credential must open the restored key
/// file), and only then move it into place. Over an existing vault only with
/// [`RestoreMode::ReplaceKeepingOld`], which renames the old folder to a dated sibling.
/// The vault in `vault_dir` must not be open while this runs.
pub fn restore(
    file: &Path,
    cred: &Credential,
    vault_dir: &Path,
    mode: RestoreMode,
    ctl: &mut JobCtl<'_>,
) -> Result<RestoreReport> {
    let started = std::time::Instant::now();
    // Replacing is only ever done to a vault; an unrelated folder is never moved.
    check_restore_target(vault_dir, mode)?;
    let exists = vault_dir.exists();
    let occupied = occupied(vault_dir);
    let name = vault_dir.file_name().ok_or(Error::Internal("vault folder without a name"))?.to_owned();
    let parent = vault_dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fsutil::create_private_dir(parent)?;
    let local = if occupied { KeyFile::load(&vault_dir.join(KEY_FILE)).ok() } else { None };

    let staging = Staging::new(parent, "restore")?;
    let c = decrypt_and_check(
        file,
        Unlocker::Credential { cred, local: local.clone() },
        &staging.path,
        Phase::Decrypt,
        ctl,
    )?;
    if c.manifest.schema_version > db::SCHEMA_VERSION {
        return Err(Error::NewerVersion { found: c.manifest.schema_version, known: db::SCHEMA_VERSION });
    }
    let keys_path = staging.path.join(KEY_FILE);
    if c.unwrapped.used_local_keys {
        // The backup predates a passphrase change: keep the key file the person can open.
        let l = local.as_ref().ok_or(Error::Internal("local keys vanished"))?;
        let bytes = std::fs::read(vault_dir.join(KEY_FILE)).map_err(Error::io("read the key file"))?;
        if KeyFile::parse(&bytes)?.vault_id != l.vault_id {
            return Err(Error::KeyFileCorrupt("it changed during the restore"));
        }
        fsutil::atomic_write(&keys_path, &bytes)?;
    } else {
        let kf = KeyFile::load(&keys_path).map_err(|_| Error::BackupCorrupt(BackupCheck::KeysFile))?;
        let k = kf.unwrap(cred)?;
        if k.expose() != c.unwrapped.key.expose() {
            return Err(Error::BackupCorrupt(BackupCheck::KeysFile));
        }
    }
    ctl.report(Progress { phase: Phase::Restore, done: 0, total: 1 })?;
    let mut staging = staging;
    staging.release_lock();
    fsutil::sync_dir(&staging.path)?;

    let mut kept_old = None;
    if occupied {
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut old = parent.join(format!("{}.before-restore-{stamp}", name.to_string_lossy()));
        let mut n = 1;
        while old.exists() {
            n += 1;
            old = parent.join(format!("{}.before-restore-{stamp}-{n}", name.to_string_lossy()));
        }
        std::fs::rename(vault_dir, &old).map_err(Error::io("move the old vault aside"))?;
        if let Err(e) = std::fs::rename(&staging.path, vault_dir) {
            let _ = std::fs::rename(&old, vault_dir);
            return Err(Error::io("move the restored vault into place")(e));
        }
        kept_old = Some(old);
    } else {
        if exists {
            // Only a settings file from the first screen can be there; the backup brings its own.
            let _ = std::fs::remove_file(vault_dir.join(crate::settings::SETTINGS_FILE));
            std::fs::remove_dir(vault_dir).map_err(Error::io("replace the empty vault folder"))?;
        }
        std::fs::rename(&staging.path, vault_dir).map_err(Error::io("move the restored vault into place"))?;
    }
    staging.keep();
    fsutil::sync_dir(parent)?;
    let _ = ctl.report(Progress { phase: Phase::Restore, done: 1, total: 1 });
    Ok(RestoreReport {
        verify: report(&c, started),
        kept_old_vault: kept_old,
        used_local_key_file: c.unwrapped.used_local_keys,
    })
}

/// Whether `vault_dir` holds anything besides the settings file (which the first screen writes
/// before any vault exists, e.g. the chosen language; a restore brings its own).
pub(crate) fn occupied(vault_dir: &Path) -> bool {
    vault_dir.exists()
        && std::fs::read_dir(vault_dir)
            .map(|d| d.flatten().any(|e| e.file_name() != crate::settings::SETTINGS_FILE))
            .unwrap_or(true)
}

/// Refuses early (before asking for a passphrase) what [`super::restore`] would refuse: a
/// folder that holds a vault unless replacing, or anything else that is not empty.
pub fn check_restore_target(vault_dir: &Path, mode: RestoreMode) -> Result<()> {
    let occupied = occupied(vault_dir);
    let has_vault = vault_dir.join(DB_FILE).exists() || vault_dir.join(KEY_FILE).exists();
    if occupied && (mode == RestoreMode::New || !has_vault) {
        return Err(Error::RestoreTargetExists);
    }
    Ok(())
}
