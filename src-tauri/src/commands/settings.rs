//! Device settings (language, auto-lock, backup preferences) and what this build is; readable
//! while locked.

use confidant_core::Settings;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// The settings of the vault folder in use (defaults when there is no vault yet).
#[tauri::command]
#[specta::specta]
pub async fn settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    state.run(|ws| ws.settings()).await
}

/// Validates and saves the settings; returns what is now stored. `confirmed`: the person agreed
/// to a rotation that keeps only the newest backup (refused with `needs_confirmation` otherwise).
#[tauri::command]
#[specta::specta]
pub async fn update_settings(state: State<'_, AppState>, settings: Settings, confirmed: bool) -> CmdResult<Settings> {
    state.run(move |ws| ws.update_settings(&settings, confirmed)).await
}

/// What this build is, for the About section and for support.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct About {
    /// The version (`0.1.0`).
    pub version: String,
    /// The commit it was built from (12 hex digits), or `unknown`.
    pub commit: String,
    /// That commit's day (YYYY-MM-DD), or `unknown`.
    pub build_date: String,
}

/// Version, commit and build date of this app.
#[tauri::command]
#[specta::specta]
pub async fn about() -> CmdResult<About> {
    Ok(About {
        version: confidant_buildinfo::VERSION.to_owned(),
        commit: confidant_buildinfo::COMMIT.to_owned(),
        build_date: confidant_buildinfo::BUILD_DATE.to_owned(),
    })
}
