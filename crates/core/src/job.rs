//! The shape of every long flow the core owns (backup, verify, restore; next export, erasure,
//! invoicing, import): the caller hands in a [`JobCtl`], the flow reports [`Progress`] through
//! it and asks it, between steps and inside every reader and writer, whether it was cancelled.
//!
//! - Progress is throttled here (at most every 100 ms, plus each phase change and the end), so
//!   the app and the CLI show the same steps without each re-deciding how often.
//! - Cancellation is a [`CancelToken`] shared with whoever may stop the job: the person
//!   ([`CancelReason::Person`]) or the vault itself when it locks ([`CancelReason::Lock`]; see
//!   [`crate::Vault::track_job`]). A cancelled flow returns [`crate::Error::Cancelled`] and
//!   leaves nothing half-written under a final name; its own log rows say how it ended.
//! - A flow that must touch the vault only briefly (take a key, record the run) does so through
//!   [`crate::VaultAccess`], so the app's vault stays usable during the long part.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use crate::error::CancelReason;
use crate::{Error, Result};

/// What a long operation is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Copying the database into a snapshot.
    Snapshot,
    /// Encrypting (reserved; encryption is reported as `write`).
    Encrypt,
    /// Writing the encrypted file to the target.
    Write,
    /// Reading the file back and checking it.
    Verify,
    /// Decrypting a backup to restore it.
    Decrypt,
    /// Moving the restored vault into place.
    Restore,
    /// Re-encrypting the vault under a new key (re-key).
    Reencrypt,
    /// Putting a re-keyed vault in place (re-key).
    Commit,
    /// Deleting a client's records (erasure).
    Erase,
    /// Laying out a document (an export's PDF).
    Typeset,
    /// Rewriting the database so erased data leaves no trace in free pages, the search index
    /// or the write-ahead log (erasure).
    Compact,
    /// Reading export packages into the vault (steps: each package twice, its rows and then its
    /// search index).
    Import,
}

/// Progress of a phase, in bytes (or steps for `restore`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// Done so far.
    pub done: u64,
    /// Total (an estimate while writing).
    pub total: u64,
}

impl Progress {
    /// Whole percent, 0..=100.
    pub fn percent(&self) -> u8 {
        if self.total == 0 {
            return 0;
        }
        ((self.done.min(self.total) as u128 * 100) / self.total as u128) as u8
    }
}

/// A shared "stop" flag. Cloning shares it.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicU8>);

impl CancelToken {
    /// A token nobody has cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the job to stop; the first reason given wins.
    pub fn cancel(&self, why: CancelReason) {
        let v = match why {
            CancelReason::Person => 1,
            CancelReason::Lock => 2,
        };
        let _ = self.0.compare_exchange(0, v, Ordering::SeqCst, Ordering::SeqCst);
    }

    /// Why it was cancelled, if it was.
    pub fn reason(&self) -> Option<CancelReason> {
        match self.0.load(Ordering::SeqCst) {
            0 => None,
            1 => Some(CancelReason::Person),
            _ => Some(CancelReason::Lock),
        }
    }

    /// `Err(Cancelled)` once cancelled.
    pub fn check(&self) -> Result<()> {
        self.reason().map_or(Ok(()), |r| Err(Error::Cancelled(r)))
    }

    /// Whether `other` is a clone of this token.
    pub fn same(&self, other: &CancelToken) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// A handle that does not keep the job's token alive (what the vault keeps, so a finished
    /// job is forgotten by itself).
    pub(crate) fn downgrade(&self) -> WeakCancel {
        WeakCancel(Arc::downgrade(&self.0))
    }
}

/// A [`CancelToken`] held without keeping it alive.
/// A running job as the vault tracks it; holds nothing alive.
#[derive(Debug, Clone)]
pub struct JobHandle {
    pub(crate) cancel: WeakCancel,
    alive: std::sync::Weak<()>,
}

impl JobHandle {
    /// Whether the job's control still exists (the flow has not returned).
    pub(crate) fn running(&self) -> bool {
        self.alive.strong_count() > 0
    }
}

/// The jobs a lock cancelled; [`Stopping::wait`] waits until each has returned and dropped
/// its key copy, its connections and its partial files.
#[derive(Debug, Default)]
#[must_use = "a lock does not wait for its cancelled jobs unless asked to"]
pub struct Stopping(Vec<JobHandle>);

impl Stopping {
    pub(crate) fn new(jobs: Vec<JobHandle>) -> Self {
        Stopping(jobs)
    }

