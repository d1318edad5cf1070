//! Backup keys. Every backup is a standard age file encrypted to one X25519 recipient derived
//! from the vault's database key (so backing up needs only an unlocked vault, never the
//! passphrase), plus an extra `confidant-keys` stanza that carries the vault's `keys.json` as it
//! was at backup time. The reference `age` CLI skips stanzas it does not know; Confidant's
//! restore reads that stanza, unwraps the database key with the passphrase or recovery key,
//! derives the X25519 identity and decrypts. The key file is already Argon2id/recovery-wrapped,
//! so the stanza reveals no more than the key file in the vault folder does.

use crate::error::BackupCheck;
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{BufRead, Read};
use std::str::FromStr;

use age::secrecy::ExposeSecret;
use age_core::format::{FileKey, Stanza};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::keys::crypto;
use crate::keys::keyfile::KeyFile;
use crate::keys::secret::{Credential, DatabaseKey};
use crate::{Error, Result};

/// The tag of the stanza that carries `keys.json`.
pub const KEYS_STANZA_TAG: &str = "confidant-keys";
const KEYS_STANZA_VERSION: &str = "v1";
const IDENTITY_INFO: &[u8] = b"confidant backup identity v1 (age x25519)";

/// The age X25519 identity of a vault's backups, derived from its database key. A secret:
/// redacted `Debug`, no `Serialize`, no `Clone`.
pub struct BackupIdentity(age::x25519::Identity);

impl std::fmt::Debug for BackupIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupIdentity([REDACTED])")
    }
}

impl BackupIdentity {
    /// Derives the identity from the vault's database key (HKDF-SHA256, its own info string).
    pub fn derive(key: &DatabaseKey) -> Result<Self> {
        let sk = crypto::hkdf_sha256(key.expose(), b"confidant", IDENTITY_INFO)?;
        let hrp = bech32::Hrp::parse("age-secret-key-").map_err(|_| Error::Internal("bech32 prefix"))?;
        let text = Zeroizing::new(
            bech32::encode::<bech32::Bech32>(hrp, sk.as_slice())
                .map_err(|_| Error::Internal("bech32 encoding"))?
                .to_uppercase(),
        );
        let id = age::x25519::Identity::from_str(&text).map_err(|_| Error::Internal("age identity"))?;
        Ok(BackupIdentity(id))
    }

    /// The identity as `AGE-SECRET-KEY-1…`, for an identity file given to the reference `age`
    /// CLI (the documented no-lock-in recovery). Zeroized on drop.
    pub fn to_age_secret(&self) -> Zeroizing<String> {
        Zeroizing::new(self.0.to_string().expose_secret().to_owned())
    }

    /// The public recipient (`age1…`): anyone may encrypt to it; only the vault key decrypts.
    pub fn recipient(&self) -> String {
        self.0.to_public().to_string()
    }

    pub(crate) fn age(&self) -> &age::x25519::Identity {
        &self.0
    }
}

impl age::Identity for BackupIdentity {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        self.0.unwrap_stanza(stanza)
    }
}

/// Encrypts to the vault's X25519 recipient and adds the key-file stanza.
pub(crate) struct BackupRecipient {
    x25519: age::x25519::Recipient,
    keys_json: Vec<u8>,
}

impl BackupRecipient {
    pub(crate) fn new(identity: &BackupIdentity, keys_json: Vec<u8>) -> Self {
        BackupRecipient { x25519: identity.0.to_public(), keys_json }
    }
}

impl age::Recipient for BackupRecipient {
    fn wrap_file_key(&self, file_key: &FileKey) -> Result<(Vec<Stanza>, HashSet<String>), age::EncryptError> {
        let (mut stanzas, labels) = self.x25519.wrap_file_key(file_key)?;
        stanzas.push(Stanza {
            tag: KEYS_STANZA_TAG.to_owned(),
            args: vec![KEYS_STANZA_VERSION.to_owned()],
            body: self.keys_json.clone(),
        });
        Ok((stanzas, labels))
    }
}

/// What decrypts a backup.
pub(crate) enum Unlocker<'a> {
    /// A passphrase or recovery key, checked against the backup's key stanza and, for backups
    /// made before a passphrase change, against the current local key file.
    Credential { cred: &'a Credential, local: Option<KeyFile> },
    /// The database key itself (an unlocked vault, or the keyring).
    Key(&'a DatabaseKey),
}

/// What the identity learned while unwrapping.
pub(crate) struct Unwrapped {
    pub key: DatabaseKey,
    pub vault_id: Option<Uuid>,
    /// The credential opened the local key file, not the backup's.
    pub used_local_keys: bool,
}

/// An age identity over an [`Unlocker`] that remembers the database key it found and why it
/// failed, so callers get typed errors instead of age's generic ones.
pub(crate) struct VaultIdentity<'a> {
    unlocker: Unlocker<'a>,
    pub found: RefCell<Option<Unwrapped>>,
    pub error: RefCell<Option<Error>>,
}

