//! The successor key (a "professional will"): an optional slot that wraps the database key to a
//! key a named custodian keeps (a colleague, a lawyer), so that if the therapist dies or can no
//! longer work, the custodian can open a backup and export the clients' journals.
//!
//! The slot holds the database key (with the vault id, so a slot copied into another vault's
//! key file opens nothing) as a standard age file encrypted to the custodian's recipient:
//! - an age X25519 public key (`age1…`; the custodian keeps the identity file, made with
//!   `confidant successor keygen` or `age-keygen`), or
//! - a passphrase the custodian chose (age scrypt).
//!
//! Only the recipient's public part is in `keys.json` (which every backup carries in its
//! header); the custodian's name is stored inside the encrypted vault. Adding, replacing or
//! removing the slot is logged (`successor_change`). A re-key re-wraps an X25519 slot to the new
//! key; a passphrase slot cannot be re-wrapped (the app never knows that passphrase), so a
//! re-key removes it and says so. What the custodian can do: everything the passphrase can
//! (open a backup, open and read the vault, export). What they cannot: open backups made before
//! the slot was added (those carry the key file of their day).

use std::io::Write;
use std::str::FromStr;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use zeroize::Zeroizing;

pub use super::keyfile::SuccessorKind;
use super::keyfile::{Kdf, KeyFile, Slot, SlotKind, SUCCESSOR_MAGIC};
pub use super::secret::SuccessorSecret;
use super::secret::{DatabaseKey, Passphrase};
use crate::{Error, Reason, Result};

/// Who the slot is for, as the therapist enters it.
#[derive(Debug)]
pub enum SuccessorTo {
    /// An age X25519 recipient (`age1…`).
    X25519(String),
    /// A passphrase the custodian chose and will keep.
    Passphrase(Passphrase),
}

/// A new custodian identity: the file text to hand them (secret) and its public recipient.
pub fn keygen() -> (Zeroizing<String>, String) {
    use age::secrecy::ExposeSecret;
    let id = age::x25519::Identity::generate();
    let recipient = id.to_public().to_string();
    let text = Zeroizing::new(format!(
        "# Confidant successor key: keep this file safe and private.\n# public key: {recipient}\n{}\n",
        id.to_string().expose_secret()
    ));
    (text, recipient)
}

/// Makes a new custodian identity and writes it to a new file at `path` (private, never over an
/// existing file, flushed to disk); returns the public recipient to give the therapist.
pub fn keygen_to(path: &std::path::Path) -> Result<String> {
    let (text, recipient) = keygen();
    let mut f = crate::fsutil::private_create_new(path)?;
    f.write_all(text.as_bytes()).and_then(|()| f.sync_all()).map_err(Error::io("write the key file"))?;
    Ok(recipient)
}

fn payload(kf: &KeyFile, key: &DatabaseKey) -> Zeroizing<Vec<u8>> {
    let mut p = Zeroizing::new(SUCCESSOR_MAGIC.to_vec());
    p.extend_from_slice(kf.vault_id.as_bytes());
    p.extend_from_slice(key.expose());
    p
}

/// Seals `key` for the custodian.
pub(crate) fn seal(kf: &KeyFile, key: &DatabaseKey, to: &SuccessorTo) -> Result<Slot> {
    let (recipient, kind): (Box<dyn age::Recipient>, SuccessorKind) = match to {
        SuccessorTo::X25519(text) => {
            let r = age::x25519::Recipient::from_str(text.trim())
                .map_err(|_| Error::invalid("successor_recipient", Reason::Format))?;
            let kind = SuccessorKind::X25519 { recipient: r.to_string() };
            (Box::new(r), kind)
        }
        SuccessorTo::Passphrase(p) => {
            let verdict = super::strength::check(p.expose(), &[]);
            if !verdict.acceptable {
                return Err(Error::WeakPassphrase(verdict));
            }
            let r = age::scrypt::Recipient::new(age::secrecy::SecretString::from(p.expose().to_owned()));
            (Box::new(r), SuccessorKind::Passphrase)
        }
    };
    let enc = age::Encryptor::with_recipients(std::iter::once(recipient.as_ref()))
        .map_err(|_| Error::Internal("successor encryption"))?;
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).map_err(|_| Error::Internal("successor encryption"))?;
    w.write_all(&payload(kf, key)).map_err(|_| Error::Internal("successor encryption"))?;
    w.finish().map_err(|_| Error::Internal("successor encryption"))?;
    Ok(Slot {
        kind: SlotKind::Successor,
        kdf: Kdf::Age { successor: kind },
        aead: "age".to_owned(),
        nonce: String::new(),
        wrapped_key: B64.encode(out),
        created_at: chrono::Utc::now(),
        keyring: None,
    })
}

