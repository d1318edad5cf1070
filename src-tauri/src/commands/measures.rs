//! Outcome measures. "Today" is the computer's local day, handed to the core.

use chrono::Local;
use confidant_core::domain::profile::Language;
use confidant_core::measures::{Instrument, Measure, MeasureInput, Series};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// The built-in instruments, with their texts in `lang` where shipped.
#[tauri::command]
#[specta::specta]
pub async fn instruments(state: State<'_, AppState>, lang: Language) -> CmdResult<Vec<Instrument>> {
    state.with_vault(move |v| Ok(v.instruments(lang))).await
}

/// A client's results, one series per instrument.
#[tauri::command]
#[specta::specta]
pub async fn measures(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<Series>> {
    state.with_vault(move |v| v.measures(client_id)).await
}

/// Records a result.
#[tauri::command]
#[specta::specta]
pub async fn record_measure(state: State<'_, AppState>, client_id: i64, input: MeasureInput) -> CmdResult<Measure> {
    state.with_vault(move |v| v.record_measure(client_id, &input, Local::now().date_naive())).await
}
