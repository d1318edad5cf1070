//! Documents from the journal: the therapist's printout of a journal or a note, a referral
//! letter (under the client's consent) and the record of processing. Each is laid out by the
//! one engine and written as a PDF to the picked or the default folder; the path comes back.

use chrono::Local;
use confidant_core::referral::ReferralInput;
use tauri::State;

use super::export::{destination, engine};
use crate::state::{AppState, CmdResult};

fn shown(p: std::path::PathBuf) -> String {
    p.to_string_lossy().into_owned()
}

/// Saves a client's journal, or one note of it (`entry_id`), as a PDF.
#[tauri::command]
#[specta::specta]
pub async fn print_journal(
    state: State<'_, AppState>,
    client_id: i64,
    entry_id: Option<i64>,
    folder: Option<String>,
) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state.with_vault(move |v| v.print_journal(client_id, entry_id, &dest, engine())).await.map(shown)
}

/// Writes a referral letter about a client (refused with `no_consent` without a referral
/// consent in force).
#[tauri::command]
#[specta::specta]
pub async fn referral_letter(
    state: State<'_, AppState>,
    client_id: i64,
    input: ReferralInput,
    folder: Option<String>,
) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state
        .with_vault(move |v| v.referral_letter(client_id, &input, &dest, engine(), Local::now().date_naive()))
        .await
        .map(shown)
}

/// Writes the record of processing (GDPR art. 30) as a PDF.
#[tauri::command]
#[specta::specta]
pub async fn processing_record(state: State<'_, AppState>, folder: Option<String>) -> CmdResult<String> {
    let dest = destination(&state, folder)?;
    state.with_vault(move |v| v.processing_record(&dest, engine(), Local::now().date_naive())).await.map(shown)
}
