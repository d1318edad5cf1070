//! Secret values. None is `Serialize` or casually `Clone`, each redacts its `Debug`, and all are
//! zeroized when dropped.

use secrecy::{ExposeSecret, SecretBox, SecretString};
use zeroize::Zeroizing;

/// The 256-bit SQLCipher raw key of a vault.
pub struct DatabaseKey(SecretBox<[u8; 32]>);

impl DatabaseKey {
    pub(crate) fn from_slice(bytes: &[u8]) -> Option<Self> {
        let arr: [u8; 32] = bytes.try_into().ok()?;
        let key = DatabaseKey(SecretBox::new(Box::new(arr)));
        let mut arr = arr;
        zeroize::Zeroize::zeroize(&mut arr);
        Some(key)
    }

    pub(crate) fn generate() -> crate::Result<Self> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        super::crypto::fill_random(bytes.as_mut_slice())?;
        Ok(DatabaseKey(SecretBox::new(Box::new(*bytes))))
    }

    pub(crate) fn expose(&self) -> &[u8; 32] {
        self.0.expose_secret()
    }

    /// The key as uppercase hex, for the rare places that must hand it to a person or to
    /// another SQLCipher tool (the documented no-lock-in recovery). Zeroized on drop.
    pub fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode_upper(self.expose()))
    }

    /// A copy for a second owner that needs the key at the same time (e.g. a backup worker);
    /// deliberately not `Clone` so every copy is visible in review.
    pub fn duplicate(&self) -> Self {
        DatabaseKey(SecretBox::new(Box::new(*self.expose())))
    }
}

impl std::fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DatabaseKey([REDACTED])")
    }
}

/// A passphrase typed by the therapist.
pub struct Passphrase(SecretString);

impl Passphrase {
    /// Takes ownership of the typed text; the `String` moves into zeroizing storage.
    pub fn new(text: String) -> Self {
        Passphrase(SecretString::from(text))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl From<&str> for Passphrase {
    fn from(s: &str) -> Self {
        Passphrase::new(s.to_owned())
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase([REDACTED])")
    }
}

/// What the custodian presents (the successor slot, [`super::successor`]).
pub enum SuccessorSecret {
    /// Their age identity (`AGE-SECRET-KEY-1…`).
    Identity(age::x25519::Identity),
    /// Their passphrase.
    Passphrase(Passphrase),
}

impl std::fmt::Debug for SuccessorSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SuccessorSecret([REDACTED])")
    }
}

impl SuccessorSecret {
    /// Reads an age identity file (comment lines allowed) as written by `age-keygen` or
    /// `confidant successor keygen`.
    pub fn from_identity_file(text: &str) -> crate::Result<Self> {
        let line = text
            .lines()
            .map(str::trim)
            .find(|l| l.starts_with("AGE-SECRET-KEY-1"))
            .ok_or(crate::Error::invalid("successor_key", crate::Reason::Format))?;
        let id = <age::x25519::Identity as std::str::FromStr>::from_str(line)
            .map_err(|_| crate::Error::invalid("successor_key", crate::Reason::Format))?;
        Ok(SuccessorSecret::Identity(id))
    }
}

/// What a person can present to unlock a vault or to authorize a key change.
#[derive(Debug)]
pub enum Credential {
    /// The passphrase.
    Passphrase(Passphrase),
    /// The recovery key, already parsed and checksum-verified.
    RecoveryKey(super::recovery::RecoveryKey),
    /// The custodian's successor key (their age identity or passphrase).
    Successor(SuccessorSecret),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_secrets() {
        let p = Passphrase::from("hunter2-correct-horse");
        assert_eq!(format!("{p:?}"), "Passphrase([REDACTED])");
        let k = DatabaseKey::from_slice(&[0xC7; 32]).unwrap();
        assert!(!format!("{k:?}").to_lowercase().contains("c7"));
        assert_eq!(k.to_hex().len(), 64);
        let c = Credential::Passphrase(p);
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
