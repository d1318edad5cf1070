//! The job shape every long flow shares: progress, cancellation by the person or by a lock, and
//! the run's own history and log rows — exercised on the backup flow.

use std::sync::{Arc, Mutex};

use confidant_core::backup::{self, BackupFailure, BackupOptions, BackupRunStatus, Destination, Phase, Progress};
use confidant_core::{CancelReason, CancelToken, Code, Error, JobCtl, Vault};

use crate::backup::{backups, listing, setup};

/// A job control that calls `on_write` at the first `write` progress report.
fn cancel_at_first_write<'a>(token: &CancelToken, mut on_write: impl FnMut() + Send + 'a) -> JobCtl<'a> {
    let mut fired = false;
    JobCtl::new(token.clone(), move |p: Progress| {
        if p.phase == Phase::Write && !fired {
            fired = true;
            on_write();
        }
    })
    .unthrottled()
}

#[test]
fn a_cancelled_backup_leaves_no_file_and_records_the_cancellation() {
    let mut s = setup(256);
    let token = CancelToken::new();
    let t2 = token.clone();
    let mut ctl = cancel_at_first_write(&token, move || t2.cancel(CancelReason::Person));
    let e = s.fx.vault.backup_now(&s.target, &mut ctl).unwrap_err();
    assert!(matches!(e, Error::Cancelled(CancelReason::Person)), "{e:?}");
    assert!(backups(&s.target).is_empty());
    assert!(listing(&s.target).iter().all(|n| !n.ends_with(".partial")), "{:?}", listing(&s.target));
    let h = s.fx.vault.backup_history(1).unwrap();
    assert_eq!(h[0].status, BackupRunStatus::Failed);
    assert_eq!(h[0].failure, Some(BackupFailure { code: Code::Cancelled, check: None }));
    let log = s.fx.vault.access_log(None, 5).unwrap();
    assert!(log.iter().any(|l| l.action.as_str() == "backup_run"), "the run has its log row");
    // The next run is not affected.
    s.fx.vault.backup_now(&s.target, &mut JobCtl::quiet()).unwrap();
    assert_eq!(backups(&s.target).len(), 1);
}

#[test]
fn locking_the_vault_cancels_a_running_backup_and_drops_its_key() {
    let s = setup(256);
    let target = s.target.clone();
    let shared: Arc<Mutex<Vault>> = Arc::new(Mutex::new(s.fx.vault));
    let token = CancelToken::new();
    let locker = shared.clone();
    let worker = {
        let shared = shared.clone();
        let token = token.clone();
        std::thread::spawn(move || {
            // The lock arrives from another thread (the idle timer, a suspend) while the job
            // runs without holding the vault.
            let mut ctl = cancel_at_first_write(&token, move || locker.lock().unwrap().lock());
            backup::run(&*shared, &Destination::Folder(target), &BackupOptions::default(), &mut ctl)
        })
    };
    let e = worker.join().unwrap().unwrap_err();
    assert!(matches!(e, Error::Cancelled(CancelReason::Lock)), "{e:?}");
    assert_eq!(token.reason(), Some(CancelReason::Lock));
    assert!(backups(&s.target).is_empty());
    assert!(listing(&s.target).iter().all(|n| !n.ends_with(".partial")), "{:?}", listing(&s.target));
    // No snapshot (ciphertext) is left in the vault folder either.
    let dir = shared.lock().unwrap().dir().to_owned();
    assert!(listing(&dir).iter().all(|n| !n.contains("snapshot")), "{:?}", listing(&dir));
    let mut v = shared.lock().unwrap();
    assert!(!v.is_unlocked());
    assert_eq!(v.database_key().unwrap_err().code(), Code::Locked);
}

