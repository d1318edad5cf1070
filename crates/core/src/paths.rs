//! Where a vault lives: the OS data folder for the app unless `--vault DIR` or
//! `CONFIDANT_VAULT` says otherwise.

use std::path::PathBuf;

/// Environment variable naming the vault folder.
pub const VAULT_ENV: &str = "CONFIDANT_VAULT";
/// The database file inside a vault folder.
pub const DB_FILE: &str = "vault.db";
/// The key file inside a vault folder.
pub const KEY_FILE: &str = "keys.json";

/// The default vault folder: `$CONFIDANT_VAULT`, else the OS data dir
/// (`~/.local/share/confidant/vault` on Linux, `~/Library/Application Support/app.Confidant.Confidant/vault`
/// on macOS, `%APPDATA%\Confidant\Confidant\data\vault` on Windows).
pub fn default_vault_dir() -> Option<PathBuf> {
    if let Some(v) = std::env::var_os(VAULT_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(v));
    }
    directories::ProjectDirs::from("app", "Confidant", "Confidant").map(|d| d.data_dir().join("vault"))
}
