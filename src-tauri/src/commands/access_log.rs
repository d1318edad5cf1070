//! The tamper-evident access log.

use confidant_core::audit::{LogEntry, LogVerification};
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
