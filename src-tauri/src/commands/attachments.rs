//! Attachments. Bytes never travel as JSON: files come in by path (the native open dialog,
//! or a drag-and-drop the shell itself saw), previews load through the `attachment:` URI
//! scheme (see [`crate::protocol`]), and copies go out through the native save dialog.
//!
//! Preview URL of attachment `id`: `attachment_url_base() + id`, i.e.
//! `attachment://localhost/<id>` on Linux and macOS and `http://attachment.localhost/<id>` on
//! Windows. It answers only while the vault is unlocked, and only to the main window.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use confidant_core::domain::attachments::{AttachTo, Attachment};
use confidant_core::{Error, Vault};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::{internal, AppState, CmdResult};

/// File types the open dialog offers (the core decides by content, not by name).
const EXTENSIONS: &[&str] = &["pdf", "png", "jpg", "jpeg", "gif", "webp", "heic", "heif", "tif", "tiff"];

fn io(op: &'static str) -> impl FnOnce(std::io::Error) -> Error {
    move |e| Error::Io { op, kind: e.kind() }
}

/// Streams one file into the vault.
pub fn attach_file(v: &mut Vault, to: AttachTo, path: &Path) -> confidant_core::Result<Attachment> {
    if !v.is_unlocked() {
        return Err(Error::Locked);
    }
    let file = File::open(path).map_err(io("open the file"))?;
    let meta = file.metadata().map_err(io("read the file"))?;
    if !meta.is_file() {
        return Err(Error::invalid("file", "not_a_file"));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    v.add_attachment(to, &name, meta.len(), BufReader::new(file))
}

/// Writes attachment `id` to `dest` atomically: a private temporary file next to it, fsync,
/// rename, fsync the folder. A failure leaves no partial file under `dest`.
pub fn save_copy(v: &mut Vault, id: i64, dest: &Path) -> confidant_core::Result<()> {
    if !v.is_unlocked() {
        return Err(Error::Locked);
    }
    let dir = dest.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = tempfile::Builder::new().prefix(".confidant-copy-").tempfile_in(dir).map_err(io("create the copy"))?;
    let mut w = BufWriter::new(tmp);
    v.read_attachment(id, &mut w)?;
    w.flush().map_err(io("write the copy"))?;
    let tmp = w.into_inner().map_err(|e| io("write the copy")(e.into_error()))?;
    tmp.as_file().sync_all().map_err(io("write the copy"))?;
    tmp.persist(dest).map_err(|e| io("save the copy")(e.error))?;
    #[cfg(unix)]
    File::open(dir).and_then(|d| d.sync_all()).map_err(io("save the copy"))?;
    Ok(())
}

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
    state.with_vault(|v| if v.is_unlocked() { Ok(()) } else { Err(Error::Locked) }).await?;
    let picked = tauri::async_runtime::spawn_blocking(move || {
        app.dialog().file().add_filter("PDF / images", EXTENSIONS).blocking_pick_files()
    })
    .await
    .map_err(|_| internal("the file dialog failed"))?;
    let paths: Vec<PathBuf> = picked.unwrap_or_default().into_iter().filter_map(|p| p.into_path().ok()).collect();
    state.with_vault(move |v| paths.iter().map(|p| attach_file(v, to, p)).collect()).await
}

/// Attaches files from the latest `files-dropped` event. Any other path is refused, so the
/// webview cannot make the shell read a file the person did not drop.
#[tauri::command]
#[specta::specta]
pub async fn attach_paths(state: State<'_, AppState>, to: AttachTo, paths: Vec<String>) -> CmdResult<Vec<Attachment>> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    if paths.is_empty() || paths.iter().any(|p| !state.was_dropped(p)) {
        return Err(Error::invalid("paths", "not_dropped").to_ipc());
    }
    state.with_vault(move |v| paths.iter().map(|p| attach_file(v, to, p)).collect()).await
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
    state.with_vault(|v| if v.is_unlocked() { Ok(()) } else { Err(Error::Locked) }).await?;
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
    state.with_vault(move |v| save_copy(v, id, &dest)).await?;
    Ok(true)
}

/// The prefix of preview URLs on this platform; append the attachment id.
#[tauri::command]
#[specta::specta]
pub fn attachment_url_base() -> String {
    crate::protocol::url_base().to_owned()
}
