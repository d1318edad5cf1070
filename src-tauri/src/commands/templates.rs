//! Note templates.

use confidant_core::domain::profile::Language;
use confidant_core::domain::templates::Template;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Templates in a language (built-in ones plus the practice's own).
#[tauri::command]
#[specta::specta]
pub async fn templates(state: State<'_, AppState>, lang: Language) -> CmdResult<Vec<Template>> {
    state.with_vault(move |v| v.templates(lang)).await
}

/// One template.
#[tauri::command]
#[specta::specta]
pub async fn template(state: State<'_, AppState>, id: String, lang: Language) -> CmdResult<Template> {
    state.with_vault(move |v| v.template(&id, lang)).await
}

/// Adds a practice template.
#[tauri::command]
#[specta::specta]
pub async fn create_template(state: State<'_, AppState>, name: String, body: String) -> CmdResult<Template> {
    state.with_vault(move |v| v.create_template(&name, &body)).await
}
