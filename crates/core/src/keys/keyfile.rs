//! The key file (`keys.json`): readable before unlock, it holds the vault's id and the slots
//! that each wrap the database key. It contains no personal data and no unwrapped secret.

use std::io::Read;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::crypto::{self, Argon2Params};
use super::recovery::RecoveryKey;
use super::secret::{Credential, DatabaseKey, Passphrase, SuccessorSecret};
use crate::{Error, Result};

const FORMAT: &str = "confidant-vault-keys";
/// The key file version this build writes and the newest it reads.
pub const VERSION: i64 = 1;
const MAX_SIZE: u64 = 1024 * 1024;

/// What a slot is unlocked with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// The passphrase, stretched with Argon2id.
    Passphrase,
    /// The recovery key (already 160 random bits, so HKDF suffices).
    Recovery,
    /// A random device key kept in the OS keyring ("remember on this computer").
    Device,
    /// The custodian's key (the successor, [`super::successor`]).
    Successor,
}

/// How the wrapping key is derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "alg", rename_all = "snake_case")]
pub enum Kdf {
    /// Argon2id v1.3 with the stored cost.
    Argon2id {
        /// Base64 salt.
        salt: String,
        /// Cost parameters.
        #[serde(flatten)]
        params: Argon2Params,
    },
    /// HKDF-SHA256, for secrets that are already full-entropy keys.
    HkdfSha256 {
        /// Base64 salt.
        salt: String,
    },
    /// An age file to the custodian's recipient (the successor slot); `wrapped_key` holds it.
    Age {
        /// Who can open it (public part only).
        successor: SuccessorKind,
    },
}

/// What the app may show about the slot (no secret; the name lives in the vault).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SuccessorKind {
    /// An age public key.
    X25519 {
        /// The `age1…` recipient.
        recipient: String,
    },
    /// A passphrase the custodian keeps.
    Passphrase,
}

/// What the successor slot's age file holds before the vault id and the key.
pub(crate) const SUCCESSOR_MAGIC: &[u8] = b"confidant successor v1\n";

/// Where a device slot's key lives in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyringRef {
    /// Keyring service name (namespaced per build).
    pub service: String,
    /// Keyring user/account name (the vault id).
    pub user: String,
}

/// One wrapping of the database key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// What unlocks it.
    pub kind: SlotKind,
    /// How the wrapping key is derived.
    pub kdf: Kdf,
    /// Always `xchacha20poly1305`.
    pub aead: String,
    /// Base64 nonce.
    pub nonce: String,
    /// Base64 wrapped database key with its tag.
    pub wrapped_key: String,
    /// When the slot was written.
    pub created_at: DateTime<Utc>,
    /// For device slots: the keyring entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyring: Option<KeyringRef>,
}

/// The whole key file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFile {
    format: String,
    version: i64,
    /// Stable identity of the vault; namespaces keyring entries and backups.
    pub vault_id: Uuid,
    /// When the vault was created.
    pub created_at: DateTime<Utc>,
    /// The slots; at most one of each kind.
    pub slots: Vec<Slot>,
}

fn aad(vault_id: &Uuid, kind: SlotKind) -> Vec<u8> {
    format!("{FORMAT}/v1/{vault_id}/{kind:?}").into_bytes()
}

fn b64d(s: &str) -> Result<Vec<u8>> {
    B64.decode(s).map_err(|_| Error::KeyFileCorrupt("a slot is not valid base64"))
}

impl KeyFile {
    pub(crate) fn new() -> Self {
        KeyFile {
            format: FORMAT.to_owned(),
            version: VERSION,
            vault_id: Uuid::new_v4(),
            created_at: Utc::now(),
            slots: Vec::new(),
        }
    }

