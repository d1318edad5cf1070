//! Search-index upkeep: every 2 seconds, while the vault is unlocked and the UI has reported no
//! input for a moment (the core's rule, `idle::upkeep_due`), the core merges the index in
//! slices of 50 ms, up to a second, releasing the vault between slices so a command never
//! waits longer than one. Saving a note does not merge the index (migration 0007); this is
//! where the merging happens instead, and after a large import it catches up within a minute
//! or two of idle time.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::state::{lock_inner, AppState};

/// How often the task looks.
pub const INTERVAL: Duration = Duration::from_secs(2);
/// One slice of merging, the longest a command waits behind it.
const SLICE: Duration = Duration::from_millis(50);
/// Slices per look.
const SLICES: usize = 20;

/// Starts the task.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(INTERVAL).await;
            tick(&app).await;
        }
    });
}

/// One look: slices of merging while the pause lasts and there is work. Returns how many
/// slices ran (the last one may have found nothing left to merge).
pub async fn tick<R: Runtime>(app: &AppHandle<R>) -> usize {
    let state = app.state::<AppState>();
    let mut worked = 0;
    for _ in 0..SLICES {
        let last = *state.last_input.lock().unwrap_or_else(|e| e.into_inner());
        if !confidant_core::idle::upkeep_due(last, chrono::Utc::now()) {
            break;
        }
        let shared = state.shared();
        let slice = tauri::async_runtime::spawn_blocking(move || {
            let mut ws = lock_inner(&shared);
            // Locked, or the merge failed (it is retried at the next look): nothing to do now.
            ws.unlocked().map(|v| v.tidy_search_index(SLICE)).transpose().ok().flatten()
        })
        .await;
        match slice {
            Ok(Some(more)) => {
                worked += 1;
                if !more {
                    break;
                }
            }
            _ => break,
        }
    }
    worked
}
