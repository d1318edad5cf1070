//! Backups: status, history, target, run now (with progress), verify and restore.
//!
//! Every rule (due, reminder, rotation, checks) lives in `confidant_core::backup`. The long
//! part of a backup runs without holding the vault, so the app stays usable meanwhile.
//! Paths come only from the shell's own native dialogs or from the volume list: the webview
//! cannot point the shell at a folder or file the person did not pick.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use confidant_core::backup::{
    self, BackupOptions, BackupRecord, BackupReport, BackupStatus, Progress, RestoreMode, VerifyReport, Volume,
};
use confidant_core::{Error, Settings};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::vault::{AppStatus, CredentialInput};
use crate::state::{internal, ipc, AppState, CmdResult};

/// Whether a backup is due, the reminder, and whether the target disk is plugged in.
#[tauri::command]
#[specta::specta]
pub async fn backup_status(state: State<'_, AppState>) -> CmdResult<BackupStatus> {
    state.with_vault(|v| v.backup_status()).await
}

/// The most recent backup runs, newest first.
#[tauri::command]
#[specta::specta]
pub async fn backup_history(state: State<'_, AppState>, limit: u32) -> CmdResult<Vec<BackupRecord>> {
    state.with_vault(move |v| v.backup_history(limit)).await
}

/// Mounted removable disks a backup could go to.
#[tauri::command]
#[specta::specta]
pub async fn list_volumes() -> CmdResult<Vec<Volume>> {
    tauri::async_runtime::spawn_blocking(backup::list_volumes).await.map_err(|_| internal("listing disks"))
}

/// Opens the native folder dialog; the picked folder (or null) can then go to
/// `set_backup_target`.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let picked = tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_folder())
        .await
        .map_err(|_| internal("the folder dialog failed"))?
        .and_then(|p| p.into_path().ok());
    state.set_chosen(picked.clone());
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// Opens the native file dialog for a backup file (`.age`); the picked file (or null) can then
/// go to `verify_backup` or `restore_backup`.
#[tauri::command]
#[specta::specta]
pub async fn choose_backup_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog().file().add_filter("Confidant backup", &["age"]).blocking_pick_file()
    })
    .await
    .map_err(|_| internal("the file dialog failed"))?
    .and_then(|p| p.into_path().ok());
    state.set_chosen(picked.clone());
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

fn is_volume(p: &Path) -> bool {
    backup::list_volumes().iter().any(|v| v.mount_point == p)
}

/// Remembers `path` as the backup target (a folder picked with `choose_backup_folder`, or a
/// disk from `list_volumes`) and returns the updated settings.
#[tauri::command]
#[specta::specta]
pub async fn set_backup_target(state: State<'_, AppState>, path: String) -> CmdResult<Settings> {
    let path = PathBuf::from(path);
    let picked = state.was_chosen(&path);
    state
        .with_vault(move |v| {
            if !v.is_unlocked() {
                return Err(Error::Locked);
            }
            if !picked && !is_volume(&path) {
                return Err(Error::invalid("path", "not_chosen"));
            }
            v.set_backup_target(&path)?;
            v.settings()
        })
        .await
}

/// Sends progress at most every 100 ms (and at each phase change and at the end).
fn throttled(channel: Option<Channel<Progress>>) -> impl FnMut(Progress) + Send {
    let mut last: Option<(Instant, Progress)> = None;
    move |p: Progress| {
        let due = match last {
            None => true,
            Some((t, prev)) => prev.phase != p.phase || p.done >= p.total || t.elapsed() >= Duration::from_millis(100),
        };
        if due {
            last = Some((Instant::now(), p));
            if let Some(c) = &channel {
                let _ = c.send(p);
            }
        }
    }
}

