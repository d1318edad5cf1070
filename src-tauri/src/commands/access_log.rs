//! The tamper-evident access log.

use chrono::Local;
use confidant_core::audit::{LogEntry, LogVerification};
use confidant_core::domain::access_log::LogRetention;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// The newest `limit` log rows, of one client or of the whole vault.
#[tauri::command]
#[specta::specta]
pub async fn access_log(state: State<'_, AppState>, client_id: Option<i64>, limit: u32) -> CmdResult<Vec<LogEntry>> {
    state.with_vault(move |v| v.access_log(client_id, limit)).await
}

/// Verifies the whole log's chain; `log_tampered` when it was altered.
#[tauri::command]
#[specta::specta]
pub async fn verify_access_log(state: State<'_, AppState>) -> CmdResult<LogVerification> {
    state.with_vault(|v| v.verify_access_log()).await
}

/// How many log rows the profile's rule lets go today.
#[tauri::command]
#[specta::specta]
pub async fn access_log_retention(state: State<'_, AppState>) -> CmdResult<LogRetention> {
    state.with_vault(|v| v.access_log_retention(Local::now().date_naive())).await
}

/// Deletes the log rows past the profile's period; returns how many went.
#[tauri::command]
#[specta::specta]
pub async fn prune_access_log(state: State<'_, AppState>) -> CmdResult<i64> {
    state.with_vault(|v| v.prune_access_log(Local::now().date_naive())).await
}
