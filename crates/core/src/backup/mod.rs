//! Verified, age-encrypted backups and restore.
//!
//! # The file
//! A backup is a standard [age](https://age-encryption.org/v1) file named
//! `confidant-<first 8 hex digits of the vault id>-<UTC time YYYYmmddTHHMMSSZ>.age`. Its
//! recipient is an X25519 key derived from the vault's database key ([`BackupIdentity`]), and
//! its header carries one extra `confidant-keys` stanza holding the vault's `keys.json` (already
//! Argon2id/recovery-key wrapped). So:
//! - backing up needs only an unlocked vault (or the key remembered in the OS keyring), never
//!   the passphrase;
//! - restoring on a fresh machine needs only the passphrase or only the recovery key;
//! - with the identity printed by `confidant backup identity`, the reference `age` CLI decrypts
//!   it (it skips the unknown stanza), and the `vault.db` inside opens in any SQLCipher 4 tool
//!   with the vault key (`docs/recovery.md`).
//!
//! A backup made before a passphrase change still restores: the old passphrase opens the key
//! stanza, and the current passphrase works when the vault's current `keys.json` is present in
//! the restore destination and wraps the same database key (no re-key since the backup). In
//! that case the current key file is the one put in place. After a re-key ([`crate::rekey`])
//! today's credentials get [`crate::Code::BackupFromOlderKeys`] for older backups: those open
//! only with the credentials of their day.
//!
//! The payload is a tar stream: `keys.json`, `settings.json`, `vault.db` (a consistent snapshot
//! of the SQLCipher database, under the vault's own raw key; its attachments are blobs inside
//! it) and `manifest.json` ([`Manifest`]: format version, vault id, time, app and schema
//! version, per-table row counts, each file's size and SHA-256). Format 2 (this build) copies
//! the database's ciphertext pages as they are, so `vault.db` is in WAL journal mode like the
//! live file (a SQLCipher tool opening it creates `-wal`/`-shm` files beside it); format 1
//! (read, never written) had a rollback-journal copy and a content hash per table too.
//!
//! # Making a backup
//! [`run`] (or [`crate::Vault::backup_now`], which calls it) is the one flow; it takes the key
//! from the vault in a moment ([`crate::VaultAccess`]), runs the long part without holding the
//! vault, and records the run. It is a core job ([`crate::job`]): progress and cancellation
//! through a [`crate::JobCtl`], and locking the vault cancels it.
//! 1. snapshot: a second, read-only connection checkpoints the log and holds a read
//!    transaction in which the live `vault.db` on disk is exactly its view (proven by a
//!    checkpoint that finds the whole log copied; see `db::snapshot::hold_live_file`); its
//!    bytes are then streamed into the archive as they are (already ciphertext: no page is
//!    decrypted or re-encrypted) while the app keeps writing to the log. If that cannot be
//!    shown (another reader pins old log frames), the fallback copies page by page with
//!    SQLite's online backup API into a temporary SQLCipher file in the vault folder (0600,
//!    removed afterwards, on error too). Row counts for the manifest come from the same view;
//! 2. pre-flight: FAT32 with an estimate above 4 GiB → [`crate::Code::BackupTooLargeForFat32`];
//!    too little free space → `backup_target_full`; not writable → `backup_target_read_only`;
//!    folder absent → `backup_target_missing`;
//! 3. write `.NAME.partial` in the target (locked while written; a stale one of this vault,
//!    left by a killed run, is removed at the next run) → fsync → rename to `NAME` → fsync the
//!    folder. A failure (disk full, unplugged) removes the partial file; earlier backups are
//!    never touched;
//! 4. read the file back from the target and verify it completely (below); a file that fails
//!    is deleted, so a final name always means "verified";
//! 5. rotation ([`crate::Retention`]): only after that, and only files proven to be this
//!    vault's (name and the vault id in the header);
//! 6. the run is recorded in the vault ([`BackupRecord`], no paths) — failures too.
//!
//! # Verify and restore
//! [`verify_file`] / [`verify_file_with_key`] and [`restore`] read the file once: age decrypts
//! and authenticates it (to its last chunk) into a private staging folder (restore: next to the
//! destination, fsynced; verify: the system temp folder, or the vault folder right after a
//! backup, not fsynced) while every file is hashed and, on a second thread, every page of
//! `vault.db` has its HMAC checked under the key (`crate::db::pages`, the proof of `PRAGMA
//! cipher_integrity_check` without a second pass); then every hash is checked against the
//! manifest (the SHA-256 of `vault.db` proves the very bytes read from the vault), and the
//! snapshot is opened read-only and its schema version and per-table row counts compared. A format 1 backup also
//! gets `PRAGMA integrity_check` and its per-table content hashes compared. (What each check
//! costs on a 1.2 GB vault: `examples/bench_backup.rs`; SQLite's `integrity_check` alone took
//! longer than the whole format 2 backup.)
//! Failures are [`crate::Code::BackupCorrupt`] with a stable check code in the message
//! (`age_header`, `header_mac`, `key_stanza`, `key_mismatch`, `payload`, `archive`, `manifest`,
//! `missing_file`, `file_hash`, `vault_id`, `keys_file`, `database_open`, `integrity_check`,
//! `cipher_integrity_check`, `schema_version`, `row_counts`, `content_hash`), or
//! `not_a_backup`, `wrong_passphrase`, `wrong_recovery_key` ([`BackupCheck`] names each check).
//! Nothing staged is kept on failure.
//! Restore over an existing vault needs [`RestoreMode::ReplaceKeepingOld`]; the old folder is
//! renamed to `<name>.before-restore-<UTC time>` next to it.
//!
//! # Targets
//! [`list_volumes`] lists removable volumes; [`make_target`] (or
//! [`crate::Vault::set_backup_target`]) writes a `.confidant-target` marker with a random id
//! into the chosen folder and remembers it in [`crate::Settings`]; [`find_target`] finds it
//! again, also when the disk mounts elsewhere. [`crate::Vault::backup_status`] says whether a
//! backup is due (`interval_hours`) and whether to remind (`reminder_days`);
//! [`crate::Vault::auto_backup_target`] tells the app when to start an automatic backup.
//!
//! # For front ends
//! - Backup: [`run`] with [`Destination::Remembered`] (the app, `confidant backup`) or
//!   [`Destination::Folder`] (`confidant backup --target`); [`run_if_due`] for automatic
//!   backups. Neither front end finds targets, takes keys or records runs itself.
//! - Verify: [`verify`] with [`VerifyKeys`] (the vault's key if unlocked or remembered, else the
//!   credential, asked for only when needed). Restore: [`crate::Workspace::restore`] in the
//!   app, [`restore`] in the CLI after [`check_restore_target`].
//! - Settings and targets: `Vault::set_backup_target(dir)`, [`list_volumes`], [`find_target`],
//!   `Vault::settings()` / `Vault::update_settings()`.
//! - History and reminder: `Vault::backup_history(limit)`, `Vault::backup_status()`; a failed
//!   run carries a [`BackupFailure`] (its code and, for a damaged file, the [`BackupCheck`]).
//! - `Vault::backup_identity()` is for the recovery procedure only.
//! - Errors carry the codes `backup_target_missing`, `backup_target_read_only`,
//!   `backup_target_full`, `backup_too_large_for_fat32`, `backup_corrupt`, `not_a_backup`,
//!   `restore_target_exists`, `cancelled` (and the usual `wrong_passphrase`,
//!   `wrong_recovery_key`, `io`).
//!
//! Progress is reported through the [`crate::JobCtl`] in bytes per [`Phase`].

