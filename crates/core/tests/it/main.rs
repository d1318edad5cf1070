//! Integration tests of the public `confidant-core` API, one module per area.

mod access_log;
mod appointments;
mod backup;
mod backup_tamper;
mod backup_vectors;
mod canary;
mod clients;
mod consent_breach;
mod crash;
mod erasure;
mod export;
mod import;
mod invoicing;
mod jobs;
mod journal;
mod kdf;
mod layering;
mod measures;
mod quick_unlock;
mod remember;
mod search;
mod util;
mod vault_files;
mod vault_keys;
