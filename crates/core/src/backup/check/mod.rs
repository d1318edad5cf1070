//! Reading a backup back in one pass: decrypt (age authenticates every chunk), unpack into a
//! private staging folder while hashing every file, then check the hashes against the
//! manifest, check every page's HMAC (SQLCipher), open the snapshot and compare the schema
//! version and row counts. A format 1 backup (per-table content hashes) also gets SQLite's
//! integrity check and its content hashes compared, as before. Verify and restore share this
//! path; restore then moves the staged files into place.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::Utc;

use super::format::{self, Manifest};
use super::keys::{open_age, Unlocker, Unwrapped, VaultIdentity};
use super::{BackupCheck, RestoreMode, RestoreReport, VerifyReport};
use crate::job::{JobCtl, Phase, Progress};
use crate::keys::keyfile::{Kdf, KeyFile, SlotKind};
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

use crate::commit::{ready_path, recover_interrupted_restore, STAGING_LOCK as LOCK};
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

    /// Renames the folder to `to` (same parent) and stops removing it on drop; the lock stays
    /// held (it follows the folder) until the returned handle is dropped.
    fn rename_and_keep(mut self, to: &Path) -> Result<Option<std::fs::File>> {
        std::fs::rename(&self.path, to).map_err(Error::io("move the restored vault into place"))?;
        self.keep = true;
        Ok(self.lock.take())
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
    // Only a restore keeps what it stages; a verification's copy needs no fsync.
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
    let slot = match &unlocker {
        Unlocker::Credential { cred: Credential::Passphrase(_), .. } => Some(SlotKind::Passphrase),
        Unlocker::Credential { cred: Credential::RecoveryKey(_), .. } => Some(SlotKind::Recovery),
        Unlocker::Credential { cred: Credential::Successor(_), .. } => Some(SlotKind::Successor),
        Unlocker::Key(_) => None,
    };
    let identity = VaultIdentity::new(unlocker);
    let counting = Counting { inner: f, done: 0, total: size, phase, ctl };
    let reader = match open_age(BufReader::with_capacity(1 << 20, counting), &[&identity]) {
        Ok(r) => r,
        Err(e) => return Err(header_error(identity.error.take().unwrap_or(e), file, slot)),
    };
    let mut nothing = |_n: u64| {};
    let unwrapped = identity.found.take().ok_or(Error::Internal("age decrypted without our identity"))?;
    let unpacked = format::unpack(reader, staging, phase == Phase::Decrypt, &unwrapped.key, &mut nothing)?;
    format::check_files(&unpacked)?;
    if !unpacked.pages_ok {
        return Err(Error::BackupCorrupt(BackupCheck::CipherIntegrityCheck));
    }
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

/// What a failure to open the age header means. A key file from the header that does not
/// parse, and a header that starts like age's but does not parse, are damage to a backup, not
/// a credential problem or a foreign file.
/// A wrong credential is reported as such only when the slot it was tried on is well-formed:
/// a slot whose fields cannot be what Confidant writes is damage (the slot's key material
/// itself has no checksum, so damage to it cannot be told from a wrong credential).
fn header_error(e: Error, file: &Path, slot: Option<SlotKind>) -> Error {
    match e {
        // Only the backup's own key stanza is parsed on this path (the local key file was
        // parsed before, and its failures are not reported from here).
        Error::KeyFileCorrupt(_) => Error::BackupCorrupt(BackupCheck::KeyStanza),
        Error::NotABackup(why) if why == NOT_AN_AGE_FILE && starts_like_age(file) => {
            Error::BackupCorrupt(BackupCheck::AgeHeader)
        }
        // And one that does not start like age's at all is not a damaged backup.
        Error::BackupCorrupt(BackupCheck::AgeHeader) if !starts_like_age(file) => Error::NotABackup(NOT_AN_AGE_FILE),
        Error::WrongPassphrase | Error::WrongRecoveryKey
            if slot.is_some_and(|kind| key_stanza(file).is_some_and(|kf| slot_is_malformed(&kf, kind))) =>
        {
            Error::BackupCorrupt(BackupCheck::KeyStanza)
        }
        e => e,
    }
}

/// The key file in a (binary) backup's `confidant-keys v1` stanza, if it parses.
fn key_stanza(file: &Path) -> Option<KeyFile> {
    use base64::Engine;
    let mut r = BufReader::new(std::fs::File::open(file).ok()?.take(1 << 20));
    let mut line = Vec::new();
    let mut next = |line: &mut Vec<u8>| {
        line.clear();
        r.read_until(b'\n', line).ok().filter(|n| *n > 0 && line.ends_with(b"\n")).map(|_| line.pop())
    };
    loop {
        next(&mut line)?;
        if line.starts_with(b"---") {
            return None;
        }
        if line == b"-> confidant-keys v1" {
            break;
        }
    }
    let mut body = Vec::new();
    loop {
        next(&mut line)?;
        body.extend_from_slice(&line);
        if line.len() < 64 {
            break;
        }
    }
    let json = base64::engine::general_purpose::STANDARD_NO_PAD.decode(&body).ok()?;
    KeyFile::parse(&json).ok()
}

/// Whether the slot of `kind` is missing or has fields no key file of Confidant's has.
fn slot_is_malformed(kf: &KeyFile, kind: SlotKind) -> bool {
    use base64::Engine;
    let Some(s) = kf.slot(kind) else { return true };
    let len = |v: &str| base64::engine::general_purpose::STANDARD.decode(v).ok().map(|b| b.len());
    let kdf_ok = match &s.kdf {
        Kdf::Argon2id { salt, params } => {
            // Argon2's own limits (not today's floor: an older slot may be cheaper).
            len(salt).is_some_and(|n| n >= 8)
                && params.p_cost >= 1
                && params.t_cost >= 1
                && params.m_cost_kib >= 8 * params.p_cost
        }
        Kdf::HkdfSha256 { salt } => len(salt).is_some(),
        // An age file: damage to it shows as the custodian's key not opening it.
        Kdf::Age { .. } => return s.aead != "age" || len(&s.wrapped_key).is_none_or(|n| n < 64),
    };
    !kdf_ok || s.aead != "xchacha20poly1305" || len(&s.nonce) != Some(24) || len(&s.wrapped_key) != Some(48)
}

/// The reason `open_age` gives for a header age cannot parse.
const NOT_AN_AGE_FILE: &str = "it is not an age file";

/// Whether the file begins with age's first line, binary or armored (or, cut short, with the
/// beginning of it).
fn starts_like_age(file: &Path) -> bool {
    const BINARY: &[u8] = b"age-encryption.org/v1\n";
    const ARMOR: &[u8] = b"-----BEGIN AGE ENCRYPTED FILE-----";
    let mut head = Vec::new();
    let _ = std::fs::File::open(file).and_then(|f| f.take(4096).read_to_end(&mut head));
    let like = |h: &[u8], magic: &[u8]| h.starts_with(magic) || magic.starts_with(h);
    let trimmed = &head[head.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    like(&head, BINARY) || (!trimmed.is_empty() && like(trimmed, ARMOR))
}

/// Checks the staged snapshot. The file's SHA-256 already matched the manifest, so its bytes
/// are the ones read from the vault, and every page's HMAC was checked as it streamed past
/// (`db::pages`, the proof `cipher_integrity_check` gives, in the same pass as the decryption);
/// this proves they open as the database: the manifest's schema version and every table's row
/// count. SQLite's `integrity_check` and hashing every row through SQL read
/// (and decrypt) every page again and cost several times the whole backup
/// (`examples/bench_backup.rs`); they run only for format 1 backups, whose manifest carries
/// content hashes, as they always did.
fn check_database(path: &Path, u: &Unwrapped, m: &Manifest) -> Result<()> {
    let conn = db::snapshot::open_check(path, &u.key).map_err(|e| match e {
        Error::EncryptionUnavailable => e,
        _ => Error::BackupCorrupt(BackupCheck::DatabaseOpen),
    })?;
    let old_format = m.version < 2;
    if old_format {
        let result: Vec<String> = conn
            .prepare("PRAGMA integrity_check")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(|_| Error::BackupCorrupt(BackupCheck::IntegrityCheck))?;
        if result != ["ok"] {
            return Err(Error::BackupCorrupt(BackupCheck::IntegrityCheck));
        }
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version != m.schema_version {
        return Err(Error::BackupCorrupt(BackupCheck::SchemaVersion));
    }
    let counts = |v: &[format::TableStat]| v.iter().map(|t| (t.name.clone(), t.rows)).collect::<Vec<_>>();
    let found = format::row_counts(&conn).map_err(|_| Error::BackupCorrupt(BackupCheck::RowCounts))?;
    if counts(&found) != counts(&m.tables) {
        return Err(Error::BackupCorrupt(BackupCheck::RowCounts));
    }
    if old_format {
        let stats = format::table_stats(&conn).map_err(|_| Error::BackupCorrupt(BackupCheck::ContentHash))?;
        if stats != m.tables {
            return Err(Error::BackupCorrupt(BackupCheck::ContentHash));
        }
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
    recover_interrupted_restore(vault_dir)?;
    // Replacing is only ever done to a vault; an unrelated folder is never moved.
    check_restore_target(vault_dir, mode)?;
    // Never replace a vault another program has unlocked (the app while the CLI restores).
    let _writer = if vault_dir.join(DB_FILE).exists() { Some(crate::writer::acquire(vault_dir)?) } else { None };
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
    fsutil::sync_dir(&staging.path)?;
    crash_point("staged");

    // The commit protocol (see [`recover_interrupted_restore`] for what a crash at each step
    // leaves and how the next run finishes or undoes it):
    // 1. the verified staging folder becomes `.<name>.restore-ready`;
    // 2. the old vault folder becomes `<name>.before-restore-<time>`;
    // 3. the ready folder becomes `<name>`;
    // 4. the staging lock file inside it is removed.
    let ready = ready_path(parent, &name);
    let lock = staging.rename_and_keep(&ready)?;
    fsutil::sync_dir(parent)?;
    crash_point("ready");
    let undo_ready = |e: Error| {
        let _ = std::fs::remove_dir_all(&ready);
        let _ = fsutil::sync_dir(parent);
        e
    };

    let mut kept_old = None;
    if occupied {
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
        let mut old = parent.join(format!("{}.before-restore-{stamp}", name.to_string_lossy()));
        let mut n = 1;
        while old.exists() {
            n += 1;
            old = parent.join(format!("{}.before-restore-{stamp}-{n}", name.to_string_lossy()));
        }
        std::fs::rename(vault_dir, &old).map_err(|e| undo_ready(Error::io("move the old vault aside")(e)))?;
        crash_point("old_moved");
        if let Err(e) = std::fs::rename(&ready, vault_dir) {
            let _ = std::fs::rename(&old, vault_dir);
            return Err(undo_ready(Error::io("move the restored vault into place")(e)));
        }
        kept_old = Some(old);
    } else {
        if exists {
            // Only a settings file from the first screen (and a writer lock) can be there; the
            // backup brings its own settings.
            let _ = std::fs::remove_file(vault_dir.join(crate::settings::SETTINGS_FILE));
            let _ = std::fs::remove_file(vault_dir.join(crate::writer::WRITER_LOCK));
            std::fs::remove_dir(vault_dir).map_err(|e| undo_ready(Error::io("replace the empty vault folder")(e)))?;
        }
        crash_point("old_moved");
        std::fs::rename(&ready, vault_dir)
            .map_err(|e| undo_ready(Error::io("move the restored vault into place")(e)))?;
    }
    fsutil::sync_dir(parent)?;
    crash_point("moved");
    drop(lock);
    let _ = std::fs::remove_file(vault_dir.join(LOCK));
    fsutil::sync_dir(vault_dir)?;
    let _ = ctl.report(Progress { phase: Phase::Restore, done: 1, total: 1 });
    Ok(RestoreReport {
        verify: report(&c, started),
        kept_old_vault: kept_old,
        used_local_key_file: c.unwrapped.used_local_keys,
    })
}

/// Whether `vault_dir` holds anything besides the settings file (which the first screen writes
/// before any vault exists, e.g. the chosen language; a restore brings its own) and the writer
/// lock file.
pub(crate) fn occupied(vault_dir: &Path) -> bool {
    vault_dir.exists()
        && std::fs::read_dir(vault_dir)
            .map(|d| {
                d.flatten().any(|e| {
                    e.file_name() != crate::settings::SETTINGS_FILE && e.file_name() != crate::writer::WRITER_LOCK
                })
            })
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

/// Test builds can make [`restore`] stop dead at a named step of its commit protocol, as if
/// the process were killed there (a panic: nothing after it runs, no error path undoes it).
#[cfg(test)]
pub(crate) mod crash {
    use std::cell::Cell;

    thread_local! {
        pub(crate) static AT: Cell<Option<&'static str>> = const { Cell::new(None) };
    }

    // The steps, in order: "staged", "ready", "old_moved", "moved".
}

#[cfg(test)]
fn crash_point(name: &'static str) {
    if crash::AT.with(|c| c.get()) == Some(name) {
        panic!("simulated crash at {name}");
    }
}

#[cfg(not(test))]
fn crash_point(_name: &'static str) {}

#[cfg(test)]
mod tests;
