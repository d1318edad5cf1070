//! The backup methods on [`Vault`].

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use rusqlite::params;

use super::keys::BackupIdentity;
use super::target::{find_target, make_target};
use super::write::{BackupJob, BackupOptions, BackupOutcome};
use super::{BackupRecord, BackupReport, BackupRunStatus, BackupStatus, Progress};
use crate::settings::{BackupTarget, Settings};
use crate::{time, Error, Result, Vault};

impl Vault {
    /// Takes what a backup needs (key, key file, settings) from the unlocked vault, so the
    /// caller can run [`BackupJob::run`] without holding the vault.
    pub fn prepare_backup(&mut self) -> Result<BackupJob> {
        let key = self.database_key()?;
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

    /// Records a run in the history: a verified outcome, or the error that stopped it.
    pub fn record_backup(
        &mut self,
        started_at: DateTime<Utc>,
        target_label: &str,
        result: std::result::Result<&BackupOutcome, &Error>,
    ) -> Result<()> {
        let finished = Utc::now();
        let (file, size, status, check) = match result {
            Ok(o) => (Some(o.file_name.clone()), o.size_bytes, "verified", None),
            Err(e) => (None, 0, "failed", Some(failed_check(e))),
        };
        let duration = (finished - started_at).num_milliseconds().max(0);
        self.session()?.conn.execute(
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
                check
            ],
        )?;
        Ok(())
    }

    /// Backs up to `target_dir`, verifies, rotates and records the run (see the module docs).
    pub fn backup_now(&mut self, target_dir: &Path, progress: &mut dyn FnMut(Progress)) -> Result<BackupReport> {
        self.backup_now_with(target_dir, &BackupOptions::default(), progress)
    }

    /// [`Vault::backup_now`] with options (a target label; test fault injection).
    pub fn backup_now_with(
        &mut self,
        target_dir: &Path,
        opts: &BackupOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<BackupReport> {
        let started = Utc::now();
        let job = self.prepare_backup()?;
        let label = if opts.target_label.is_empty() {
            job.settings.backup.target.as_ref().map(|t| t.label.clone()).unwrap_or_default()
        } else {
            opts.target_label.clone()
        };
        let result = job.run(target_dir, opts, progress);
        self.record_backup(started, &label, result.as_ref())?;
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

    /// Backs up to the remembered target; `backup_target_missing` when none is set or the
    /// disk is not plugged in (the failure is recorded too).
    pub fn backup_to_target(&mut self, progress: &mut dyn FnMut(Progress)) -> Result<BackupReport> {
        let settings = self.settings()?;
        let found = settings.backup.target.as_ref().and_then(find_target);
        match found {
            Some(dir) => {
                // The disk mounted somewhere new: remember where, for the next run and the UI.
                if let Some(mut t) = settings.backup.target.clone().filter(|t| t.path != dir) {
                    t.path = dir.clone();
                    let mut s = settings.clone();
                    s.backup.target = Some(t);
                    let _ = self.update_settings(&s);
                }
                self.backup_now(&dir, progress)
            }
            None => {
                let label = settings.backup.target.map(|t| t.label).unwrap_or_default();
                let e = Error::BackupTargetMissing;
                self.record_backup(Utc::now(), &label, Err(&e))?;
                Err(e)
            }
        }
    }

    /// Chooses `dir` as the backup target: writes its marker and remembers it in the settings.
    pub fn set_backup_target(&mut self, dir: &Path) -> Result<BackupTarget> {
        let t = make_target(dir)?;
        let mut s = self.settings()?;
        s.backup.target = Some(t.clone());
        self.update_settings(&s)?;
        Ok(t)
    }

    /// The most recent runs, newest first.
    pub fn backup_history(&mut self, limit: u32) -> Result<Vec<BackupRecord>> {
        let conn = &self.session()?.conn;
        let mut st = conn.prepare(
            "SELECT id, started_at, finished_at, file_name, target_label, size_bytes, duration_ms, status, failed_check
             FROM backup_run ORDER BY finished_at DESC, id DESC LIMIT ?1",
        )?;
        let rows = st.query_map([limit], |r| {
            Ok(BackupRecord {
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
                failed_check: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a backup is due now and whether the reminder is due.
    pub fn backup_status(&mut self) -> Result<BackupStatus> {
        let settings = self.settings()?;
        let created = self.key_file().created_at;
        let last_verified: Option<String> = self.session()?.conn.query_row(
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
        BackupIdentity::derive(&self.database_key()?)
    }
}

/// The code recorded for a failed run: the check for a damaged file, else the error code.
fn failed_check(e: &Error) -> String {
    match e {
        Error::BackupCorrupt(check) => format!("backup_corrupt:{check}"),
        other => serde_json::to_value(other.code())
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| "internal".to_owned()),
    }
}
