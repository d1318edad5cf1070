//! The app's one piece of shared state: which vault folder is in use and the vault itself.
//!
//! The vault sits behind a mutex and every command runs its core call on a blocking thread,
//! so Argon2, SQLCipher and file work never freeze the window. A lock therefore waits for the
//! operation in flight (at most one backup) to finish before it drops the key.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use confidant_core::{Code, Error, IpcError, KdfChoice, Keyring, Vault};

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

/// Where the vault lives and whether it is the demo.
#[derive(Debug)]
pub struct Inner {
    /// The vault folder in use.
    pub dir: PathBuf,
    /// The vault, opened lazily; `None` until first needed or when the folder has none.
    pub vault: Option<Vault>,
    /// Whether `dir` is the demo vault.
    pub demo: bool,
}

impl Inner {
    /// The vault, opened (locked) from `dir` on first use.
    pub fn vault(&mut self) -> confidant_core::Result<&mut Vault> {
        if self.vault.is_none() {
            self.vault = Some(Vault::open(&self.dir)?);
        }
        Ok(self.vault.as_mut().expect("just set"))
    }

    /// Locks the open vault, if any; true when it was unlocked.
    pub fn lock(&mut self) -> bool {
        match self.vault.as_mut() {
            Some(v) if v.is_unlocked() => {
                v.lock();
                true
            }
            _ => false,
        }
    }
}

/// A source of keyring handles: the platform keyring in the app, a mock store in tests.
pub type KeyringFactory = Box<dyn Fn() -> confidant_core::Result<Keyring> + Send + Sync>;

/// Managed by Tauri; shared by commands, the attachment protocol and background tasks.
pub struct AppState {
    inner: Arc<Mutex<Inner>>,
    /// Key derivation cost for new passphrases (calibrated in the app, minimal in tests).
    pub kdf: KdfChoice,
    /// The real vault folder (restore always goes here, never to the demo).
    pub home_dir: PathBuf,
    /// Where `open_demo` puts the demo vault.
    pub demo_dir: PathBuf,
    /// Held while a backup runs, so a manual and an automatic one never overlap.
    pub backup_running: tauri::async_runtime::Mutex<()>,
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
        f.debug_struct("AppState").field("kdf", &self.kdf).finish_non_exhaustive()
    }
}

impl AppState {
    /// State for the vault folder `dir`, the demo folder `demo_dir`, a KDF choice and keyring.
    pub fn new(dir: PathBuf, demo_dir: PathBuf, kdf: KdfChoice, keyring: KeyringFactory) -> Self {
        AppState {
            inner: Arc::new(Mutex::new(Inner { dir: dir.clone(), vault: None, demo: false })),
            kdf,
            home_dir: dir,
            demo_dir,
            backup_running: Default::default(),
            keyring,
            dropped: Mutex::new(Vec::new()),
            chosen: Mutex::new(None),
        }
    }

    /// A handle for background tasks and the protocol handler.
    pub fn shared(&self) -> Arc<Mutex<Inner>> {
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
        F: FnOnce(&mut Inner) -> confidant_core::Result<T> + Send + 'static,
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
pub fn lock_inner(m: &Mutex<Inner>) -> MutexGuard<'_, Inner> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` on the blocking pool with the state locked.
pub async fn run_blocking<T, F>(inner: Arc<Mutex<Inner>>, f: F) -> CmdResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut Inner) -> confidant_core::Result<T> + Send + 'static,
{
    tauri::async_runtime::spawn_blocking(move || {
        let mut g = lock_inner(&inner);
        f(&mut g)
    })
    .await
    .map_err(|_| internal("a worker stopped"))?
    .map_err(ipc)
}
