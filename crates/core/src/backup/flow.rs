//! The backup flows as front ends call them: one call each for "back up", "back up if due" and
//! "verify this file" ("may I restore here" is `check_restore_target`, beside the restore). The
//! app and the CLI both call these; neither finds targets, picks keys or records runs itself.

use std::path::{Path, PathBuf};

use chrono::Utc;

use super::check::verify_with;
use super::keys::Unlocker;
use super::target::find_target;
use super::write::BackupOptions;
use super::{BackupReport, VerifyReport};
use crate::job::JobCtl;
use crate::keys::keyfile::KeyFile;
use crate::keys::secret::{Credential, DatabaseKey};
use crate::paths::KEY_FILE;
use crate::VaultAccess;
use crate::{Code, Error, Result};

/// Where a backup goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The remembered target (found again if the disk mounted elsewhere).
    Remembered,
    /// This folder, once (the CLI's `--target`).
    Folder(PathBuf),
}

/// Makes a verified backup: takes the key and settings from the vault in a moment, finds the
/// target, writes and verifies without holding the vault, then records the run (and its log
/// row) — failures and cancellations too. The job is tied to the vault's session: locking the
/// vault cancels it ([`crate::Error::Cancelled`]) and the key copy is dropped with it.
pub fn run(
    access: &impl VaultAccess,
    dest: &Destination,
    opts: &BackupOptions,
    ctl: &mut JobCtl<'_>,
) -> Result<BackupReport> {
    let started = Utc::now();
    let handle = ctl.handle();
    let (job, settings) = access.with_vault(|v| {
        v.track_job(&handle)?;
        Ok((v.prepare_backup()?, v.settings()?))
    })?;
    let remembered = settings.backup.target.clone();
    let label = match (&dest, opts.target_label.is_empty()) {
        (_, false) => opts.target_label.clone(),
        (Destination::Remembered, true) => remembered.as_ref().map(|t| t.label.clone()).unwrap_or_default(),
        (Destination::Folder(_), true) => String::new(),
    };
    let dir = match dest {
        Destination::Folder(d) => Some(d.clone()),
        Destination::Remembered => remembered.as_ref().and_then(find_target),
    };
    let result = match &dir {
        None => Err(Error::BackupTargetMissing),
        Some(dir) => job.run(dir, opts, ctl),
    };
    drop(job);
    let moved = match (dest, &remembered, &dir) {
        (Destination::Remembered, Some(t), Some(d)) if &t.path != d => Some(d.clone()),
        _ => None,
    };
    // The vault may have been locked meanwhile (that is what cancelled the job); the file on
    // disk stands either way, and a locked vault records nothing.
    access.with_vault(|v| {
        v.untrack_job(&handle);
        if !v.is_unlocked() {
            return Ok(());
        }
        if let Some(d) = moved {
            // The disk mounted somewhere new: remember where, for the next run and the UI.
            // Best effort: the marker finds the disk again anyway.
            if let Ok(mut s) = v.settings() {
                if let Some(t) = s.backup.target.as_mut() {
                    t.path = d;
                }
                let _ = v.save_settings(&s);
            }
        }
        v.record_backup(started, &label, result.as_ref())
    })?;
    let o = result?;
    Ok(BackupReport {
        file_name: o.file_name,
        size_bytes: o.size_bytes,
        duration_ms: o.duration_ms,
        created_at: o.started_at,
        tables: o.verify.tables,
        rows: o.verify.rows,
        deleted: o.deleted,
    })
}

/// For the app's automatic backups: backs up to the remembered target when automatic backups
/// are on, a backup is due and the disk is plugged in; `None` when nothing was due.
pub fn run_if_due(access: &impl VaultAccess, ctl: &mut JobCtl<'_>) -> Result<Option<BackupReport>> {
    let due = access.with_vault(|v| if v.is_unlocked() { Ok(v.auto_backup_target()?.is_some()) } else { Ok(false) })?;
    if !due {
        return Ok(None);
    }
    run(access, &Destination::Remembered, &BackupOptions::default(), ctl).map(Some)
}

/// What may open a backup for [`verify`], best first.
#[derive(Default)]
pub struct VerifyKeys<'a> {
    /// The key of an unlocked (or remembered) vault: needs no typing.
    pub key: Option<DatabaseKey>,
    /// Asks for the passphrase or recovery key, only if the key above does not open the file.
    pub ask: Option<&'a mut dyn FnMut() -> Result<Credential>>,
    /// A vault folder whose current key file the credential may open, for backups made before
    /// a passphrase change (their own key file wants the old passphrase).
    pub local_vault: Option<PathBuf>,
}

impl std::fmt::Debug for VerifyKeys<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyKeys").field("local_vault", &self.local_vault).finish_non_exhaustive()
    }
}

/// Verifies a backup file completely, with one policy for the app and the CLI: the vault's
/// key first; if that is not this backup's key (another vault's backup) or there is none, the
/// credential, which opens either the backup's own key file or, for a backup made before a
/// passphrase change, the local vault's current one. A damaged file is reported as damaged,
/// never as a wrong passphrase.
pub fn verify(file: &Path, keys: VerifyKeys<'_>, ctl: &mut JobCtl<'_>) -> Result<VerifyReport> {
    let VerifyKeys { key, ask, local_vault } = keys;
    let temp = std::env::temp_dir();
    if let Some(k) = key {
        match verify_with(file, Unlocker::Key(&k), &temp, ctl) {
            Err(e) if e.code() == Code::NotABackup && ask.is_some() => {}
            other => return other,
        }
    }
    let ask = ask.ok_or(Error::Locked)?;
    let cred = ask()?;
    let local = local_vault.and_then(|d| KeyFile::load(&d.join(KEY_FILE)).ok());
    match verify_with(file, Unlocker::Credential { cred: &cred, local: local.clone() }, &temp, ctl) {
        // No Confidant key stanza (a file someone encrypted with `age -r` to this vault's
        // recipient): the local vault's key, if the credential opens it, is the one to try.
        Err(e) if e.code() == Code::NotABackup => match local.map(|kf| kf.unwrap(&cred)) {
            Some(Ok(k)) => verify_with(file, Unlocker::Key(&k), &temp, ctl),
            _ => Err(e),
        },
        other => other,
    }
}
