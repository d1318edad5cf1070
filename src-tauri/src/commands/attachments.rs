//! Attachments. Bytes never travel as JSON: files come in by path (the native open dialog,
//! or a drag-and-drop the shell itself saw), previews load through the `attachment:` URI
//! scheme (see [`crate::protocol`]), and copies go out through the native save dialog.
//!
//! Preview URL of attachment `id`: `attachment_url_base() + id`, i.e.
//! `attachment://localhost/<id>` on Linux and macOS and `http://attachment.localhost/<id>` on
//! Windows. It answers only while the vault is unlocked, and only to the main window.

use confidant_core::Reason;
use std::path::{Path, PathBuf};

use confidant_core::domain::attachments::{AttachTo, Attachment};
use confidant_core::Error;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::{internal, AppState, CmdResult};

/// File types the open dialog offers (the core decides by content, not by name).
const EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "heif", "tif", "tiff"];

/// Attachments of a client (all) or of one entry.
#[tauri::command]
#[specta::specta]
pub async fn list_attachments(state: State<'_, AppState>, to: AttachTo) -> CmdResult<Vec<Attachment>> {
    state.with_vault(move |v| v.list_attachments(to)).await
}

/// Opens the native file dialog and attaches what was picked; empty when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn attach_from_dialog<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    to: AttachTo,
) -> CmdResult<Vec<Attachment>> {
    state.require_unlocked().await?;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog().file().add_filter("PDF / images", EXTENSIONS).blocking_pick_files()
    })
    .await
    .map_err(|_| internal("the file dialog failed"))?;
    let paths: Vec<PathBuf> = picked.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect();
    state.with_vault(move |v| paths.iter().map(|p| v.attach_file(to, p)).collect()).await
}

/// Attaches files from the latest `files-dropped` event. Any other path is refused, so the
/// webview cannot make the shell read a file the person did not drop.
#[tauri::command]
#[specta::specta]
pub async fn attach_paths(state: State<'_, AppState>, to: AttachTo, paths: Vec<String>) -> CmdResult<Vec<Attachment>> {
    // Locked first, so a locked app answers every data command alike.
    state.require_unlocked().await?;
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    if paths.is_empty() || paths.iter().any(|p| !state.was_dropped(p)) {
        return Err(Error::invalid("paths", Reason::NotDropped).to_ipc());
    }
    state.with_vault(move |v| paths.iter().map(|p| v.attach_file(to, p)).collect()).await
}

/// Opens the native save dialog (suggesting `file_name`) and writes a copy there; false
/// when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_attachment_copy<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    file_name: String,
) -> CmdResult<bool> {
    state.require_unlocked().await?;
    // Only the last component, so the suggestion cannot steer the dialog to another folder.
    let suggested = Path::new(&file_name).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let picked = tauri::async_runtime::spawn_blocking(move || {
        let mut d = app.dialog().file();
        if !suggested.is_empty() {
            d = d.set_file_name(suggested);
        }
        d.blocking_save_file()
    })
    .await
    .map_err(|_| internal("the save dialog failed"))?;
    let Some(dest) = picked.and_then(|p| p.into_path().ok()) else { return Ok(false) };
    state.with_vault(move |v| v.save_attachment_copy(id, &dest)).await?;
    Ok(true)
}

/// The prefix of preview URLs on this platform; append the attachment id.
#[tauri::command]
#[specta::specta]
pub fn attachment_url_base() -> String {
    crate::protocol::url_base().to_owned()
}
