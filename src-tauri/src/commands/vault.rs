//! The vault itself: status, create, demo, unlock, lock, keys.

use confidant_core::keys::strength::Strength;
use confidant_core::{demo, Credential, KdfChoice, Passphrase, RecoveryKey, UnlockMethod, Vault, VaultInfo};
use serde::{Deserialize, Serialize};
use tauri::State;

use crate::state::{AppState, CmdResult, Inner};

/// What the first screen needs to know.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AppStatus {
    /// Whether a vault exists in the app's folder.
    pub exists: bool,
    /// Its public facts, when it exists.
    pub info: Option<VaultInfo>,
    /// Whether the demo vault is the one open.
    pub demo: bool,
}

/// A passphrase or a recovery key, as typed.
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum CredentialInput {
    /// The passphrase.
    Passphrase(String),
    /// The recovery key, in any spacing or case.
    RecoveryKey(String),
}

impl std::fmt::Debug for CredentialInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialInput([REDACTED])")
    }
}

impl CredentialInput {
    /// Parses into the core's credential (a mistyped recovery key is `invalid_recovery_key`).
    pub fn into_credential(self) -> confidant_core::Result<Credential> {
        Ok(match self {
            CredentialInput::Passphrase(p) => Credential::Passphrase(Passphrase::new(p)),
            CredentialInput::RecoveryKey(k) => {
                let k = zeroize::Zeroizing::new(k);
                Credential::RecoveryKey(RecoveryKey::parse(&k)?)
            }
        })
    }
}

fn status(inner: &mut Inner) -> confidant_core::Result<AppStatus> {
    let demo = inner.demo;
    match inner.vault() {
        Ok(v) => Ok(AppStatus { exists: true, info: Some(v.info()), demo }),
        Err(confidant_core::Error::VaultNotFound) => Ok(AppStatus { exists: false, info: None, demo }),
        Err(e) => Err(e),
    }
}

/// Whether a vault exists and whether it is unlocked. Never fails for a missing vault.
#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.run(status).await
}

/// Creates the vault and leaves it unlocked. Returns the recovery key: the only time it is
/// ever sent to the UI, which shows it once and forgets it.
#[tauri::command]
#[specta::specta]
pub async fn create_vault(state: State<'_, AppState>, passphrase: String) -> CmdResult<String> {
    let (kdf, home) = (state.kdf, state.home_dir.clone());
    state
        .run(move |inner| {
            // Always the real vault folder, even when the demo is open.
            let (vault, rk) = Vault::create(&home, &Passphrase::new(passphrase), kdf)?;
            inner.lock();
            inner.vault = Some(vault);
            inner.dir = home;
            inner.demo = false;
            let mut shown = rk.display();
            Ok(std::mem::take(&mut *shown))
        })
        .await
}

/// Switches to the demo vault (fictional clients), creating it on first use, unlocked.
#[tauri::command]
#[specta::specta]
pub async fn open_demo(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    let (dir, kdf) = (state.demo_dir.clone(), state.kdf);
    state.run(move |inner| open_demo_in(inner, dir, kdf)).await
}

/// Leaves the demo: locks it and goes back to the real vault folder (locked, or absent).
#[tauri::command]
#[specta::specta]
pub async fn leave_demo(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    let home = state.home_dir.clone();
    state
        .run(move |inner| {
            inner.lock();
            inner.vault = None;
            inner.dir = home;
            inner.demo = false;
            status(inner)
        })
        .await
}

/// Switches `inner` to the demo vault in `dir`, creating and filling it on first use.
pub fn open_demo_in(inner: &mut Inner, dir: std::path::PathBuf, kdf: KdfChoice) -> confidant_core::Result<AppStatus> {
    inner.lock();
    inner.vault = None;
    inner.dir = dir;
    inner.demo = true;
    match Vault::open(&inner.dir) {
        Ok(mut v) => {
            v.unlock(&Credential::Passphrase(Passphrase::from(demo::DEMO_PASSPHRASE)))?;
            inner.vault = Some(v);
        }
        Err(confidant_core::Error::VaultNotFound) => {
            let (mut v, _rk) = Vault::create(&inner.dir, &Passphrase::from(demo::DEMO_PASSPHRASE), kdf)?;
            demo::populate(&mut v)?;
            inner.vault = Some(v);
        }
        Err(e) => return Err(e),
    }
    status(inner)
}

/// Unlocks with the passphrase or the recovery key. Wrong ones change nothing.
#[tauri::command]
#[specta::specta]
pub async fn unlock(state: State<'_, AppState>, credential: CredentialInput) -> CmdResult<UnlockMethod> {
    state.with_vault(move |v| v.unlock(&credential.into_credential()?)).await
}

/// Unlocks with the key remembered in the OS keyring ("remember on this computer").
#[tauri::command]
#[specta::specta]
pub async fn unlock_remembered(state: State<'_, AppState>) -> CmdResult<UnlockMethod> {
    let keyring = state.keyring();
    state.with_vault(move |v| v.unlock_remembered(&keyring?)).await
}

/// Locks: the core drops the key and closes the database. Idempotent, never fails for a
/// vault that is already locked or missing.
#[tauri::command]
#[specta::specta]
pub async fn lock(state: State<'_, AppState>) -> CmdResult<()> {
    state.forget_paths();
    state
        .run(|inner| {
            inner.lock();
            Ok(())
        })
        .await
}

/// Public facts about the vault (readable while locked).
#[tauri::command]
#[specta::specta]
pub async fn vault_info(state: State<'_, AppState>) -> CmdResult<VaultInfo> {
    state.with_vault(|v| Ok(v.info())).await
}

/// The strength verdict for a candidate passphrase, for the live meter.
#[tauri::command]
#[specta::specta]
pub async fn check_passphrase(candidate: String) -> CmdResult<Strength> {
    let candidate = zeroize::Zeroizing::new(candidate);
    Ok(Vault::check_passphrase(&candidate))
}

/// Replaces the passphrase; `current` may be the passphrase or the recovery key.
#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(state: State<'_, AppState>, current: CredentialInput, next: String) -> CmdResult<()> {
    let kdf = state.kdf;
    state
        .with_vault(move |v| {
            if !v.is_unlocked() {
                return Err(confidant_core::Error::Locked);
            }
            v.change_passphrase(&current.into_credential()?, &Passphrase::new(next), kdf)
        })
        .await
}

/// Makes a new recovery key (the old one stops working) and returns it, once.
#[tauri::command]
#[specta::specta]
pub async fn regenerate_recovery_key(state: State<'_, AppState>, current: CredentialInput) -> CmdResult<String> {
    state
        .with_vault(move |v| {
            if !v.is_unlocked() {
                return Err(confidant_core::Error::Locked);
            }
            let mut shown = v.regenerate_recovery_key(&current.into_credential()?)?.display();
            Ok(std::mem::take(&mut *shown))
        })
        .await
}

/// Turns "remember on this computer" on or off.
#[tauri::command]
#[specta::specta]
pub async fn set_remembered(state: State<'_, AppState>, on: bool) -> CmdResult<VaultInfo> {
    let keyring = state.keyring();
    state
        .with_vault(move |v| {
            v.set_remembered(on, &keyring?)?;
            Ok(v.info())
        })
        .await
}
