//! A hidden window that receives the power and session broadcasts.
//!
//! A top-level window, never shown, rather than a message-only one: Windows broadcasts
//! `WM_POWERBROADCAST` to top-level windows only. It lives on a thread of its own with its own
//! message loop, so nothing depends on how Tauri runs the app's windows.
#![allow(unsafe_code)]

use std::io;
use std::ptr::{null, null_mut};
use std::sync::{mpsc, OnceLock};

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{WTSRegisterSessionNotification, NOTIFY_FOR_THIS_SESSION};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DispatchMessageW, GetMessageW, RegisterClassW, MSG, PBT_APMSUSPEND, WM_CLOSE,
    WM_POWERBROADCAST, WM_WTSSESSION_CHANGE, WNDCLASSW, WS_EX_NOACTIVATE, WS_EX_TOOLWINDOW, WS_OVERLAPPED,
    WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT, WTS_SESSION_LOCK,
};

use super::{SessionEvent, WatchError};

type Sink = Box<dyn Fn(SessionEvent) + Send + Sync + 'static>;

/// The window procedure has no context pointer of ours, so the callback lives here.
static SINK: OnceLock<Sink> = OnceLock::new();

/// Calls `on_event` (on the watcher's own thread) whenever the system is about to sleep or
/// the session locks or disconnects, for as long as the process lives. Returns once the window
/// exists and is registered. May be called from any thread, once.
pub fn watch(on_event: impl Fn(SessionEvent) + Send + Sync + 'static) -> Result<(), WatchError> {
    if SINK.set(Box::new(on_event)).is_err() {
        return Err(WatchError::AlreadyWatching);
    }
    let (started, result) = mpsc::channel();
    std::thread::Builder::new()
        .name("confidant-session-watch".into())
        .spawn(move || match create_window() {
            Ok(hwnd) => {
                // Suspend is watched from here on, whatever the registration answers.
                let _ = started.send(register_session(hwnd));
                pump();
            }
            Err(e) => {
                let _ = started.send(Err(e));
            }
        })
        .map_err(|error| WatchError::Os { what: "start the session watcher thread", error })?;
    result.recv().unwrap_or_else(|_| {
        Err(WatchError::Os { what: "start the session watcher", error: io::Error::other("the thread stopped") })
    })
}

fn create_window() -> Result<HWND, WatchError> {
    let class: Vec<u16> = "ConfidantSessionWatch\0".encode_utf16().collect();
    // SAFETY: a null name asks for the module of the running executable; the handle is not
    // reference-counted and is never freed.
    let instance = unsafe { GetModuleHandleW(null()) };
    let wc = WNDCLASSW {
        lpfnWndProc: Some(window_proc),
        hInstance: instance,
        lpszClassName: class.as_ptr(),
        ..Default::default()
    };
    // SAFETY: `wc` is fully initialised (zero for the fields left out: no icon, cursor, brush
    // or menu) and its class name is NUL-terminated; Windows copies what it keeps.
    if unsafe { RegisterClassW(&wc) } == 0 {
        return Err(WatchError::Os {
            what: "register the session watcher's window class",
            error: io::Error::last_os_error(),
        });
    }
    // SAFETY: the class was registered above with this instance; the name pointers are
    // NUL-terminated and outlive the call; no parent, menu or creation parameter.
    let hwnd = unsafe {
        CreateWindowExW(
            WS_EX_TOOLWINDOW | WS_EX_NOACTIVATE,
            class.as_ptr(),
            class.as_ptr(),
            WS_OVERLAPPED,
            0,
            0,
            0,
            0,
            null_mut(),
            null_mut(),
            instance,
            null(),
        )
    };
    if hwnd.is_null() {
        return Err(WatchError::Os { what: "create the session watcher's window", error: io::Error::last_os_error() });
    }
    Ok(hwnd)
}

fn register_session(hwnd: HWND) -> Result<(), WatchError> {
    // SAFETY: `hwnd` is the live window this thread just created.
    if unsafe { WTSRegisterSessionNotification(hwnd, NOTIFY_FOR_THIS_SESSION) } == 0 {
        return Err(WatchError::Os {
            what: "register for session lock notifications",
            error: io::Error::last_os_error(),
        });
    }
    Ok(())
}

/// The thread's message loop; runs until the process ends (or GetMessageW fails).
fn pump() {
    let mut msg = MSG::default();
    // SAFETY: `msg` is a valid out pointer; a null window takes every message of this thread.
    while unsafe { GetMessageW(&mut msg, null_mut(), 0, 0) } > 0 {
        // SAFETY: `msg` was just filled in by GetMessageW. No TranslateMessage: the window
        // never has the keyboard.
        unsafe { DispatchMessageW(&msg) };
    }
}

/// Which event a window message is, if any.
fn event_of(msg: u32, wparam: WPARAM) -> Option<SessionEvent> {
    let code = u32::try_from(wparam).ok()?;
    match (msg, code) {
        (WM_POWERBROADCAST, PBT_APMSUSPEND) => Some(SessionEvent::Suspend),
        (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK | WTS_CONSOLE_DISCONNECT | WTS_REMOTE_DISCONNECT) => {
            Some(SessionEvent::ScreenLock)
        }
        _ => None,
    }
}

unsafe extern "system" fn window_proc(hwnd: HWND, msg: u32, wparam: WPARAM, lparam: LPARAM) -> LRESULT {
    // Nobody closes this window: the default handling of a stray WM_CLOSE would destroy it and
    // end the notifications without a word.
    if msg == WM_CLOSE {
        return 0;
    }
    if let (Some(event), Some(sink)) = (event_of(msg, wparam), SINK.get()) {
        // A panic cannot unwind through an `extern "system"` frame (the process would abort):
        // it is caught and reported, and the watcher goes on.
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sink(event))).is_err() {
            eprintln!("confidant: the sleep and screen-lock callback failed");
        }
    }
    // SAFETY: hands Windows back exactly the message it gave us, for the default handling
    // (which answers TRUE to every WM_POWERBROADCAST).
    unsafe { DefWindowProcW(hwnd, msg, wparam, lparam) }
}
