//! The practice profile (name, title, practice, jurisdiction, language).

use confidant_core::domain::profile::PracticeProfile;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// The practice profile.
#[tauri::command]
#[specta::specta]
pub async fn profile(state: State<'_, AppState>) -> CmdResult<PracticeProfile> {
    state.with_vault(|v| v.profile()).await
}

/// Saves the practice profile (validated by the core) and returns what was stored.
#[tauri::command]
#[specta::specta]
pub async fn set_profile(state: State<'_, AppState>, profile: PracticeProfile) -> CmdResult<PracticeProfile> {
    state.with_vault(move |v| v.set_profile(&profile)).await
}
