//! The vault's quick unlock for the day: set a PIN after a full unlock, reopen the vault with it
//! after an ordinary (idle, manual, system) lock, forget it. The rules and the sealed state are
//! in [`crate::keys::pin`]; this module ties them to the vault and its settings.
//!
//! - A PIN can be set only while the vault is unlocked by a full credential (passphrase,
//!   recovery key, keyring): a session opened by PIN cannot extend itself.
//! - It lasts until the time the settings give ([`QuickUnlockRule`]), and for
//!   [`MAX_ATTEMPTS`] wrong PINs; the last wrong one forgets it.
//! - It is forgotten by "lock and require passphrase", a key change, a key file changed by
//!   another program, a change of the rule, and with the [`Vault`] itself (quitting, switching
//!   to or from the demo, a restore). An ordinary lock keeps it.
//! - An unlock by PIN writes the same `unlock` row in the access log as any other unlock.

use chrono::{DateTime, Local, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::keys::pin::{self, Attempt, Pin, QuickUnlock, QuickUnlockRule, MAX_ATTEMPTS};
use crate::{Error, Result, UnlockMethod, Vault};

/// What the lock screen and the settings need to know about the quick unlock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct QuickUnlockStatus {
    /// Until when the day's PIN opens the vault; `None` when there is none (never set,
    /// expired, attempts used up, forgotten).
    pub active_until: Option<DateTime<Utc>>,
    /// Wrong PINs still allowed before the passphrase is needed.
    pub attempts_left: u8,
    /// Until when a PIN set now would last; `None` when none can be set now (locked, opened by
    /// PIN, the setting is off, or today's time has passed).
    pub offer_until: Option<DateTime<Utc>>,
}

impl Vault {
    /// The quick unlock's state now.
    pub fn quick_unlock_status(&mut self) -> Result<QuickUnlockStatus> {
        self.quick_unlock_status_at(&Local::now())
    }

    /// [`Vault::quick_unlock_status`] at `now` (tests pass a fixed time and zone).
    pub fn quick_unlock_status_at<Tz: TimeZone>(&mut self, now: &DateTime<Tz>) -> Result<QuickUnlockStatus> {
        let rule = self.settings()?.quick_unlock;
        let now_utc = now.with_timezone(&Utc);
        self.drop_quick_unlock_if_dead(now_utc);
        let (active_until, attempts_left) =
            self.quick_mut().as_ref().map_or((None, MAX_ATTEMPTS), |q| (Some(q.expires()), q.attempts_left()));
        let can_set = self.full_session();
        Ok(QuickUnlockStatus { active_until, attempts_left, offer_until: rule.expiry(now).filter(|_| can_set) })
    }

    /// Sets (or replaces) the day's PIN; returns when it expires. Needs the vault unlocked by a
    /// full credential, a PIN that passes [`pin::check_pin`] (a `validation` error on `pin`
    /// otherwise) and a rule that allows one now; every refusal leaves the previous PIN as it was.
    pub fn set_quick_unlock(&mut self, pin: &Pin) -> Result<DateTime<Utc>> {
        self.set_quick_unlock_at(pin, &Local::now())
    }

    /// [`Vault::set_quick_unlock`] at `now`.
    pub fn set_quick_unlock_at<Tz: TimeZone>(&mut self, pin: &Pin, now: &DateTime<Tz>) -> Result<DateTime<Utc>> {
        pin::check_pin(pin)?;
        if !self.is_unlocked() {
            return Err(Error::Locked);
        }
        if !self.full_session() {
            return Err(Error::QuickUnlockUnavailable);
        }
        let expires = self.settings()?.quick_unlock.expiry(now).ok_or(Error::QuickUnlockUnavailable)?;
        let key = self.database_key()?;
        let sealed = QuickUnlock::seal(&key, pin, &self.info().vault_id, expires)?;
        *self.quick_mut() = Some(sealed);
        Ok(expires)
    }

