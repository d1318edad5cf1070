//! Re-key: a new random database key, so that what opened the vault before (an old passphrase,
//! a lost recovery sheet, an old backup's key file together with either) no longer opens it.
//!
//! # Why changing the passphrase is not enough
//! Every slot in `keys.json` wraps the same database key, and every backup carries that day's
//! `keys.json` in its header. Someone who has an old passphrase (or an old recovery key) and any
//! backup made while it was valid unwraps the database key from that backup; without a re-key
//! that key opens the live vault and every later backup. A re-key replaces the database key
//! itself. What it cannot do, and what the app says plainly: backups made before still open
//! with the credentials of their day (they are files on a disk; destroy them if that matters).
//! Backups made after open only with the new key and its credentials.
//!
//! # What a re-key does ([`Vault::rekey`], a core job with progress and cancellation)
//! 1. Checks: unlocked, the key file on disk is the one this vault read, the credential
//!    presented opens the current key file, no backup or check is running on this session, a new
//!    passphrase (if any) is strong enough.
//! 2. `reencrypt`: a re-encrypting copy of the database (`sqlcipher_export`) into
//!    `.confidant-rekey/vault.db` under a new random key; every table's row count and content
//!    hash must match the live database.
//! 3. `verify`: the copy passes `integrity_check` and `cipher_integrity_check`; the access log
//!    verifies under the old key and is anchored under the new one ([`crate::audit::reanchor`]),
//!    and a `rekey` row is appended. The copy is closed (no `-wal` left beside it) and fsynced.
//! 4. The new `keys.json` is written beside it: a passphrase slot (the new passphrase, or the
//!    current one re-wrapped), a new recovery key (shown once), the successor slot re-wrapped to
//!    the custodian's recipient when it is an age X25519 key. "Remember on this computer" gets
//!    a new keyring secret after the commit.
//! 5. `commit`: the file `ready` is written and fsynced in `.confidant-rekey`. This is the one
//!    commit point: before it, the vault is untouched and a crash or a cancel leaves the old
//!    vault; after it, the new vault is the vault.
//! 6. The live connection closes, its `-wal`/`-shm` are removed (their pages are in the copy and
//!    are under the old key), the new `vault.db` and `keys.json` are renamed into place, the
//!    folder is fsynced and `.confidant-rekey` removed. The session restarts on the new key
//!    under the same writer lock.
//!
//! # After a crash (kill -9, power loss)
//! [`finish_or_undo`] runs under the writer lock before every unlock (and from
//! [`Vault::open`] when the lock is free): `.confidant-rekey` without `ready` is removed (the
//! old vault was never touched); with `ready`, step 6 is completed from wherever it stopped. So
//! the vault always opens with the old key file and database, or with the new ones, never with
//! a mix.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Target};
use crate::job::{JobCtl, Phase, Progress};
use crate::keys::keyfile::{KeyFile, SlotKind};
use crate::keys::recovery::RecoveryKey;
use crate::keys::secret::{Credential, DatabaseKey, Passphrase};
use crate::paths::{DB_FILE, KEY_FILE};
use crate::vault::Session;
use crate::{db, fsutil, Error, KdfChoice, Result, Vault};

pub use crate::commit::REKEY_DIR;
use crate::commit::{finish_or_undo, REKEY_READY as READY};
const STEPS: u64 = 5;

/// Why the therapist renews the keys (logged only as the `rekey` action; the UI words its
/// explanation by it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RekeyReason {
    /// Someone may know the passphrase: a new passphrase is required.
    PassphraseKnown,
    /// The recovery sheet is lost: the passphrase may stay.
    RecoveryLost,
}

impl RekeyReason {
    /// Whether a new passphrase must be chosen: when someone may know the current one, and
    /// when it is not presented (only a passphrase typed now can be kept).
    pub fn new_passphrase_required(self, current: &Credential) -> bool {
        self == RekeyReason::PassphraseKnown || !matches!(current, Credential::Passphrase(_))
    }
}

/// What the person presents and chooses.
#[derive(Debug)]
pub struct RekeyRequest<'a> {
    /// Why (decides whether a new passphrase is required).
    pub reason: RekeyReason,
    /// The current passphrase or recovery key (asked again, as for every key change).
    pub current: &'a Credential,
    /// The new passphrase; `None` keeps the current one (only with [`RekeyReason::RecoveryLost`]
    /// and a passphrase as `current`).
    pub new_passphrase: Option<&'a Passphrase>,
    /// How a new passphrase slot is costed.
    pub kdf: KdfChoice,
}

