//! Export on request: the package for the client, laid out by the one typesetting engine. The
//! folder is the person's choice (native dialog) or their documents folder.

use std::path::PathBuf;
use std::sync::OnceLock;

use confidant_core::export::{ExportRequest, ManifestFile};
use confidant_core::job::Progress;
use confidant_core::{CancelToken, Error, JobCtl, Reason};
use confidant_documents::Engine;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::state::{internal, AppState, CmdResult};

/// The engine, with its fonts loaded once per process.
pub(crate) fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

/// Where exports go unless the person picks another folder: `Confidant` in their documents
/// folder (`~/Documents` when the system names none, as the UI says).
pub fn default_export_folder() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    let base = dirs.document_dir().map(PathBuf::from).unwrap_or_else(|| dirs.home_dir().join("Documents"));
    Some(base.join("Confidant"))
}

/// The default folder, created if needed.
pub(crate) fn export_folder() -> CmdResult<PathBuf> {
    let d = default_export_folder().ok_or_else(|| internal("no documents folder"))?;
    std::fs::create_dir_all(&d).map_err(|_| internal("could not create the export folder"))?;
    Ok(d)
}

/// The folder a document goes to: the one last picked in the dialog, or the default folder.
/// Any other path is refused: the UI cannot name a folder the person did not pick.
pub(crate) fn destination(state: &AppState, folder: Option<String>) -> CmdResult<PathBuf> {
    match folder.map(PathBuf::from) {
        Some(p) if state.was_chosen(&p) => Ok(p),
        Some(_) => Err(Error::invalid("folder", Reason::NotChosen).to_ipc()),
        None => export_folder(),
    }
}

/// What the person is told after an export. `passphrase` (encrypted exports) is shown once.
#[derive(Serialize, specta::Type)]
pub struct ExportResult {
    /// The folder or file written.
    pub path: String,
    /// Every file with its size and SHA-256.
    pub files: Vec<ManifestFile>,
    /// The passphrase to read to the client, for an encrypted export.
    pub passphrase: Option<String>,
    /// The journal note that records the disclosure (Danish profiles).
    pub journal_note: Option<i64>,
}

impl std::fmt::Debug for ExportResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExportResult([REDACTED])")
    }
}

/// Opens the native folder dialog for an export; the picked folder (or null) can then go to
/// `export_client`.
#[tauri::command]
#[specta::specta]
pub async fn choose_export_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    super::backup::pick_folder(app, &state).await
}

/// Exports a client's records into `folder` (one picked with `choose_export_folder`), or into
/// the default folder when `folder` is null; progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn export_client(
    state: State<'_, AppState>,
    request: ExportRequest,
    folder: Option<String>,
    on_progress: Channel<Progress>,
) -> CmdResult<ExportResult> {
    let dest = destination(&state, folder)?;
    state
        .with_vault(move |v| {
            let mut ctl = JobCtl::new(CancelToken::new(), move |p| {
                let _ = on_progress.send(p);
            });
            let out = v.export_client(&request, &dest, engine(), &mut ctl)?;
            Ok(ExportResult {
                path: out.path.to_string_lossy().into_owned(),
                files: out.files,
                passphrase: out.passphrase.as_ref().map(|p| p.expose().to_owned()),
                journal_note: out.journal_note,
            })
        })
        .await
}