    /// Unlocks with the day's PIN. A wrong PIN is `wrong_pin` (the status tells how many
    /// attempts remain); the last one is `pin_attempts_used_up` and forgets the quick unlock;
    /// without a usable one (none, expired, key file changed by another program) it is
    /// `quick_unlock_unavailable`. Only a right PIN changes anything on disk (the `unlock` row).
    pub fn unlock_with_pin(&mut self, pin: &Pin) -> Result<UnlockMethod> {
        self.unlock_with_pin_at(pin, Utc::now())
    }

    /// [`Vault::unlock_with_pin`] at `now`.
    pub fn unlock_with_pin_at(&mut self, pin: &Pin, now: DateTime<Utc>) -> Result<UnlockMethod> {
        self.drop_quick_unlock_if_dead(now);
        if self.quick_mut().is_none() {
            return Err(Error::QuickUnlockUnavailable);
        }
        // A key changed by another program while the app was locked (the CLI changed the
        // passphrase, or re-keyed) revokes the PIN just as a change made here would.
        if self.ensure_keys_current().is_err() || self.settings()?.quick_unlock == QuickUnlockRule::Off {
            self.forget_quick_unlock();
            return Err(Error::QuickUnlockUnavailable);
        }
        let vault_id = self.info().vault_id;
        let q = self.quick_mut().as_mut().ok_or(Error::QuickUnlockUnavailable)?;
        match q.try_open(pin, &vault_id)? {
            Attempt::Opened(key) => {
                self.start_with_key(key, UnlockMethod::Pin)?;
                Ok(UnlockMethod::Pin)
            }
            Attempt::Wrong(0) => {
                self.forget_quick_unlock();
                Err(Error::PinAttemptsUsedUp)
            }
            Attempt::Wrong(attempts_left) => Err(Error::WrongPin { attempts_left }),
        }
    }

    /// Whether the vault is unlocked by a full credential (not by PIN).
    fn full_session(&mut self) -> bool {
        self.session().is_ok_and(|s| s.method != UnlockMethod::Pin)
    }

