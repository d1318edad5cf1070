//! The vaults one front end works with: the therapist's own vault folder and the demo vault
//! beside it, which of the two is in use, and every switch between them (create, open the
//! demo, leave it, restore, lock). The desktop app keeps one [`Workspace`] behind a mutex; the
//! rules for switching live here, not in the shell.
//!
//! - Creating and restoring always target the therapist's own folder, even while the demo is
//!   open; the demo is locked and closed first.
//! - Leaving the demo, restoring and locking never leave a key in memory: the open vault is
//!   locked (which cancels its running jobs) before anything else happens.
//! - The vault is opened lazily (locked) on first use, so a missing vault is an answer
//!   ([`AppStatus::exists`]), not an error.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::backup::{self, RestoreMode, RestoreReport};
use crate::job::JobCtl;
use crate::keys::secret::{Credential, Passphrase};
use crate::quick_unlock::QuickUnlockStatus;
use crate::VaultAccess;
use crate::{demo, Error, KdfChoice, RecoveryKey, Result, Settings, Vault, VaultInfo};

/// What the first screen needs to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppStatus {
    /// Whether a vault exists in the folder in use.
    pub exists: bool,
    /// Its public facts, when it exists.
    pub info: Option<VaultInfo>,
    /// Whether the demo vault is the one in use.
    pub demo: bool,
    /// The day's PIN unlock, when a vault exists.
    pub quick_unlock: Option<QuickUnlockStatus>,
}

/// The therapist's vault folder, the demo folder, and the vault in use.
#[derive(Debug)]
pub struct Workspace {
    home: PathBuf,
    demo_dir: PathBuf,
    kdf: KdfChoice,
    dir: PathBuf,
    demo: bool,
    vault: Option<Vault>,
}

impl Workspace {
    /// A workspace over the vault folder `home`, with the demo beside it
    /// ([`crate::paths::demo_dir`]); `kdf` costs new passphrases (calibrated in the app,
    /// minimal in tests). Nothing is opened yet.
    pub fn new(home: PathBuf, kdf: KdfChoice) -> Self {
        let demo_dir = crate::paths::demo_dir(&home);
        Workspace { dir: home.clone(), home, demo_dir, kdf, demo: false, vault: None }
    }

    /// The therapist's own vault folder.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// Whether the demo is in use.
    pub fn is_demo(&self) -> bool {
        self.demo
    }

    /// The key-derivation choice for new passphrases.
    pub fn kdf(&self) -> KdfChoice {
        self.kdf
    }

    /// The vault in use, opened (locked) on first use.
    pub fn vault(&mut self) -> Result<&mut Vault> {
        if self.vault.is_none() {
            self.vault = Some(Vault::open(&self.dir)?);
        }
        self.vault.as_mut().ok_or(Error::Internal("vault just opened"))
    }

    /// The vault in use if it is open and unlocked; never opens anything (the attachment
    /// protocol answers "forbidden" otherwise).
    pub fn unlocked(&mut self) -> Option<&mut Vault> {
        self.vault.as_mut().filter(|v| v.is_unlocked())
    }

    /// The device settings of the folder in use (defaults when there is no vault yet).
    pub fn settings(&self) -> Result<Settings> {
        Settings::load(&self.dir)
    }

    /// Validates and saves the settings of the folder in use, also before a vault exists (the
    /// language picked on the first screen); returns what is now stored.
    pub fn update_settings(&mut self, settings: &Settings, confirmed: bool) -> Result<Settings> {
        match self.vault() {
            Ok(v) => v.update_settings_confirmed(settings, confirmed)?,
            Err(Error::VaultNotFound) => {
                // No vault yet: the first screen's language and auto-lock, nothing else.
                crate::settings::check_change(&self.settings()?, settings, false)?;
                crate::fsutil::create_private_dir(&self.dir)?;
                settings.save(&self.dir)?
            }
            Err(e) => return Err(e),
        }
        self.settings()
    }

    /// Whether a vault exists here and whether it is unlocked. Never fails for a missing vault.
    pub fn status(&mut self) -> Result<AppStatus> {
        let demo = self.demo;
        match self.vault() {
            Ok(v) => {
                // An unreadable settings file must not keep anyone from the unlock screen: the
                // quick unlock is then simply not offered.
                let quick_unlock = v.quick_unlock_status().ok();
                Ok(AppStatus { exists: true, info: Some(v.info()), demo, quick_unlock })
            }
            Err(Error::VaultNotFound) => Ok(AppStatus { exists: false, info: None, demo, quick_unlock: None }),
            Err(e) => Err(e),
        }
    }

