//! Making a backup: snapshot → pre-flight → archive → age → `.NAME.partial` in the target →
//! fsync → rename → fsync folder → read back and verify → rotate.
//!
//! The snapshot is normally the live `vault.db` itself, read while a read transaction pins it
//! (`db::snapshot::hold_live_file`): its pages are already SQLCipher ciphertext, so they go
//! into the archive as they are, hashed on the way, without being decrypted and encrypted
//! again. When that cannot be shown safe, the old way (SQLite's online backup into a
//! temporary file) is the fallback.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::check::verify_with;
use super::format::{self, prefix, Manifest};
use super::keys::{BackupIdentity, BackupRecipient, Unlocker};
use super::target::{self, io_kind_error};
use super::{rotation, BackupCheck, VerifyReport};
use crate::job::{JobCtl, Phase, Progress};
use crate::keys::secret::DatabaseKey;
use crate::paths::{DB_FILE, KEY_FILE};
use crate::settings::{Settings, SETTINGS_FILE};
use crate::{db, fsutil, Error, Result};

const FAT32_LIMIT: u64 = 4 * 1024 * 1024 * 1024 - 1;
/// Headroom for the age header, tar headers and file-system overhead.
const MARGIN: u64 = 8 * 1024 * 1024;

/// Injected failures, for tests of full and read-only targets without root-only tricks.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Writing fails with "no space left" after this many bytes of the backup file.
    FullAfter(u64),
    /// Creating files in the target fails with "read-only file system".
    ReadOnly,
    /// Pretend the target is FAT32.
    Fat32,
    /// Pretend the target has this many free bytes.
    FreeBytes(u64),
    /// Pretend the backup will be this large (to test the FAT32 limit without 4 GiB of data).
    SizeEstimate(u64),
    /// Flip a bit in the written file before it is read back (a disk that corrupts data).
    CorruptOnDisk,
    /// Take the snapshot with the online backup API even when the live file could be used.
    OnlineCopy,
}

/// Options for one backup run.
#[derive(Debug, Clone, Default)]
pub struct BackupOptions {
    /// A label for the history (e.g. the volume name); never a full path.
    pub target_label: String,
    #[doc(hidden)]
    pub faults: Vec<Fault>,
    /// The time the backup is stamped with (file name, manifest); `None` is the clock. Tests
    /// set it instead of waiting for the clock to move on.
    pub now: Option<DateTime<Utc>>,
}

/// Everything a backup needs, taken from an unlocked vault in a moment, so the long part
/// ([`BackupJob::run`]) holds no lock on the [`crate::Vault`].
pub struct BackupJob {
    pub(crate) dir: PathBuf,
    pub(crate) vault_id: Uuid,
    pub(crate) key: DatabaseKey,
    pub(crate) keys_json: Vec<u8>,
    pub(crate) settings: Settings,
}

impl std::fmt::Debug for BackupJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupJob").field("vault_id", &self.vault_id).finish_non_exhaustive()
    }
}

/// The result of a successful, verified backup.
#[derive(Debug, Clone)]
pub struct BackupOutcome {
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// The final file name (in the target folder).
    pub file_name: String,
    /// The full path of the file.
    pub path: PathBuf,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Wall time, including verification.
    pub duration_ms: u64,
    /// The read-back verification.
    pub verify: VerifyReport,
    /// Older backups that rotation deleted (file names).
    pub deleted: Vec<String>,
}

fn fault(opts: &BackupOptions, f: impl Fn(&Fault) -> bool) -> Option<Fault> {
    opts.faults.iter().copied().find(|x| f(x))
}

