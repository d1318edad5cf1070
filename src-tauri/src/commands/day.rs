//! The home page's day. The UI names its local midnight-to-midnight (the computer's time zone);
//! "today" and "now" are the computer's clock, handed to the core.

use chrono::{DateTime, Local, Utc};
use confidant_core::day::Day;
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Today's sessions, unsigned notes, overdue invoices, clients due for deletion and backups.
#[tauri::command]
#[specta::specta]
pub async fn day(state: State<'_, AppState>, from: DateTime<Utc>, to: DateTime<Utc>) -> CmdResult<Day> {
    state.with_vault(move |v| v.day(from, to, Local::now().date_naive(), Utc::now())).await
}