    /// Locks the vault in use (cancelling its jobs); true when it was unlocked.
    pub fn lock(&mut self) -> bool {
        self.lock_stopping().is_some()
    }

    /// [`Workspace::lock`], returning the jobs it cancelled (when the vault was unlocked), so
    /// the caller can wait for them after letting go of the workspace.
    pub fn lock_stopping(&mut self) -> Option<crate::Stopping> {
        match self.vault.as_mut() {
            Some(v) if v.is_unlocked() => Some(v.lock_stopping()),
            _ => None,
        }
    }

    fn switch_to(&mut self, dir: PathBuf, demo: bool) {
        self.lock();
        self.vault = None;
        self.dir = dir;
        self.demo = demo;
    }

    /// Creates the therapist's vault (even while the demo is open) and leaves it unlocked.
    /// Returns the recovery key, to be shown exactly once.
    pub fn create(&mut self, passphrase: &Passphrase) -> Result<RecoveryKey> {
        let (vault, rk) = Vault::create(&self.home, passphrase, self.kdf)?;
        self.switch_to(self.home.clone(), false);
        self.vault = Some(vault);
        Ok(rk)
    }

    /// Rates a candidate passphrase for the live meter: with the profile's names when the
    /// vault in use is unlocked (changing the passphrase), without them before one exists.
    pub fn check_passphrase(&mut self, candidate: &str) -> crate::keys::strength::Strength {
        match self.unlocked() {
            Some(v) => v.rate_passphrase(candidate),
            None => Vault::check_passphrase(candidate),
        }
    }

    /// Switches to the demo vault, creating and filling it on first use, unlocked.
    pub fn open_demo(&mut self) -> Result<AppStatus> {
        self.switch_to(self.demo_dir.clone(), true);
        self.vault = Some(demo::open_or_create(&self.demo_dir, self.kdf)?);
        self.status()
    }

    /// Leaves the demo: locks it and goes back to the therapist's folder (locked, or absent).
    pub fn leave_demo(&mut self) -> Result<AppStatus> {
        self.switch_to(self.home.clone(), false);
        self.status()
    }

    /// Restores `file` into the therapist's folder and unlocks it with the same credential.
    /// The vault in use (or the demo) is locked and closed first; over an existing vault only
    /// with [`RestoreMode::ReplaceKeepingOld`].
    pub fn restore(
        &mut self,
        file: &Path,
        cred: &Credential,
        mode: RestoreMode,
        ctl: &mut JobCtl<'_>,
    ) -> Result<(AppStatus, RestoreReport)> {
        self.switch_to(self.home.clone(), false);
        let report = backup::restore(file, cred, &self.home, mode, ctl)?;
        self.vault()?.unlock(cred)?;
        Ok((self.status()?, report))
    }
}

