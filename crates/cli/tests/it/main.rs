//! End-to-end tests of the `confidant` binary: real processes, real vault folders.

mod backup;
mod backup_kill;
mod errors;
mod flows;
mod hardening;
mod invoice_kill;
mod keys;
mod practice;
mod real_keyring;
mod registers;
mod rekey_kill;
mod rights;
mod support;
