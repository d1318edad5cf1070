//! The restore's commit on folders, and finishing it after a crash. A restore moves whole
//! folders (the verified staging folder in, the old vault aside); a kill between two renames
//! must never leave the vault folder empty. This module knows only folders and lock files, so
//! both the restore (`backup`) and opening a vault (`Vault::open`) can call it.

use std::path::{Path, PathBuf};

use crate::paths::{DB_FILE, KEY_FILE};
use crate::{fsutil, Error, Result};

/// The lock file of a staging folder. It stays inside a restored folder while it is moved into
/// place (still locked, so a concurrent recovery leaves a live restore alone) and is removed
/// last, so it is named to be unmistakable inside a vault folder.
pub(crate) const STAGING_LOCK: &str = ".confidant-staging.lock";

/// `.<name>.restore-ready` next to the vault folder `<name>`: a restored vault, completely
/// verified, on its way into place.
pub(crate) fn ready_path(parent: &Path, name: &std::ffi::OsStr) -> PathBuf {
    parent.join(format!(".{}.restore-ready", name.to_string_lossy()))
}

/// Finishes or undoes a restore into `vault_dir` that was killed while moving folders, so the
/// folder always holds either the old vault or the restored one. `backup::restore` calls it
/// first; `Vault::open` calls it too (before looking for the vault's files), because a crash
/// between "old vault moved aside" and "restored vault moved in" leaves no folder at
/// `vault_dir` at all. What each crash point leaves, and what happens here:
/// - before the ready folder exists: the old vault is untouched (a leftover staging folder is
///   removed by the next restore);
/// - ready folder and the old vault in place: the restore had not started replacing anything,
///   so it is undone (the ready folder is removed);
/// - ready folder and no vault (the old one is already `<name>.before-restore-…`, or there was
///   none): the restored vault, verified before it was renamed to "ready", is moved in;
/// - the restored vault in place with the staging lock file still inside: the file is removed.
///
/// A restore still running (its staging lock held) is left alone.
pub(crate) fn recover_interrupted_restore(vault_dir: &Path) -> Result<()> {
    let (Some(name), parent) = (vault_dir.file_name(), vault_dir.parent().filter(|p| !p.as_os_str().is_empty())) else {
        return Ok(());
    };
    let parent = parent.unwrap_or(Path::new("."));
    let ready = ready_path(parent, name);
    let held = |lock: &Path| match std::fs::File::open(lock) {
        Ok(f) => !fs4::fs_std::FileExt::try_lock_exclusive(&f).unwrap_or(false),
        Err(_) => false,
    };
    if ready.is_dir() {
        if held(&ready.join(STAGING_LOCK)) {
            return Ok(());
        }
        if vault_dir.join(DB_FILE).exists() || vault_dir.join(KEY_FILE).exists() {
            std::fs::remove_dir_all(&ready).map_err(Error::io("remove an interrupted restore"))?;
        } else {
            if vault_dir.is_dir() {
                // Only an empty folder can be here without a vault's files: a restore into an
                // empty folder removes it before moving the restored vault in.
                std::fs::remove_dir(vault_dir).map_err(Error::io("finish an interrupted restore"))?;
            }
            std::fs::rename(&ready, vault_dir).map_err(Error::io("finish an interrupted restore"))?;
        }
        fsutil::sync_dir(parent)?;
    }
    let lock = vault_dir.join(STAGING_LOCK);
    if lock.exists() && !held(&lock) {
        std::fs::remove_file(&lock).map_err(Error::io("finish an interrupted restore"))?;
        fsutil::sync_dir(vault_dir)?;
    }
    Ok(())
}

/// The re-key's staging folder inside the vault folder ([`crate::rekey`]).
pub const REKEY_DIR: &str = ".confidant-rekey";
/// Its commit marker: present means the staged vault is the vault.
pub(crate) const REKEY_READY: &str = "ready";

/// Finishes a re-key that reached its commit point, or removes one that did not (see the module
/// docs). The caller holds the vault's writer lock. Idempotent; does nothing without a staging
/// folder.
pub(crate) fn finish_or_undo(dir: &Path) -> Result<()> {
    let staging = dir.join(REKEY_DIR);
    if !staging.is_dir() {
        return Ok(());
    }
    if !staging.join(REKEY_READY).is_file() {
        std::fs::remove_dir_all(&staging).map_err(Error::io("remove an unfinished re-key"))?;
        return fsutil::sync_dir(dir);
    }
    let new_db = staging.join(DB_FILE);
    if new_db.exists() {
        // The old database's write-ahead log must never be applied to the new file: its pages
        // are under the old key (and already in the copy).
        for suffix in ["-wal", "-shm"] {
            match std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}"))) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("finish a re-key")(e)),
            }
        }
        fsutil::sync_dir(dir)?;
        crash_point(5);
        std::fs::rename(&new_db, dir.join(DB_FILE)).map_err(Error::io("finish a re-key"))?;
        fsutil::sync_dir(dir)?;
        crash_point(6);
    }
    let new_keys = staging.join(KEY_FILE);
    if new_keys.exists() {
        std::fs::rename(&new_keys, dir.join(KEY_FILE)).map_err(Error::io("finish a re-key"))?;
        fsutil::sync_dir(dir)?;
        crash_point(7);
    }
    std::fs::remove_dir_all(&staging).map_err(Error::io("finish a re-key"))?;
    fsutil::sync_dir(dir)
}

/// [`finish_or_undo`] for [`Vault::open`]: only when no other program holds the vault (one that
/// does may be re-keying right now; its own unlock or ours later finishes the job).
pub(crate) fn recover_interrupted_rekey(dir: &Path) -> Result<()> {
    if !dir.join(REKEY_DIR).is_dir() {
        return Ok(());
    }
    match crate::writer::acquire(dir) {
        Ok(_lock) => finish_or_undo(dir),
        Err(Error::VaultBusy(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

// Where a test may stop a re-key as a crash would (no cleanup runs), to prove each point
// leaves an openable vault.
#[cfg(test)]
thread_local! {
    pub(crate) static CRASH_AT: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
}

#[inline]
pub(crate) fn crash_point(_n: u8) {
    #[cfg(test)]
    if CRASH_AT.with(|c| c.get()) == _n {
        panic!("simulated crash at point {_n}");
    }
}
