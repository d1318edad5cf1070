//! The breach register (GDPR art. 33/34). "Now" is taken here and handed to the core, which
//! computes every clock; documents go to the picked or the default folder.

use chrono::{DateTime, Local, Utc};
use confidant_core::breach::{BreachInput, BreachLetters, BreachView};
use tauri::State;

use super::export::{destination, engine};
use crate::state::{AppState, CmdResult};

/// The register, newest first, with each breach's duties now.
#[tauri::command]
#[specta::specta]
pub async fn breaches(state: State<'_, AppState>) -> CmdResult<Vec<BreachView>> {
    state.with_vault(move |v| v.breaches(Utc::now())).await
}

/// The breaches whose notification is due and not sent: the clock the app keeps in view.
#[tauri::command]
#[specta::specta]
pub async fn breach_clocks(state: State<'_, AppState>) -> CmdResult<Vec<BreachView>> {
    state.with_vault(move |v| v.breach_clocks(Utc::now())).await
}

/// Records a breach.
#[tauri::command]
#[specta::specta]
pub async fn record_breach(state: State<'_, AppState>, input: BreachInput) -> CmdResult<BreachView> {
    state.with_vault(move |v| v.record_breach(&input, Utc::now())).await
}

/// Completes or corrects a breach's facts.
#[tauri::command]
#[specta::specta]
pub async fn update_breach(state: State<'_, AppState>, id: i64, input: BreachInput) -> CmdResult<BreachView> {
    state.with_vault(move |v| v.update_breach(id, &input, Utc::now())).await
}

/// Marks the notification to the authority as sent.
#[tauri::command]
#[specta::specta]
pub async fn mark_breach_notified(
    state: State<'_, AppState>,
    id: i64,
    at: DateTime<Utc>,
    reference: String,
    delay_reason: String,
) -> CmdResult<BreachView> {
    state.with_vault(move |v| v.mark_breach_notified(id, at, &reference, &delay_reason, Utc::now())).await
}

/// Marks the affected clients as told.
#[tauri::command]
#[specta::specta]
pub async fn mark_breach_clients_informed(
    state: State<'_, AppState>,
    id: i64,
    at: DateTime<Utc>,
) -> CmdResult<BreachView> {
    state.with_vault(move |v| v.mark_breach_clients_informed(id, at, Utc::now())).await
}

/// Writes the draft notification to the authority as a PDF; returns its path.
#[tauri::command]
#[specta::specta]
pub async fn breach_notice(state: State<'_, AppState>, id: i64, folder: Option<String>) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state
        .with_vault(move |v| v.breach_notice(id, &dest, engine(), Utc::now()))
        .await
        .map(|p| p.to_string_lossy().into_owned())
}

/// Writes one letter per affected client as PDFs.
#[tauri::command]
#[specta::specta]
pub async fn breach_letters(state: State<'_, AppState>, id: i64, folder: Option<String>) -> CmdResult<BreachLetters> {
    let dest = destination(&state, folder)?;
    state.with_vault(move |v| v.breach_letters(id, &dest, engine(), Local::now().date_naive())).await
}
