//! The vault itself: status, create, demo, unlock, lock, keys.

use confidant_core::keys::strength::Strength;
use confidant_core::{AppStatus, Credential, Passphrase, RecoveryKey, UnlockMethod, VaultInfo};
use serde::Deserialize;
use tauri::State;

use crate::state::{AppState, CmdResult};

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

/// Whether a vault exists and whether it is unlocked. Never fails for a missing vault.
#[tauri::command]
#[specta::specta]
pub async fn app_status(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.run(|ws| ws.status()).await
}

/// Creates the vault and leaves it unlocked. Returns the recovery key: the only time it is
/// ever sent to the UI, which shows it once and forgets it.
#[tauri::command]
#[specta::specta]
pub async fn create_vault(state: State<'_, AppState>, passphrase: String) -> CmdResult<String> {
    state.touch();
    state
        .run(move |ws| {
            let rk = ws.create(&Passphrase::new(passphrase))?;
            let mut shown = rk.display();
            Ok(std::mem::take(&mut *shown))
        })
        .await
}

/// Switches to the demo vault (fictional clients), creating it on first use, unlocked.
#[tauri::command]
#[specta::specta]
pub async fn open_demo(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.touch();
    state.run(|ws| ws.open_demo()).await
}

/// Leaves the demo: locks it and goes back to the real vault folder (locked, or absent).
#[tauri::command]
#[specta::specta]
pub async fn leave_demo(state: State<'_, AppState>) -> CmdResult<AppStatus> {
    state.run(|ws| ws.leave_demo()).await
}

/// Unlocks with the passphrase or the recovery key. Wrong ones change nothing.
#[tauri::command]
#[specta::specta]
pub async fn unlock(state: State<'_, AppState>, credential: CredentialInput) -> CmdResult<UnlockMethod> {
    let m = state.with_vault(move |v| v.unlock(&credential.into_credential()?)).await?;
    state.touch();
    Ok(m)
}

/// Unlocks with the key remembered in the OS keyring ("remember on this computer").
#[tauri::command]
#[specta::specta]
pub async fn unlock_remembered(state: State<'_, AppState>) -> CmdResult<UnlockMethod> {
    let keyring = state.keyring();
    let m = state.with_vault(move |v| v.unlock_remembered(&keyring?)).await?;
    state.touch();
    Ok(m)
}

/// Locks: the core drops the key and closes the database. Idempotent, never fails for a
/// vault that is already locked or missing.
#[tauri::command]
#[specta::specta]
pub async fn lock(state: State<'_, AppState>) -> CmdResult<()> {
    state.forget_paths();
    let stopping = state.run(|ws| Ok(ws.lock_stopping())).await?;
    // Outside the workspace: a cancelled backup may still need it to record its run.
    if let Some(s) = stopping {
        let _ = tauri::async_runtime::spawn_blocking(move || s.wait(crate::events::JOB_STOP_WAIT)).await;
    }
    Ok(())
}

/// The UI saw input (keys, pointer, wheel): resets the shell's idle backstop. The UI calls it
/// at most every half minute while the person works; it carries nothing.
#[tauri::command]
#[specta::specta]
pub async fn activity(state: State<'_, AppState>) -> CmdResult<()> {
    state.touch();
    Ok(())
}

/// Public facts about the vault (readable while locked).
#[tauri::command]
#[specta::specta]
pub async fn vault_info(state: State<'_, AppState>) -> CmdResult<VaultInfo> {
    state.with_vault(|v| Ok(v.info())).await
}

/// The strength verdict for a candidate passphrase, for the live meter (with the profile's
/// names once the vault is unlocked).
#[tauri::command]
#[specta::specta]
pub async fn check_passphrase(state: State<'_, AppState>, candidate: String) -> CmdResult<Strength> {
    let candidate = zeroize::Zeroizing::new(candidate);
    state.run(move |ws| Ok(ws.check_passphrase(&candidate))).await
}

/// Replaces the passphrase; `current` may be the passphrase or the recovery key.
#[tauri::command]
#[specta::specta]
pub async fn change_passphrase(state: State<'_, AppState>, current: CredentialInput, next: String) -> CmdResult<()> {
    state
        .run(move |ws| {
            let kdf = ws.kdf();
            let v = ws.vault()?;
            if !v.is_unlocked() {
                return Err(confidant_core::Error::Locked);
            }
            v.change_passphrase(&current.into_credential()?, &Passphrase::new(next), kdf)
        })
        .await
}

/// Makes a new recovery key (the old one no longer opens the vault; older backups still carry
/// it, see `rekey`) and returns it, once.
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
