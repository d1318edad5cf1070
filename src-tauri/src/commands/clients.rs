//! Clients: list, read, add, edit, archive.

use confidant_core::domain::client_history::ClientVersion;
use confidant_core::domain::clients::{Client, ClientFilter, ClientInput, ClientStatus, ClientSummary};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Clients matching the filter (status, search text).
#[tauri::command]
#[specta::specta]
pub async fn list_clients(state: State<'_, AppState>, filter: ClientFilter) -> CmdResult<Vec<ClientSummary>> {
    state.with_vault(move |v| v.list_clients(&filter)).await
}

/// One client with contact details (logged as a read).
#[tauri::command]
#[specta::specta]
pub async fn get_client(state: State<'_, AppState>, id: i64) -> CmdResult<Client> {
    state.with_vault(move |v| v.get_client(id)).await
}

/// Adds a client; validation errors name the field.
#[tauri::command]
#[specta::specta]
pub async fn create_client(state: State<'_, AppState>, input: ClientInput) -> CmdResult<Client> {
    state.with_vault(move |v| v.create_client(&input)).await
}

/// Replaces a client's details.
#[tauri::command]
#[specta::specta]
pub async fn update_client(state: State<'_, AppState>, id: i64, input: ClientInput) -> CmdResult<Client> {
    state.with_vault(move |v| v.update_client(id, &input)).await
}

/// Archives or reactivates a client.
#[tauri::command]
#[specta::specta]
pub async fn set_client_status(state: State<'_, AppState>, id: i64, status: ClientStatus) -> CmdResult<Client> {
    state.with_vault(move |v| v.set_client_status(id, status)).await
}

/// The versions of a client's details that changes replaced, oldest first (GDPR art. 16).
#[tauri::command]
#[specta::specta]
pub async fn client_history(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<ClientVersion>> {
    state.with_vault(move |v| v.client_history(client_id)).await
}
