//! Where a vault lives: the OS data folder for the app unless `--vault DIR` or
//! `CONFIDANT_VAULT` says otherwise.

use std::path::{Path, PathBuf};

/// Environment variable naming the vault folder.
pub const VAULT_ENV: &str = "CONFIDANT_VAULT";
/// The database file inside a vault folder.
pub const DB_FILE: &str = "vault.db";
/// The key file inside a vault folder.
pub const KEY_FILE: &str = "keys.json";

/// The app's identifier (reverse DNS, lower case): the desktop app's bundle id and, on macOS,
/// the name of its data folder. Fixed before any therapist keeps data in a folder named after
/// it; never change it without moving existing vaults.
pub const APP_ID: &str = "app.confidant.journal";

/// The default vault folder: `$CONFIDANT_VAULT`, else the OS data dir
/// (`~/.local/share/confidant/vault` on Linux, `~/Library/Application Support/app.confidant.journal/vault`
/// on macOS, `%LOCALAPPDATA%\Confidant\vault` on Windows: the local profile, since a roaming
/// one would copy the vault to the domain's servers).
pub fn default_vault_dir() -> Option<PathBuf> {
    if let Some(v) = std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(v));
    }
    let base = directories::BaseDirs::new()?;
    let app = if cfg!(target_os = "macos") {
        base.data_dir().join(APP_ID)
    } else if cfg!(windows) {
        base.data_local_dir().join("Confidant")
    } else {
        base.data_dir().join("confidant")
    };
    Some(app.join("vault"))
}

/// The demo vault's folder: next to the real one (`…/vault-demo`), so the two never mix.
pub fn demo_dir(vault_dir: &Path) -> PathBuf {
    let name = vault_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "vault".into());
    vault_dir.with_file_name(format!("{name}-demo"))
}
