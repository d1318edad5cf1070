//! Key lifecycle: re-key (with progress) and the successor (custodian) key.

use confidant_core::job::Progress;
use confidant_core::keys::successor::SuccessorTo;
use confidant_core::rekey::{RekeyReason, RekeyRequest};
use confidant_core::{CancelToken, JobCtl, Passphrase, VaultInfo};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::State;

use super::vault::CredentialInput;
use crate::state::{AppState, CmdResult};

/// What the person is told after a re-key. `recovery_key` is the new key, shown once.
#[derive(Serialize, specta::Type)]
pub struct RekeyResult {
    /// The new recovery key (display form).
    pub recovery_key: String,
    /// "Remember on this computer" is on again, with a new secret.
    pub remembered: bool,
    /// The successor slot was carried over.
    pub successor_kept: bool,
    /// A passphrase-protected successor slot was removed and must be added again.
    pub successor_removed: bool,
}

impl std::fmt::Debug for RekeyResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RekeyResult([REDACTED])")
    }
}

/// Renews the vault's keys (see `confidant_core::rekey`). `next` is the new passphrase; `None`
/// keeps the current one (only when the recovery sheet is lost).
#[tauri::command]
#[specta::specta]
pub async fn rekey(
    state: State<'_, AppState>,
    reason: RekeyReason,
    current: CredentialInput,
    next: Option<String>,
    on_progress: Channel<Progress>,
) -> CmdResult<RekeyResult> {
    state
        .run(move |ws| {
            let kdf = ws.kdf();
            let current = current.into_credential()?;
            let next = next.map(Passphrase::new);
            let req = RekeyRequest { reason, current: &current, new_passphrase: next.as_ref(), kdf };
            let mut ctl = JobCtl::new(CancelToken::new(), move |p| {
                let _ = on_progress.send(p);
            });
            let out = ws.vault()?.rekey(&req, &mut ctl)?;
            let mut shown = out.recovery_key.display();
            Ok(RekeyResult {
                recovery_key: std::mem::take(&mut *shown),
                remembered: out.remembered,
                successor_kept: out.successor_kept,
                successor_removed: out.successor_removed,
            })
        })
        .await
}

/// Who the successor is for: an age public key, or a passphrase the custodian types.
#[derive(Deserialize, specta::Type)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SuccessorInput {
    /// `age1…`
    X25519(String),
    /// The custodian's passphrase.
    Passphrase(String),
}

impl std::fmt::Debug for SuccessorInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuccessorInput([REDACTED])")
    }
}

/// The successor as the settings page shows it.
#[derive(Debug, Serialize, specta::Type)]
pub struct SuccessorView {
    /// The custodian's name (`None` when no successor is set).
    pub name: Option<String>,
    /// The vault's public facts, including the slot's kind and public key.
    pub info: VaultInfo,
}

fn view(v: &mut confidant_core::Vault) -> confidant_core::Result<SuccessorView> {
    Ok(SuccessorView { name: v.successor_name()?, info: v.info() })
}

/// The successor, while unlocked.
#[tauri::command]
#[specta::specta]
pub async fn successor(state: State<'_, AppState>) -> CmdResult<SuccessorView> {
    state.with_vault(view).await
}

/// Adds or replaces the successor slot (the current passphrase or recovery key is asked).
#[tauri::command]
#[specta::specta]
pub async fn set_successor(
    state: State<'_, AppState>,
    current: CredentialInput,
    name: String,
    to: SuccessorInput,
) -> CmdResult<SuccessorView> {
    state
        .with_vault(move |v| {
            let to = match to {
                SuccessorInput::X25519(r) => SuccessorTo::X25519(r),
                SuccessorInput::Passphrase(p) => SuccessorTo::Passphrase(Passphrase::new(p)),
            };
            v.set_successor(&current.into_credential()?, &name, &to)?;
            view(v)
        })
        .await
}

/// Removes the successor slot.
#[tauri::command]
#[specta::specta]
pub async fn remove_successor(state: State<'_, AppState>, current: CredentialInput) -> CmdResult<SuccessorView> {
    state
        .with_vault(move |v| {
            v.remove_successor(&current.into_credential()?)?;
            view(v)
        })
        .await
}
