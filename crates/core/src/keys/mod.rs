//! Keys: the secrets, how they are wrapped in the key file, and where they may be remembered.
//!
//! The database key is 32 random bytes used as SQLCipher's raw key. Passphrase, recovery key,
//! the optional OS keyring and the optional successor (custodian) key each hold a *slot* that
//! wraps that same key, so changing any of them rewrites only the small key file — and, for the
//! same reason, does not revoke anything: an old passphrase plus an old backup (whose header
//! carries that day's key file) still yields the key. Only a re-key ([`crate::rekey`]) replaces
//! the database key itself.

pub mod crypto;
pub mod keyfile;
pub mod keyring;
pub mod pin;
pub mod recovery;
pub mod secret;
pub mod strength;
pub mod successor;
