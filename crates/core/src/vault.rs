//! The vault: one type whose methods every front end calls. It is either locked (only the key
//! file is known) or unlocked (an open SQLCipher connection and the keys in zeroizing memory).

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::audit::{self, Action, Target};
use crate::job::{CancelReason, JobHandle, Stopping};
use crate::keys::crypto::{self, Argon2Params};
use crate::keys::keyfile::{KeyFile, SlotKind};
use crate::keys::keyring::Keyring;
use crate::keys::pin::QuickUnlock;
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
    pub(crate) fn params(self) -> Result<Argon2Params> {
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
    /// With the custodian's successor key.
    Successor,
    /// With the day's PIN (quick unlock), after a full unlock earlier in this process.
    Pin,
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
    /// The successor (custodian) slot, if any: its kind and public part only.
    pub successor: Option<crate::keys::successor::SuccessorKind>,
    /// Found at this unlock: the access log was behind what this computer saw last (an older
    /// database file was put in place, or its write-ahead log cut). Logged as `log_rollback`.
    pub log_rollback: Option<audit::LogRollback>,
}

/// An unlocked session. Its connection is read-only (`PRAGMA query_only`) except inside
/// [`Session::write`] and the log appends, and it is private to this type: every change goes
/// through the audited path, so no feature can change data without its access-log row.
pub(crate) struct Session {
    conn: Connection,
    pub log_key: Zeroizing<[u8; 32]>,
    pub(crate) key: DatabaseKey,
    /// How this session was opened: a session opened by PIN cannot set a new PIN.
    pub(crate) method: UnlockMethod,
    /// The keyring of a remembered vault: it keeps a second copy of the log's head.
    pub(crate) keyring: Option<Keyring>,
    /// This process is the vault's one writer while the session lasts.
    _writer: WriterLock,
}

