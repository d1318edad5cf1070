//! One writer per vault. While a vault is unlocked, its process holds an exclusive OS lock on
//! `.confidant-writer.lock` in the vault folder; a second program that tries to unlock the same
//! vault (the CLI while the app has it open, a second app instance) is refused with
//! [`Error::VaultBusy`] naming the holder, instead of racing it for SQLite's write lock
//! (`database_busy`) or, worse, rewriting the key file underneath it. Locking the vault (or the
//! process ending, however it ends) releases the lock: the OS drops it with the file handle.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::error::Holder;
use crate::{fsutil, Error, Result};

/// The lock file's name inside a vault folder.
pub const WRITER_LOCK: &str = ".confidant-writer.lock";

static ME: AtomicU8 = AtomicU8::new(1);

/// Says which kind of program this process is (the app calls it once at start; the default is
/// the command line). The holder's name is what another program's refusal tells the person.
pub fn identify(me: Holder) {
    ME.store(if me == Holder::App { 0 } else { 1 }, Ordering::SeqCst);
}

fn me() -> Holder {
    if ME.load(Ordering::SeqCst) == 0 {
        Holder::App
    } else {
        Holder::Cli
    }
}

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

/// Takes the vault folder's writer lock, or says who holds it.
pub(crate) fn acquire(dir: &Path) -> Result<WriterLock> {
    let path = dir.join(WRITER_LOCK);
    let mut file = match fsutil::private_create_new(&path) {
        Ok(f) => f,
        Err(_) => {
            std::fs::OpenOptions::new().read(true).write(true).open(&path).map_err(Error::io("open the lock file"))?
        }
    };
    if !fs4::fs_std::FileExt::try_lock_exclusive(&file).unwrap_or(false) {
        let mut text = String::new();
        let _ = file.read_to_string(&mut text);
        let by = if text.starts_with("app") { Holder::App } else { Holder::Cli };
        return Err(Error::VaultBusy(by));
    }
    // Name ourselves for whoever is refused next (no personal data: a program kind and a pid).
    let label = match me() {
        Holder::App => "app",
        Holder::Cli => "cli",
    };
    let _ = file.set_len(0);
    let _ = file.seek(SeekFrom::Start(0));
    let _ = write!(file, "{label} {}", std::process::id());
    let _ = file.sync_all();
    Ok(WriterLock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_name_until_it_lets_go() {
        let d = tempfile::tempdir().unwrap();
        let first = acquire(d.path()).unwrap();
        // A second open file description conflicts even within one process.
        match acquire(d.path()) {
            Err(Error::VaultBusy(Holder::Cli)) => {}
            other => panic!("expected vault_busy naming the command line, got {other:?}"),
        }
        drop(first);
        let again = acquire(d.path()).unwrap();
        drop(again);
    }
}