impl<'a> VaultIdentity<'a> {
    pub(crate) fn new(unlocker: Unlocker<'a>) -> Self {
        VaultIdentity { unlocker, found: RefCell::new(None), error: RefCell::new(None) }
    }

    fn fail(&self, e: Error) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        *self.error.borrow_mut() = Some(e);
        Some(Err(age::DecryptError::NoMatchingKeys))
    }

    /// Whether `key`'s backup identity is one the file was encrypted to.
    fn opens(&self, key: &DatabaseKey, stanzas: &[Stanza]) -> bool {
        BackupIdentity::derive(key).is_ok_and(|id| age::Identity::unwrap_stanzas(id.age(), stanzas).is_some())
    }

    fn try_unwrap(&self, stanzas: &[Stanza]) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        let keys_stanza = stanzas.iter().find(|s| s.tag == KEYS_STANZA_TAG);
        let parsed = match keys_stanza {
            Some(s) if s.args.first().map(String::as_str) == Some(KEYS_STANZA_VERSION) => match KeyFile::parse(&s.body)
            {
                Ok(kf) => Some(kf),
                Err(_) => return self.fail(Error::BackupCorrupt(BackupCheck::KeyStanza)),
            },
            Some(_) => return self.fail(Error::NewerVersion { found: 2, known: 1 }),
            None => None,
        };
        let (key, used_local) = match &self.unlocker {
            Unlocker::Key(k) => (k.duplicate(), false),
            Unlocker::Credential { cred, local } => {
                let Some(kf) = parsed.as_ref() else {
                    return self.fail(Error::NotABackup("it has no Confidant key stanza"));
                };
                match kf.unwrap(cred) {
                    Ok(k) => (k, false),
                    Err(first) => match local.as_ref().filter(|l| l.vault_id == kf.vault_id) {
                        Some(l) => match l.unwrap(cred) {
                            // Today's credential opens today's key, but this backup is under
                            // the key from before a re-key.
                            Ok(k) if !self.opens(&k, stanzas) => return self.fail(Error::BackupFromOlderKeys),
                            Ok(k) => (k, true),
                            Err(_) => return self.fail(first),
                        },
                        None => return self.fail(first),
                    },
                }
            }
        };
        let id = match BackupIdentity::derive(&key) {
            Ok(id) => id,
            Err(e) => return self.fail(e),
        };
        match age::Identity::unwrap_stanzas(id.age(), stanzas) {
            Some(Ok(fk)) => {
                *self.found.borrow_mut() =
                    Some(Unwrapped { key, vault_id: parsed.map(|k| k.vault_id), used_local_keys: used_local });
                Some(Ok(fk))
            }
            Some(Err(e)) => Some(Err(e)),
            // The key file opened but its key is not the one the file was encrypted to.
            None => self.fail(Error::BackupCorrupt(BackupCheck::KeyMismatch)),
        }
    }
}

impl age::Identity for VaultIdentity<'_> {
    fn unwrap_stanza(&self, _stanza: &Stanza) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        None
    }

    fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<std::result::Result<FileKey, age::DecryptError>> {
        self.try_unwrap(stanzas)
    }
}

/// Opens an age file (binary or ASCII-armored) with `identities` and returns the plaintext
/// reader; the payload is authenticated chunk by chunk as it is read, and a truncated or
/// altered file fails with an I/O error of kind `InvalidData`/`UnexpectedEof` by the end.
/// This is the one decryptor every restore and verify goes through.
pub fn open_age<'r, R: BufRead + 'r>(
    input: R,
    identities: &[&dyn age::Identity],
) -> Result<Box<dyn std::io::Read + 'r>> {
    let mut armored = age::armor::ArmoredReader::new(SkipLeadingWhitespace { inner: input, checked: false });
    let header = strict_header(&mut armored)?;
    let dec = age::Decryptor::new_buffered(std::io::Cursor::new(header).chain(armored)).map_err(map_age)?;
    let r = dec.decrypt(identities.iter().copied()).map_err(map_age)?;
    Ok(Box::new(r))
}

/// Whitespace before an armored file is allowed (the spec; the age crate refuses it).
struct SkipLeadingWhitespace<R> {
    inner: R,
    checked: bool,
}

impl<R: BufRead> SkipLeadingWhitespace<R> {
    fn skip(&mut self) -> std::io::Result<()> {
        if self.checked {
            return Ok(());
        }
        let mut skipped = Vec::new();
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let n = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if n < buf.len() {
                // Only strip when an armor line follows; a binary file is left untouched.
                if !buf[n..].starts_with(b"-") && !skipped.is_empty() {
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, "leading whitespace"));
                }
                self.inner.consume(n);
                break;
            }
            skipped.extend_from_slice(buf);
            let len = buf.len();
            self.inner.consume(len);
        }
        self.checked = true;
        Ok(())
    }
}

