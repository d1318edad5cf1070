//! "Remember on this computer": a random device key kept in the OS keyring (Secret Service,
//! Keychain, Credential Manager) wraps the database key in a device slot of the key file.
//!
//! Entries are namespaced per build and per vault, so tests and development builds never read
//! or overwrite the entry of a real installation. Every keyring failure maps to a typed error
//! that tells the UI to fall back to the passphrase; none ever leads to a plaintext key on disk.

use std::collections::HashMap;
use std::sync::Arc;

use keyring_core::{CredentialStore, Error as KError};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::keyfile::KeyringRef;
use crate::{Error, Result};

/// Environment variable that overrides the namespace (tests use a random one).
pub const NAMESPACE_ENV: &str = "CONFIDANT_KEYRING_NAMESPACE";

/// A handle on a credential store plus the namespace its entries live in.
#[derive(Clone)]
pub struct Keyring {
    store: Arc<CredentialStore>,
    namespace: String,
    /// Store-specific options given with every entry (see [`PLATFORM_MODIFIERS`]).
    modifiers: &'static [(&'static str, &'static str)],
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("namespace", &self.namespace).finish_non_exhaustive()
    }
}

impl Keyring {
    /// The namespace for this build: `$CONFIDANT_KEYRING_NAMESPACE`, else `confidant` for
    /// release builds and `confidant-dev` for debug builds.
    pub fn default_namespace() -> String {
        match std::env::var(NAMESPACE_ENV) {
            Ok(ns) if !ns.trim().is_empty() => ns,
            _ if cfg!(debug_assertions) => "confidant-dev".to_owned(),
            _ => "confidant".to_owned(),
        }
    }

    /// The platform's keyring in this build's namespace.
    pub fn platform() -> Result<Self> {
        let mut keyring = Keyring::with_store(platform_store()?, &Self::default_namespace());
        keyring.modifiers = PLATFORM_MODIFIERS;
        Ok(keyring)
    }

    /// Any keyring-core store (the shared mock store in tests).
    pub fn with_store(store: Arc<CredentialStore>, namespace: &str) -> Self {
        Keyring { store, namespace: namespace.to_owned(), modifiers: &[] }
    }

    pub(crate) fn reference(&self, vault_id: &Uuid) -> KeyringRef {
        KeyringRef { service: format!("app.confidant.{}", self.namespace), user: format!("vault-{vault_id}") }
    }

    /// Where a remembered vault keeps the access log's head as last seen (not a secret; kept
    /// outside the vault folder so a rollback of the whole folder is noticed too).
    pub(crate) fn log_head_reference(&self, vault_id: &Uuid) -> KeyringRef {
        KeyringRef { service: format!("app.confidant.{}", self.namespace), user: format!("vault-{vault_id}-log-head") }
    }

    fn entry(&self, r: &KeyringRef) -> Result<keyring_core::Entry> {
        let modifiers: HashMap<&str, &str> = self.modifiers.iter().copied().collect();
        self.store.build(&r.service, &r.user, (!modifiers.is_empty()).then_some(&modifiers)).map_err(map_err)
    }

    pub(crate) fn set(&self, r: &KeyringRef, secret: &[u8]) -> Result<()> {
        self.entry(r)?.set_secret(secret).map_err(map_err)
    }

    pub(crate) fn get(&self, r: &KeyringRef) -> Result<Zeroizing<Vec<u8>>> {
        self.entry(r)?.get_secret().map(Zeroizing::new).map_err(map_err)
    }

    pub(crate) fn delete(&self, r: &KeyringRef) -> Result<()> {
        match self.entry(r)?.delete_credential() {
            Ok(()) | Err(KError::NoEntry) => Ok(()),
            Err(e) => Err(map_err(e)),
        }
    }
}

fn map_err(e: KError) -> Error {
    match e {
        KError::NoEntry => Error::RememberedKeyMissing,
        _ => Error::KeyringUnavailable,
    }
}

#[cfg(target_os = "linux")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = dbus_secret_service_keyring_store::Store::new().map_err(|_| Error::KeyringUnavailable)?;
    Ok(store)
}

/// The login keychain, as a generic password per entry (service and account as named by
/// [`Keyring::reference`]).
#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = apple_native_keyring_store::keychain::Store::new().map_err(|_| Error::KeyringUnavailable)?;
    Ok(store)
}

/// Credential Manager, as a generic credential per entry, named `<user>.<service>`.
#[cfg(windows)]
fn platform_store() -> Result<Arc<CredentialStore>> {
    let store = windows_native_keyring_store::Store::new().map_err(|_| Error::KeyringUnavailable)?;
    Ok(store)
}

#[cfg(not(any(target_os = "linux", target_os = "macos", windows)))]
fn platform_store() -> Result<Arc<CredentialStore>> {
    Err(Error::KeyringUnavailable)
}

/// Windows: `Local` persistence. The store's default, `Enterprise`, roams with a domain
/// profile to every computer the therapist logs on to; "remember on this computer" means this
/// one only (like the vault itself, which lives in the local, not the roaming, profile).
#[cfg(windows)]
const PLATFORM_MODIFIERS: &[(&str, &str)] = &[("persistence", "Local")];

#[cfg(not(windows))]
const PLATFORM_MODIFIERS: &[(&str, &str)] = &[];

#[cfg(test)]
mod tests {
    use super::*;
    use keyring_core::mock;

    fn mock_keyring() -> Keyring {
        Keyring::with_store(mock::Store::new().unwrap(), "confidant-unit")
    }

    #[test]
    fn round_trip_and_delete() {
        let k = mock_keyring();
        let r = k.reference(&Uuid::new_v4());
        assert!(r.service.ends_with("confidant-unit"));
        assert!(matches!(k.get(&r), Err(Error::RememberedKeyMissing)));
        k.set(&r, &[9u8; 32]).unwrap();
        assert_eq!(k.get(&r).unwrap().as_slice(), &[9u8; 32]);
        k.delete(&r).unwrap();
        k.delete(&r).unwrap();
        assert!(matches!(k.get(&r), Err(Error::RememberedKeyMissing)));
    }

    #[test]
    fn store_failures_become_keyring_unavailable() {
        let k = mock_keyring();
        let r = k.reference(&Uuid::new_v4());
        k.set(&r, b"x").unwrap();
        let entry = k.entry(&r).unwrap();
        let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
        cred.set_error(KError::NoStorageAccess("locked".into()));
        assert!(matches!(entry.get_secret().map_err(map_err), Err(Error::KeyringUnavailable)));
    }
}
