//! Outcome measures. "Today" is the computer's local day, handed to the core.

use chrono::Local;
use confidant_core::domain::profile::Language;
use confidant_core::measures::{Instrument, InstrumentInput, Measure, MeasureInput, Series};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Every instrument: the built-in ones (texts in `lang` where shipped), then the therapist's.
#[tauri::command]
#[specta::specta]
pub async fn instruments(state: State<'_, AppState>, lang: Language) -> CmdResult<Vec<Instrument>> {
    state.with_vault(move |v| v.instruments(lang)).await
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

/// Defines an instrument of the therapist's own.
#[tauri::command]
#[specta::specta]
pub async fn define_instrument(state: State<'_, AppState>, input: InstrumentInput) -> CmdResult<Instrument> {
    state.with_vault(move |v| v.define_instrument(&input)).await
}

/// Changes an instrument of the therapist's own that no result has used.
#[tauri::command]
#[specta::specta]
pub async fn update_instrument(
    state: State<'_, AppState>,
    id: String,
    input: InstrumentInput,
) -> CmdResult<Instrument> {
    state.with_vault(move |v| v.update_instrument(&id, &input)).await
}

/// Retires an instrument of the therapist's own.
#[tauri::command]
#[specta::specta]
pub async fn retire_instrument(state: State<'_, AppState>, id: String) -> CmdResult<()> {
    state.with_vault(move |v| v.retire_instrument(&id)).await
}
