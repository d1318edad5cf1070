//! Consent records. "Today" is the computer's local day, handed to the core.

use chrono::{Local, NaiveDate};
use confidant_core::domain::consent::{Consent, ConsentInput, ConsentOverview, ConsentPurpose};
use tauri::State;

use crate::state::{AppState, CmdResult};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A client's consents and the purposes in force today.
#[tauri::command]
#[specta::specta]
pub async fn consents(state: State<'_, AppState>, client_id: i64) -> CmdResult<ConsentOverview> {
    state.with_vault(move |v| v.consents(client_id, today())).await
}

/// Records a consent the client gave.
#[tauri::command]
#[specta::specta]
pub async fn record_consent(state: State<'_, AppState>, client_id: i64, input: ConsentInput) -> CmdResult<Consent> {
    state.with_vault(move |v| v.record_consent(client_id, &input, today())).await
}

/// Withdraws a consent as of `on`.
#[tauri::command]
#[specta::specta]
pub async fn withdraw_consent(state: State<'_, AppState>, consent_id: i64, on: NaiveDate) -> CmdResult<Consent> {
    state.with_vault(move |v| v.withdraw_consent(consent_id, on, today())).await
}

/// The wording and version last recorded for a purpose, to start a new consent from.
#[tauri::command]
#[specta::specta]
pub async fn last_consent_text(
    state: State<'_, AppState>,
    purpose: ConsentPurpose,
) -> CmdResult<Option<(String, String)>> {
    state.with_vault(move |v| v.last_consent_text(purpose)).await
}
