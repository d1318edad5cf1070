//! The vault: one type whose methods every front end calls. It is either locked (only the key
//! file is known) or unlocked (an open SQLCipher connection and the keys in zeroizing memory).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, Action, Target};
use crate::job::{CancelReason, CancelToken, WeakCancel};
use crate::keys::crypto::{self, Argon2Params};
use crate::keys::keyfile::{KeyFile, SlotKind};
use crate::keys::keyring::Keyring;
use crate::keys::recovery::RecoveryKey;
use crate::keys::secret::{Credential, DatabaseKey, Passphrase};
use crate::keys::strength;
use crate::paths::{DB_FILE, KEY_FILE};
use crate::writer::WriterLock;
use crate::{db, Error, Result};

/// How a new passphrase slot is costed.
#[derive(Debug, Clone, Copy)]
pub enum KdfChoice {
    /// 256 MiB and as many passes as fit in [`KDF_TARGET`] on this machine (the product).
    Calibrate,
    /// Fixed parameters, refused unless at least [`Argon2Params::PRODUCT_FLOOR`] (tests, whose
    /// build has the `test-kdf` feature, may use the test-only `Argon2Params::MINIMUM`).
    Fixed(Argon2Params),
}

/// How long the passphrase derivation may take on the machine that writes the slot. A full
/// unlock adds opening the database and one log row (tens of milliseconds), so it stays under
/// a second with room for a busy machine.
pub const KDF_TARGET: std::time::Duration = std::time::Duration::from_millis(600);

impl KdfChoice {
    fn params(self) -> Result<Argon2Params> {
        match self {
            KdfChoice::Calibrate => Argon2Params::calibrate(KDF_TARGET),
            KdfChoice::Fixed(p) if p.is_writable() => Ok(p),
            KdfChoice::Fixed(_) => Err(Error::Internal("key derivation parameters outside what the app writes")),
        }
    }
}

/// How the vault was unlocked, for the log and the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum UnlockMethod {
    /// With the passphrase.
    Passphrase,
    /// With the recovery key.
    RecoveryKey,
    /// From the OS keyring.
    Remembered,
}

/// Public facts about a vault, available while locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VaultInfo {
    /// The vault's id.
    pub vault_id: Uuid,
    /// Whether it is unlocked now.
    pub unlocked: bool,
    /// Whether "remember on this computer" is on.
    pub remembered: bool,
    /// Whether a recovery key exists.
    pub has_recovery_key: bool,
}

pub(crate) struct Session {
    pub conn: Connection,
    pub log_key: Zeroizing<[u8; 32]>,
    key: DatabaseKey,
    /// This process is the vault's one writer while the session lasts.
    _writer: WriterLock,
}

impl Session {
    pub(crate) fn log(&self, action: Action, t: Target) -> Result<()> {
        audit::append(&self.conn, &self.log_key, action, t)
    }

