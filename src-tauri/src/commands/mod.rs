//! Tauri commands, one file per domain. Each is a short adapter: take the arguments, call the
//! core on a blocking thread, hand back its result or its `IpcError`.
//!
//! Secrets only ever travel inward (passphrases, recovery keys typed by the person); the only
//! secret that travels out is a new recovery key, once, from `create_vault`,
//! `regenerate_recovery_key` and `rekey`.

pub mod access_log;
pub mod appointments;
pub mod attachments;
pub mod backup;
pub mod breach;
pub mod clients;
pub mod consent;
pub mod courses;
pub mod day;
pub mod documents;
pub mod entries;
pub mod export;
pub mod import;
pub mod invoices;
pub mod keys;
pub mod measures;
pub mod profile;
pub mod quick_unlock;
pub mod rights;
pub mod search;
pub mod settings;
pub mod templates;
pub mod vault;