    /// Reads and checks a key file. Never writes.
    pub fn load(path: &Path) -> Result<Self> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Error::KeyFileMissing),
            Err(e) => return Err(Error::io("read the key file")(e)),
        };
        if !meta.is_file() || meta.len() > MAX_SIZE {
            return Err(Error::KeyFileCorrupt("it is not a key file"));
        }
        let bytes = std::fs::read(path).map_err(Error::io("read the key file"))?;
        Self::parse(&bytes)
    }

    pub(crate) fn parse(bytes: &[u8]) -> Result<Self> {
        let kf: KeyFile =
            serde_json::from_slice(bytes).map_err(|_| Error::KeyFileCorrupt("it is not valid key file JSON"))?;
        if kf.format != FORMAT {
            return Err(Error::KeyFileCorrupt("it is not a Confidant key file"));
        }
        if kf.version > VERSION {
            return Err(Error::NewerVersion { found: kf.version, known: VERSION });
        }
        if kf.version < 1 {
            return Err(Error::KeyFileCorrupt("unknown key file version"));
        }
        if kf.slot(SlotKind::Passphrase).is_none() {
            return Err(Error::KeyFileCorrupt("it has no passphrase slot"));
        }
        for kind in [SlotKind::Passphrase, SlotKind::Recovery, SlotKind::Device, SlotKind::Successor] {
            if kf.slots.iter().filter(|s| s.kind == kind).count() > 1 {
                return Err(Error::KeyFileCorrupt("it has duplicate slots"));
            }
        }
        // Costs beyond what the app can write are refused here, at open, before any unlock
        // tries to allocate them.
        if kf.slots.iter().any(|s| matches!(&s.kdf, Kdf::Argon2id { params, .. } if !params.is_sane())) {
            return Err(Error::KeyFileCorrupt(crypto::KDF_OUT_OF_RANGE));
        }
        Ok(kf)
    }

    /// Writes atomically (temp → fsync → rename → fsync folder).
    pub(crate) fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(|_| Error::Internal("key file encoding"))?;
        crate::fsutil::atomic_write(path, &json)
    }

    /// The slot of `kind`, if present.
    pub fn slot(&self, kind: SlotKind) -> Option<&Slot> {
        self.slots.iter().find(|s| s.kind == kind)
    }

    pub(crate) fn put_slot(&mut self, slot: Slot) {
        self.slots.retain(|s| s.kind != slot.kind);
        self.slots.push(slot);
        self.slots.sort_by_key(|s| s.kind as u8);
    }

    pub(crate) fn remove_slot(&mut self, kind: SlotKind) {
        self.slots.retain(|s| s.kind != kind);
    }

    /// Wraps `key` under a passphrase with Argon2id at `params`.
    pub(crate) fn passphrase_slot(&self, key: &DatabaseKey, pass: &Passphrase, params: Argon2Params) -> Result<Slot> {
        let salt = crypto::random::<16>()?;
        let kek = crypto::argon2id(pass.expose().as_bytes(), &salt, params)?;
        self.seal_slot(SlotKind::Passphrase, key, &kek, Kdf::Argon2id { salt: B64.encode(salt), params }, None)
    }

    pub(crate) fn recovery_slot(&self, key: &DatabaseKey, rk: &RecoveryKey) -> Result<Slot> {
        let salt = crypto::random::<16>()?;
        let kek = crypto::hkdf_sha256(rk.expose(), &salt, b"confidant recovery slot v1")?;
        self.seal_slot(SlotKind::Recovery, key, &kek, Kdf::HkdfSha256 { salt: B64.encode(salt) }, None)
    }

    pub(crate) fn device_slot(&self, key: &DatabaseKey, device_key: &[u8; 32], keyring: KeyringRef) -> Result<Slot> {
        let salt = crypto::random::<16>()?;
        let kek = crypto::hkdf_sha256(device_key, &salt, b"confidant device slot v1")?;
        self.seal_slot(SlotKind::Device, key, &kek, Kdf::HkdfSha256 { salt: B64.encode(salt) }, Some(keyring))
    }

    fn seal_slot(
        &self,
        kind: SlotKind,
        key: &DatabaseKey,
        kek: &[u8; 32],
        kdf: Kdf,
        keyring: Option<KeyringRef>,
    ) -> Result<Slot> {
        let (nonce, ct) = crypto::seal(kek, &aad(&self.vault_id, kind), key.expose())?;
        Ok(Slot {
            kind,
            kdf,
            aead: "xchacha20poly1305".to_owned(),
            nonce: B64.encode(nonce),
            wrapped_key: B64.encode(ct),
            created_at: Utc::now(),
            keyring,
        })
    }

    /// Unwraps the database key with a passphrase or recovery key. A wrong one gives the
    /// matching typed error; nothing is written.
    pub(crate) fn unwrap(&self, cred: &Credential) -> Result<DatabaseKey> {
        match cred {
            Credential::Passphrase(p) => {
                let slot = self.slot(SlotKind::Passphrase).ok_or(Error::KeyFileCorrupt("it has no passphrase slot"))?;
                let Kdf::Argon2id { salt, params } = &slot.kdf else {
                    return Err(Error::KeyFileCorrupt("the passphrase slot has an unknown key derivation"));
                };
                let kek = crypto::argon2id(p.expose().as_bytes(), &b64d(salt)?, *params)?;
                self.open_slot(slot, &kek).ok_or(Error::WrongPassphrase)
            }
            Credential::RecoveryKey(rk) => {
                let slot = self.slot(SlotKind::Recovery).ok_or(Error::WrongRecoveryKey)?;
                let Kdf::HkdfSha256 { salt } = &slot.kdf else {
                    return Err(Error::KeyFileCorrupt("the recovery slot has an unknown key derivation"));
                };
                let kek = crypto::hkdf_sha256(rk.expose(), &b64d(salt)?, b"confidant recovery slot v1")?;
                self.open_slot(slot, &kek).ok_or(Error::WrongRecoveryKey)
            }
            Credential::Successor(secret) => self.unwrap_successor(secret),
        }
    }

    /// The database key from the successor slot, with the custodian's secret.
    pub(crate) fn unwrap_successor(&self, secret: &SuccessorSecret) -> Result<DatabaseKey> {
        let kf = self;
        let slot = kf.slot(SlotKind::Successor).ok_or(Error::WrongSuccessorKey)?;
        let bytes = B64.decode(&slot.wrapped_key).map_err(|_| Error::KeyFileCorrupt("a slot is not valid base64"))?;
        let dec =
            age::Decryptor::new(&bytes[..]).map_err(|_| Error::KeyFileCorrupt("the successor slot is damaged"))?;
        let scrypt;
        let identity: &dyn age::Identity = match secret {
            SuccessorSecret::Identity(id) => id,
            SuccessorSecret::Passphrase(p) => {
                scrypt = age::scrypt::Identity::new(age::secrecy::SecretString::from(p.expose().to_owned()));
                &scrypt
            }
        };
        let mut r = dec.decrypt(std::iter::once(identity)).map_err(|_| Error::WrongSuccessorKey)?;
        let mut plain = Zeroizing::new(Vec::new());
        r.read_to_end(&mut plain).map_err(|_| Error::WrongSuccessorKey)?;
        let rest = plain.strip_prefix(SUCCESSOR_MAGIC).ok_or(Error::WrongSuccessorKey)?;
        let (id, key) = rest.split_at_checked(16).ok_or(Error::WrongSuccessorKey)?;
        if id != kf.vault_id.as_bytes() {
            return Err(Error::WrongSuccessorKey);
        }
        DatabaseKey::from_slice(key).ok_or(Error::WrongSuccessorKey)
    }

    pub(crate) fn unwrap_device(&self, device_key: &[u8]) -> Result<DatabaseKey> {
        let slot = self.slot(SlotKind::Device).ok_or(Error::NotRemembered)?;
        let Kdf::HkdfSha256 { salt } = &slot.kdf else {
            return Err(Error::KeyFileCorrupt("the device slot has an unknown key derivation"));
        };
        let kek = crypto::hkdf_sha256(device_key, &b64d(salt)?, b"confidant device slot v1")?;
        // A keyring entry that no longer matches is as good as a missing one.
        self.open_slot(slot, &kek).ok_or(Error::RememberedKeyMissing)
    }

    fn open_slot(&self, slot: &Slot, kek: &[u8; 32]) -> Option<DatabaseKey> {
        if slot.aead != "xchacha20poly1305" {
            return None;
        }
        let nonce: [u8; 24] = b64d(&slot.nonce).ok()?.try_into().ok()?;
        let ct = b64d(&slot.wrapped_key).ok()?;
        let pt = crypto::open(kek, &aad(&self.vault_id, slot.kind), &nonce, &ct)?;
        DatabaseKey::from_slice(&pt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (KeyFile, DatabaseKey, RecoveryKey) {
        let mut kf = KeyFile::new();
        let key = DatabaseKey::generate().unwrap();
        let rk = RecoveryKey::generate().unwrap();
        let s = kf.passphrase_slot(&key, &Passphrase::from("a long test phrase"), Argon2Params::MINIMUM).unwrap();
        kf.put_slot(s);
        let s = kf.recovery_slot(&key, &rk).unwrap();
        kf.put_slot(s);
        (kf, key, rk)
    }

    #[test]
    fn slots_unwrap_the_same_key() {
        let (kf, key, rk) = sample();
        let a = kf.unwrap(&Credential::Passphrase(Passphrase::from("a long test phrase"))).unwrap();
        let b = kf.unwrap(&Credential::RecoveryKey(RecoveryKey::parse(&rk.display()).unwrap())).unwrap();
        assert_eq!(a.expose(), key.expose());
        assert_eq!(b.expose(), key.expose());
        assert!(matches!(kf.unwrap(&Credential::Passphrase(Passphrase::from("wrong"))), Err(Error::WrongPassphrase)));
        let other = RecoveryKey::generate().unwrap();
        assert!(matches!(kf.unwrap(&Credential::RecoveryKey(other)), Err(Error::WrongRecoveryKey)));
    }

    #[test]
    fn slots_are_bound_to_their_vault_and_kind() {
        let (kf, _, _) = sample();
        let mut moved = kf.clone();
        moved.vault_id = Uuid::new_v4();
        assert!(matches!(
            moved.unwrap(&Credential::Passphrase(Passphrase::from("a long test phrase"))),
            Err(Error::WrongPassphrase)
        ));
    }

    #[test]
    fn parse_rejects_foreign_newer_and_damaged_files() {
        let (kf, _, _) = sample();
        let json = serde_json::to_string(&kf).unwrap();
        assert!(KeyFile::parse(json.as_bytes()).is_ok());
        assert!(matches!(KeyFile::parse(b"{}"), Err(Error::KeyFileCorrupt(_))));
        assert!(matches!(KeyFile::parse(b"\x00\x01garbage"), Err(Error::KeyFileCorrupt(_))));
        let newer = json.replace("\"version\":1", "\"version\":2");
        assert!(matches!(KeyFile::parse(newer.as_bytes()), Err(Error::NewerVersion { found: 2, .. })));
        let foreign = json.replace(FORMAT, "something-else");
        assert!(matches!(KeyFile::parse(foreign.as_bytes()), Err(Error::KeyFileCorrupt(_))));
        let mut no_pass = kf.clone();
        no_pass.remove_slot(SlotKind::Passphrase);
        let s = serde_json::to_string(&no_pass).unwrap();
        assert!(matches!(KeyFile::parse(s.as_bytes()), Err(Error::KeyFileCorrupt(_))));
    }

    #[test]
    fn parse_refuses_costs_above_twice_what_the_app_writes() {
        let (kf, _, _) = sample();
        let with = |params: Argon2Params| {
            let mut k = kf.clone();
            for s in &mut k.slots {
                if let Kdf::Argon2id { params: p, .. } = &mut s.kdf {
                    *p = params;
                }
            }
            serde_json::to_vec(&k).unwrap()
        };
        let most =
            Argon2Params { m_cost_kib: 2 * crypto::WRITE_MEMORY_KIB, t_cost: 2 * crypto::MAX_WRITE_PASSES, p_cost: 2 };
        assert!(KeyFile::parse(&with(most)).is_ok());
        // A 64 MiB slot of an older vault still opens.
        assert!(KeyFile::parse(&with(Argon2Params { m_cost_kib: 64 * 1024, t_cost: 3, p_cost: 1 })).is_ok());
        for over in [
            Argon2Params { m_cost_kib: most.m_cost_kib + 1, ..most },
            Argon2Params { t_cost: most.t_cost + 1, ..most },
            Argon2Params { p_cost: most.p_cost + 1, ..most },
            Argon2Params { m_cost_kib: u32::MAX, t_cost: u32::MAX, p_cost: u32::MAX },
        ] {
            let err = KeyFile::parse(&with(over)).unwrap_err();
            assert!(matches!(err, Error::KeyFileCorrupt(crypto::KDF_OUT_OF_RANGE)), "{over:?}: {err:?}");
        }
    }

    #[test]
    fn no_secret_in_the_serialized_file() {
        let (kf, key, rk) = sample();
        let json = serde_json::to_string(&kf).unwrap();
        assert!(!json.contains(&hex::encode(key.expose())));
        assert!(!json.contains(&B64.encode(key.expose())));
        assert!(!json.contains(rk.display().as_str()));
        assert!(!json.contains("a long test phrase"));
    }
}
