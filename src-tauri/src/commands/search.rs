//! Global search.

use confidant_core::domain::finder::SearchHit;
use confidant_core::search::SearchQuery;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Full-text search over clients and entries, with highlighted snippets.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<Vec<SearchHit>> {
    state.with_vault(move |v| v.search(&query)).await
}