/// Backs up to the remembered target now: snapshot, encrypt, write, verify, rotate, record.
/// Shared by the command and the automatic task.
pub async fn run_backup(state: &AppState, progress: Option<Channel<Progress>>) -> CmdResult<BackupReport> {
    let _running = state.backup_running.lock().await;
    let started = Utc::now();
    let (job, settings) = state.with_vault(|v| Ok((v.prepare_backup()?, v.settings()?))).await?;
    let target = settings.backup.target.clone();
    let label = target.as_ref().map(|t| t.label.clone()).unwrap_or_default();
    let opts = BackupOptions { target_label: label.clone(), ..Default::default() };
    let result = tauri::async_runtime::spawn_blocking(move || {
        let dir = target.as_ref().and_then(backup::find_target).ok_or(Error::BackupTargetMissing)?;
        let mut send = throttled(progress);
        job.run(&dir, &opts, &mut send)
    })
    .await
    .map_err(|_| internal("the backup stopped"))?;
    let report = match &result {
        Ok(o) => Ok(BackupReport {
            file_name: o.file_name.clone(),
            size_bytes: o.size_bytes,
            duration_ms: o.duration_ms,
            created_at: o.started_at,
            tables: o.verify.tables,
            rows: o.verify.rows,
            deleted: o.deleted.clone(),
        }),
        Err(e) => Err(e.to_ipc()),
    };
    // Recorded in the vault; if it was locked meanwhile the file on disk still stands.
    let _ = state
        .with_vault(move |v| if v.is_unlocked() { v.record_backup(started, &label, result.as_ref()) } else { Ok(()) })
        .await;
    report
}

/// Backs up to the remembered target now, reporting progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>, on_progress: Channel<Progress>) -> CmdResult<BackupReport> {
    run_backup(&state, Some(on_progress)).await
}

/// Checks a backup file completely (decrypt, hashes, integrity, row counts). With the vault
/// unlocked no credential is needed; otherwise give the passphrase or the recovery key.
#[tauri::command]
#[specta::specta]
pub async fn verify_backup(
    state: State<'_, AppState>,
    file: String,
    credential: Option<CredentialInput>,
    on_progress: Channel<Progress>,
) -> CmdResult<VerifyReport> {
    let key = match credential {
        Some(_) => None,
        None => Some(state.with_vault(|v| v.database_key()).await?),
    };
    let file = PathBuf::from(file);
    if !state.was_chosen(&file) {
        return Err(Error::invalid("file", "not_chosen").to_ipc());
    }
    tauri::async_runtime::spawn_blocking(move || {
        let mut send = throttled(Some(on_progress));
        match (key, credential) {
            (Some(k), _) => backup::verify_file_with_key(&file, &k, &mut send),
            (None, Some(c)) => backup::verify_file(&file, &c.into_credential()?, &mut send),
            (None, None) => Err(Error::Locked),
        }
    })
    .await
    .map_err(|_| internal("the check stopped"))?
    .map_err(ipc)
}

/// Restores a backup into the app's vault folder and unlocks it with the same credential.
/// Over an existing vault only with `replace` (the old one is kept aside, dated). Closes the
/// open vault (and the demo) first.
#[tauri::command]
#[specta::specta]
pub async fn restore_backup(
    state: State<'_, AppState>,
    file: String,
    credential: CredentialInput,
    replace: bool,
    on_progress: Channel<Progress>,
) -> CmdResult<AppStatus> {
    let file = PathBuf::from(file);
    if !state.was_chosen(&file) {
        return Err(Error::invalid("file", "not_chosen").to_ipc());
    }
    let home = state.home_dir.clone();
    let mode = if replace { RestoreMode::ReplaceKeepingOld } else { RestoreMode::New };
    state
        .run(move |inner| {
            let cred = credential.into_credential()?;
            inner.lock();
            inner.vault = None;
            inner.dir = home;
            inner.demo = false;
            let mut send = throttled(Some(on_progress));
            backup::restore(&file, &cred, &inner.dir, mode, &mut send)?;
            inner.vault()?.unlock(&cred)?;
            let v = inner.vault()?;
            Ok(AppStatus { exists: true, info: Some(v.info()), demo: false })
        })
        .await
}
