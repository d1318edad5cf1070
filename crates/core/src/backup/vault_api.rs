//! The backup methods on [`Vault`].

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use std::cell::RefCell;

use super::keys::BackupIdentity;
use super::target::{find_target, make_target};
use super::write::{BackupJob, BackupOptions, BackupOutcome};
use super::{BackupFailure, BackupRecord, BackupReport, BackupRunStatus, BackupStatus, Destination};
use crate::audit::{Action, Target};
use crate::job::JobCtl;
use crate::kinds::ObjectKind;
use crate::settings::{BackupTarget, Settings};
use crate::{time, Error, Result, Vault};

impl Vault {
    /// Takes what a backup needs (key, key file, settings) from the unlocked vault, so the
    /// caller can run [`BackupJob::run`] without holding the vault.
    pub fn prepare_backup(&mut self) -> Result<BackupJob> {
        let key = self.database_key()?;
        // The backup embeds the key file: it must be the one on disk, not a stale copy.
        self.ensure_keys_current()?;
        let kf = self.key_file();
        let keys_json = serde_json::to_vec_pretty(kf).map_err(|_| Error::Internal("key file encoding"))?;
        Ok(BackupJob {
            dir: self.dir().to_owned(),
            vault_id: kf.vault_id,
            key,
            keys_json,
            settings: Settings::load(self.dir())?,
        })
    }

    /// Records a run in the history (and its access-log row): a verified outcome, or the
    /// error that stopped it.
    pub fn record_backup(
        &mut self,
        started_at: DateTime<Utc>,
        target_label: &str,
        result: std::result::Result<&BackupOutcome, &Error>,
    ) -> Result<()> {
        let finished = Utc::now();
        let (file, size, status, failure) = match result {
            Ok(o) => (Some(o.file_name.clone()), o.size_bytes, "verified", None),
            Err(e) => (None, 0, "failed", Some(BackupFailure::of(e).to_string())),
        };
        let duration = (finished - started_at).num_milliseconds().max(0);
        self.session()?.write(Action::BackupRun, |tx| {
            tx.execute(
                "INSERT INTO backup_run (started_at, finished_at, file_name, target_label, size_bytes, duration_ms, status, failed_check)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    time::to_string(&started_at),
                    time::to_string(&finished),
                    file,
                    target_label,
                    size as i64,
                    duration,
                    status,
                    failure
                ],
            )?;
            Ok(((), Target::record(ObjectKind::Backup, tx.last_insert_rowid())))
        })
    }

    /// Backs up to `target_dir`, verifies, rotates and records the run (see the module docs).
    pub fn backup_now(&mut self, target_dir: &Path, ctl: &mut JobCtl<'_>) -> Result<BackupReport> {
        self.backup_now_with(target_dir, &BackupOptions::default(), ctl)
    }

    /// [`Vault::backup_now`] with options (a target label; test fault injection).
    pub fn backup_now_with(
        &mut self,
        target_dir: &Path,
        opts: &BackupOptions,
        ctl: &mut JobCtl<'_>,
    ) -> Result<BackupReport> {
        super::run(&RefCell::new(self), &Destination::Folder(target_dir.to_owned()), opts, ctl)
    }

    /// Backs up to the remembered target; `backup_target_missing` when none is set or the
    /// disk is not plugged in (the failure is recorded too).
    pub fn backup_to_target(&mut self, ctl: &mut JobCtl<'_>) -> Result<BackupReport> {
        super::run(&RefCell::new(self), &Destination::Remembered, &BackupOptions::default(), ctl)
    }

    /// Chooses `dir` as the backup target: writes its marker and remembers it in the settings.
    pub fn set_backup_target(&mut self, dir: &Path) -> Result<BackupTarget> {
        let t = make_target(dir)?;
        let mut s = self.settings()?;
        s.backup.target = Some(t.clone());
        self.save_settings(&s)?;
        Ok(t)
    }

    /// The most recent runs, newest first.
    pub fn backup_history(&mut self, limit: u32) -> Result<Vec<BackupRecord>> {
        let conn = &self.session()?.reader();
        let mut st = conn.prepare(
            "SELECT id, started_at, finished_at, file_name, target_label, size_bytes, duration_ms, status, failed_check
             FROM backup_run ORDER BY finished_at DESC, id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit], |r| {
            Ok((
                BackupRecord {
                    id: r.get(0)?,
                    started_at: time::parse_ts(&r.get::<_, String>(1)?),
                    finished_at: time::parse_ts(&r.get::<_, String>(2)?),
                    file_name: r.get(3)?,
                    target_label: r.get(4)?,
                    size_bytes: r.get::<_, i64>(5)?.max(0) as u64,
                    duration_ms: r.get::<_, i64>(6)?.max(0) as u64,
                    status: if r.get::<_, String>(7)? == "verified" {
                        BackupRunStatus::Verified
                    } else {
                        BackupRunStatus::Failed
                    },
                    failure: None,
                },
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        rows.map(|r| {
            let (rec, stored) = r?;
            Ok(BackupRecord { failure: stored.as_deref().map(BackupFailure::from_stored).transpose()?, ..rec })
        })
        .collect()
    }

    /// Whether a backup is due now and whether the reminder is due.
    pub fn backup_status(&mut self) -> Result<BackupStatus> {
        let settings = self.settings()?;
        let created = self.key_file().created_at;
        let last_verified: Option<String> = self.session()?.reader().query_row(
            "SELECT max(finished_at) FROM backup_run WHERE status = 'verified'",
            [],
            |r| r.get(0),
        )?;
        let last_verified_at = last_verified.as_deref().map(time::parse_ts);
        let last_run = self.backup_history(1)?.into_iter().next();
        let now = Utc::now();
        let b = &settings.backup;
        let reference = last_verified_at.unwrap_or(created);
        Ok(BackupStatus {
            reminder_due: now - reference >= Duration::days(i64::from(b.reminder_days)),
            due_now: last_verified_at.is_none_or(|t| now - t >= Duration::hours(i64::from(b.interval_hours))),
            last_verified_at,
            last_run,
            target_configured: b.target.is_some(),
            target_available: b.target.as_ref().and_then(find_target).is_some(),
        })
    }

    /// For the app's "back up when the disk appears" loop (poll every minute or on a mount
    /// event): the target folder when automatic backups are on, a backup is due and the
    /// remembered disk is plugged in; else `None`.
    pub fn auto_backup_target(&mut self) -> Result<Option<std::path::PathBuf>> {
        let settings = self.settings()?;
        if !settings.backup.auto {
            return Ok(None);
        }
        let Some(dir) = settings.backup.target.as_ref().and_then(find_target) else { return Ok(None) };
        Ok(self.backup_status()?.due_now.then_some(dir))
    }

    /// The backup identity (for `confidant backup identity` and the recovery procedure).
    pub fn backup_identity(&mut self) -> Result<BackupIdentity> {
        let id = BackupIdentity::derive(&self.database_key()?)?;
        self.session()?.log(Action::IdentityExport, Target::none())?;
        Ok(id)
    }
}
