//! Keys: the secrets, how they are wrapped in the key file, and where they may be remembered.
//!
//! The database key is 32 random bytes used as SQLCipher's raw key. It never changes for the
//! life of a vault; passphrase, recovery key and the optional OS keyring each hold a *slot*
//! that wraps that same key, so changing any of them rewrites only the small key file.

pub mod crypto;
pub mod keyfile;
pub mod keyring;
pub mod pin;
pub mod recovery;
pub mod secret;
pub mod strength;