    fn drop_quick_unlock_if_dead(&mut self, now: DateTime<Utc>) {
        if self.quick_mut().as_ref().is_some_and(|q| !q.is_live(now)) {
            self.forget_quick_unlock();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{unlocked_vault, PASS};
    use crate::{Code, Credential, Passphrase, Settings};
    use chrono::{DateTime, Duration, FixedOffset};

    const PIN: &str = "583920";

    fn morning() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-02T08:15:00+01:00").unwrap()
    }

    fn later(minutes: i64) -> DateTime<Utc> {
        morning().with_timezone(&Utc) + Duration::minutes(minutes)
    }

    fn with_pin() -> (tempfile::TempDir, Vault) {
        let (d, mut v) = unlocked_vault();
        let until = v.set_quick_unlock_at(&Pin::from(PIN), &morning()).unwrap();
        assert_eq!(until, DateTime::parse_from_rfc3339("2026-12-02T17:00:00Z").unwrap());
        v.lock();
        (d, v)
    }

    fn unlocks(v: &mut Vault) -> usize {
        let rows = v.access_log(None, 1000).unwrap();
        rows.iter().filter(|r| r.action == crate::audit::Action::Unlock).count()
    }

    #[test]
    fn a_pin_reopens_after_an_ordinary_lock_and_logs_a_normal_unlock() {
        let (_d, mut v) = with_pin();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(60)).unwrap(), UnlockMethod::Pin);
        assert!(v.is_unlocked());
        assert_eq!(unlocks(&mut v), 1, "the unlock by PIN is in the log like any other");
        // Kept across the next lock, too.
        v.lock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(120)).unwrap(), UnlockMethod::Pin);
    }

    #[test]
    fn wrong_pins_count_down_then_the_quick_unlock_is_forgotten() {
        let (d, mut v) = with_pin();
        let before = crate::testing::snapshot(d.path());
        let e = v.unlock_with_pin_at(&Pin::from("583921"), later(1)).unwrap_err();
        assert!(matches!(e, Error::WrongPin { attempts_left: 2 }), "{e:?}");
        assert_eq!(v.quick_unlock_status_at(&morning()).unwrap().attempts_left, 2);
        assert!(matches!(
            v.unlock_with_pin_at(&Pin::from("111111"), later(2)),
            Err(Error::WrongPin { attempts_left: 1 })
        ));
        assert_eq!(v.unlock_with_pin_at(&Pin::from("583922"), later(3)).unwrap_err().code(), Code::PinAttemptsUsedUp);
        assert!(!v.is_unlocked());
        assert_eq!(crate::testing::snapshot(d.path()), before, "wrong PINs change nothing on disk");
        // Even the right PIN no longer works; the passphrase does.
        let e = v.unlock_with_pin_at(&Pin::from(PIN), later(4)).unwrap_err();
        assert_eq!(e.code(), Code::QuickUnlockUnavailable);
        assert_eq!(v.quick_unlock_status_at(&morning()).unwrap().active_until, None);
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
    }

    #[test]
    fn a_right_pin_restores_the_attempts() {
        let (_d, mut v) = with_pin();
        assert!(v.unlock_with_pin_at(&Pin::from("583921"), later(1)).is_err());
        assert!(v.unlock_with_pin_at(&Pin::from("583921"), later(1)).is_err());
        v.unlock_with_pin_at(&Pin::from(PIN), later(2)).unwrap();
        v.lock();
        assert!(matches!(
            v.unlock_with_pin_at(&Pin::from("583921"), later(3)),
            Err(Error::WrongPin { attempts_left: 2 })
        ));
    }

    #[test]
    fn it_expires_at_the_time_of_the_setting() {
        let (_d, mut v) = with_pin();
        let at_six = DateTime::parse_from_rfc3339("2026-12-02T17:00:00Z").unwrap().with_timezone(&Utc);
        let e = v.unlock_with_pin_at(&Pin::from(PIN), at_six).unwrap_err();
        assert_eq!(e.code(), Code::QuickUnlockUnavailable);
        assert!(!v.is_unlocked());
        // Forgotten, not just refused: turning the clock back does not bring it back.
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(5)).unwrap_err().code(), Code::QuickUnlockUnavailable);
    }

    #[test]
    fn forgotten_on_request_on_key_change_and_on_rule_change() {
        let pass = || Credential::Passphrase(Passphrase::from(PASS));
        // "Lock and require passphrase".
        let (_d, mut v) = with_pin();
        v.forget_quick_unlock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
        // Changing the passphrase.
        let (_d, mut v) = with_pin();
        v.unlock(&pass()).unwrap();
        let kdf = crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM);
        v.change_passphrase(&pass(), &Passphrase::from("helt ny lösenfras med många ord"), kdf).unwrap();
        v.lock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
        // A new recovery key.
        let (_d, mut v) = with_pin();
        v.unlock(&pass()).unwrap();
        v.regenerate_recovery_key(&pass()).unwrap();
        v.lock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
        // A different rule (here: off).
        let (_d, mut v) = with_pin();
        v.unlock(&pass()).unwrap();
        let s = Settings { quick_unlock: QuickUnlockRule::Off, ..v.settings().unwrap() };
        v.update_settings(&s).unwrap();
        v.lock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
    }

    #[test]
    fn a_key_file_changed_by_another_program_revokes_the_pin() {
        let (_d, mut v) = with_pin();
        let dir = v.dir().to_owned();
        // The CLI (another Vault on the same folder) changes the passphrase while the app is locked.
        let mut cli = Vault::open(&dir).unwrap();
        let pass = Credential::Passphrase(Passphrase::from(PASS));
        cli.unlock(&pass).unwrap();
        let kdf = crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM);
        cli.change_passphrase(&pass, &Passphrase::from("helt ny lösenfras med många ord"), kdf).unwrap();
        drop(cli);
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
        assert!(!v.is_unlocked());
    }

    fn rekey_keeping(v: &mut Vault) {
        let pass = Credential::Passphrase(Passphrase::from(PASS));
        let req = crate::rekey::RekeyRequest {
            reason: crate::rekey::RekeyReason::RecoveryLost,
            current: &pass,
            new_passphrase: None,
            kdf: crate::KdfChoice::Fixed(crate::Argon2Params::MINIMUM),
        };
        v.rekey(&req, &mut crate::JobCtl::quiet()).unwrap();
    }

    #[test]
    fn a_rekey_forgets_the_pin_here_and_revokes_it_when_another_program_did_it() {
        // Here: the PIN sealed the old key, and a renewal asks for the passphrase again.
        let (_d, mut v) = with_pin();
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        rekey_keeping(&mut v);
        v.lock();
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);

        // Another program (the CLI) re-keys while the app is locked: the PIN's key is the old
        // one, and it must neither open nor be tried against the new database.
        let (_d, mut v) = with_pin();
        let mut cli = Vault::open(v.dir()).unwrap();
        cli.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        rekey_keeping(&mut cli);
        drop(cli);
        assert_eq!(v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap_err().code(), Code::QuickUnlockUnavailable);
        assert!(!v.is_unlocked());
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
    }

    #[test]
    fn setting_needs_a_full_unlock_a_valid_pin_and_an_open_window() {
        let (_d, mut v) = unlocked_vault();
        // Bad PINs: a clear validation error, nothing kept.
        let e = v.set_quick_unlock_at(&Pin::from("123456"), &morning()).unwrap_err();
        assert!(matches!(&e, Error::Validation(f) if f.field == "pin" && f.reason == crate::Reason::TooSimple));
        let e = v.set_quick_unlock_at(&Pin::from("12a4"), &morning()).unwrap_err();
        assert!(matches!(&e, Error::Validation(f) if f.field == "pin" && f.reason == crate::Reason::Format));
        assert_eq!(v.quick_unlock_status_at(&morning()).unwrap().active_until, None);
        // After 18:00 nothing is offered and nothing can be set.
        let evening = DateTime::parse_from_rfc3339("2026-12-02T19:00:00+01:00").unwrap();
        assert_eq!(v.quick_unlock_status_at(&evening).unwrap().offer_until, None);
        let e = v.set_quick_unlock_at(&Pin::from(PIN), &evening).unwrap_err();
        assert_eq!(e.code(), Code::QuickUnlockUnavailable);
        // Locked: nothing.
        v.lock();
        assert!(matches!(v.set_quick_unlock_at(&Pin::from(PIN), &morning()), Err(Error::Locked)));
        assert_eq!(v.quick_unlock_status_at(&morning()).unwrap().offer_until, None);
        // Opened by PIN: a new PIN needs the passphrase first; the old one stays.
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        let st = v.quick_unlock_status_at(&morning()).unwrap();
        assert_eq!(st.offer_until, Some(later(9 * 60 + 45)));
        v.set_quick_unlock_at(&Pin::from(PIN), &morning()).unwrap();
        v.lock();
        v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap();
        assert_eq!(v.quick_unlock_status_at(&morning()).unwrap().offer_until, None);
        let e = v.set_quick_unlock_at(&Pin::from("902746"), &morning()).unwrap_err();
        assert_eq!(e.code(), Code::QuickUnlockUnavailable);
        v.lock();
        v.unlock_with_pin_at(&Pin::from(PIN), later(2)).unwrap();
    }

    #[test]
    fn nothing_of_the_pin_reaches_the_disk() {
        let (d, mut v) = unlocked_vault();
        let s = v.settings().unwrap();
        v.update_settings(&s).unwrap();
        v.set_quick_unlock_at(&Pin::from(PIN), &morning()).unwrap();
        let values = v.quick_mut().as_ref().unwrap().memory_only_values();
        v.lock();
        v.unlock_with_pin_at(&Pin::from(PIN), later(1)).unwrap();
        v.lock();
        let files = crate::testing::snapshot(d.path());
        assert!(files.len() >= 3, "the vault, key and settings files were read");
        for (name, bytes) in &files {
            assert!(!contains(bytes, PIN.as_bytes()), "the PIN in {name}");
            for value in &values {
                assert!(!contains(bytes, value), "a sealed value in {name}");
                assert!(!contains(bytes, hex::encode(value).as_bytes()), "a sealed value as hex in {name}");
            }
        }
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }
}
