//! Backups through the commands: target, backup with progress, history, verify, restore on a
//! fresh "machine", and the automatic task.

use confidant_app::state::AppState;
use serde_json::json;
use tauri::Manager;

use crate::util::{TestApp, PASS};

fn backups_in(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "age"))
        .collect()
}

/// A vault with one client and a chosen, remembered backup folder.
fn with_target(t: &TestApp) -> std::path::PathBuf {
    t.create();
    t.create_client("Ada");
    let target = t.tmp.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    let state = t.app.state::<AppState>();
    // A folder nobody picked is refused.
    assert_eq!(t.code("set_backup_target", json!({ "path": target })), "validation");
    state.set_chosen(Some(target.clone()));
    let s = t.ok("set_backup_target", json!({ "path": target }));
    assert!(s["backup"]["target"]["marker_id"].is_string());
    target
}

#[test]
fn backup_now_writes_a_verified_file_and_restore_brings_it_back() {
    let t = TestApp::new();
    let target = with_target(&t);
    assert_eq!(t.ok("backup_status", json!({}))["due_now"], json!(true));

    let report = t.ok("backup_now", json!({ "onProgress": "__CHANNEL__:1" }));
    let files = backups_in(&target);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0].file_name().unwrap().to_str().unwrap(), report["file_name"].as_str().unwrap());
    let history = t.ok("backup_history", json!({ "limit": 10 }));
    assert_eq!(history[0]["status"], json!("verified"));
    assert_eq!(t.ok("backup_status", json!({}))["due_now"], json!(false));

    // Verify with the unlocked vault's key, but only a file picked in the dialog.
    let file = files[0].clone();
    let args = json!({ "file": file, "credential": null, "onProgress": "__CHANNEL__:2" });
    assert_eq!(t.code("verify_backup", args.clone()), "validation");
    t.app.state::<AppState>().set_chosen(Some(file.clone()));
    assert!(t.ok("verify_backup", args)["rows"].as_u64().unwrap() > 0);

    // A fresh machine: no vault, restore with the passphrase only.
    let fresh = TestApp::new();
    fresh.app.state::<AppState>().set_chosen(Some(file.clone()));
    let wrong = json!({ "file": file, "credential": { "kind": "passphrase", "value": "not it, not it at all" },
                        "replace": false, "onProgress": "__CHANNEL__:3" });
    assert_eq!(fresh.code("restore_backup", wrong), "wrong_passphrase");
    assert!(!fresh.vault_dir().join("vault.db").exists(), "a failed restore leaves nothing");
    let status = fresh.ok(
        "restore_backup",
        json!({ "file": file, "credential": { "kind": "passphrase", "value": PASS }, "replace": false,
                "onProgress": "__CHANNEL__:4" }),
    );
    assert_eq!(status["info"]["unlocked"], json!(true));
    let clients = fresh.ok("list_clients", json!({ "filter": { "status": null, "query": null } }));
    assert_eq!(clients[0]["given_name"], json!("Ada"));

    // Over an existing vault only when asked to replace it.
    let again = json!({ "file": file, "credential": { "kind": "passphrase", "value": PASS }, "replace": false,
                        "onProgress": "__CHANNEL__:5" });
    assert_eq!(fresh.code("restore_backup", again), "restore_target_exists");
}

#[test]
fn backup_without_the_disk_says_target_missing_and_records_it() {
    let t = TestApp::new();
    let target = with_target(&t);
    std::fs::remove_dir_all(&target).unwrap();
    assert_eq!(t.code("backup_now", json!({ "onProgress": "__CHANNEL__:1" })), "backup_target_missing");
    assert_eq!(t.ok("backup_history", json!({ "limit": 10 }))[0]["status"], json!("failed"));
}

#[test]
fn the_automatic_task_backs_up_only_when_unlocked_and_due() {
    let t = TestApp::new();
    let target = with_target(&t);
    let handle = t.app.handle().clone();
    t.ok("lock", json!({}));
    tauri::async_runtime::block_on(confidant_app::backup_task::tick(&handle));
    assert!(backups_in(&target).is_empty(), "no backup while locked");

    t.ok("unlock", json!({ "credential": { "kind": "passphrase", "value": PASS } }));
    tauri::async_runtime::block_on(confidant_app::backup_task::tick(&handle));
    assert_eq!(backups_in(&target).len(), 1, "due and the disk is there: one backup");
    tauri::async_runtime::block_on(confidant_app::backup_task::tick(&handle));
    assert_eq!(backups_in(&target).len(), 1, "not due again right away");
}

#[test]
fn cancel_stops_the_running_backup_and_is_harmless_otherwise() {
    let t = TestApp::new();
    with_target(&t);
    // Nothing running: nothing happens.
    t.ok("cancel_backup", json!({}));
    // A running backup's token is the one cancelled.
    let state = t.app.state::<AppState>();
    let token = confidant_core::CancelToken::new();
    *state.backup_job.lock().unwrap() = Some(token.clone());
    t.ok("cancel_backup", json!({}));
    assert_eq!(token.reason(), Some(confidant_core::CancelReason::Person));
    *state.backup_job.lock().unwrap() = None;
    // A backup run afterwards is not affected, and forgets its token when done.
    t.ok("backup_now", json!({ "onProgress": "__CHANNEL__:1" }));
    assert!(state.backup_job.lock().unwrap().is_none());
}
