//! Events the shell sends to the UI (typed in the generated bindings).

use serde::{Deserialize, Serialize};

/// Why the vault was locked by the shell rather than by the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum LockReason {
    /// The system is going to sleep.
    Suspend,
    /// The screen saver / screen lock came on.
    ScreenLock,
    /// A `lock` command (e.g. from the UI's idle timer or Ctrl/Cmd+L).
    Command,
    /// The shell's idle backstop: no input reported for the auto-lock minutes (wall clock).
    Idle,
}

/// `vault-locked`: the key is gone; the UI must drop every piece of client data it holds.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct VaultLocked {
    /// What triggered it.
    pub reason: LockReason,
}

/// `lock-requested`: the system is about to sleep or lock the screen. The UI saves what is being
/// typed and locks; the shell locks anyway after [`LOCK_GRACE`] if the UI has not.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct LockRequested {
    /// What triggered it.
    pub reason: LockReason,
}

/// How long the UI gets to save a draft before a system-triggered lock happens regardless.
pub const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// How long a lock waits for the jobs it cancelled (a backup, a check) to drop their key copy
/// and connection. They check for cancellation between small steps, so this is a backstop.
pub const JOB_STOP_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A point in the window, in CSS pixels.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, specta::Type)]
pub struct DropPosition {
    /// From the left edge.
    pub x: f64,
    /// From the top edge.
    pub y: f64,
}

/// `files-dropped`: files were dropped on the main window. Pass `paths` (or some of them) to
/// `attach_paths`; the shell accepts only paths from the latest drop.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, tauri_specta::Event)]
pub struct FilesDropped {
    /// The dropped files, as the OS reported them.
    pub paths: Vec<String>,
    /// Where they were dropped.
    pub position: Option<DropPosition>,
}
