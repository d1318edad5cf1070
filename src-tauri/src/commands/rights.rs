//! A client's rights and the law's clocks: legal holds, restriction, the due list, erasure.
//! "Today" is the computer's local day, taken here once per call and handed to the core.

use chrono::{Local, NaiveDate};
use confidant_core::domain::clients::Client;
use confidant_core::domain::rights::{HoldReason, LegalHold};
use confidant_core::erasure::{ErasureCause, ErasureOutcome, ErasurePlan, LetterTo, Part};
use confidant_core::job::Progress;
use confidant_core::retention::{DueItem, KindClock};
use confidant_core::{CancelToken, JobCtl};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::{AppState, CmdResult};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A client's legal holds, in force first.
#[tauri::command]
#[specta::specta]
pub async fn legal_holds(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<LegalHold>> {
    state.with_vault(move |v| v.legal_holds(client_id)).await
}

/// Places a legal hold on a client.
#[tauri::command]
#[specta::specta]
pub async fn place_legal_hold(
    state: State<'_, AppState>,
    client_id: i64,
    reason: HoldReason,
    note: String,
) -> CmdResult<LegalHold> {
    state.with_vault(move |v| v.place_legal_hold(client_id, reason, &note)).await
}

/// Releases a legal hold.
#[tauri::command]
#[specta::specta]
pub async fn release_legal_hold(state: State<'_, AppState>, hold_id: i64) -> CmdResult<LegalHold> {
    state.with_vault(move |v| v.release_legal_hold(hold_id)).await
}

/// Restricts processing of a client (GDPR art. 18) or lifts it.
#[tauri::command]
#[specta::specta]
pub async fn set_restriction(state: State<'_, AppState>, client_id: i64, restricted: bool) -> CmdResult<Client> {
    state.with_vault(move |v| v.set_restriction(client_id, restricted)).await
}

/// What is due for deletion today.
#[tauri::command]
#[specta::specta]
pub async fn due_for_deletion(state: State<'_, AppState>) -> CmdResult<Vec<DueItem>> {
    state.with_vault(move |v| v.due_for_deletion(today())).await
}

/// Where each retention clock of a client stands today.
#[tauri::command]
#[specta::specta]
pub async fn retention_clocks(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<KindClock>> {
    state.with_vault(move |v| v.retention_clocks(client_id, today())).await
}

/// The preview of an erasure.
#[tauri::command]
#[specta::specta]
pub async fn erasure_plan(state: State<'_, AppState>, client_id: i64, cause: ErasureCause) -> CmdResult<ErasurePlan> {
    state.with_vault(move |v| v.erasure_plan(client_id, cause, today())).await
}

/// Erases what the preview listed (`confirmed`), with progress. For a request, `letter` also
/// writes the reply letter into the export folder (its path is in the outcome).
#[tauri::command]
#[specta::specta]
pub async fn erase(
    state: State<'_, AppState>,
    client_id: i64,
    cause: ErasureCause,
    confirmed: Vec<Part>,
    letter: bool,
    on_progress: Channel<Progress>,
) -> CmdResult<ErasureOutcome> {
    let folder = if letter { Some(super::export::export_folder()?) } else { None };
    state
        .with_vault(move |v| {
            let mut ctl = JobCtl::new(CancelToken::new(), move |p| {
                let _ = on_progress.send(p);
            });
            let letter = folder.as_deref().map(|folder| LetterTo { folder, engine: super::export::engine() });
            v.erase(client_id, cause, &confirmed, today(), letter, &mut ctl)
        })
        .await
}