impl<R: BufRead> std::io::Read for SkipLeadingWhitespace<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.skip()?;
        self.inner.read(out)
    }
}

impl<R: BufRead> BufRead for SkipLeadingWhitespace<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.skip()?;
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt)
    }
}

/// Reads the header and enforces the spec's stanza framing, which the age crate is lenient
/// about: every stanza body ends with a line shorter than 64 columns (possibly empty). Returns
/// the header bytes to hand on unchanged.
fn strict_header<R: BufRead>(r: &mut R) -> Result<Vec<u8>> {
    const MAX: usize = 1 << 20;
    let mut header = Vec::new();
    let bad = || Error::BackupCorrupt(BackupCheck::AgeHeader);
    let read_line = |r: &mut R, header: &mut Vec<u8>| -> Result<Option<(usize, usize)>> {
        let start = header.len();
        let n = r.by_ref().take((MAX - start.min(MAX)) as u64).read_until(b'\n', header).map_err(|_| bad())?;
        if n == 0 || header.last() != Some(&b'\n') {
            return Ok(None);
        }
        Ok(Some((start, header.len() - 1)))
    };
    match read_line(r, &mut header)? {
        Some((a, b)) if &header[a..b] == b"age-encryption.org/v1" => {}
        // Not a v1 header: age says what it is.
        _ => return Ok(header),
    }
    let mut in_stanza = false;
    loop {
        let Some((a, b)) = read_line(r, &mut header)? else { return Err(bad()) };
        let line = &header[a..b];
        if line.starts_with(b"---") {
            if in_stanza {
                return Err(bad());
            }
            return Ok(header);
        }
        if line.starts_with(b"-> ") {
            if in_stanza {
                return Err(bad());
            }
            in_stanza = true;
        } else if !in_stanza || line.len() > 64 {
            return Err(bad());
        } else if line.len() < 64 {
            in_stanza = false;
        }
    }
}

pub(crate) fn map_age(e: age::DecryptError) -> Error {
    use age::DecryptError as D;
    match e {
        D::InvalidMac => Error::BackupCorrupt(BackupCheck::HeaderMac),
        D::NoMatchingKeys => Error::NotABackup("no key in it matches this vault"),
        D::UnknownFormat => Error::NotABackup("it is not an age file"),
        D::ExcessiveWork { .. } => Error::NotABackup("it needs an unreasonable amount of work to open"),
        D::DecryptionFailed | D::KeyDecryptionFailed => Error::BackupCorrupt(BackupCheck::KeyUnwrap),
        D::InvalidHeader | D::Io(_) => Error::BackupCorrupt(BackupCheck::AgeHeader),
        #[allow(unreachable_patterns)]
        _ => Error::BackupCorrupt(BackupCheck::AgeHeader),
    }
}

/// Reads only the header of a backup file and returns the vault id in its key stanza, without
/// any secret. Used to prove a file belongs to this vault before rotation may delete it.
pub(crate) fn peek_vault_id(path: &std::path::Path) -> Option<Uuid> {
    struct Peek(RefCell<Option<Uuid>>);
    impl age::Identity for Peek {
        fn unwrap_stanza(&self, _s: &Stanza) -> Option<std::result::Result<FileKey, age::DecryptError>> {
            None
        }
        fn unwrap_stanzas(&self, stanzas: &[Stanza]) -> Option<std::result::Result<FileKey, age::DecryptError>> {
            let s = stanzas.iter().find(|s| s.tag == KEYS_STANZA_TAG)?;
            *self.0.borrow_mut() = KeyFile::parse(&s.body).ok().map(|k| k.vault_id);
            None
        }
    }
    let f = std::fs::File::open(path).ok()?;
    let peek = Peek(RefCell::new(None));
    let dec = age::Decryptor::new_buffered(std::io::BufReader::new(f)).ok()?;
    let _ = dec.decrypt(std::iter::once(&peek as &dyn age::Identity));
    peek.0.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_is_deterministic_and_distinct_per_key() {
        let k = DatabaseKey::from_slice(&[7; 32]).unwrap();
        let a = BackupIdentity::derive(&k).unwrap();
        let b = BackupIdentity::derive(&k).unwrap();
        assert_eq!(a.to_age_secret().as_str(), b.to_age_secret().as_str());
        assert!(a.to_age_secret().starts_with("AGE-SECRET-KEY-1"));
        assert!(a.recipient().starts_with("age1"));
        let other = BackupIdentity::derive(&DatabaseKey::from_slice(&[8; 32]).unwrap()).unwrap();
        assert_ne!(a.recipient(), other.recipient());
        assert_eq!(format!("{a:?}"), "BackupIdentity([REDACTED])");
        // Not the key itself, not the log key.
        assert!(!a.to_age_secret().to_lowercase().contains(&hex::encode([7u8; 4])));
    }
}
