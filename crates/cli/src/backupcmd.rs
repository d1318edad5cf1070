//! Backup, verify and restore.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::bail;
use confidant_core::backup::{
    self, BackupFailure, BackupOptions, BackupRunStatus, Destination, Phase, Progress, RestoreMode, VerifyKeys,
};
use confidant_core::{CancelToken, Code, Error, JobCtl, Vault};

use crate::args::BackupAction;
use crate::prompt::Ctx;

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// Progress on stderr: a rewritten line on a terminal, else (with --progress) a line per 10%.
pub(crate) struct Meter {
    on: bool,
    tty: bool,
    last: Option<(Phase, u8)>,
}

impl Meter {
    pub(crate) fn new(flag: bool) -> Meter {
        let tty = std::io::stderr().is_terminal();
        Meter { on: flag || tty, tty, last: None }
    }

    pub(crate) fn update(&mut self, p: Progress) {
        if !self.on {
            return;
        }
        let pct = p.percent();
        let step = if self.tty { pct } else { pct / 10 * 10 };
        if self.last == Some((p.phase, step)) {
            return;
        }
        let name = match p.phase {
            Phase::Snapshot => "snapshot",
            Phase::Encrypt => "encrypt",
            Phase::Write => "write",
            Phase::Verify => "verify",
            Phase::Decrypt => "decrypt",
            Phase::Restore => "restore",
            Phase::Reencrypt => "reencrypt",
            Phase::Commit => "commit",
            Phase::Erase => "erase",
            Phase::Typeset => "typeset",
            Phase::Compact => "compact",
            Phase::Import => "import",
        };
        let line = match p.phase {
            // Counted in steps, not bytes.
            Phase::Reencrypt | Phase::Commit | Phase::Erase | Phase::Typeset | Phase::Compact | Phase::Import => {
                format!("{name:<8} {pct:>3}%")
            }
            _ if p.total <= 16 => format!("{name:<8} {pct:>3}%"),
            _ => format!("{name:<8} {pct:>3}%  {} of {}", mb(p.done), mb(p.total)),
        };
        let mut err = std::io::stderr().lock();
        if self.tty {
            if self.last.is_some_and(|(ph, _)| ph != p.phase) {
                let _ = writeln!(err);
            }
            let _ = write!(err, "\r{line:<48}");
        } else {
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
        self.last = Some((p.phase, step));
    }

    pub(crate) fn done(&mut self) {
        if self.on && self.tty && self.last.is_some() {
            eprintln!();
        }
    }
}

fn failure(f: Option<BackupFailure>) -> String {
    f.map_or_else(|| "?".to_owned(), |f| f.to_string())
}

pub fn backup(ctx: &Ctx, action: Option<BackupAction>, target: Option<PathBuf>, progress: bool) -> anyhow::Result<()> {
    match action {
        None => run_backup(ctx, target, progress),
        Some(BackupAction::Status) => status(ctx),
        Some(BackupAction::History { limit }) => history(ctx, limit),
        Some(BackupAction::Targets) => {
            targets();
            Ok(())
        }
        Some(BackupAction::SetTarget { dir }) => {
            let mut v = Vault::open(&ctx.vault_dir)?;
            let t = v.set_backup_target(&dir)?;
            println!("Backups will go to {} ({}).", t.path.display(), t.label);
            println!("Confidant wrote a small file named {} there; keep it.", backup::MARKER_FILE);
            Ok(())
        }
        Some(BackupAction::Identity) => identity(ctx),
    }
}

fn run_backup(ctx: &Ctx, target: Option<PathBuf>, progress: bool) -> anyhow::Result<()> {
    let v = ctx.unlock()?;
    let no_target = target.is_none() && v.settings()?.backup.target.is_none();
    let access = std::sync::Mutex::new(v);
    let dest = target.map_or(Destination::Remembered, Destination::Folder);
    let mut meter = Meter::new(progress);
    let result = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        backup::run(&access, &dest, &BackupOptions::default(), &mut ctl)
    };
    meter.done();
    let r = match result {
        Err(e) if e.code() == Code::BackupTargetMissing && no_target => {
            bail!("no backup folder is set; use `confidant backup --target DIR` or `confidant backup set-target DIR`")
        }
        other => other?,
    };
    println!("Backup written and verified: {} ({}, {} rows checked)", r.file_name, mb(r.size_bytes), r.rows);
    for d in &r.deleted {
        println!("Removed an older backup (rotation): {d}");
    }
    Ok(())
}

