//! Import of export packages: a client arriving from another Confidant practice, or every
//! client of an old vault. The folder is always one the person picked in the native dialog.

use std::path::PathBuf;

use confidant_core::import::ImportReport;
use confidant_core::job::Progress;
use confidant_core::{CancelToken, Error, JobCtl, Reason};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::state::{AppState, CmdResult};

/// Opens the native folder dialog for a package (or a folder of packages); the picked folder
/// (or null) can then go to `import_packages`.
#[tauri::command]
#[specta::specta]
pub async fn choose_import_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> CmdResult<Option<String>> {
    super::backup::pick_folder(app, &state).await
}

/// Imports the package, or every package, in `folder` (picked with `choose_import_folder`) in
/// one transaction; progress on `on_progress`.
#[tauri::command]
#[specta::specta]
pub async fn import_packages(
    state: State<'_, AppState>,
    folder: String,
    on_progress: Channel<Progress>,
) -> CmdResult<ImportReport> {
    // Locked first, so a locked app answers every data command alike.
    state.require_unlocked().await?;
    let dir = PathBuf::from(folder);
    if !state.was_chosen(&dir) {
        return Err(Error::invalid("folder", Reason::NotChosen).to_ipc());
    }
    state
        .with_vault(move |v| {
            let mut ctl = JobCtl::new(CancelToken::new(), move |p| {
                let _ = on_progress.send(p);
            });
            v.import_folders(&[dir.as_path()], &mut ctl)
        })
        .await
}
