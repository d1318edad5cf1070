//! Sessions in the calendar. "Now" is the computer's clock, handed to the core, which decides
//! what may be recorded.

use chrono::{DateTime, Utc};
use confidant_core::domain::appointments::{
    Appointment, AppointmentInput, AppointmentRow, Attendance, CalendarItem, NoteSession,
};
use confidant_core::domain::entries::Entry;
use confidant_core::domain::profile::Language;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// A client's sessions, newest first, with what may be recorded for each now.
#[tauri::command]
#[specta::specta]
pub async fn appointments(state: State<'_, AppState>, client_id: i64) -> CmdResult<Vec<AppointmentRow>> {
    state.with_vault(move |v| v.appointments(client_id, Utc::now())).await
}

/// The booked session a new note for the client is about now, if any.
#[tauri::command]
#[specta::specta]
pub async fn note_session(state: State<'_, AppState>, client_id: i64) -> CmdResult<Option<NoteSession>> {
    state.with_vault(move |v| v.note_session(client_id, Utc::now())).await
}

/// Every session starting in `[from, to)` (at most six weeks), with the clients' names.
#[tauri::command]
#[specta::specta]
pub async fn calendar(
    state: State<'_, AppState>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> CmdResult<Vec<CalendarItem>> {
    state.with_vault(move |v| v.calendar(from, to)).await
}

/// Chargeable sessions not yet invoiced.
#[tauri::command]
#[specta::specta]
pub async fn uninvoiced_appointments(state: State<'_, AppState>) -> CmdResult<Vec<CalendarItem>> {
    state.with_vault(move |v| v.uninvoiced_appointments()).await
}

/// Plans a session for a client.
#[tauri::command]
#[specta::specta]
pub async fn plan_appointment(
    state: State<'_, AppState>,
    client_id: i64,
    input: AppointmentInput,
) -> CmdResult<Appointment> {
    state.with_vault(move |v| v.plan_appointment(client_id, &input)).await
}

/// Moves or changes a planned session.
#[tauri::command]
#[specta::specta]
pub async fn update_appointment(
    state: State<'_, AppState>,
    id: i64,
    input: AppointmentInput,
) -> CmdResult<Appointment> {
    state.with_vault(move |v| v.update_appointment(id, &input)).await
}

/// Records whether a session took place.
#[tauri::command]
#[specta::specta]
pub async fn record_attendance(state: State<'_, AppState>, id: i64, attendance: Attendance) -> CmdResult<Appointment> {
    state.with_vault(move |v| v.record_attendance(id, attendance, Utc::now())).await
}

/// Sets or clears a session's fee, planned or recorded (often agreed afterwards).
#[tauri::command]
#[specta::specta]
pub async fn set_appointment_fee(state: State<'_, AppState>, id: i64, fee: Option<i64>) -> CmdResult<Appointment> {
    state.with_vault(move |v| v.set_appointment_fee(id, fee)).await
}

/// Removes a planned session.
#[tauri::command]
#[specta::specta]
pub async fn remove_appointment(state: State<'_, AppState>, id: i64) -> CmdResult<()> {
    state.with_vault(move |v| v.remove_appointment(id)).await
}

/// Starts the journal entry of an attended session from a template.
#[tauri::command]
#[specta::specta]
pub async fn start_appointment_note(
    state: State<'_, AppState>,
    id: i64,
    template_id: Option<String>,
    lang: Language,
) -> CmdResult<Entry> {
    state.with_vault(move |v| v.start_appointment_note(id, template_id.as_deref(), lang)).await
}
