//! The practice profile (name, title, practice, jurisdiction, language).

use confidant_core::domain::profile::{Jurisdiction, PracticeProfile};
use confidant_core::law::{self, Rule};
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

/// The retention rules of a jurisdiction profile, each with its source (so the settings can
/// show what a profile keeps, and what changes with another one). Needs no vault.
#[tauri::command]
#[specta::specta]
pub async fn retention_rules(jurisdiction: Jurisdiction) -> CmdResult<Vec<Rule>> {
    Ok(law::rules(jurisdiction).to_vec())
}
