//! Quick unlock for the day: a short PIN that reopens a vault the same process unlocked with a
//! full credential earlier, for a limited time and a few attempts.
//!
//! The PIN never protects the key at rest. Nothing about it is written anywhere: the database
//! key is sealed (XChaCha20-Poly1305) in process memory under a key derived from
//! Argon2id(PIN, random salt) and, through HKDF, a random secret that also lives only in this
//! process. When the process ends, the PIN opens nothing; on disk the vault still needs the
//! passphrase, the recovery key or the keyring.
//!
//! Why Argon2id when the blob never leaves memory: someone who can read the locked process's
//! memory (a swapped page, a crash report) gets the sealed key, the salt and the secret, and
//! could then try every PIN offline. Argon2id makes each guess cost tens of milliseconds and
//! 64 MiB, so a six-digit PIN is days of work instead of a second. The attempt limit is what
//! protects against guessing at the keyboard.
//!
//! Expiry is by the wall clock (a laptop closed over lunch must still expire at 18:00); someone
//! who can set the clock back at the locked app could stretch it, but not the attempt limit.
//!
//! Touch ID and Windows Hello are not implemented. Their seam is `QuickUnlock`: a platform
//! authenticator would gate the release of the in-memory `secret` (instead of, or besides,
//! the PIN) behind the OS's own prompt; nothing here pretends to offer them.
//!
//! This module holds only the rules and the sealed state; the vault's methods are in
//! [`crate::quick_unlock`].

use std::ops::RangeInclusive;

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::crypto::{self, Argon2Params};
use super::secret::DatabaseKey;
use crate::{Error, Reason, Result};

/// How many digits a PIN has. Six at least: with three attempts, the handful of four-digit PINs
/// people choose most often (after the rules below) would still give a passer-by a few percent
/// chance; six digits make a lucky guess negligible and still take a second to type.
pub const PIN_DIGITS: RangeInclusive<usize> = 6..=12;

/// Wrong PINs allowed before the quick unlock is forgotten and the passphrase is needed.
pub const MAX_ATTEMPTS: u8 = 3;

/// The longest a PIN lasts from the moment it is set, whatever the setting says: "until
/// 23:59" set just after midnight must not keep a PIN for a whole day.
pub const MAX_HOURS: u8 = 12;

/// The cost of deriving the PIN key: 64 MiB and one pass, so an unlock by PIN stays quick (a
/// fraction of a second) while a guess still costs 64 MiB. The PIN is never the only thing
/// between a reader and the key: the sealed key also needs a random secret that lives only in
/// this process, and three wrong PINs forget both. (Not `Argon2Params::MINIMUM`: that test-only
/// floor does not exist in a product build.)
const PIN_KDF: Argon2Params = Argon2Params { m_cost_kib: 64 * 1024, t_cost: 1, p_cost: 1 };

/// A PIN typed by the therapist. Zeroized when dropped, redacted in `Debug`, never serialized.
pub struct Pin(SecretString);

impl Pin {
    /// Takes ownership of the typed text; the `String` moves into zeroizing storage.
    pub fn new(text: String) -> Self {
        Pin(SecretString::from(text))
    }

    fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<&str> for Pin {
    fn from(s: &str) -> Self {
        Pin::new(s.to_owned())
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin([REDACTED])")
    }
}

/// The rule for a new PIN: 6–12 ASCII digits ([`Reason::Format`] otherwise), and not one a
/// stranger tries first ([`Reason::TooSimple`]): a single digit repeated (`111111`), a straight
/// run up or down (`123456`, `987654`, also across 9→0), or a shorter group repeated (`121212`,
/// `123123`). The error names the field `pin`; nothing about the PIN is in the message.
pub fn check_pin(pin: &Pin) -> Result<()> {
    let digits: Zeroizing<Vec<u8>> = Zeroizing::new(pin.expose().bytes().collect());
    if !PIN_DIGITS.contains(&digits.len()) || !digits.iter().all(u8::is_ascii_digit) {
        return Err(Error::invalid("pin", Reason::Format));
    }
    let step = |a: u8, b: u8| (10 + b - a) % 10;
    let up = digits.windows(2).all(|w| step(w[0], w[1]) == 1);
    let down = digits.windows(2).all(|w| step(w[0], w[1]) == 9);
    let n = digits.len();
    let repeated = (1..n).filter(|k| n % k == 0).any(|k| digits.chunks(k).all(|c| c == &digits[..k]));
    if up || down || repeated {
        return Err(Error::invalid("pin", Reason::TooSimple));
    }
    Ok(())
}

/// How long a PIN set after a full unlock lasts (a device setting, kept in `settings.json`; it
/// says nothing about the PIN itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuickUnlockRule {
    /// No quick unlock: every unlock needs the passphrase (or the keyring).
    Off,
    /// Until this local time of the same day (default 18:00).
    Until {
        /// Hour, 0..=23.
        hour: u8,
        /// Minute, 0..=59.
        minute: u8,
    },
    /// For this many hours after it is set (1..=[`MAX_HOURS`]).
    ForHours {
        /// Hours.
        hours: u8,
    },
}

impl Default for QuickUnlockRule {
    fn default() -> Self {
        QuickUnlockRule::Until { hour: 18, minute: 0 }
    }
}

impl QuickUnlockRule {
    /// Checks the values' ranges; the error names the field under `quick_unlock`.
    pub fn validate(&self) -> Result<()> {
        match *self {
            QuickUnlockRule::Off => Ok(()),
            QuickUnlockRule::Until { hour, minute } if hour > 23 || minute > 59 => {
                Err(Error::invalid("quick_unlock.until", Reason::Range))
            }
            QuickUnlockRule::ForHours { hours } if !(1..=MAX_HOURS).contains(&hours) => {
                Err(Error::invalid("quick_unlock.hours", Reason::Range))
            }
            _ => Ok(()),
        }
    }

    /// When a PIN set at `now` (in the therapist's time zone) expires, or `None` when none may
    /// be set now: the setting is off, or today's time has already passed. Never later than
    /// [`MAX_HOURS`] from `now`.
    pub fn expiry<Tz: TimeZone>(&self, now: &DateTime<Tz>) -> Option<DateTime<Utc>> {
        let now_utc = now.with_timezone(&Utc);
        let end = match *self {
            QuickUnlockRule::Off => return None,
            QuickUnlockRule::ForHours { hours } => now_utc + Duration::hours(i64::from(hours)),
            QuickUnlockRule::Until { hour, minute } => {
                let at = now.date_naive().and_time(NaiveTime::from_hms_opt(hour.into(), minute.into(), 0)?);
                // A time skipped by a daylight-saving change has no instant: no PIN that day
                // rather than a guess; a repeated one takes its earlier instant.
                now.timezone().from_local_datetime(&at).earliest()?.with_timezone(&Utc)
            }
        };
        (end > now_utc).then(|| end.min(now_utc + Duration::hours(MAX_HOURS.into())))
    }
}

/// The database key sealed under a PIN, in memory only, with its expiry and attempt count.
pub(crate) struct QuickUnlock {
    salt: [u8; 16],
    secret: Zeroizing<[u8; 32]>,
    nonce: [u8; 24],
    sealed: Zeroizing<Vec<u8>>,
    expires: DateTime<Utc>,
    attempts_left: u8,
}

impl std::fmt::Debug for QuickUnlock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("QuickUnlock")
            .field("expires", &self.expires)
            .field("attempts_left", &self.attempts_left)
            .finish_non_exhaustive()
    }
}

/// What one PIN attempt gave.
pub(crate) enum Attempt {
    /// The PIN was right: the database key.
    Opened(DatabaseKey),
    /// Wrong; this many attempts remain (0: the caller must forget the quick unlock).
    Wrong(u8),
}