    /// Waits up to `timeout` for every cancelled job to finish; true when all did.
    pub fn wait(&self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        loop {
            if self.0.iter().all(|j| !j.running()) {
                return true;
            }
            if Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct WeakCancel(std::sync::Weak<AtomicU8>);

impl WeakCancel {
    /// The token, while some job still holds it.
    pub(crate) fn upgrade(&self) -> Option<CancelToken> {
        self.0.upgrade().map(CancelToken)
    }

    pub(crate) fn same(&self, other: &WeakCancel) -> bool {
        self.0.ptr_eq(&other.0)
    }
}

/// Progress and cancellation for one run of a flow.
pub struct JobCtl<'a> {
    sink: Box<dyn FnMut(Progress) + Send + 'a>,
    cancel: CancelToken,
    /// Dropped with the job control, after the flow that borrowed it has returned and dropped
    /// its key copy and connections: what a lock waits for.
    alive: Arc<()>,
    every: Duration,
    last: Option<(Instant, Progress)>,
}

impl std::fmt::Debug for JobCtl<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobCtl").field("cancel", &self.cancel).finish_non_exhaustive()
    }
}

impl<'a> JobCtl<'a> {
    /// Reports to `sink` (throttled) and stops when `cancel` is cancelled.
    pub fn new(cancel: CancelToken, sink: impl FnMut(Progress) + Send + 'a) -> Self {
        JobCtl { sink: Box::new(sink), cancel, alive: Arc::new(()), every: Duration::from_millis(100), last: None }
    }

    /// No progress, never cancelled (tests, one-shot calls).
    pub fn quiet() -> JobCtl<'static> {
        JobCtl::new(CancelToken::new(), |_| {})
    }

    /// Every report goes through, unthrottled (the CLI's meter, tests that count steps).
    pub fn unthrottled(mut self) -> Self {
        self.every = Duration::ZERO;
        self
    }

    /// The job's token (to register it with the vault, or hand it to a cancel button).
    pub fn token(&self) -> &CancelToken {
        &self.cancel
    }

    /// What a vault keeps of a running job ([`crate::Vault::track_job`]): a way to cancel it and
    /// to see when it has finished.
    pub fn handle(&self) -> JobHandle {
        JobHandle { cancel: self.cancel.downgrade(), alive: Arc::downgrade(&self.alive) }
    }

    /// Reports progress (throttled), then `Err(Cancelled)` if the job was cancelled.
    pub fn report(&mut self, p: Progress) -> Result<()> {
        let due = match self.last {
            None => true,
            Some((t, prev)) => prev.phase != p.phase || p.done >= p.total || t.elapsed() >= self.every,
        };
        if due {
            self.last = Some((Instant::now(), p));
            (self.sink)(p);
        }
        self.cancel.check()
    }

    /// [`JobCtl::report`] for use inside `Read`/`Write` implementations: a cancellation comes
    /// out as an `io::Error` that the core maps back to [`Error::Cancelled`].
    pub(crate) fn io_report(&mut self, p: Progress) -> std::io::Result<()> {
        self.report(p).map_err(|e| match e {
            Error::Cancelled(r) => std::io::Error::other(crate::error::CancelledIo(r)),
            _ => std::io::Error::other("progress"),
        })
    }

    /// `Err(Cancelled)` if the job was cancelled.
    pub fn check(&self) -> Result<()> {
        self.cancel.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn cancel_is_sticky_and_the_first_reason_wins() {
        let t = CancelToken::new();
        assert!(t.check().is_ok());
        t.cancel(CancelReason::Lock);
        t.cancel(CancelReason::Person);
        assert_eq!(t.reason(), Some(CancelReason::Lock));
        assert!(matches!(t.clone().check(), Err(Error::Cancelled(CancelReason::Lock))));
    }

    #[test]
    fn cancellation_inside_io_maps_back_to_cancelled() {
        let t = CancelToken::new();
        let mut ctl = JobCtl::new(t.clone(), |_| {});
        let p = Progress { phase: Phase::Write, done: 1, total: 2 };
        assert!(ctl.io_report(p).is_ok());
        t.cancel(CancelReason::Person);
        let e = ctl.io_report(p).unwrap_err();
        assert!(matches!(Error::io("write")(e), Error::Cancelled(CancelReason::Person)));
        let plain = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(matches!(Error::io("write")(plain), Error::Io { .. }));
    }

    #[test]
    fn progress_is_throttled_but_keeps_phase_changes_and_the_end() {
        let seen = Mutex::new(Vec::new());
        {
            let mut ctl = JobCtl::new(CancelToken::new(), |p| seen.lock().unwrap().push(p));
            for done in 0..=1000 {
                ctl.report(Progress { phase: Phase::Write, done, total: 1000 }).unwrap();
            }
            ctl.report(Progress { phase: Phase::Verify, done: 0, total: 10 }).unwrap();
        }
        let seen = seen.into_inner().unwrap();
        assert!(seen.len() < 100, "{} reports", seen.len());
        assert_eq!(seen.first().map(|p| p.done), Some(0));
        assert!(seen.iter().any(|p| p.phase == Phase::Write && p.done == 1000));
        assert_eq!(seen.last().map(|p| p.phase), Some(Phase::Verify));
    }
}
