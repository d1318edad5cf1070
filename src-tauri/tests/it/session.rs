//! The shell's own lock (suspend / screen lock) drops the key and tells the UI.

use std::sync::mpsc;
use std::time::Duration;

use confidant_app::events::LockReason;
use serde_json::json;
use tauri::Listener;

use crate::util::TestApp;

#[test]
fn lock_now_locks_and_emits_vault_locked() {
    let t = TestApp::new();
    t.create();
    let (tx, rx) = mpsc::channel();
    t.app.listen_any("vault-locked", move |e| {
        let _ = tx.send(e.payload().to_owned());
    });
    confidant_app::session_watch::lock_now(t.app.handle(), LockReason::Suspend);
    let payload = rx.recv_timeout(Duration::from_secs(10)).expect("vault-locked is emitted");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&payload).unwrap(), json!({ "reason": "suspend" }));
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(false));
    assert_eq!(t.code("list_clients", json!({ "filter": { "status": null, "query": null } })), "locked");

    // Already locked: nothing to announce.
    confidant_app::session_watch::lock_now(t.app.handle(), LockReason::ScreenLock);
    assert!(rx.recv_timeout(Duration::from_millis(500)).is_err());
}

#[test]
fn request_lock_asks_the_ui_first_then_locks_after_the_grace() {
    let t = TestApp::new();
    t.create();
    let (tx, rx) = mpsc::channel();
    let tx2 = tx.clone();
    t.app.listen_any("lock-requested", move |e| {
        let _ = tx.send(("lock-requested", e.payload().to_owned()));
    });
    t.app.listen_any("vault-locked", move |e| {
        let _ = tx2.send(("vault-locked", e.payload().to_owned()));
    });
    confidant_app::session_watch::request_lock(t.app.handle(), LockReason::ScreenLock);
    let (name, payload) = rx.recv_timeout(Duration::from_secs(10)).expect("lock-requested is emitted");
    assert_eq!(name, "lock-requested");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&payload).unwrap(), json!({ "reason": "screen_lock" }));
    // The UI gets time to save a draft: the vault is still open right after the request.
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(true));
    let (name, _) = rx.recv_timeout(Duration::from_secs(10)).expect("the shell locks after the grace");
    assert_eq!(name, "vault-locked");
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(false));
}

#[test]
fn the_idle_backstop_locks_on_the_wall_clock_unless_the_ui_reported_input() {
    use confidant_app::state::AppState;
    use tauri::Manager;
    let t = TestApp::new();
    t.create();
    let (tx, rx) = mpsc::channel();
    t.app.listen_any("vault-locked", move |e| {
        let _ = tx.send(e.payload().to_owned());
    });
    let now = chrono::Utc::now();
    let later = |minutes: i64| now + chrono::Duration::minutes(minutes);
    // Unlocking counts as input; 10 minutes (the default) plus the grace are not over yet.
    assert!(!confidant_app::idle_watch::tick(t.app.handle(), later(10)));
    // Input reported by the UI moves the clock on.
    t.ok("activity", json!({}));
    let state = t.app.state::<AppState>();
    let last = *state.last_input.lock().unwrap();
    assert!(last >= now);
    // Four hours later (a closed laptop): the shell asks the UI, then locks by itself.
    assert!(confidant_app::idle_watch::tick(t.app.handle(), later(240)));
    let payload = rx.recv_timeout(Duration::from_secs(10)).expect("the backstop locks");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&payload).unwrap(), json!({ "reason": "idle" }));
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(false));
    // Locked: nothing more to do.
    assert!(!confidant_app::idle_watch::tick(t.app.handle(), later(480)));
}

#[test]
fn the_search_index_is_tidied_only_in_a_pause_and_only_while_unlocked() {
    use confidant_app::state::AppState;
    use tauri::Manager;
    let t = TestApp::new();
    t.create();
    // Every save is a segment of its own in the index (nothing merges inside a save).
    for i in 0..8 {
        t.create_client(&format!("Tova{i}"));
    }
    let search = json!({ "query": { "text": "tova", "client_id": null, "limit": 50, "oldest_first": false } });
    let before = t.ok("search", search.clone());
    let tick = || tauri::async_runtime::block_on(confidant_app::index_upkeep::tick(t.app.handle()));
    // Just typed: nothing runs.
    t.ok("activity", json!({}));
    assert_eq!(tick(), 0);
    // A pause: the index is merged, then there is nothing left to do.
    let state = t.app.state::<AppState>();
    *state.last_input.lock().unwrap() = chrono::Utc::now() - chrono::Duration::seconds(10);
    assert!(tick() >= 1, "the pause is used");
    assert_eq!(tick(), 1, "one look that finds nothing more");
    assert_eq!(t.ok("search", search)["hits"], before["hits"], "the same answers");
    // Locked: no slice runs.
    confidant_app::session_watch::lock_now(t.app.handle(), LockReason::Idle);
    assert_eq!(tick(), 0);
}
