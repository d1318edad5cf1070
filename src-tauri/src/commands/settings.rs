//! Device settings (language, auto-lock, backup preferences); readable while locked.

use confidant_core::Settings;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// The settings of the vault folder in use (defaults when there is no vault yet).
#[tauri::command]
#[specta::specta]
pub async fn settings(state: State<'_, AppState>) -> CmdResult<Settings> {
    state.run(|inner| Settings::load(&inner.dir)).await
}

/// Validates and saves the settings; returns what is now stored.
#[tauri::command]
#[specta::specta]
pub async fn update_settings(state: State<'_, AppState>, settings: Settings) -> CmdResult<Settings> {
    state
        .run(move |inner| {
            match inner.vault() {
                Ok(v) => v.update_settings(&settings)?,
                Err(confidant_core::Error::VaultNotFound) => settings.save(&inner.dir)?,
                Err(e) => return Err(e),
            }
            Settings::load(&inner.dir)
        })
        .await
}