impl VaultAccess for Mutex<Workspace> {
    fn with_vault<T>(&self, f: impl FnOnce(&mut Vault) -> Result<T>) -> Result<T> {
        let mut ws = self.lock().unwrap_or_else(|e| e.into_inner());
        f(ws.vault()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::PASS;

    fn ws() -> (tempfile::TempDir, Workspace) {
        let d = tempfile::tempdir().unwrap();
        let w = Workspace::new(d.path().join("vault"), KdfChoice::Fixed(crate::Argon2Params::MINIMUM));
        (d, w)
    }

    #[test]
    fn a_missing_vault_is_an_answer_and_create_targets_home_even_from_the_demo() {
        let (_d, mut w) = ws();
        assert_eq!(w.status().unwrap(), AppStatus { exists: false, info: None, demo: false, quick_unlock: None });
        let s = w.open_demo().unwrap();
        assert!(s.demo && s.info.as_ref().is_some_and(|i| i.unlocked));
        w.create(&Passphrase::from(PASS)).unwrap();
        let s = w.status().unwrap();
        assert!(!s.demo && s.info.is_some_and(|i| i.unlocked));
        assert!(w.home().join(crate::paths::DB_FILE).exists());
    }

    #[test]
    fn leaving_the_demo_locks_it_and_reopening_finds_it() {
        let (_d, mut w) = ws();
        w.open_demo().unwrap();
        let n = w.vault().unwrap().list_clients(&Default::default()).unwrap().len();
        assert!(n > 0);
        let s = w.leave_demo().unwrap();
        assert_eq!(s, AppStatus { exists: false, info: None, demo: false, quick_unlock: None });
        w.open_demo().unwrap();
        assert_eq!(w.vault().unwrap().list_clients(&Default::default()).unwrap().len(), n);
    }

    #[test]
    fn settings_save_before_a_vault_exists_and_follow_the_folder_in_use() {
        let (_d, mut w) = ws();
        let mut s = w.settings().unwrap();
        s.language = Some(crate::domain::profile::Language::Da);
        assert_eq!(w.update_settings(&s, false).unwrap().language, s.language);
        w.open_demo().unwrap();
        assert_ne!(w.settings().unwrap().language, s.language);
        w.leave_demo().unwrap();
        assert_eq!(w.settings().unwrap().language, s.language);
        s.auto_lock_minutes = 0;
        assert!(matches!(w.update_settings(&s, false), Err(Error::Validation(_))));
    }

    #[test]
    fn restore_goes_home_unlocked_even_after_a_language_was_picked_on_the_first_screen() {
        let (d, mut w) = ws();
        let mut s = w.settings().unwrap();
        s.language = Some(crate::domain::profile::Language::Sv);
        w.update_settings(&s, false).unwrap();
        w.open_demo().unwrap();
        let usb = d.path().join("usb");
        std::fs::create_dir(&usb).unwrap();
        let r = w.vault().unwrap().backup_now(&usb, &mut JobCtl::quiet()).unwrap();
        let cred = Credential::Passphrase(Passphrase::from(demo::DEMO_PASSPHRASE));
        let (st, _) = w.restore(&usb.join(&r.file_name), &cred, RestoreMode::New, &mut JobCtl::quiet()).unwrap();
        assert!(!st.demo && st.info.is_some_and(|i| i.unlocked));
        assert!(!w.vault().unwrap().list_clients(&Default::default()).unwrap().is_empty());
        // A second restore over it needs the explicit replace.
        let e = w.restore(&usb.join(&r.file_name), &cred, RestoreMode::New, &mut JobCtl::quiet()).unwrap_err();
        assert_eq!(e.code(), crate::Code::RestoreTargetExists);
    }

    #[test]
    fn the_pin_is_forgotten_by_a_switch_to_or_from_the_demo_and_by_a_restore() {
        use crate::{Pin, QuickUnlockRule};
        let (d, mut w) = ws();
        let pin = || Pin::from("583920");
        let set_pin = |w: &mut Workspace| {
            let s = Settings { quick_unlock: QuickUnlockRule::ForHours { hours: 4 }, ..w.settings().unwrap() };
            w.update_settings(&s, false).unwrap();
            w.vault().unwrap().set_quick_unlock(&pin()).unwrap();
            w.lock();
            assert!(w.status().unwrap().quick_unlock.unwrap().active_until.is_some());
        };
        let forgotten = |w: &mut Workspace| {
            assert_eq!(w.status().unwrap().quick_unlock.unwrap().active_until, None);
            let e = w.vault().unwrap().unlock_with_pin(&pin()).unwrap_err();
            assert_eq!(e.code(), crate::Code::QuickUnlockUnavailable);
        };
        w.create(&Passphrase::from(PASS)).unwrap();
        let usb = d.path().join("usb");
        std::fs::create_dir(&usb).unwrap();
        let backup = w.vault().unwrap().backup_now(&usb, &mut JobCtl::quiet()).unwrap().file_name;
        set_pin(&mut w);
        w.open_demo().unwrap();
        w.leave_demo().unwrap();
        forgotten(&mut w);
        // The demo's own PIN does not survive leaving it either.
        w.open_demo().unwrap();
        set_pin(&mut w);
        w.leave_demo().unwrap();
        w.open_demo().unwrap();
        w.lock();
        forgotten(&mut w);
        // A restore replaces the vault in use, and its PIN with it.
        w.leave_demo().unwrap();
        let cred = || Credential::Passphrase(Passphrase::from(PASS));
        w.vault().unwrap().unlock(&cred()).unwrap();
        set_pin(&mut w);
        let mode = RestoreMode::ReplaceKeepingOld;
        w.restore(&usb.join(&backup), &cred(), mode, &mut JobCtl::quiet()).unwrap();
        w.lock();
        forgotten(&mut w);
    }

    #[test]
    fn locking_cancels_the_jobs_of_the_session() {
        let (_d, mut w) = ws();
        w.open_demo().unwrap();
        let t = crate::job::CancelToken::new();
        let ctl = crate::JobCtl::new(t.clone(), |_| {});
        w.vault().unwrap().track_job(&ctl.handle()).unwrap();
        assert!(w.lock());
        assert_eq!(t.reason(), Some(crate::job::CancelReason::Lock));
        assert!(!w.lock());
    }
}