/// What the person must be told afterwards.
#[derive(Debug)]
pub struct RekeyOutcome {
    /// The new recovery key: show it once; the old sheet no longer opens this vault.
    pub recovery_key: RecoveryKey,
    /// "Remember on this computer" was on and is on again with a new keyring secret.
    pub remembered: bool,
    /// Whether a successor slot was carried over (re-wrapped to the custodian's key).
    pub successor_kept: bool,
    /// A successor slot protected by a passphrase could not be carried over (the app does not
    /// know that passphrase) and was removed: it must be added again.
    pub successor_removed: bool,
    /// Access-log rows anchored under the new key.
    pub log_rows_anchored: i64,
}

/// The staged result of steps 2–4.
struct Built {
    keys: KeyFile,
    recovery_key: RecoveryKey,
    key: DatabaseKey,
    successor_kept: bool,
    successor_removed: bool,
    anchored: i64,
}

impl Vault {
    /// Re-keys the unlocked vault (see the module docs). Holds the vault for its whole run: no
    /// other change can happen meanwhile. Cancelling (the person, or a lock) before the commit
    /// point leaves the old vault untouched.
    pub fn rekey(&mut self, req: &RekeyRequest<'_>, ctl: &mut JobCtl<'_>) -> Result<RekeyOutcome> {
        let pass = self.check_rekey(req)?;
        let staging = self.dir.join(REKEY_DIR);
        // A leftover staging folder of a run that never reached its commit point.
        finish_or_undo(&self.dir)?;
        fsutil::create_private_dir(&staging)?;
        let built = self.build_rekeyed(req, pass, &staging, ctl);
        let built = match built {
            Ok(b) => b,
            Err(e) => {
                let _ = std::fs::remove_dir_all(&staging);
                let _ = fsutil::sync_dir(&self.dir);
                return Err(e);
            }
        };
        // Commit point.
        if let Err(e) = ctl.check().and_then(|()| fsutil::atomic_write(&staging.join(READY), b"confidant rekey v1\n")) {
            let _ = std::fs::remove_dir_all(&staging);
            let _ = fsutil::sync_dir(&self.dir);
            return Err(e);
        }
        crate::commit::crash_point(4);
        // Past the commit point: a cancel no longer stops anything.
        let _ = ctl.report(Progress { phase: Phase::Commit, done: 4, total: STEPS });
        let remembered = self.keys.slot(SlotKind::Device).is_some();
        let session = self.session.take().ok_or(Error::Locked)?;
        let method = session.method;
        let writer = session.into_writer();
        // The day's PIN seals the old key; and a renewal asks for the passphrase again anyway.
        self.forget_quick_unlock();
        // From here on the new vault is the vault: a failure below is finished at the next
        // unlock (the commit marker is on disk), never undone.
        finish_or_undo(&self.dir)?;
        self.keys = built.keys;
        let conn = db::open(&self.dir.join(DB_FILE), &built.key, db::Mode::Existing)?;
        self.session = Some(Session::new(conn, built.key, writer, method)?);
        let _ = ctl.report(Progress { phase: Phase::Commit, done: STEPS, total: STEPS });
        let mut outcome = RekeyOutcome {
            recovery_key: built.recovery_key,
            remembered: false,
            successor_kept: built.successor_kept,
            successor_removed: built.successor_removed,
            log_rows_anchored: built.anchored,
        };
        if remembered {
            // A new secret for the new key; failing here only means the passphrase is asked.
            if let Ok(k) = crate::Keyring::platform() {
                outcome.remembered = self.set_remembered(true, &k).is_ok();
            }
        }
        Ok(outcome)
    }

