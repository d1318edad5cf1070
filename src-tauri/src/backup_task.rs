//! Automatic backups: every 30 seconds, while the vault is unlocked and automatic backups are
//! on, back up when the remembered disk is plugged in and a backup is due (the core decides
//! what "due" means), then say so in a system notification. Notifications carry no personal
//! data: only whether the backup was made and verified.

use std::time::Duration;

use confidant_core::domain::profile::Language;
use confidant_core::Settings;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

use crate::state::AppState;

/// How often the task looks.
pub const INTERVAL: Duration = Duration::from_secs(30);

/// Starts the task.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(INTERVAL).await;
            tick(&app).await;
        }
    });
}

/// One look: back up if unlocked, automatic, the target is present and a backup is due.
pub async fn tick<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    // Never queue behind a running backup.
    if state.backup_running.try_lock().is_err() {
        return;
    }
    let due = state
        .with_vault(|v| {
            if !v.is_unlocked() {
                return Ok(None);
            }
            // The core decides: automatic on, the remembered disk present, a backup due.
            v.auto_backup_target()?.map(|_| v.settings()).transpose()
        })
        .await;
    let Ok(Some(settings)) = due else { return };
    let result = crate::commands::backup::run_backup(&state, None).await;
    let (title, body) = texts(&settings, result.is_ok());
    let _ = app.notification().builder().title(title).body(body).show();
}

fn texts(s: &Settings, ok: bool) -> (&'static str, &'static str) {
    match (s.language.unwrap_or(Language::En), ok) {
        (Language::Sv, true) => ("Säkerhetskopia klar", "Säkerhetskopian är gjord och kontrollerad."),
        (Language::Sv, false) => ("Säkerhetskopian misslyckades", "Öppna Confidant för att se vad som hände."),
        (Language::Da, true) => ("Sikkerhedskopi færdig", "Sikkerhedskopien er lavet og kontrolleret."),
        (Language::Da, false) => ("Sikkerhedskopien mislykkedes", "Åbn Confidant for at se, hvad der skete."),
        (_, true) => ("Backup finished", "The backup was made and verified."),
        (_, false) => ("Backup failed", "Open Confidant to see what happened."),
    }
}
