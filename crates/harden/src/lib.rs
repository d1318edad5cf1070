//! # confidant-harden
//!
//! What the Confidant app and CLI do first, before any key exists in their memory: forbid core
//! dumps. A crash dump of a process that had the vault unlocked would hold the database key and
//! whatever journal text was on screen, written in the clear to wherever the system keeps
//! dumps; a leak of health data outlives the crash.
//!
//! On Linux that is two settings, because each covers what the other misses:
//!
//! - `PR_SET_DUMPABLE` 0: the kernel writes no dump of this process at all (also not to a
//!   piped handler such as systemd-coredump or apport, which ignore `RLIMIT_CORE`), and other
//!   processes of the same user can no longer attach a debugger or read its memory through
//!   `/proc`. It does not survive `exec`, so the webview's helper processes do not inherit it.
//! - `RLIMIT_CORE` 0 (soft and hard): inherited across `fork` and `exec`, so those helpers
//!   write no core file either, and the process cannot raise it again.
//!
//! Elsewhere this is a no-op: macOS writes no core files unless the limit is raised, and
//! Windows keeps crash dumps through its own reporting service.
//!
//! Not done: locking the key's pages in memory (`mlock`), so they never reach swap. The only
//! safe wrapper locks the whole process (`mlockall`), and with the usual 8 MiB
//! `RLIMIT_MEMLOCK` that would make the 256 MiB Argon2 allocation of every unlock fail; locking
//! just the key's page needs its address and an `unsafe` call (`rustix::mm::mlock`) in the
//! core, which forbids unsafe code, and SQLCipher keeps its own copies of the key in memory it
//! allocates itself, out of our reach. Swap and hibernation images are left to full-disk
//! encryption, which the README's "What is protected, and what is not" asks for.
#![forbid(unsafe_code)]

/// The variable that keeps core dumps on in a debug build, for a developer chasing a crash.
/// Release builds ignore it.
pub const ALLOW_CORE_DUMPS_ENV: &str = "CONFIDANT_ALLOW_CORE_DUMPS";

/// Turns core dumps off for this process and its children (see the crate docs). Call it first
/// in `main`; an error means the protection is not in place and the caller should stop.
pub fn disable_core_dumps() -> std::io::Result<()> {
    if cfg!(debug_assertions) && std::env::var_os(ALLOW_CORE_DUMPS_ENV).is_some_and(|v| v == "1") {
        return Ok(());
    }
    imp::disable_core_dumps()
}

#[cfg(target_os = "linux")]
mod imp {
    use rustix::process::{set_dumpable_behavior, setrlimit, DumpableBehavior, Resource, Rlimit};

    pub(crate) fn disable_core_dumps() -> std::io::Result<()> {
        set_dumpable_behavior(DumpableBehavior::NotDumpable)?;
        setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) })?;
        Ok(())
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub(crate) fn disable_core_dumps() -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use rustix::process::{dumpable_behavior, getrlimit, DumpableBehavior, Resource};

    // The test binary hardens itself: harmless (nothing here wants a core dump) and the only
    // way to see the calls take effect in-process. The CLI and app binaries are checked from
    // outside, through /proc, by their own tests.
    #[test]
    fn core_dumps_are_off_after_the_call() {
        std::env::remove_var(super::ALLOW_CORE_DUMPS_ENV);
        super::disable_core_dumps().unwrap();
        assert_eq!(dumpable_behavior().unwrap(), DumpableBehavior::NotDumpable);
        let limit = getrlimit(Resource::Core);
        assert_eq!((limit.current, limit.maximum), (Some(0), Some(0)));
        // Idempotent: a second call (the CLI after the library) is fine.
        super::disable_core_dumps().unwrap();
    }
}
