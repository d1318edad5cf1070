//! Journal entries: drafts, signing, amendments.

use confidant_core::domain::entries::{Entry, EntryInput, EntrySummary, Logbook};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// A client's logbook, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_entries(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<EntrySummary>> {
    state.with_vault(move |v| v.list_entries(client_id)).await
}

/// The journal tab: a client's courses and entry summaries, read and logged together.
#[tauri::command]
#[specta::specta]
pub async fn logbook(state: State<'_, AppState>, client_id: i64) -> CmdResult<Logbook> {
    state.with_vault(move |v| v.logbook(client_id)).await
}

/// The client's newest signed entries in full (at most 20), newest first.
#[tauri::command]
#[specta::specta]
pub async fn recent_entries(state: State<'_, AppState>, client_id: i64, count: u32) -> CmdResult<Vec<Entry>> {
    state.with_vault(move |v| v.recent_entries(client_id, count)).await
}

/// One entry with its versions (amendments).
#[tauri::command]
#[specta::specta]
pub async fn get_entry(state: State<'_, AppState>, id: i64) -> CmdResult<Entry> {
    state.with_vault(move |v| v.get_entry(id)).await
}

/// Creates a draft in a course.
#[tauri::command]
#[specta::specta]
pub async fn create_entry(state: State<'_, AppState>, course_id: i64, input: EntryInput) -> CmdResult<Entry> {
    state.with_vault(move |v| v.create_entry(course_id, &input)).await
}

/// Saves a draft (autosave); a signed entry is refused with `entry_signed`.
#[tauri::command]
#[specta::specta]
pub async fn update_draft(state: State<'_, AppState>, id: i64, input: EntryInput) -> CmdResult<Entry> {
    state.with_vault(move |v| v.update_draft(id, &input)).await
}

/// Signs a draft; from then on it can only be amended.
#[tauri::command]
#[specta::specta]
pub async fn sign_entry(state: State<'_, AppState>, id: i64) -> CmdResult<Entry> {
    state.with_vault(move |v| v.sign_entry(id)).await
}

/// Amends a signed entry with a reason; the old text stays readable.
#[tauri::command]
#[specta::specta]
pub async fn amend_entry(
    state: State<'_, AppState>,
    id: i64,
    reason: String,
    title: String,
    body: String,
    tags: Vec<String>,
) -> CmdResult<Entry> {
    state.with_vault(move |v| v.amend_entry(id, &reason, &title, &body, &tags)).await
}
