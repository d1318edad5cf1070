//! `NSWorkspace` and distributed notifications.
#![allow(unsafe_code)]

use std::ptr::NonNull;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use block2::RcBlock;
use objc2::MainThreadMarker;
use objc2_app_kit::{
    NSWorkspace, NSWorkspaceScreensDidSleepNotification, NSWorkspaceSessionDidResignActiveNotification,
    NSWorkspaceWillSleepNotification,
};
use objc2_foundation::{
    ns_string, NSDistributedNotificationCenter, NSNotification, NSNotificationCenter, NSNotificationName,
};

use super::{SessionEvent, WatchError};

type Sink = Arc<dyn Fn(SessionEvent) + Send + Sync + 'static>;

static WATCHING: AtomicBool = AtomicBool::new(false);

/// Calls `on_event` on the main thread whenever the system is about to sleep or the screen
/// locks, for as long as the process lives. Call it once, on the main thread (Tauri's
/// `run_on_main_thread`): distributed notifications arrive through that thread's run loop.
pub fn watch(on_event: impl Fn(SessionEvent) + Send + Sync + 'static) -> Result<(), WatchError> {
    if MainThreadMarker::new().is_none() {
        return Err(WatchError::NotMainThread);
    }
    if WATCHING.swap(true, Ordering::SeqCst) {
        return Err(WatchError::AlreadyWatching);
    }
    let sink: Sink = Arc::new(on_event);
    let workspace = NSWorkspace::sharedWorkspace().notificationCenter();
    // SAFETY: AppKit's notification names are immutable NSString constants that exist for the
    // whole life of the process; reading the statics only copies the references.
    let (will_sleep, screens_slept, resigned) = unsafe {
        (
            NSWorkspaceWillSleepNotification,
            NSWorkspaceScreensDidSleepNotification,
            NSWorkspaceSessionDidResignActiveNotification,
        )
    };
    observe(&workspace, will_sleep, SessionEvent::Suspend, &sink);
    observe(&workspace, screens_slept, SessionEvent::ScreenLock, &sink);
    observe(&workspace, resigned, SessionEvent::ScreenLock, &sink);
    // Not public API constants, but the names loginwindow and the screen saver have posted
    // since Mac OS X 10.x, and what every "lock on screen lock" app listens to.
    let distributed = NSDistributedNotificationCenter::defaultCenter();
    observe(&distributed, ns_string!("com.apple.screenIsLocked"), SessionEvent::ScreenLock, &sink);
    observe(&distributed, ns_string!("com.apple.screensaver.didstart"), SessionEvent::ScreenLock, &sink);
    Ok(())
}

fn observe(center: &NSNotificationCenter, name: &NSNotificationName, event: SessionEvent, sink: &Sink) {
    let sink = Arc::clone(sink);
    let block = RcBlock::new(move |_: NonNull<NSNotification>| sink(event));
    // SAFETY: no sender filter (`None` object) and no queue (`None`: the block runs on the
    // posting thread, the main thread for both centres); the block is sendable as the method
    // requires, since all it holds is an `Arc` of a `Send + Sync` closure.
    let token = unsafe { center.addObserverForName_object_queue_usingBlock(Some(name), None, None, &block) };
    // The token only serves to stop observing, which the app never does: keep it for good.
    std::mem::forget(token);
}