fn status(ctx: &Ctx) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let s = v.backup_status()?;
    let settings = v.settings()?;
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%d %H:%M UTC").to_string();
    println!("last verified backup: {}", s.last_verified_at.map(when).unwrap_or_else(|| "never".into()));
    if let Some(r) = &s.last_run {
        let outcome = match r.status {
            BackupRunStatus::Verified => "verified".to_owned(),
            BackupRunStatus::Failed => format!("failed ({})", failure(r.failure)),
        };
        println!("last run:             {} {outcome}", when(r.finished_at));
    }
    println!("backup due:           {}", if s.due_now { "yes" } else { "no" });
    println!("reminder:             {}", if s.reminder_due { "yes, back up soon" } else { "no" });
    match &settings.backup.target {
        Some(t) => println!(
            "target:               {} ({}, {})",
            t.path.display(),
            t.label,
            if s.target_available { "available" } else { "not connected" }
        ),
        None => println!("target:               none"),
    }
    Ok(())
}

fn history(ctx: &Ctx, limit: u32) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let rows = v.backup_history(limit)?;
    if rows.is_empty() {
        println!("No backups yet.");
    }
    for r in rows {
        let outcome = match r.status {
            BackupRunStatus::Verified => "verified".to_owned(),
            BackupRunStatus::Failed => format!("failed: {}", failure(r.failure)),
        };
        println!(
            "{}  {:<28}  {:>10}  {:>6.1} s  {}",
            r.finished_at.format("%Y-%m-%d %H:%M"),
            outcome,
            mb(r.size_bytes),
            r.duration_ms as f64 / 1000.0,
            r.file_name.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}

fn targets() {
    let vols = backup::list_volumes();
    if vols.is_empty() {
        println!("No removable disks found. Any folder works too: confidant backup set-target DIR");
    }
    for v in vols {
        println!(
            "{}  {}  {}  {} free of {}",
            v.mount_point.display(),
            v.label,
            v.fs_type.as_deref().unwrap_or("?"),
            mb(v.free_bytes),
            mb(v.total_bytes)
        );
    }
}

fn identity(ctx: &Ctx) -> anyhow::Result<()> {
    // Always the passphrase or recovery key, never the keyring: this reveals the keys.
    let mut v = Vault::open(&ctx.vault_dir)?;
    v.unlock(&ctx.credential()?)?;
    let id = v.backup_identity()?;
    let key = v.database_key()?;
    eprintln!("WARNING: the lines below open every backup of this vault and the vault itself.");
    eprintln!("Anyone who has them can read all your records. Store them like the recovery key,");
    eprintln!("never by e-mail or in the cloud. See docs/recovery.md for how to use them.");
    println!("# Confidant backup identity of vault {}", v.info().vault_id);
    println!("# public key: {}", id.recipient());
    println!("# SQLCipher key of vault.db: PRAGMA key = \"x'{}'\";", key.to_hex().as_str());
    println!("{}", id.to_age_secret().as_str());
    Ok(())
}

pub fn verify(ctx: &Ctx, file: &Path, progress: bool) -> anyhow::Result<()> {
    // Unattended: the keyring's key, when this vault is remembered (never with --recovery-key).
    let key = Vault::open(&ctx.vault_dir).ok().filter(|v| v.info().remembered && !ctx.recovery).and_then(|mut v| {
        confidant_core::Keyring::platform().and_then(|k| v.unlock_remembered(&k)).and_then(|_| v.database_key()).ok()
    });
    let mut ask = || ctx.credential().map_err(|_| Error::Internal("no credential"));
    let keys = VerifyKeys { key, ask: Some(&mut ask), local_vault: Some(ctx.vault_dir.clone()) };
    let mut meter = Meter::new(progress);
    let result = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        backup::verify(file, keys, &mut ctl)
    };
    meter.done();
    let r = result?;
    println!(
        "Backup verified: vault {}, made {} by Confidant {}, {} tables, {} rows, {}.",
        r.vault_id,
        r.created_at.format("%Y-%m-%d %H:%M UTC"),
        r.app_version,
        r.tables,
        r.rows,
        mb(r.size_bytes)
    );
    Ok(())
}

pub fn restore(ctx: &Ctx, file: &Path, replace: bool, progress: bool) -> anyhow::Result<()> {
    let mode = if replace { RestoreMode::ReplaceKeepingOld } else { RestoreMode::New };
    // Before asking for the passphrase: would the restore be refused anyway?
    backup::check_restore_target(&ctx.vault_dir, mode)?;
    let cred = ctx.credential()?;
    let mut meter = Meter::new(progress);
    let result = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        backup::restore(file, &cred, &ctx.vault_dir, mode, &mut ctl)
    };
    meter.done();
    let r = result?;
    println!(
        "Restored the backup made {} into {} ({} rows verified).",
        r.verify.created_at.format("%Y-%m-%d %H:%M UTC"),
        ctx.vault_dir.display(),
        r.verify.rows
    );
    if let Some(old) = r.kept_old_vault {
        println!("The previous vault was kept in {}", old.display());
    }
    if r.used_local_key_file {
        println!("The backup predates a passphrase change; your current passphrase opens the restored vault.");
    }
    Ok(())
}
