//! Device settings (language, auto-lock, backup preferences); readable while locked.

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
