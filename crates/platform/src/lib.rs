//! # confidant-platform
//!
//! The few operating-system calls Confidant needs on macOS and Windows for which no safe crate
//! exists, kept in one small crate so that the core can go on forbidding unsafe code and the
//! desktop shell need not allow it:
//!
//! - [`drives`] (Windows): which drive letters are disks a therapist plugs in — USB sticks and
//!   card readers, but also USB and Thunderbolt hard disks, which Windows calls "fixed" — with
//!   their label, file system and serial number. macOS needs no FFI for this: the core reads
//!   `/Volumes` through `rustix`.
//! - [`session`] (macOS, Windows): the system is about to sleep, or the screen locked. Linux
//!   gets the same from D-Bus, in the shell (`zbus`).
//!
//! Every `unsafe` block says why it is sound. On Linux this crate only holds the pure parts
//! (parsing, classification), compiled and tested there like everything else.
#![deny(unsafe_code)]

pub mod drives;
pub mod session;
