//! The vault's credentials while it is unlocked: the strength rule, changing the passphrase,
//! a new recovery key, "remember on this computer", and the one path every key-file change
//! takes (re-read, compare, replace atomically, forget the day's PIN, log). A re-key, which
//! replaces the database key itself, is in [`crate::rekey`].

use zeroize::Zeroizing;

use crate::audit::{Action, Target};
use crate::keys::crypto;
use crate::keys::keyfile::{KeyFile, SlotKind};
use crate::keys::keyring::Keyring;
use crate::keys::recovery::RecoveryKey;
use crate::keys::secret::{Credential, DatabaseKey, Passphrase};
use crate::keys::strength;
use crate::paths::KEY_FILE;
use crate::{Error, KdfChoice, Result, Vault};

impl Vault {
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

    /// Makes a new recovery key; the old one no longer opens this vault's key file (backups made
    /// before still carry the old slot: only [`Vault::rekey`] revokes it). Show the result once.
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
            // From now on the keyring keeps a copy of the log's head too.
            let dir = self.dir.clone();
            let s = self.session()?;
            s.keyring = Some(keyring.clone());
            s.remember_head(&dir, &vault_id);
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
            let _ = keyring.delete(&keyring.log_head_reference(&vault_id));
            self.session()?.keyring = None;
        }
        Ok(())
    }

    /// Re-reads the key file before an unlock, so a key changed by another program (the CLI
    /// while the app was locked) is the one used. Another vault's key file is refused.
    pub(crate) fn reload_keys(&mut self) -> Result<()> {
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

    /// Checks that `current` opens the key this session runs on (every key change asks for the
    /// passphrase or recovery key again) and returns that key.
    pub(crate) fn authorize(&mut self, current: &Credential) -> Result<DatabaseKey> {
        self.session()?;
        self.ensure_keys_current()?;
        let key = self.keys.unwrap(current)?;
        if key.expose() != self.session()?.key.expose() {
            return Err(Error::KeyFileChanged);
        }
        Ok(key)
    }

    /// Replaces the key file atomically, refusing one changed underneath.
    pub(crate) fn replace_keys(&mut self, next: KeyFile) -> Result<()> {
        self.ensure_keys_current()?;
        next.save(&self.dir.join(KEY_FILE))?;
        self.keys = next;
        // A changed credential is often a response to "someone may know it": the day's PIN
        // must not outlive it, so every key change asks for the passphrase again.
        self.forget_quick_unlock();
        Ok(())
    }

    pub(crate) fn commit_keys(&mut self, next: KeyFile) -> Result<()> {
        self.replace_keys(next)?;
        if let Some(s) = self.session.as_ref() {
            s.log(Action::KeyChange, Target::none())?;
        }
        Ok(())
    }
}
