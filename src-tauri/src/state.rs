//! The app's one piece of shared state: the core's [`Workspace`] (which vault folder is in use,
//! the vault itself, every switch between the real vault and the demo) behind a mutex, plus
//! the paths the person handed over through drops and dialogs.
//!
//! Every command runs its core call on a blocking thread, so Argon2, SQLCipher and file work
//! never freeze the window. Long jobs (backups) take the workspace only for their short steps;
//! a lock cancels them through the core.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use confidant_core::{Code, Error, IpcError, KdfChoice, Keyring, Vault, Workspace};

/// The result of every command: errors cross IPC as `{ code, message, field? }`.
pub type CmdResult<T> = std::result::Result<T, IpcError>;

/// Turns a core error into its IPC form (stable code, message without personal data).
pub fn ipc(e: Error) -> IpcError {
    e.to_ipc()
}

/// An error for a failure inside the shell itself (a panicked worker, a dialog that broke).
pub fn internal(what: &str) -> IpcError {
    IpcError { code: Code::Internal, message: format!("internal error: {what}"), field: None }
}

/// A source of keyring handles: the platform keyring in the app, a mock store in tests.
pub type KeyringFactory = Box<dyn Fn() -> confidant_core::Result<Keyring> + Send + Sync>;

/// Managed by Tauri; shared by commands, the attachment protocol and background tasks.
pub struct AppState {
    inner: Arc<Mutex<Workspace>>,
    /// Held while a backup runs, so a manual and an automatic one never overlap.
    pub backup_running: tauri::async_runtime::Mutex<()>,
    /// The running backup's token, for the person's "Cancel" (a lock cancels it through the core).
    pub backup_job: Mutex<Option<confidant_core::CancelToken>>,
    /// When the UI last reported input (wall clock), for the idle backstop.
    pub last_input: Mutex<chrono::DateTime<chrono::Utc>>,
    keyring: KeyringFactory,
    /// Paths of the files last dropped on the main window: `attach_paths` accepts only these,
    /// so the webview can never make the shell read a file the person did not hand over.
    dropped: Mutex<Vec<PathBuf>>,
    /// The folder or file last chosen in a native dialog for backups: like `dropped`, the
    /// backup commands accept only paths the person picked.
    chosen: Mutex<Option<PathBuf>>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}

impl AppState {
    /// State for the vault folder `dir` (the demo lives beside it), a KDF choice and keyring.
    pub fn new(dir: PathBuf, kdf: KdfChoice, keyring: KeyringFactory) -> Self {
        AppState {
            inner: Arc::new(Mutex::new(Workspace::new(dir, kdf))),
            backup_running: Default::default(),
            backup_job: Mutex::new(None),
            last_input: Mutex::new(chrono::Utc::now()),
            keyring,
            dropped: Mutex::new(Vec::new()),
            chosen: Mutex::new(None),
        }
    }

    /// A handle for background tasks and the protocol handler.
    pub fn shared(&self) -> Arc<Mutex<Workspace>> {
        self.inner.clone()
    }

    /// A keyring handle (the platform's is created on demand, so a missing Secret Service
    /// only matters to "remember on this computer").
    pub fn keyring(&self) -> confidant_core::Result<Keyring> {
        (self.keyring)()
    }

    /// Runs `f` with the state on a blocking thread.
    pub async fn run<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Workspace) -> confidant_core::Result<T> + Send + 'static,
    {
        run_blocking(self.inner.clone(), f).await
    }

    /// Runs `f` with the vault (opened on demand) on a blocking thread. The core refuses
    /// every data call with `locked` while the vault is locked.
    pub async fn with_vault<T, F>(&self, f: F) -> CmdResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Vault) -> confidant_core::Result<T> + Send + 'static,
    {
        self.run(move |inner| f(inner.vault()?)).await
    }

    /// Refuses with `locked` unless the vault is unlocked: for a command that checks its own
    /// input (a dialog's choice, a dropped path) or opens a dialog before it reaches the core,
    /// so a locked app answers every data command alike.
    pub async fn require_unlocked(&self) -> CmdResult<()> {
        self.with_vault(|v| if v.is_unlocked() { Ok(()) } else { Err(confidant_core::Error::Locked) }).await
    }

    /// Records input reported by the UI (or an unlock) now.
    pub fn touch(&self) {
        *self.last_input.lock().unwrap_or_else(|e| e.into_inner()) = chrono::Utc::now();
    }

    /// Forgets the paths handed over by drops and dialogs (on lock: the next person at the
    /// keyboard must pick files again).
    pub fn forget_paths(&self) {
        self.set_dropped(Vec::new());
        self.set_chosen(None);
    }

    /// Remembers dropped paths (replacing the previous drop).
    pub fn set_dropped(&self, paths: Vec<PathBuf>) {
        *self.dropped.lock().unwrap_or_else(|e| e.into_inner()) = paths;
    }

    /// Whether `p` was among the last dropped files.
    pub fn was_dropped(&self, p: &Path) -> bool {
        self.dropped.lock().unwrap_or_else(|e| e.into_inner()).iter().any(|d| d == p)
    }
}

impl AppState {
    /// Remembers a path picked in a native dialog.
    pub fn set_chosen(&self, p: Option<PathBuf>) {
        *self.chosen.lock().unwrap_or_else(|e| e.into_inner()) = p;
    }

    /// Whether `p` is the path last picked in a native dialog.
    pub fn was_chosen(&self, p: &Path) -> bool {
        self.chosen.lock().unwrap_or_else(|e| e.into_inner()).as_deref() == Some(p)
    }
}

/// Locks the mutex even if a previous holder panicked: the vault's own transactions keep the
/// data consistent, and refusing every later command would lock the therapist out.
pub fn lock_inner(m: &Mutex<Workspace>) -> MutexGuard<'_, Workspace> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` on the blocking pool with the state locked.
pub async fn run_blocking<T, F>(inner: Arc<Mutex<Workspace>>, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Workspace) -> confidant_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let mut g = lock_inner(&inner);
        f(&mut g)
    })
    .await
    .map_err(|_| internal("a worker stopped"))?
    .map_err(ipc)
}
