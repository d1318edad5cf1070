//! Quick unlock for the day: set, use and forget the PIN. The core keeps it in memory only and
//! owns every rule (the PIN's form, the attempts, the expiry).

use confidant_core::{Pin, QuickUnlockStatus, UnlockMethod};
use tauri::State;

use crate::state::{AppState, CmdResult};

/// Sets (or replaces) the day's PIN while the vault is unlocked by the passphrase, the recovery
/// key or the keyring; returns the new state (until when it lasts).
#[tauri::command]
#[specta::specta]
pub async fn set_quick_unlock(state: State<'_, AppState>, pin: String) -> CmdResult<QuickUnlockStatus> {
    state
        .with_vault(move |v| {
            v.set_quick_unlock(&Pin::new(pin))?;
            v.quick_unlock_status()
        })
        .await
}

/// Unlocks with the day's PIN. A wrong one is `wrong_pin` (the app status tells how many
/// attempts remain); the last one `pin_attempts_used_up`.
#[tauri::command]
#[specta::specta]
pub async fn unlock_with_pin(state: State<'_, AppState>, pin: String) -> CmdResult<UnlockMethod> {
    let m = state.with_vault(move |v| v.unlock_with_pin(&Pin::new(pin))).await?;
    state.touch();
    Ok(m)
}

/// Forgets the day's PIN ("lock and require passphrase", turning it off). Works locked too.
#[tauri::command]
#[specta::specta]
pub async fn forget_quick_unlock(state: State<'_, AppState>) -> CmdResult<()> {
    state
        .with_vault(|v| {
            v.forget_quick_unlock();
            Ok(())
        })
        .await
}
