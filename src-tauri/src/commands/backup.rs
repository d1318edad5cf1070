//! Backups: status, history, target, run now (with progress), verify and restore.
//!
//! Every rule (due, reminder, rotation, checks) lives in `confidant_core::backup`. The long
//! part of a backup runs without holding the vault, so the app stays usable meanwhile.
//! Paths come only from the shell's own native dialogs or from the volume list: the webview
//! cannot point the shell at a folder or file the person did not pick.

use confidant_core::Reason;
use std::path::{Path, PathBuf};

use confidant_core::backup::{
    self, BackupOptions, BackupRecord, BackupReport, BackupStatus, Destination, Progress, RestoreMode, VerifyKeys,
    VerifyReport, Volume,
};
use confidant_core::{AppStatus, CancelToken, Error, JobCtl, Settings};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use super::vault::CredentialInput;
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
    pick_folder(app, &state).await
}

/// The native folder dialog; the picked folder becomes the one path the next command may use
/// (backup target or export folder).
pub(crate) async fn pick_folder<R: Runtime>(app: AppHandle<R>, state: &AppState) -> CmdResult<Option<String>> {
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
                return Err(Error::invalid("path", Reason::NotChosen));
            }
            v.set_backup_target(&path)?;
            v.settings()
        })
        .await
}

/// A job control that sends progress to the UI's channel (the core throttles it).
fn job(channel: Option<Channel<Progress>>, token: CancelToken) -> JobCtl<'static> {
    JobCtl::new(token, move |p| {
        if let Some(c) = &channel {
            let _ = c.send(p);
        }
    })
}

/// Backs up to the remembered target now (the core finds the disk, writes, verifies, rotates
/// and records the run). Shared by the command and the automatic task; never two at once.
pub async fn run_backup(state: &AppState, progress: Option<Channel<Progress>>) -> CmdResult<BackupReport> {
    let _running = state.backup_running.lock().await;
    let shared = state.shared();
    let token = CancelToken::new();
    *state.backup_job.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.clone());
    let result = tauri::async_runtime::spawn_blocking(move || {
        let mut ctl = job(progress, token);
        backup::run(&*shared, &Destination::Remembered, &BackupOptions::default(), &mut ctl)
    })
    .await;
    *state.backup_job.lock().unwrap_or_else(|e| e.into_inner()) = None;
    result.map_err(|_| internal("the backup stopped"))?.map_err(ipc)
}

/// Stops the running backup (the person pressed "Cancel"); it answers `cancelled` and leaves
/// earlier backups and no partial file behind. Nothing running: nothing happens.
#[tauri::command]
#[specta::specta]
pub async fn cancel_backup(state: State<'_, AppState>) -> CmdResult<()> {
    if let Some(t) = state.backup_job.lock().unwrap_or_else(|e| e.into_inner()).as_ref() {
        t.cancel(confidant_core::CancelReason::Person);
    }
    Ok(())
}

/// Backs up to the remembered target now, reporting progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn backup_now(state: State<'_, AppState>, on_progress: Channel<Progress>) -> CmdResult<BackupReport> {
    run_backup(&state, Some(on_progress)).await
}

/// Checks a backup file completely (decrypt, hashes, integrity, row counts). With the vault
/// unlocked no credential is needed; otherwise give the passphrase or the recovery key. The
/// core decides which key to try (see `confidant_core::backup::verify`).
#[tauri::command]
#[specta::specta]
pub async fn verify_backup(
    state: State<'_, AppState>,
    file: String,
    credential: Option<CredentialInput>,
    on_progress: Channel<Progress>,
) -> CmdResult<VerifyReport> {
    let ctl = job(Some(on_progress), CancelToken::new());
    let handle = ctl.handle();
    let (key, home) = state
        .run(move |ws| {
            // With the vault's key the check is tied to the session: a lock cancels it (and
            // waits for it to drop the key).
            let key = ws
                .unlocked()
                .map(|v| {
                    v.track_job(&handle)?;
                    v.database_key()
                })
                .transpose()?;
            Ok((key, ws.home().to_owned()))
        })
        .await?;
    if key.is_none() && credential.is_none() {
        return Err(Error::Locked.to_ipc());
    }
    let file = PathBuf::from(file);
    if !state.was_chosen(&file) {
        return Err(Error::invalid("file", Reason::NotChosen).to_ipc());
    }
    tauri::async_runtime::spawn_blocking(move || {
        let mut ctl = ctl;
        let mut cred = credential.map(CredentialInput::into_credential);
        let mut ask = move || cred.take().unwrap_or(Err(Error::Locked));
        let keys = VerifyKeys { key, ask: Some(&mut ask), local_vault: Some(home) };
        backup::verify(&file, keys, &mut ctl)
    })
    .await
    .map_err(|_| internal("the check stopped"))?
    .map_err(ipc)
}

/// Restores a backup into the app's vault folder and unlocks it with the same credential.
/// Over an existing vault only with `replace` (the old one is kept aside, dated). The core
/// closes the open vault (and the demo) first.
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
        return Err(Error::invalid("file", Reason::NotChosen).to_ipc());
    }
    let mode = if replace { RestoreMode::ReplaceKeepingOld } else { RestoreMode::New };
    state.touch();
    state
        .run(move |ws| {
            let cred = credential.into_credential()?;
            let mut ctl = job(Some(on_progress), CancelToken::new());
            Ok(ws.restore(&file, &cred, mode, &mut ctl)?.0)
        })
        .await
}