/// Removes `.confidant-<id8>-*.partial` files that no running backup holds a lock on.
fn clean_stale_partials(target: &Path, vault_id: &Uuid) {
    let head = format!(".{}", prefix(vault_id));
    for e in std::fs::read_dir(target).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with(&head) && name.ends_with(".partial") {
            if let Ok(f) = File::open(e.path()) {
                // A live writer holds an exclusive lock; a killed one held nothing.
                if fs4::fs_std::FileExt::try_lock_exclusive(&f).unwrap_or(false) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
}

/// A writer that counts and reports bytes, and can be told to fail like a full disk.
struct Sink<'p, 'c> {
    file: File,
    written: u64,
    total: u64,
    full_after: Option<u64>,
    ctl: &'p mut JobCtl<'c>,
}

impl Write for Sink<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut buf = buf;
        if let Some(limit) = self.full_after {
            if self.written >= limit {
                return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
            }
            buf = &buf[..buf.len().min((limit - self.written) as usize)];
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        self.ctl.io_report(Progress { phase: Phase::Write, done: self.written.min(self.total), total: self.total })?;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// A snapshot file in the vault folder, removed on drop. It is SQLCipher ciphertext. A locked
/// sidecar file marks it as in use, so a later run can tell a killed run's leftovers from a
/// backup running right now (the app and a scheduled CLI run at the same time).
struct SnapshotFile {
    db: PathBuf,
    lock: PathBuf,
    _held: File,
}

const SNAPSHOT_PREFIX: &str = ".backup-snapshot-";

impl SnapshotFile {
    fn new(vault_dir: &Path) -> Result<SnapshotFile> {
        let stem = format!("{SNAPSHOT_PREFIX}{}", hex::encode(crate::keys::crypto::random::<6>()?));
        let lock = vault_dir.join(format!("{stem}.lock"));
        let held = fsutil::private_create_new(&lock)?;
        let _ = fs4::fs_std::FileExt::try_lock_exclusive(&held);
        Ok(SnapshotFile { db: vault_dir.join(format!("{stem}.db")), lock, _held: held })
    }

    fn remove_files(db: &Path) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = db.to_path_buf().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }

    /// Removes snapshots (and their lock files) that no live run holds.
    fn clean_stale(vault_dir: &Path) {
        for e in std::fs::read_dir(vault_dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let Some(stem) = name.strip_prefix(SNAPSHOT_PREFIX).and_then(|n| n.strip_suffix(".lock")) else {
                continue;
            };
            let free = File::open(e.path())
                .map(|f| fs4::fs_std::FileExt::try_lock_exclusive(&f).unwrap_or(false))
                .unwrap_or(false);
            if free {
                Self::remove_files(&vault_dir.join(format!("{SNAPSHOT_PREFIX}{stem}.db")));
                let _ = std::fs::remove_file(e.path());
            }
        }
        // A snapshot without its lock file (killed between the two) is stale too.
        for e in std::fs::read_dir(vault_dir).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_prefix(SNAPSHOT_PREFIX).and_then(|n| n.strip_suffix(".db")) {
                if !vault_dir.join(format!("{SNAPSHOT_PREFIX}{stem}.lock")).exists() {
                    Self::remove_files(&e.path());
                }
            }
        }
    }
}

impl Drop for SnapshotFile {
    fn drop(&mut self) {
        Self::remove_files(&self.db);
        let _ = std::fs::remove_file(&self.lock);
    }
}

/// The source connection; its read transaction (if one is open) ends on drop, so the app's
/// checkpoints can go on.
struct EndRead(rusqlite::Connection);

impl Drop for EndRead {
    fn drop(&mut self) {
        if !self.0.is_autocommit() {
            let _ = self.0.execute_batch("COMMIT;");
        }
    }
}

/// Removes a partial file on drop unless disarmed.
struct PartialGuard(Option<PathBuf>);

impl Drop for PartialGuard {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}

impl BackupJob {
    /// Makes a verified backup of the vault into `target_dir`. See the module docs for every
    /// step; any failure leaves earlier backups untouched and no file under a final name.
    pub fn run(&self, target_dir: &Path, opts: &BackupOptions, ctl: &mut JobCtl<'_>) -> Result<BackupOutcome> {
        ctl.check()?;
        let token = ctl.token().clone();
        // Whatever step a cancellation interrupted, the outcome is "cancelled".
        self.run_inner(target_dir, opts, ctl).map_err(|e| token.check().err().unwrap_or(e))
    }

    fn run_inner(&self, target_dir: &Path, opts: &BackupOptions, ctl: &mut JobCtl<'_>) -> Result<BackupOutcome> {
        let t0 = Instant::now();
        let started_at = opts.now.unwrap_or_else(Utc::now);
        if !target_dir.is_dir() {
            return Err(Error::BackupTargetMissing);
        }
        clean_stale_partials(target_dir, &self.vault_id);

        // 1. Snapshot: the live file under a held read transaction, or a copy next to the vault
        //    (ciphertext, private, removed on every path).
        SnapshotFile::clean_stale(&self.dir);
        let db_path = self.dir.join(DB_FILE);
        let src = db::snapshot::open_source(&db_path, &self.key)?;
        let live = match fault(opts, |f| *f == Fault::OnlineCopy) {
            Some(_) => None,
            None => db::snapshot::hold_live_file(&src, &db_path, &self.key)?,
        };
        // Ends the read transaction however this function returns.
        let src = EndRead(src);
        let (snap, snap_size, check) = match live {
            Some(len) => {
                ctl.report(Progress { phase: Phase::Snapshot, done: len, total: len })?;
                (None, len, None)
            }
            None => {
                let snap = SnapshotFile::new(&self.dir)?;
                let page_size = db::snapshot::pragma_u64(&src.0, "page_size")?.max(1);
                let mut pages = |done: u64, total: u64| {
                    ctl.report(Progress { phase: Phase::Snapshot, done: done * page_size, total: total * page_size })
                };
                db::snapshot::snapshot(&src.0, &snap.db, &self.key, &mut pages)?;
                let check = db::snapshot::open_check(&snap.db, &self.key)?;
                let len = std::fs::metadata(&snap.db).map_err(Error::io("read the snapshot"))?.len();
                (Some(snap), len, Some(check))
            }
        };
        let manifest = {
            // The view the bytes are of: the held transaction, or the copy.
            let view = check.as_ref().unwrap_or(&src.0);
            Manifest {
                format: "confidant-backup".into(),
                version: format::FORMAT_VERSION,
                vault_id: self.vault_id,
                created_at: started_at,
                app_version: env!("CARGO_PKG_VERSION").into(),
                schema_version: view.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                tables: format::row_counts(view)?,
                files: Vec::new(),
            }
        };
        drop(check);
        ctl.check()?;
        let settings_json =
            serde_json::to_vec_pretty(&self.settings).map_err(|_| Error::Internal("settings do not serialize"))?;
        let plain = snap_size + self.keys_json.len() as u64 + settings_json.len() as u64 + 64 * 1024;
        let estimate = match fault(opts, |f| matches!(f, Fault::SizeEstimate(_))) {
            Some(Fault::SizeEstimate(n)) => n,
            _ => plain + plain / 4096 + 64 * 1024,
        };

        // 2. Pre-flight: FAT32's file limit and free space, before writing anything.
        let fat = fault(opts, |f| *f == Fault::Fat32).is_some()
            || target::fs_type_of(target_dir).is_some_and(|t| target::is_fat32(&t));
        if fat && estimate > FAT32_LIMIT - MARGIN {
            return Err(Error::BackupTooLargeForFat32 { size_mb: estimate.div_ceil(1 << 20) });
        }
        let free = match fault(opts, |f| matches!(f, Fault::FreeBytes(_))) {
            Some(Fault::FreeBytes(n)) => n,
            _ => target::free_space(target_dir)?,
        };
        if free < estimate + MARGIN {
            return Err(Error::BackupTargetFull {
                needed_mb: (estimate + MARGIN).div_ceil(1 << 20),
                free_mb: free / (1 << 20),
            });
        }

        // 3. Write `.NAME.partial`, locked while we write it.
        let stamp = started_at.format("%Y%m%dT%H%M%SZ");
        let mut final_name = format!("{}{stamp}.age", prefix(&self.vault_id));
        let mut n = 1;
        while target_dir.join(&final_name).exists() || target_dir.join(format!(".{final_name}.partial")).exists() {
            n += 1;
            final_name = format!("{}{stamp}-{n}.age", prefix(&self.vault_id));
        }
        let partial = target_dir.join(format!(".{final_name}.partial"));
        if fault(opts, |f| *f == Fault::ReadOnly).is_some() {
            return Err(Error::BackupTargetReadOnly);
        }
        let file = fsutil::private_create_new(&partial).map_err(target::write_error)?;
        let guard = PartialGuard(Some(partial.clone()));
        let _ = fs4::fs_std::FileExt::try_lock_exclusive(&file);
        let full_after = match fault(opts, |f| matches!(f, Fault::FullAfter(_))) {
            Some(Fault::FullAfter(n)) => Some(n),
            _ => None,
        };
        let identity = BackupIdentity::derive(&self.key)?;
        let recipient = BackupRecipient::new(&identity, self.keys_json.clone());
        let write = (|| -> std::io::Result<File> {
            let sink = Sink { file, written: 0, total: estimate, full_after, ctl: &mut *ctl };
            let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(std::io::Error::other)?;
            let aged = enc.wrap_output(BufWriter::with_capacity(1 << 20, sink))?;
            let small: [(&str, &[u8]); 2] = [(KEY_FILE, &self.keys_json), (SETTINGS_FILE, &settings_json)];
            let mut nothing = |_n: u64| {};
            let db = File::open(snap.as_ref().map_or(&db_path, |s| &s.db))?;
            let (aged, _m) = format::write_archive(aged, manifest.clone(), &small, db, snap_size, &mut nothing)?;
            let buf = aged.finish()?;
            let sink = buf.into_inner().map_err(|e| e.into_error())?;
            sink.file.sync_all()?;
            Ok(sink.file)
        })();
        let file = write.map_err(|e| {
            match crate::error::cancelled_in(&e).map_or_else(|| io_kind_error(e.kind()), Error::Cancelled) {
                Error::BackupTargetFull { .. } => {
                    Error::BackupTargetFull { needed_mb: estimate.div_ceil(1 << 20), free_mb: free / (1 << 20) }
                }
                other => other,
            }
        })?;
        drop(src);
        drop(snap);
        let size_bytes = file.metadata().map_err(Error::io("read the backup"))?.len();
        drop(file);

        // 4. Rename into place and make the rename durable.
        let final_path = target_dir.join(&final_name);
        std::fs::rename(&partial, &final_path).map_err(|e| io_kind_error(e.kind()))?;
        std::mem::forget(guard);
        fsutil::sync_dir(target_dir).map_err(target::write_error)?;

        if fault(opts, |f| *f == Fault::CorruptOnDisk).is_some() {
            let mut b = std::fs::read(&final_path).map_err(Error::io("read the backup"))?;
            let n = b.len();
            b[n / 2] ^= 1;
            std::fs::write(&final_path, b).map_err(Error::io("write the backup"))?;
        }

        // 5. Read it back from the target and check everything.
        let verified = verify_with(&final_path, Unlocker::Key(&self.key), &self.dir, &mut *ctl).and_then(|v| {
            if v.vault_id == self.vault_id {
                Ok(v)
            } else {
                Err(Error::BackupCorrupt(BackupCheck::VaultId))
            }
        });
        let verify = match verified {
            Ok(v) => v,
            Err(e) => {
                // A file that failed its own verification is removed: a final name means verified.
                let _ = std::fs::remove_file(&final_path);
                let _ = fsutil::sync_dir(target_dir);
                return Err(e);
            }
        };
        let _ = target::ensure_marker(target_dir);

        // 6. Rotation, only now that a newer verified backup exists.
        let deleted = rotation::rotate(target_dir, &self.vault_id, &final_name, &self.settings.backup.retention);
        Ok(BackupOutcome {
            started_at,
            file_name: final_name,
            path: final_path,
            size_bytes,
            duration_ms: t0.elapsed().as_millis() as u64,
            verify,
            deleted,
        })
    }
}