impl Session {
    /// The connection for reads; writes through it fail (`query_only`).
    pub(crate) fn reader(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` with writes allowed, and forbids them again whatever `f` returns. Records go
    /// through [`Session::write`]; this is also for flows that change the database as a whole
    /// (a re-key's export).
    pub(crate) fn writable<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("PRAGMA query_only = OFF")?;
        let out = f(&self.conn);
        let back = self.conn.execute_batch("PRAGMA query_only = ON");
        let out = out?;
        back?;
        Ok(out)
    }

    /// Tests that tamper with the database on purpose.
    #[cfg(test)]
    pub(crate) fn raw_for_tests(&self) -> &Connection {
        let _ = self.conn.execute_batch("PRAGMA query_only = OFF");
        &self.conn
    }

    /// Keeps the log's head outside the database (see [`LOG_SEEN_FILE`]). Best effort: a
    /// failure only means a later rollback cannot be told.
    pub(crate) fn remember_head(&self, dir: &Path, vault_id: &Uuid) {
        if let Ok(record) = audit::seen_record(&self.conn, &self.log_key) {
            let _ = crate::fsutil::atomic_write(&dir.join(LOG_SEEN_FILE), record.as_bytes());
            if let Some(k) = &self.keyring {
                let _ = k.set(&k.log_head_reference(vault_id), record.as_bytes());
            }
        }
    }

    pub(crate) fn log(&self, action: Action, t: Target) -> Result<()> {
        self.writable(|c| audit::append(c, &self.log_key, action, t))
    }

    /// Runs `f` in a transaction that also appends the log row, so a change and its record
    /// commit together or not at all.
    /// Appends several log rows that belong together (a search and the clients it showed) in
    /// one transaction: all or none.
    pub(crate) fn log_all(&mut self, rows: &[(Action, Target)]) -> Result<()> {
        self.writable(|c| {
            let tx = c.unchecked_transaction()?;
            for (action, target) in rows {
                audit::append(&tx, &self.log_key, *action, *target)?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    pub(crate) fn write<T>(&mut self, action: Action, f: impl FnOnce(&Connection) -> Result<(T, Target)>) -> Result<T> {
        self.write_logged(|tx| f(tx).map(|(out, target)| (out, vec![(action, target)])))
    }

    /// As [`Session::write`], for one change that touches several records, each with its row
    /// (an import: one per client received).
    pub(crate) fn write_logged<T>(
        &mut self,
        f: impl FnOnce(&Connection) -> Result<(T, Vec<(Action, Target)>)>,
    ) -> Result<T> {
        self.writable(|c| {
            let tx = c.unchecked_transaction()?;
            let (out, rows) = f(&tx)?;
            for (action, target) in rows {
                audit::append(&tx, &self.log_key, action, target)?;
            }
            tx.commit()?;
            Ok(out)
        })
    }
}

/// The access log's last row as this computer saw it at the last unlock or lock (`seq:mac:tag`),
/// kept beside the database so that an older database file put in its place (or a cut
/// write-ahead log) is noticed at the next unlock ([`VaultInfo::log_rollback`]).
pub const LOG_SEEN_FILE: &str = ".confidant-log-seen";

/// An encrypted vault folder.
pub struct Vault {
    pub(crate) dir: PathBuf,
    pub(crate) keys: KeyFile,
    pub(crate) session: Option<Session>,
    /// Long jobs running on this session's key; a lock cancels them. Weak: a finished job
    /// drops its token and is forgotten.
    pub(crate) jobs: Vec<JobHandle>,
    /// Set at unlock when the log was behind what this computer saw last; shown, not refused.
    rollback: Option<audit::LogRollback>,
    /// The day's PIN unlock, in memory only; kept across an ordinary lock (that is its point),
    /// dropped with the vault, on a key change and by [`Vault::forget_quick_unlock`].
    quick: Option<QuickUnlock>,
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
        let mut vault =
            Vault { dir: dir.to_owned(), keys, session: None, jobs: Vec::new(), rollback: None, quick: None };
        vault.session = Some(Session::new(conn, key, writer, UnlockMethod::Passphrase)?);
        vault.session()?.log(Action::VaultCreate, Target::none())?;
        Ok((vault, recovery))
    }

    /// Opens a vault folder, locked. Creates nothing; the only change it may make is to finish
    /// or undo a restore that was killed while moving folders (so the folder holds the old
    /// vault or the restored one, never neither).
    pub fn open(dir: &Path) -> Result<Vault> {
        crate::commit::recover_interrupted_restore(dir)?;
        crate::commit::recover_interrupted_rekey(dir)?;
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
        Ok(Vault { dir: dir.to_owned(), keys, session: None, jobs: Vec::new(), rollback: None, quick: None })
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
            successor: self.keys.slot(SlotKind::Successor).and_then(|s| match &s.kdf {
                crate::keys::keyfile::Kdf::Age { successor } => Some(successor.clone()),
                _ => None,
            }),
            log_rollback: self.rollback,
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
        let (key, writer) = self.prepare_unlock(|keys| keys.unwrap(cred))?;
        let method = match cred {
            Credential::Passphrase(_) => UnlockMethod::Passphrase,
            Credential::RecoveryKey(_) => UnlockMethod::RecoveryKey,
            Credential::Successor(_) => UnlockMethod::Successor,
        };
        self.start(key, writer, method)?;
        Ok(method)
    }

    /// Unlocks with the key remembered in the OS keyring. Any failure is a typed error telling
    /// the caller to ask for the passphrase; it never creates or changes anything.
    pub fn unlock_remembered(&mut self, keyring: &Keyring) -> Result<UnlockMethod> {
        let (key, writer) = self.prepare_unlock(|keys| {
            let slot = keys.slot(SlotKind::Device).ok_or(Error::NotRemembered)?;
            let r = slot.keyring.clone().ok_or(Error::KeyFileCorrupt("the device slot has no keyring entry"))?;
            // Only the entry derived from this vault's id, in this build's namespace, is read:
            // an edited key file cannot point the app at another vault's (or program's) secret.
            let expected = keyring.reference(&keys.vault_id);
            if r.user != expected.user {
                return Err(Error::KeyFileCorrupt("the device slot names another keyring entry"));
            }
            if r.service != expected.service {
                return Err(Error::NotRemembered);
            }
            let device_key = keyring.get(&r)?;
            keys.unwrap_device(&device_key)
        })?;
        self.start_keeping(key, writer, UnlockMethod::Remembered, Some(keyring))?;
        Ok(UnlockMethod::Remembered)
    }

    /// Locks, re-reads the key file and unwraps the key with `unwrap` (a wrong credential fails
    /// here, having changed nothing), then takes the writer lock. A re-key a crash interrupted is
    /// finished (or undone) under that lock first, and the key unwrapped again from the key
    /// file that matches the database; so no other program can change either until the vault
    /// locks again.
    fn prepare_unlock(
        &mut self,
        unwrap: impl Fn(&KeyFile) -> Result<DatabaseKey>,
    ) -> Result<(DatabaseKey, WriterLock)> {
        self.lock();
        self.reload_keys()?;
        let pending = self.dir.join(crate::commit::REKEY_DIR).exists();
        let first = unwrap(&self.keys);
        if !pending {
            let key = first?;
            return Ok((key, crate::writer::acquire(&self.dir)?));
        }
        let writer = crate::writer::acquire(&self.dir)?;
        crate::commit::finish_or_undo(&self.dir)?;
        self.reload_keys()?;
        Ok((unwrap(&self.keys)?, writer))
    }

    /// Opens a session with a key already unwrapped in this process (the day's PIN): locks, takes
    /// the writer lock, and refuses when a re-key by another program changed the key file.
    pub(crate) fn start_with_key(&mut self, key: DatabaseKey, method: UnlockMethod) -> Result<()> {
        self.lock();
        let writer = crate::writer::acquire(&self.dir)?;
        if self.dir.join(crate::commit::REKEY_DIR).exists() {
            crate::commit::finish_or_undo(&self.dir)?;
        }
        if self.ensure_keys_current().is_err() {
            self.forget_quick_unlock();
            return Err(Error::QuickUnlockUnavailable);
        }
        self.start(key, writer, method)
    }

    fn start(&mut self, key: DatabaseKey, writer: WriterLock, method: UnlockMethod) -> Result<()> {
        self.start_keeping(key, writer, method, None)
    }

    /// Opens the session, and compares the log with the head this computer saw last: the copy
    /// beside the database and, for a remembered vault, the one in the keyring (which a
    /// rollback of the whole folder cannot take back with it).
    fn start_keeping(
        &mut self,
        key: DatabaseKey,
        writer: WriterLock,
        method: UnlockMethod,
        keyring: Option<&Keyring>,
    ) -> Result<()> {
        let conn = db::open(&self.dir.join(DB_FILE), &key, db::Mode::Existing)?;
        let mut session = Session::new(conn, key, writer, method)?;
        session.keyring = keyring.filter(|_| self.keys.slot(SlotKind::Device).is_some()).cloned();
        let vault_id = self.keys.vault_id;
        let mut seen = vec![std::fs::read_to_string(self.dir.join(LOG_SEEN_FILE)).ok()];
        if let Some(k) = &session.keyring {
            seen.push(k.get(&k.log_head_reference(&vault_id)).ok().and_then(|b| String::from_utf8(b.to_vec()).ok()));
        }
        self.rollback = None;
        for text in seen.into_iter().flatten() {
            if let Some(r) = audit::check_seen(session.reader(), &session.log_key, &text)? {
                self.rollback = Some(r);
                break;
            }
        }
        session.log(Action::Unlock, Target::none())?;
        if self.rollback.is_some() {
            session.log(Action::LogRollback, Target::none())?;
        }
        session.remember_head(&self.dir, &self.keys.vault_id);
        self.session = Some(session);
        Ok(())
    }

    /// Ties a long job to this unlocked session: [`Vault::lock`] cancels it with
    /// [`CancelReason::Lock`], so no job keeps working on a key after the vault locked.
    pub fn track_job(&mut self, job: &JobHandle) -> Result<()> {
        self.session()?;
        self.jobs.retain(JobHandle::running);
        self.jobs.push(job.clone());
        Ok(())
    }

    /// Forgets a finished job.
    pub fn untrack_job(&mut self, job: &JobHandle) {
        self.jobs.retain(|j| j.running() && !j.cancel.same(&job.cancel));
    }

    /// Whether a tracked job is still running on this session.
    pub(crate) fn has_running_job(&self) -> bool {
        self.jobs.iter().any(JobHandle::running)
    }

    /// Locks: cancels the session's jobs, logs, closes the connection and drops every key from
    /// memory. Idempotent.
    pub fn lock(&mut self) {
        let _ = self.lock_stopping();
    }

    /// [`Vault::lock`], returning the jobs it cancelled so the caller can wait (without holding
    /// the vault, which a cancelled job may need to record its run) until each has dropped its
    /// key copy and connection.
    pub fn lock_stopping(&mut self) -> Stopping {
        let jobs: Vec<JobHandle> = self.jobs.drain(..).filter(JobHandle::running).collect();
        for j in &jobs {
            if let Some(t) = j.cancel.upgrade() {
                t.cancel(CancelReason::Lock);
            }
        }
        if let Some(s) = self.session.take() {
            let _ = s.log(Action::Lock, Target::none());
            s.remember_head(&self.dir, &self.keys.vault_id);
            drop(s);
        }
        self.rollback = None;
        Stopping::new(jobs)
    }

    /// The day's PIN unlock, if one is kept (see [`crate::quick_unlock`]).
    pub(crate) fn quick_mut(&mut self) -> &mut Option<QuickUnlock> {
        &mut self.quick
    }

    /// Forgets the day's PIN unlock: from now on only the passphrase, the recovery key or the
    /// keyring open the vault. Every key change calls it; a re-key must too. Idempotent.
    pub fn forget_quick_unlock(&mut self) {
        self.quick = None;
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
    /// Ends the session but keeps the writer lock (a re-key swaps the files under it).
    pub(crate) fn into_writer(self) -> WriterLock {
        self._writer
    }

    pub(crate) fn new(conn: Connection, key: DatabaseKey, writer: WriterLock, method: UnlockMethod) -> Result<Self> {
        let log_key = crypto::hkdf_sha256(key.expose(), b"confidant", b"access log v1")?;
        conn.execute_batch("PRAGMA query_only = ON")?;
        Ok(Session { conn, log_key, key, method, keyring: None, _writer: writer })
    }
}

fn remove_db_files(dir: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{DB_FILE}{suffix}")));
    }
}