pub(crate) mod check;
mod flow;
pub(crate) mod format;
pub(crate) mod keys;
mod rotation;
mod target;
mod vault_api;
mod write;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use crate::error::BackupCheck;
pub use crate::job::{Phase, Progress};
pub use check::{check_restore_target, restore, verify_file, verify_file_with_key};
pub use flow::{run, run_if_due, verify, Destination, VerifyKeys};
pub use format::{FileEntry, Manifest, TableStat, MANIFEST_FILE};
pub use keys::{open_age, BackupIdentity, KEYS_STANZA_TAG};
pub use target::{find_target, list_volumes, make_target, Volume, MARKER_FILE};
pub use write::{BackupJob, BackupOptions, BackupOutcome, Fault};

/// Why a recorded run failed: the error's code and, for a damaged file, the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupFailure {
    /// The error code.
    pub code: crate::Code,
    /// For `backup_corrupt`: the check that failed.
    pub check: Option<BackupCheck>,
}

/// The stored (and printed) form: `code` or `backup_corrupt:check`.
impl std::fmt::Display for BackupFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.check {
            Some(c) => write!(f, "{}:{}", self.code.as_str(), c.as_str()),
            None => f.write_str(self.code.as_str()),
        }
    }
}

fn unknown(_: crate::kinds::UnknownName) -> crate::Error {
    crate::Error::Database("unknown failure code".to_owned())
}

