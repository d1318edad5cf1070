//! The successor (custodian) slot as the therapist manages it: add or replace it, remove it,
//! and read the custodian's name. The cryptography and what the custodian can and cannot do are
//! in [`crate::keys::successor`]; this module ties a change of the slot to the vault: the
//! current credential is asked again (as for every key change), the key file is replaced
//! atomically, and the custodian's name (personal data, so inside the encrypted vault, never in
//! `keys.json`) is stored with a `successor_change` log row in one transaction.

use crate::audit::{Action, Target};
use crate::domain::validate;
use crate::keys::keyfile::SlotKind;
use crate::keys::secret::Credential;
use crate::keys::successor::{self, SuccessorTo};
use crate::{Result, Vault};

const NAME_KEY: &str = "successor_name";
const NAME_MAX: usize = 200;

impl Vault {
    /// Adds the successor slot for `name`, or replaces the existing one (the old custodian's key
    /// stops opening this vault, not the backups made while it was in place).
    pub fn set_successor(&mut self, current: &Credential, name: &str, to: &SuccessorTo) -> Result<()> {
        let name = validate::one_line("successor_name", name, NAME_MAX, true)?;
        let key = self.authorize(current)?;
        let mut next = self.keys.clone();
        next.put_slot(successor::seal(&next, &key, to)?);
        self.replace_keys(next)?;
        self.session()?.write(Action::SuccessorChange, |c| {
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [NAME_KEY, name.as_str()],
            )?;
            Ok(((), Target::none()))
        })
    }

    /// Removes the successor slot.
    pub fn remove_successor(&mut self, current: &Credential) -> Result<()> {
        self.authorize(current)?;
        if self.keys.slot(SlotKind::Successor).is_none() {
            return Ok(());
        }
        let mut next = self.keys.clone();
        next.remove_slot(SlotKind::Successor);
        self.replace_keys(next)?;
        self.session()?.write(Action::SuccessorChange, |c| {
            c.execute("DELETE FROM meta WHERE key = ?1", [NAME_KEY])?;
            Ok(((), Target::none()))
        })
    }

    /// The custodian's name, while unlocked (`None` without a successor slot).
    pub fn successor_name(&mut self) -> Result<Option<String>> {
        let has = self.keys.slot(SlotKind::Successor).is_some();
        let s = self.session()?;
        if !has {
            return Ok(None);
        }
        use rusqlite::OptionalExtension;
        Ok(s.reader().query_row("SELECT value FROM meta WHERE key = ?1", [NAME_KEY], |r| r.get(0)).optional()?)
    }
}