/// The slot re-sealed to the same custodian for `key` (a re-key); `None` for a passphrase slot,
/// which cannot be re-sealed without the custodian's passphrase.
pub(crate) fn rewrap(old: &Slot, next: &KeyFile, key: &DatabaseKey) -> Result<Option<Slot>> {
    match &old.kdf {
        Kdf::Age { successor: SuccessorKind::X25519 { recipient } } => {
            seal(next, key, &SuccessorTo::X25519(recipient.clone())).map(Some)
        }
        Kdf::Age { successor: SuccessorKind::Passphrase } => Ok(None),
        _ => Err(Error::KeyFileCorrupt("the successor slot has an unknown key derivation")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_x25519_custodian_opens_the_key_and_nobody_else_does() {
        let kf = KeyFile::new();
        let key = DatabaseKey::generate().unwrap();
        let (file, recipient) = keygen();
        let mut with = kf.clone();
        with.put_slot(seal(&kf, &key, &SuccessorTo::X25519(recipient.clone())).unwrap());
        let json = serde_json::to_string(&with).unwrap();
        assert!(json.contains(&recipient), "the public part is visible");
        assert!(!json.contains("AGE-SECRET-KEY"));
        let secret = SuccessorSecret::from_identity_file(&file).unwrap();
        assert_eq!(KeyFile::unwrap_successor(&with, &secret).unwrap().expose(), key.expose());
        let (other, _) = keygen();
        let other = SuccessorSecret::from_identity_file(&other).unwrap();
        assert!(matches!(KeyFile::unwrap_successor(&with, &other), Err(Error::WrongSuccessorKey)));
        // The slot copied into another vault's key file opens nothing.
        let mut elsewhere = KeyFile::new();
        elsewhere.put_slot(with.slot(SlotKind::Successor).unwrap().clone());
        assert!(matches!(KeyFile::unwrap_successor(&elsewhere, &secret), Err(Error::WrongSuccessorKey)));
    }

    #[test]
    fn a_passphrase_custodian_opens_it_and_a_rekey_cannot_rewrap_it() {
        let kf = KeyFile::new();
        let key = DatabaseKey::generate().unwrap();
        let to = SuccessorTo::Passphrase(Passphrase::from("lantern orchard velvet quarry"));
        let slot = seal(&kf, &key, &to).unwrap();
        let mut with = kf.clone();
        with.put_slot(slot.clone());
        let ok = SuccessorSecret::Passphrase(Passphrase::from("lantern orchard velvet quarry"));
        assert_eq!(KeyFile::unwrap_successor(&with, &ok).unwrap().expose(), key.expose());
        let wrong = SuccessorSecret::Passphrase(Passphrase::from("lantern orchard velvet quarrx"));
        assert!(matches!(KeyFile::unwrap_successor(&with, &wrong), Err(Error::WrongSuccessorKey)));
        assert!(rewrap(&slot, &kf, &key).unwrap().is_none());
        let weak = SuccessorTo::Passphrase(Passphrase::from("1234"));
        assert!(matches!(seal(&kf, &key, &weak), Err(Error::WeakPassphrase(_))));
    }

    #[test]
    fn bad_recipients_and_identity_files_are_clear_errors() {
        let kf = KeyFile::new();
        let key = DatabaseKey::generate().unwrap();
        for bad in ["", "age1notakey", "ssh-ed25519 AAAA"] {
            assert!(matches!(
                seal(&kf, &key, &SuccessorTo::X25519(bad.into())),
                Err(Error::Validation(f)) if f.field == "successor_recipient"
            ));
        }
        assert!(matches!(
            SuccessorSecret::from_identity_file("# nothing here\n"),
            Err(Error::Validation(f)) if f.field == "successor_key"
        ));
        assert!(matches!(
            KeyFile::unwrap_successor(&kf, &SuccessorSecret::from_identity_file(&keygen().0).unwrap()),
            Err(Error::WrongSuccessorKey)
        ));
    }
}
