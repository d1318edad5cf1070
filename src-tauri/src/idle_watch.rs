//! The idle backstop: every 15 seconds, while the vault is unlocked, lock it when the UI has
//! reported no input for the auto-lock minutes (the core's rule, on the wall clock). The UI's
//! own timer normally locks first; this catches a webview whose timer did not run. The UI is
//! asked first (`lock-requested`) so it can save the draft being typed.

use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};

use crate::events::LockReason;
use crate::state::{lock_inner, AppState};

/// How often the watcher looks.
pub const INTERVAL: Duration = Duration::from_secs(15);

/// Starts the watcher.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(INTERVAL).await;
            tick(&app, chrono::Utc::now());
        }
    });
}

/// One look at `now`: true when it asked for a lock.
pub fn tick<R: Runtime>(app: &AppHandle<R>, now: chrono::DateTime<chrono::Utc>) -> bool {
    let state = app.state::<AppState>();
    let minutes = {
        let shared = state.shared();
        let mut ws = lock_inner(&shared);
        if ws.unlocked().is_none() {
            return false;
        }
        ws.settings().map(|s| s.auto_lock_minutes).unwrap_or(10)
    };
    let last = *state.last_input.lock().unwrap_or_else(|e| e.into_inner());
    if !confidant_core::idle::lock_due(last, now, minutes) {
        return false;
    }
    crate::session_watch::request_lock(app, LockReason::Idle);
    true
}