    /// Runs `f` in a transaction that also appends the log row, so a change and its record
    /// commit together or not at all.
    /// Appends several log rows that belong together (a search and the clients it showed) in
    /// one transaction: all or none.
    pub(crate) fn log_all(&mut self, rows: &[(Action, Target)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (action, target) in rows {
            audit::append(&tx, &self.log_key, *action, *target)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub(crate) fn write<T>(&mut self, action: Action, f: impl FnOnce(&Connection) -> Result<(T, Target)>) -> Result<T> {
        let tx = self.conn.transaction()?;
        let (out, target) = f(&tx)?;
        audit::append(&tx, &self.log_key, action, target)?;
        tx.commit()?;
        Ok(out)
    }
}

/// An encrypted vault folder.
pub struct Vault {
    dir: PathBuf,
    keys: KeyFile,
    session: Option<Session>,
    /// Long jobs running on this session's key; a lock cancels them. Weak: a finished job
    /// drops its token and is forgotten.
    jobs: Vec<WeakCancel>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("vault_id", &self.keys.vault_id)
            .field("unlocked", &self.session.is_some())
            .finish_non_exhaustive()
    }
}

impl Vault {
    /// Creates a vault in `dir` (created if needed) and returns it unlocked together with the
    /// recovery key, which must be shown to the person exactly once.
    pub fn create(dir: &Path, passphrase: &Passphrase, kdf: KdfChoice) -> Result<(Vault, RecoveryKey)> {
        let verdict = strength::check(passphrase.expose(), &[]);
        if !verdict.acceptable {
            return Err(Error::WeakPassphrase(verdict));
        }
        let db_path = dir.join(DB_FILE);
        let key_path = dir.join(KEY_FILE);
        if db_path.exists() || key_path.exists() {
            return Err(Error::VaultExists);
        }
        crate::fsutil::create_private_dir(dir)?;
        let params = kdf.params()?;
        let key = DatabaseKey::generate()?;
        let recovery = RecoveryKey::generate()?;
        let mut keys = KeyFile::new();
        let slot = keys.passphrase_slot(&key, passphrase, params)?;
        keys.put_slot(slot);
        let slot = keys.recovery_slot(&key, &recovery)?;
        keys.put_slot(slot);

        let writer = crate::writer::acquire(dir)?;
        // Database first: a crash before the key file is written leaves a file nobody can
        // open rather than a key file that points at nothing.
        let conn = match db::open(&db_path, &key, db::Mode::Create) {
            Ok(c) => c,
            Err(e) => {
                remove_db_files(dir);
                return Err(e);
            }
        };
        if let Err(e) = keys.save(&key_path) {
            drop(conn);
            remove_db_files(dir);
            return Err(e);
        }
        let mut vault = Vault { dir: dir.to_owned(), keys, session: None, jobs: Vec::new() };
        vault.session = Some(Session::new(conn, key, writer)?);
        vault.session()?.log(Action::VaultCreate, Target::none())?;
        Ok((vault, recovery))
    }

    /// Opens a vault folder, locked. Creates nothing; the only change it may make is to finish
    /// or undo a restore that was killed while moving folders (so the folder holds the old
    /// vault or the restored one, never neither).
    pub fn open(dir: &Path) -> Result<Vault> {
        crate::commit::recover_interrupted_restore(dir)?;
        let db_path = dir.join(DB_FILE);
        let key_path = dir.join(KEY_FILE);
        let (has_db, has_keys) = (db_path.exists(), key_path.exists());
        if !has_db && !has_keys {
            return Err(Error::VaultNotFound);
        }
        let keys = KeyFile::load(&key_path)?;
        if !has_db {
            return Err(Error::DatabaseMissing);
        }
        Ok(Vault { dir: dir.to_owned(), keys, session: None, jobs: Vec::new() })
    }

    /// The vault folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Public facts about the vault.
    pub fn info(&self) -> VaultInfo {
        VaultInfo {
            vault_id: self.keys.vault_id,
            unlocked: self.session.is_some(),
            remembered: self.keys.slot(SlotKind::Device).is_some(),
            has_recovery_key: self.keys.slot(SlotKind::Recovery).is_some(),
        }
    }

    /// Whether the vault is unlocked.
    pub fn is_unlocked(&self) -> bool {
        self.session.is_some()
    }

    pub(crate) fn session(&mut self) -> Result<&mut Session> {
        self.session.as_mut().ok_or(Error::Locked)
    }

    /// Unlocks with a passphrase or recovery key. A wrong one is a typed error and leaves
    /// every file untouched.
    pub fn unlock(&mut self, cred: &Credential) -> Result<UnlockMethod> {
        self.reload_keys()?;
        let key = self.keys.unwrap(cred)?;
        let method = match cred {
            Credential::Passphrase(_) => UnlockMethod::Passphrase,
            Credential::RecoveryKey(_) => UnlockMethod::RecoveryKey,
        };
        self.start(key)?;
        Ok(method)
    }

    /// Unlocks with the key remembered in the OS keyring. Any failure is a typed error telling
    /// the caller to ask for the passphrase; it never creates or changes anything.
    pub fn unlock_remembered(&mut self, keyring: &Keyring) -> Result<UnlockMethod> {
        self.reload_keys()?;
        let slot = self.keys.slot(SlotKind::Device).ok_or(Error::NotRemembered)?;
        let r = slot.keyring.clone().ok_or(Error::KeyFileCorrupt("the device slot has no keyring entry"))?;
        // Only the entry derived from this vault's id, in this build's namespace, is read: an
        // edited key file cannot point the app at another vault's (or program's) secret.
        let expected = keyring.reference(&self.keys.vault_id);
        if r.user != expected.user {
            return Err(Error::KeyFileCorrupt("the device slot names another keyring entry"));
        }
        if r.service != expected.service {
            return Err(Error::NotRemembered);
        }
        let device_key = keyring.get(&r)?;
        let key = self.keys.unwrap_device(&device_key)?;
        self.start(key)?;
        Ok(UnlockMethod::Remembered)
    }

    fn start(&mut self, key: DatabaseKey) -> Result<()> {
        self.lock();
        let writer = crate::writer::acquire(&self.dir)?;
        let conn = db::open(&self.dir.join(DB_FILE), &key, db::Mode::Existing)?;
        let session = Session::new(conn, key, writer)?;
        session.log(Action::Unlock, Target::none())?;
        self.session = Some(session);
        Ok(())
    }

    /// Ties a long job to this unlocked session: [`Vault::lock`] cancels it with
    /// [`CancelReason::Lock`], so no job keeps working on a key after the vault locked.
    pub fn track_job(&mut self, token: &CancelToken) -> Result<()> {
        self.session()?;
        self.jobs.retain(|w| w.upgrade().is_some_and(|t| t.reason().is_none()));
        self.jobs.push(token.downgrade());
        Ok(())
    }

    /// Forgets a finished job.
    pub fn untrack_job(&mut self, token: &CancelToken) {
        self.jobs.retain(|w| w.upgrade().is_some_and(|t| !t.same(token)));
    }

    /// Locks: cancels the session's jobs, logs, closes the connection and drops every key from
    /// memory. Idempotent.
    pub fn lock(&mut self) {
        for t in self.jobs.drain(..).filter_map(|w| w.upgrade()) {
            t.cancel(CancelReason::Lock);
        }
        if let Some(s) = self.session.take() {
            let _ = s.log(Action::Lock, Target::none());
            drop(s);
        }
    }

    /// Checks a candidate passphrase against the strength rule (for a live meter) when no
    /// names are known yet (before the vault exists).
    pub fn check_passphrase(candidate: &str) -> strength::Strength {
        strength::check(candidate, &[])
    }

    /// Checks a candidate passphrase against the strength rule with the therapist's and the
    /// practice's names from the profile when unlocked (the rule [`Vault::change_passphrase`]
    /// applies), without them when locked.
    pub fn rate_passphrase(&mut self, candidate: &str) -> strength::Strength {
        let names = self.profile_names();
        strength::check(candidate, &names.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// The names an attacker who knows the practice tries first; none while locked.
    fn profile_names(&mut self) -> Vec<String> {
        if !self.is_unlocked() {
            return Vec::new();
        }
        // A profile that cannot be read must not block a key change: only this rule is then
        // skipped, zxcvbn still applies.
        self.profile().map(|p| vec![p.therapist_name, p.practice_name]).unwrap_or_default()
    }

    /// Replaces the passphrase. `current` may be the old passphrase or the recovery key (the
    /// way back for someone who forgot it). Only the key file is rewritten, atomically.
    /// The new one is rated with the profile's names when the vault is unlocked.
    pub fn change_passphrase(&mut self, current: &Credential, new: &Passphrase, kdf: KdfChoice) -> Result<()> {
        let verdict = self.rate_passphrase(new.expose());
        if !verdict.acceptable {
            return Err(Error::WeakPassphrase(verdict));
        }
        let key = self.keys.unwrap(current)?;
        let mut next = self.keys.clone();
        let slot = next.passphrase_slot(&key, new, kdf.params()?)?;
        next.put_slot(slot);
        self.commit_keys(next)
    }

    /// Makes a new recovery key; the old one stops working. Show the result once.
    pub fn regenerate_recovery_key(&mut self, current: &Credential) -> Result<RecoveryKey> {
        let key = self.keys.unwrap(current)?;
        let rk = RecoveryKey::generate()?;
        let mut next = self.keys.clone();
        let slot = next.recovery_slot(&key, &rk)?;
        next.put_slot(slot);
        self.commit_keys(next)?;
        Ok(rk)
    }

    /// Turns "remember on this computer" on or off. Needs the vault unlocked.
    pub fn set_remembered(&mut self, on: bool, keyring: &Keyring) -> Result<()> {
        let vault_id = self.keys.vault_id;
        if on {
            // Already on: rewriting would overwrite the keyring secret the current slot uses.
            if self.keys.slot(SlotKind::Device).is_some() {
                self.session()?;
                return Ok(());
            }
            let key = self.session()?.key.duplicate();
            let device_key = Zeroizing::new(crypto::random::<32>()?);
            let r = keyring.reference(&vault_id);
            keyring.set(&r, device_key.as_slice())?;
            let mut next = self.keys.clone();
            let slot = next.device_slot(&key, &device_key, r.clone())?;
            next.put_slot(slot);
            if let Err(e) = self.commit_keys(next) {
                let _ = keyring.delete(&r);
                return Err(e);
            }
        } else {
            self.session()?;
            let old = self.keys.slot(SlotKind::Device).and_then(|s| s.keyring.clone());
            let mut next = self.keys.clone();
            next.remove_slot(SlotKind::Device);
            self.commit_keys(next)?;
            // The slot is gone, so a leftover keyring secret unlocks nothing; failing to delete
            // it must not undo turning the feature off.
            if let Some(r) = old {
                let _ = keyring.delete(&r);
            }
        }
        Ok(())
    }

    /// Re-reads the key file before an unlock, so a key changed by another program (the CLI
    /// while the app was locked) is the one used. Another vault's key file is refused.
    fn reload_keys(&mut self) -> Result<()> {
        let on_disk = KeyFile::load(&self.dir.join(KEY_FILE))?;
        if on_disk.vault_id != self.keys.vault_id {
            return Err(Error::NotAVault("the key file belongs to another vault"));
        }
        self.keys = on_disk;
        Ok(())
    }

    /// The key file on disk must still be the one this vault read or wrote last; a key file
    /// changed underneath is never silently overwritten (or embedded in a backup).
    pub(crate) fn ensure_keys_current(&self) -> Result<()> {
        let on_disk = KeyFile::load(&self.dir.join(KEY_FILE))?;
        if on_disk == self.keys {
            Ok(())
        } else {
            Err(Error::KeyFileChanged)
        }
    }

    fn commit_keys(&mut self, next: KeyFile) -> Result<()> {
        self.ensure_keys_current()?;
        next.save(&self.dir.join(KEY_FILE))?;
        self.keys = next;
        if let Some(s) = self.session.as_ref() {
            s.log(Action::KeyChange, Target::none())?;
        }
        Ok(())
    }

    /// The key file as loaded (the backup embeds it so a backup restores with the passphrase).
    pub(crate) fn key_file(&self) -> &KeyFile {
        &self.keys
    }

    /// The database key, for the backup and recovery tooling that must hand it to SQLCipher.
    pub fn database_key(&mut self) -> Result<DatabaseKey> {
        Ok(self.session()?.key.duplicate())
    }
}

/// A vault shared with other threads. Flows take it only for their short steps (a key, a
/// record), never while they copy or verify gigabytes.
pub trait VaultAccess {
    /// Runs `f` with the vault.
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T>;
}

impl VaultAccess for std::sync::Mutex<Vault> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        f(&mut self.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl VaultAccess for std::cell::RefCell<&mut Vault> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        f(&mut self.borrow_mut())
    }
}

impl Drop for Vault {
    fn drop(&mut self) {
        self.lock();
    }
}

impl Session {
    fn new(conn: Connection, key: DatabaseKey, writer: WriterLock) -> Result<Self> {
        let log_key = crypto::hkdf_sha256(key.expose(), b"confidant", b"access log v1")?;
        Ok(Session { conn, log_key, key, _writer: writer })
    }
}

fn remove_db_files(dir: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
}