    /// The passphrase the new key file is sealed with: the new one, or the current one kept
    /// (borrowed from the request, never copied).
    fn check_rekey<'r>(&mut self, req: &RekeyRequest<'r>) -> Result<&'r Passphrase> {
        self.authorize(req.current)?;
        if self.has_running_job() {
            return Err(Error::JobRunning);
        }
        match (req.new_passphrase, req.current) {
            (Some(p), _) => {
                let verdict = self.rate_passphrase(p.expose());
                if !verdict.acceptable {
                    return Err(Error::WeakPassphrase(verdict));
                }
                Ok(p)
            }
            (None, Credential::Passphrase(p)) if !req.reason.new_passphrase_required(req.current) => Ok(p),
            (None, _) => Err(Error::invalid("new_passphrase", crate::Reason::Required)),
        }
    }

    /// Steps 2–4 into `staging`.
    fn build_rekeyed(
        &mut self,
        req: &RekeyRequest<'_>,
        pass: &Passphrase,
        staging: &Path,
        ctl: &mut JobCtl<'_>,
    ) -> Result<Built> {
        let keep_params = req.new_passphrase.is_none();
        ctl.report(Progress { phase: Phase::Reencrypt, done: 0, total: STEPS })?;
        let new_key = DatabaseKey::generate()?;
        let new_db = staging.join(DB_FILE);
        let session = self.session()?;
        let before = crate::backup::format::table_stats(session.reader())?;
        session.writable(|c| db::rekey::export(c, &new_db, &new_key))?;
        crate::commit::crash_point(1);
        ctl.report(Progress { phase: Phase::Reencrypt, done: 1, total: STEPS })?;

        let old_log_key = crate::keys::crypto::hkdf_sha256(session.key.expose(), b"confidant", b"access log v1")?;
        let anchored = {
            let conn = db::open(&new_db, &new_key, db::Mode::Existing)?;
            if crate::backup::format::table_stats(&conn)? != before {
                return Err(Error::Internal("the re-encrypted copy differs from the vault"));
            }
            ctl.report(Progress { phase: Phase::Verify, done: 2, total: STEPS })?;
            for pragma in ["PRAGMA integrity_check", "PRAGMA cipher_integrity_check"] {
                let mut st = conn.prepare(pragma)?;
                let problems: Vec<String> = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                if !(problems.is_empty() || problems == ["ok"]) {
                    return Err(Error::Internal("the re-encrypted copy failed its integrity check"));
                }
            }
            let new_log_key = crate::keys::crypto::hkdf_sha256(new_key.expose(), b"confidant", b"access log v1")?;
            let tx = conn.unchecked_transaction()?;
            let anchored = audit::reanchor(&tx, &old_log_key, &new_log_key)?;
            audit::append(&tx, &new_log_key, Action::Rekey, Target::none())?;
            tx.commit()?;
            conn.close().map_err(|(_, e)| Error::from(e))?;
            anchored
        };
        // The copy must be one self-contained file before the commit point.
        for suffix in ["-wal", "-shm"] {
            if staging.join(format!("{DB_FILE}{suffix}")).exists() {
                return Err(Error::Internal("the re-encrypted copy was not closed cleanly"));
            }
        }
        fsutil::sync_file(&new_db)?;
        crate::commit::crash_point(2);
        ctl.report(Progress { phase: Phase::Verify, done: 3, total: STEPS })?;

        let recovery_key = RecoveryKey::generate()?;
        let mut next = self.keys.clone();
        next.slots.clear();
        // Keeping the passphrase keeps its cost, unless it is below what the app writes today
        // (a slot from an older version): then it is calibrated anew.
        let params = match (keep_params, self.keys.slot(SlotKind::Passphrase).map(|s| &s.kdf)) {
            (true, Some(crate::keys::keyfile::Kdf::Argon2id { params, .. })) if params.is_writable() => *params,
            _ => req.kdf.params()?,
        };
        let slot = next.passphrase_slot(&new_key, pass, params)?;
        next.put_slot(slot);
        let slot = next.recovery_slot(&new_key, &recovery_key)?;
        next.put_slot(slot);
        let (successor_kept, successor_removed) = self.carry_successor(&mut next, &new_key)?;
        next.save(&staging.join(KEY_FILE))?;
        fsutil::sync_dir(staging)?;
        crate::commit::crash_point(3);
        ctl.report(Progress { phase: Phase::Commit, done: 3, total: STEPS })?;
        Ok(Built { keys: next, recovery_key, key: new_key, successor_kept, successor_removed, anchored })
    }

    /// The successor slot in the new key file: re-wrapped when its recipient is a public key,
    /// dropped (and reported) when it is a passphrase only the custodian knows.
    fn carry_successor(&self, next: &mut KeyFile, new_key: &DatabaseKey) -> Result<(bool, bool)> {
        let Some(old) = self.keys.slot(SlotKind::Successor) else { return Ok((false, false)) };
        match crate::keys::successor::rewrap(old, next, new_key)? {
            Some(slot) => {
                next.put_slot(slot);
                Ok((true, false))
            }
            None => Ok((false, true)),
        }
    }
}

#[cfg(test)]
mod tests;
