//! The system is about to sleep, or the screen locked (macOS, Windows).
//!
//! - macOS: `NSWorkspace` notifications — `willSleep` (suspend), `screensDidSleep` and
//!   `sessionDidResignActive` (fast user switching) — and the distributed notifications
//!   `com.apple.screenIsLocked` and `com.apple.screensaver.didstart`, on the main thread's run
//!   loop, which the app's event loop drives.
//! - Windows: a hidden window on a thread of its own, receiving `WM_POWERBROADCAST`
//!   (`PBT_APMSUSPEND`) and, once registered with `WTSRegisterSessionNotification`,
//!   `WM_WTSSESSION_CHANGE` (lock, and a console or remote session disconnecting).
//!
//! Like the Linux watcher, a screen saver or the displays going to sleep count as a screen
//! lock: the therapist is away from the screen either way.

/// What the system is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    /// It is about to sleep.
    Suspend,
    /// The screen locked, the screen saver started, the displays slept or the user switched.
    ScreenLock,
}

/// Why watching did not (entirely) start.
#[derive(Debug)]
pub enum WatchError {
    /// macOS: `watch` must run on the main thread, whose run loop delivers the notifications.
    NotMainThread,
    /// `watch` already ran; the first callback stays.
    AlreadyWatching,
    /// The system refused one part (`what`); the parts that did start keep running.
    Os {
        /// Which part.
        what: &'static str,
        /// The system's error.
        error: std::io::Error,
    },
}

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchError::NotMainThread => f.write_str("not on the main thread"),
            WatchError::AlreadyWatching => f.write_str("already watching"),
            WatchError::Os { what, error } => write!(f, "could not {what}: {error}"),
        }
    }
}

impl std::error::Error for WatchError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WatchError::Os { error, .. } => Some(error),
            _ => None,
        }
    }
}

#[cfg(target_os = "macos")]
mod macos;
#[cfg(target_os = "macos")]
pub use macos::watch;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub use windows::watch;
