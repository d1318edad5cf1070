//! Automatic backups: every 30 seconds, while the vault is unlocked and automatic backups are
//! on, back up when the remembered disk is plugged in and a backup is due (the core decides
//! what "due" means), then say so in a system notification. Notifications carry no personal
//! data: only whether the backup was made and verified.

use std::time::Duration;

use confidant_core::backup;
use confidant_core::domain::profile::Language;
use confidant_core::{JobCtl, Settings};
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

/// One look: the core backs up if the vault is unlocked, automatic backups are on, the target
/// is present and a backup is due; the shell only says so in a notification.
pub async fn tick<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    // Never queue behind a running backup.
    let Ok(_running) = state.backup_running.try_lock() else { return };
    let shared = state.shared();
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let mut ctl = JobCtl::quiet();
        let result = backup::run_if_due(&*shared, &mut ctl);
        let settings = crate::state::lock_inner(&shared).settings().unwrap_or_default();
        (result, settings)
    })
    .await;
    let Ok((result, settings)) = outcome else { return };
    let ok = match result {
        Ok(None) => return,
        Ok(Some(_)) => true,
        Err(_) => false,
    };
    let (title, body) = texts(&settings, ok);
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