#[test]
fn a_job_cannot_start_on_a_locked_vault() {
    let s = setup(0);
    let mut v = s.fx.vault;
    v.lock();
    let e = v.track_job(&JobCtl::quiet().handle()).unwrap_err();
    assert_eq!(e.code(), Code::Locked);
    let e = v.backup_now(&s.target, &mut JobCtl::quiet()).unwrap_err();
    assert_eq!(e.code(), Code::Locked);
}

#[test]
fn progress_reaches_the_caller_in_phase_order() {
    let mut s = setup(64);
    let seen = Mutex::new(Vec::new());
    {
        let mut ctl = JobCtl::new(CancelToken::new(), |p: Progress| {
            let mut v = seen.lock().unwrap();
            if v.last() != Some(&p.phase) {
                v.push(p.phase);
            }
        });
        s.fx.vault.backup_now(&s.target, &mut ctl).unwrap();
    }
    assert_eq!(seen.into_inner().unwrap(), [Phase::Snapshot, Phase::Write, Phase::Verify]);
}

#[test]
fn the_apps_workspace_lock_cancels_its_backup_too() {
    // The desktop app's path: the workspace behind a mutex, the lock command from another thread.
    let s = setup(256);
    let home = s.fx.dir.clone();
    drop(s.fx.vault);
    let ws = Arc::new(Mutex::new(confidant_core::Workspace::new(home, crate::util::kdf())));
    ws.lock().unwrap().vault().unwrap().unlock(&crate::util::pass(crate::util::PASS)).unwrap();
    let target = s.target.clone();
    ws.lock().unwrap().vault().unwrap().set_backup_target(&target).unwrap();
    let token = CancelToken::new();
    let locker = ws.clone();
    let mut ctl = cancel_at_first_write(&token, move || {
        locker.lock().unwrap().lock();
    });
    let e = backup::run(&*ws, &Destination::Remembered, &BackupOptions::default(), &mut ctl).unwrap_err();
    assert!(matches!(e, Error::Cancelled(CancelReason::Lock)), "{e:?}");
    assert!(backups(&target).is_empty());
    assert!(listing(&target).iter().all(|n| !n.ends_with(".partial")));
    assert!(!ws.lock().unwrap().status().unwrap().info.unwrap().unlocked);
}

/// A lock waits (without holding the vault) until the cancelled job has returned: by then its
/// key copy, its connections and its partial files are gone.
#[test]
fn a_lock_can_wait_until_the_cancelled_job_has_dropped_everything() {
    let s = setup(256);
    let target = s.target.clone();
    let shared: Arc<Mutex<Vault>> = Arc::new(Mutex::new(s.fx.vault));
    let (at_write, in_write) = std::sync::mpsc::channel::<()>();
    let worker = {
        let shared = shared.clone();
        std::thread::spawn(move || {
            let mut ctl = cancel_at_first_write(&CancelToken::new(), move || {
                let _ = at_write.send(());
                // Slow to notice, like a job in the middle of a large write.
                std::thread::sleep(std::time::Duration::from_millis(300));
            });
            backup::run(&*shared, &Destination::Folder(target), &BackupOptions::default(), &mut ctl)
        })
    };
    in_write.recv().unwrap();
    let stopping = shared.lock().unwrap().lock_stopping();
    let t0 = std::time::Instant::now();
    assert!(stopping.wait(std::time::Duration::from_secs(20)), "the job did not stop");
    assert!(t0.elapsed() >= std::time::Duration::from_millis(100), "the wait returned before the job did");
    assert!(listing(&s.target).iter().all(|n| !n.ends_with(".partial")), "{:?}", listing(&s.target));
    let dir = shared.lock().unwrap().dir().to_owned();
    assert!(listing(&dir).iter().all(|n| !n.contains("snapshot")), "{:?}", listing(&dir));
    let e = worker.join().unwrap().unwrap_err();
    assert!(matches!(e, Error::Cancelled(CancelReason::Lock)), "{e:?}");
    // Nothing left to wait for.
    assert!(shared.lock().unwrap().lock_stopping().wait(std::time::Duration::ZERO));
}
