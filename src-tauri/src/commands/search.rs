//! Global search.

use confidant_core::domain::finder::SearchPage;
use confidant_core::search::SearchQuery;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Full-text search over clients and entries, with highlighted snippets: one page of hits and
/// how many matched.
#[tauri::command]
#[specta::specta]
pub async fn search(state: State<'_, AppState>, query: SearchQuery) -> CmdResult<SearchPage> {
    state.with_vault(move |v| v.search_page(&query)).await
}