impl QuickUnlock {
    /// Seals `key` under `pin` for the vault `vault_id` until `expires`. The PIN must already
    /// have passed [`check_pin`].
    pub(crate) fn seal(key: &DatabaseKey, pin: &Pin, vault_id: &Uuid, expires: DateTime<Utc>) -> Result<Self> {
        let salt = crypto::random::<16>()?;
        let secret = Zeroizing::new(crypto::random::<32>()?);
        let kek = Self::kek(pin, &salt, &secret)?;
        let (nonce, sealed) = crypto::seal(&kek, vault_id.as_bytes(), key.expose())?;
        Ok(QuickUnlock { salt, secret, nonce, sealed: Zeroizing::new(sealed), expires, attempts_left: MAX_ATTEMPTS })
    }

    fn kek(pin: &Pin, salt: &[u8; 16], secret: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>> {
        let stretched = crypto::argon2id(pin.expose().as_bytes(), salt, PIN_KDF)?;
        crypto::hkdf_sha256(stretched.as_slice(), secret, b"confidant quick unlock v1")
    }

    /// Whether a PIN may still be tried at `now`.
    pub(crate) fn is_live(&self, now: DateTime<Utc>) -> bool {
        now < self.expires && self.attempts_left > 0
    }

    /// When it expires.
    pub(crate) fn expires(&self) -> DateTime<Utc> {
        self.expires
    }

    /// Wrong PINs still allowed.
    pub(crate) fn attempts_left(&self) -> u8 {
        self.attempts_left
    }

    /// Tries `pin`. A right one restores the full count of attempts; a wrong one uses one up.
    pub(crate) fn try_open(&mut self, pin: &Pin, vault_id: &Uuid) -> Result<Attempt> {
        let kek = Self::kek(pin, &self.salt, &self.secret)?;
        match crypto::open(&kek, vault_id.as_bytes(), &self.nonce, &self.sealed) {
            Some(bytes) => {
                let key = DatabaseKey::from_slice(&bytes).ok_or(Error::Internal("sealed key has the wrong length"))?;
                self.attempts_left = MAX_ATTEMPTS;
                Ok(Attempt::Opened(key))
            }
            None => {
                self.attempts_left = self.attempts_left.saturating_sub(1);
                Ok(Attempt::Wrong(self.attempts_left))
            }
        }
    }

    /// The random values kept in memory, for the test that none of them reaches the disk.
    #[cfg(test)]
    pub(crate) fn memory_only_values(&self) -> Vec<Vec<u8>> {
        vec![self.salt.to_vec(), self.secret.to_vec(), self.nonce.to_vec(), self.sealed.to_vec()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn reason(pin: &str) -> Option<Reason> {
        match check_pin(&Pin::from(pin)) {
            Ok(()) => None,
            Err(Error::Validation(f)) => {
                assert_eq!(f.field, "pin");
                Some(f.reason)
            }
            Err(e) => panic!("{e:?}"),
        }
    }

    #[test]
    fn pin_rule_takes_six_to_twelve_digits_that_are_not_a_pattern() {
        for ok in ["583920", "102938", "1357924", "830519274618", "112358"] {
            assert_eq!(reason(ok), None, "{ok}");
        }
        for short_or_long_or_not_digits in ["", "58392", "5839201746183", "58 392", "58392a", "５８３９２０", "-58392"]
        {
            assert_eq!(reason(short_or_long_or_not_digits), Some(Reason::Format), "{short_or_long_or_not_digits:?}");
        }
        for simple in
            ["000000", "777777", "123456", "654321", "890123", "210987", "121212", "123123", "12341234", "456789"]
        {
            assert_eq!(reason(simple), Some(Reason::TooSimple), "{simple}");
        }
    }

    #[test]
    fn the_message_never_repeats_the_pin() {
        let e = check_pin(&Pin::from("123456")).unwrap_err();
        assert!(!e.to_string().contains("123456"));
        assert_eq!(format!("{:?}", Pin::from("583920")), "Pin([REDACTED])");
    }

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        at(s).with_timezone(&Utc)
    }

    #[test]
    fn expiry_is_today_at_the_chosen_local_time_capped_and_none_once_past() {
        let evening = QuickUnlockRule::Until { hour: 18, minute: 0 };
        assert_eq!(evening, QuickUnlockRule::default());
        // Stockholm in winter is UTC+1: 18:00 local is 17:00 UTC.
        assert_eq!(evening.expiry(&at("2026-12-02T08:15:00+01:00")), Some(utc("2026-12-02T17:00:00Z")));
        assert_eq!(evening.expiry(&at("2026-12-02T17:59:00+01:00")), Some(utc("2026-12-02T17:00:00Z")));
        assert_eq!(evening.expiry(&at("2026-12-02T18:00:00+01:00")), None, "the time has passed");
        assert_eq!(evening.expiry(&at("2026-12-02T21:00:00+01:00")), None);
        let late = QuickUnlockRule::Until { hour: 23, minute: 59 };
        assert_eq!(
            late.expiry(&at("2026-12-02T00:30:00+01:00")),
            Some(utc("2026-12-02T11:30:00Z")),
            "at most 12 hours"
        );
        let hours = QuickUnlockRule::ForHours { hours: 4 };
        assert_eq!(hours.expiry(&at("2026-12-02T22:00:00+01:00")), Some(utc("2026-12-03T01:00:00Z")));
        assert_eq!(QuickUnlockRule::Off.expiry(&at("2026-12-02T08:00:00+01:00")), None);
    }

    #[test]
    fn rule_ranges_are_checked() {
        assert!(QuickUnlockRule::Until { hour: 23, minute: 59 }.validate().is_ok());
        assert!(QuickUnlockRule::ForHours { hours: MAX_HOURS }.validate().is_ok());
        let field = |r: QuickUnlockRule| match r.validate() {
            Err(Error::Validation(f)) => (f.field, f.reason),
            other => panic!("{other:?}"),
        };
        assert_eq!(field(QuickUnlockRule::Until { hour: 24, minute: 0 }), ("quick_unlock.until".into(), Reason::Range));
        assert_eq!(field(QuickUnlockRule::Until { hour: 8, minute: 60 }), ("quick_unlock.until".into(), Reason::Range));
        assert_eq!(field(QuickUnlockRule::ForHours { hours: 0 }), ("quick_unlock.hours".into(), Reason::Range));
        assert_eq!(field(QuickUnlockRule::ForHours { hours: 13 }), ("quick_unlock.hours".into(), Reason::Range));
    }

    #[test]
    fn sealed_key_opens_with_the_pin_only_and_counts_wrong_attempts() {
        let key = DatabaseKey::from_slice(&[0x5A; 32]).unwrap();
        let id = Uuid::new_v4();
        let expires = Utc::now() + Duration::hours(1);
        let mut q = QuickUnlock::seal(&key, &Pin::from("583920"), &id, expires).unwrap();
        let shown = format!("{q:?}");
        assert!(!shown.contains("salt") && !shown.contains("secret") && !shown.contains("sealed"), "{shown}");
        assert!(matches!(q.try_open(&Pin::from("583921"), &id).unwrap(), Attempt::Wrong(2)));
        assert!(
            matches!(q.try_open(&Pin::from("583920"), &Uuid::new_v4()).unwrap(), Attempt::Wrong(1)),
            "bound to the vault"
        );
        match q.try_open(&Pin::from("583920"), &id).unwrap() {
            Attempt::Opened(k) => assert_eq!(k.expose(), key.expose()),
            Attempt::Wrong(_) => panic!("the right PIN must open"),
        }
        assert_eq!(q.attempts_left(), MAX_ATTEMPTS, "a right PIN restores the attempts");
        for left in (0..MAX_ATTEMPTS).rev() {
            assert!(matches!(q.try_open(&Pin::from("000001"), &id).unwrap(), Attempt::Wrong(n) if n == left));
        }
        assert!(!q.is_live(Utc::now()));
    }

    #[test]
    fn expires_at_its_time() {
        let key = DatabaseKey::from_slice(&[1; 32]).unwrap();
        let expires = utc("2026-12-02T17:00:00Z");
        let q = QuickUnlock::seal(&key, &Pin::from("583920"), &Uuid::new_v4(), expires).unwrap();
        assert!(q.is_live(utc("2026-12-02T16:59:59Z")));
        assert!(!q.is_live(utc("2026-12-02T17:00:00Z")));
    }
}