impl BackupFailure {
    /// The failure an error stands for.
    pub fn of(e: &crate::Error) -> Self {
        match e {
            crate::Error::BackupCorrupt(c) => BackupFailure { code: crate::Code::BackupCorrupt, check: Some(*c) },
            other => BackupFailure { code: other.code(), check: None },
        }
    }

    /// Parses the stored form; an unknown code or check is an error.
    pub(crate) fn from_stored(s: &str) -> crate::Result<Self> {
        let (code, check) = match s.split_once(':') {
            Some((c, k)) => (c, Some(crate::kinds::parse_closed::<BackupCheck>(k).map_err(unknown)?)),
            None => (s, None),
        };
        Ok(BackupFailure { code: crate::kinds::parse_closed(code).map_err(unknown)?, check })
    }
}

/// A finished, verified backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupReport {
    /// The file name in the target folder.
    pub file_name: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Wall time in milliseconds, verification included.
    pub duration_ms: u64,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// Tables checked.
    pub tables: u64,
    /// Rows checked.
    pub rows: u64,
    /// Old backups deleted by rotation (file names).
    pub deleted: Vec<String>,
}

/// The outcome of a recorded run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum BackupRunStatus {
    /// Written and verified.
    Verified,
    /// Failed; see `failed_check`.
    Failed,
}

/// One row of the backup history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupRecord {
    /// Row id.
    pub id: i64,
    /// Start time.
    pub started_at: DateTime<Utc>,
    /// End time.
    pub finished_at: DateTime<Utc>,
    /// File name (no folder); absent when nothing was written.
    pub file_name: Option<String>,
    /// The target's label.
    pub target_label: String,
    /// Size in bytes.
    pub size_bytes: u64,
    /// Duration in milliseconds.
    pub duration_ms: u64,
    /// Verified or failed.
    pub status: BackupRunStatus,
    /// For failures: why.
    pub failure: Option<BackupFailure>,
}

/// Whether a backup is due and whether to remind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BackupStatus {
    /// The last verified backup.
    pub last_verified_at: Option<DateTime<Utc>>,
    /// The last run of any outcome.
    pub last_run: Option<BackupRecord>,
    /// No verified backup for `reminder_days` (counting from the vault's creation).
    pub reminder_due: bool,
    /// `interval_hours` have passed since the last verified backup (or there is none).
    pub due_now: bool,
    /// A target folder is remembered.
    pub target_configured: bool,
    /// The remembered target is available now (disk plugged in).
    pub target_available: bool,
}

/// A complete check of a backup file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyReport {
    /// The vault the backup belongs to.
    pub vault_id: Uuid,
    /// When the backup's snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// The Confidant version that wrote it.
    pub app_version: String,
    /// Its database schema version.
    pub schema_version: i64,
    /// File size in bytes.
    pub size_bytes: u64,
    /// Tables checked.
    pub tables: u64,
    /// Rows checked.
    pub rows: u64,
    /// Time taken in milliseconds.
    pub duration_ms: u64,
}

/// How [`restore`] treats an existing vault in the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RestoreMode {
    /// Only into an empty or absent folder.
    New,
    /// Replace an existing vault, keeping the old folder aside (dated sibling).
    ReplaceKeepingOld,
}

/// A finished restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RestoreReport {
    /// The checks that passed before anything was moved.
    pub verify: VerifyReport,
    /// Where the replaced vault was moved (a sibling of the vault folder).
    pub kept_old_vault: Option<PathBuf>,
    /// The backup predated a passphrase change, so the current key file was kept.
    pub used_local_key_file: bool,
}
