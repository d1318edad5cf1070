//! Locks the vault when the system suspends or the screen locks.
//!
//! - Linux: D-Bus signals — logind `PrepareForSleep(true)` and `Session.Lock` on the system
//!   bus; `ActiveChanged(true)` of `org.freedesktop.ScreenSaver` (KDE, Xfce, …) and
//!   `org.gnome.ScreenSaver` (GNOME) on the session bus. A bus that is missing is skipped.
//! - macOS: `NSWorkspace` will-sleep, screens-did-sleep and session-resigned (fast user
//!   switching), and the distributed `com.apple.screenIsLocked` and
//!   `com.apple.screensaver.didstart`, registered on the main thread.
//! - Windows: `WM_POWERBROADCAST`/`PBT_APMSUSPEND`, and `WM_WTSSESSION_CHANGE` (lock, console
//!   or remote disconnect) after `WTSRegisterSessionNotification`, to a hidden window on a
//!   thread of its own.
//!
//! The calls behind macOS and Windows are in `confidant-platform`. Whatever is not watched
//! (a bus or a registration the system refused, another OS) is still covered by the idle
//! backstop (`idle_watch`) and the UI's idle timer, and Ctrl/Cmd+L locks at once.
//!
//! A system trigger first emits `lock-requested`, so the UI can save the draft being typed and
//! lock itself; after a short grace the shell locks regardless. After locking, the shell emits
//! `vault-locked` so the UI drops every piece of client data.

use tauri::{AppHandle, Manager, Runtime};
use tauri_specta::Event as _;

use crate::events::{LockReason, LockRequested, VaultLocked, LOCK_GRACE};
use crate::state::{lock_inner, AppState};

/// Locks the vault (waiting for an operation in flight) and tells the UI.
pub fn lock_now<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    let state = app.state::<AppState>();
    state.forget_paths();
    let shared = state.shared();
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let stopping = lock_inner(&shared).lock_stopping();
        if let Some(s) = stopping {
            // The key is gone from the vault; wait (without holding it) until every cancelled
            // job has dropped its copy too, then tell the UI.
            s.wait(crate::events::JOB_STOP_WAIT);
            let _ = VaultLocked { reason }.emit(&app);
        }
    });
}

/// Asks the UI to save and lock, then locks after the grace period whatever the UI did.
pub fn request_lock<R: Runtime>(app: &AppHandle<R>, reason: LockReason) {
    let _ = LockRequested { reason }.emit(app);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(LOCK_GRACE).await;
        lock_now(&app, reason);
    });
}

/// Starts the watchers.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    #[cfg(target_os = "linux")]
    linux::start(app);
    #[cfg(any(target_os = "macos", windows))]
    native::start(app);
    #[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
    let _ = app;
}

#[cfg(any(target_os = "macos", windows))]
mod native {
    use confidant_platform::session::{self, SessionEvent};
    use tauri::{AppHandle, Runtime};

    use super::request_lock;
    use crate::events::LockReason;

    pub fn start<R: Runtime>(app: AppHandle<R>) {
        // macOS delivers on the main thread's run loop, so the observers are added there;
        // Windows runs a thread of its own and only waits until its window exists.
        #[cfg(target_os = "macos")]
        if let Err(e) = app.clone().run_on_main_thread(move || watch(app)) {
            eprintln!("confidant: not watching for sleep and screen lock: {e}");
        }
        #[cfg(windows)]
        watch(app);
    }

    fn watch<R: Runtime>(app: AppHandle<R>) {
        let watching = session::watch(move |event| {
            let reason = match event {
                SessionEvent::Suspend => LockReason::Suspend,
                SessionEvent::ScreenLock => LockReason::ScreenLock,
            };
            request_lock(&app, reason);
        });
        if let Err(e) = watching {
            // Only which part failed and why; the idle backstop still locks.
            eprintln!("confidant: not watching for sleep and screen lock: {e}");
        }
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use futures_util::StreamExt as _;
    use tauri::{AppHandle, Runtime};
    use zbus::{message::Type, Connection, MatchRule, MessageStream};

    use super::request_lock;
    use crate::events::LockReason;

    /// (system bus?, interface, member, reason, whether the signal carries a "starting" bool)
    const SIGNALS: &[(bool, &str, &str, LockReason, bool)] = &[
        (true, "org.freedesktop.login1.Manager", "PrepareForSleep", LockReason::Suspend, true),
        (true, "org.freedesktop.login1.Session", "Lock", LockReason::ScreenLock, false),
        (false, "org.freedesktop.ScreenSaver", "ActiveChanged", LockReason::ScreenLock, true),
        (false, "org.gnome.ScreenSaver", "ActiveChanged", LockReason::ScreenLock, true),
    ];

    pub fn start<R: Runtime>(app: AppHandle<R>) {
        tauri::async_runtime::spawn(async move {
            let system = Connection::system().await.ok();
            let session = Connection::session().await.ok();
            for &(on_system, iface, member, reason, has_flag) in SIGNALS {
                let Some(conn) = (if on_system { system.clone() } else { session.clone() }) else { continue };
                let app = app.clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = watch(&conn, iface, member, reason, has_flag, &app).await {
                        // No personal data here: only which signal could not be watched.
                        eprintln!("confidant: not watching {iface}.{member}: {e}");
                    }
                });
            }
        });
    }

    async fn watch<R: Runtime>(
        conn: &Connection,
        iface: &'static str,
        member: &'static str,
        reason: LockReason,
        has_flag: bool,
        app: &AppHandle<R>,
    ) -> zbus::Result<()> {
        let rule = MatchRule::builder().msg_type(Type::Signal).interface(iface)?.member(member)?.build();
        let mut stream = MessageStream::for_match_rule(rule, conn, Some(16)).await?;
        while let Some(msg) = stream.next().await {
            let Ok(msg) = msg else { continue };
            let starting = !has_flag || msg.body().deserialize::<bool>().unwrap_or(false);
            if starting {
                request_lock(app, reason);
            }
        }
        Ok(())
    }
}
