//! # confidant-core
//!
//! The Confidant vault: an SQLCipher database and a small key file in one folder, and every
//! rule about the records inside it. The CLI and the desktop shell are thin front ends over
//! [`Vault`]; nothing outside this crate touches SQL.
#![forbid(unsafe_code)]

#[macro_use]
mod macros;

pub mod audit;
pub mod backup;
pub mod breach;
mod commit;
mod credentials;
pub mod day;
pub mod db;
pub mod demo;
pub mod documents;
pub mod domain;
pub mod erasure;
pub mod error;
pub mod export;
mod fsutil;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod idle;
pub mod import;
pub mod invoicing;
pub mod job;
pub mod keys;
pub mod kinds;
pub mod law;
pub mod measures;
pub mod money;
pub mod paths;
pub mod processing_record;
pub mod quick_unlock;
pub mod referral;
pub mod rekey;
pub mod retention;
pub mod search;
pub mod settings;
mod successor;
mod time;
mod vault;
pub mod workspace;
pub mod writer;

#[cfg(test)]
pub(crate) mod testing;

pub use error::{Code, Error, FieldError, Holder, IpcError, Reason, Result};
pub use job::{CancelReason, CancelToken, JobCtl, JobHandle, Stopping};
pub use keys::crypto::Argon2Params;
pub use keys::keyring::Keyring;
pub use keys::pin::{Pin, QuickUnlockRule};
pub use keys::recovery::RecoveryKey;
pub use keys::secret::{Credential, DatabaseKey, Passphrase};
pub use kinds::ObjectKind;
pub use quick_unlock::QuickUnlockStatus;
pub use settings::{BackupSettings, BackupTarget, Retention, Settings};
pub use vault::{KdfChoice, UnlockMethod, Vault, VaultAccess, VaultInfo, KDF_TARGET, LOG_SEEN_FILE};
pub use workspace::{AppStatus, Workspace};
