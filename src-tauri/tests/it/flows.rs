//! Create → lock → unlock flows through the commands, as the UI drives them.

use serde_json::json;

use crate::util::{TestApp, PASS};

fn pass(p: &str) -> serde_json::Value {
    json!({ "credential": { "kind": "passphrase", "value": p } })
}

#[test]
fn create_lock_unlock_with_passphrase_and_recovery_key() {
    let t = TestApp::new();
    assert_eq!(
        t.ok("app_status", json!({})),
        json!({ "exists": false, "info": null, "demo": false, "quick_unlock": null })
    );
    let rk = t.create();
    assert!(rk.len() > 20, "the recovery key is returned once at creation");
    let status = t.ok("app_status", json!({}));
    assert_eq!(status["exists"], json!(true));
    assert_eq!(status["info"]["unlocked"], json!(true));
    assert!(!status.to_string().contains(&rk), "status never carries the recovery key");

    t.create_client("Ada");
    t.ok("lock", json!({}));
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(false), "lock drops the session");

    assert_eq!(t.code("unlock", pass("not the passphrase at all")), "wrong_passphrase");
    assert_eq!(t.ok("unlock", pass(PASS)), json!("passphrase"));
    t.ok("lock", json!({}));
    assert_eq!(
        t.code("unlock", json!({ "credential": { "kind": "recovery_key", "value": "nonsense" } })),
        "invalid_recovery_key"
    );
    assert_eq!(t.ok("unlock", json!({ "credential": { "kind": "recovery_key", "value": rk } })), json!("recovery_key"));
    let clients = t.ok("list_clients", json!({ "filter": { "status": null, "query": null } }));
    assert_eq!(clients[0]["given_name"], json!("Ada"));
}

#[test]
fn a_second_create_is_refused_and_keeps_the_vault() {
    let t = TestApp::new();
    t.create();
    t.create_client("Ada");
    assert_eq!(t.code("create_vault", json!({ "passphrase": PASS })), "vault_exists");
    assert_eq!(
        t.ok("list_clients", json!({ "filter": { "status": null, "query": null } })).as_array().unwrap().len(),
        1
    );
}

#[test]
fn weak_passphrase_is_refused_with_its_code() {
    let t = TestApp::new();
    assert_eq!(t.code("create_vault", json!({ "passphrase": "abc" })), "weak_passphrase");
    assert!(!t.vault_dir().join("keys.json").exists());
    let s = t.ok("check_passphrase", json!({ "candidate": "abc" }));
    assert_eq!(s["acceptable"], json!(false));
}

#[test]
fn regenerated_recovery_key_replaces_the_old_one() {
    let t = TestApp::new();
    let old = t.create();
    let new = t.ok("regenerate_recovery_key", json!({ "current": { "kind": "passphrase", "value": PASS } }));
    let new = new.as_str().unwrap().to_owned();
    assert_ne!(old, new);
    t.ok("lock", json!({}));
    assert_eq!(
        t.code("unlock", json!({ "credential": { "kind": "recovery_key", "value": old } })),
        "wrong_recovery_key"
    );
    t.ok("unlock", json!({ "credential": { "kind": "recovery_key", "value": new } }));
}

#[test]
fn remembered_unlock_through_the_keyring() {
    let t = TestApp::new();
    t.create();
    assert_eq!(t.ok("set_remembered", json!({ "on": true }))["remembered"], json!(true));
    t.ok("lock", json!({}));
    assert_eq!(t.ok("unlock_remembered", json!({})), json!("remembered"));
}

#[test]
fn demo_vault_opens_unlocked_with_fictional_clients() {
    let t = TestApp::new();
    let s = t.ok("open_demo", json!({}));
    assert_eq!(s["demo"], json!(true));
    assert_eq!(s["info"]["unlocked"], json!(true));
    let clients = t.ok("list_clients", json!({ "filter": { "status": null, "query": null } }));
    assert!(clients.as_array().unwrap().len() >= 3);
    assert!(!t.vault_dir().exists(), "the demo never touches the real vault folder");
    // Reopening after a lock uses the demo passphrase again.
    t.ok("lock", json!({}));
    assert_eq!(t.ok("open_demo", json!({}))["info"]["unlocked"], json!(true));

    // Creating the real vault from the demo puts it in the real folder, not over the demo.
    t.create();
    let s = t.ok("app_status", json!({}));
    assert_eq!(s["demo"], json!(false));
    assert!(t.vault_dir().join("keys.json").exists());
    assert_eq!(t.ok("list_clients", json!({ "filter": { "status": null, "query": null } })), json!([]));

    // Leaving the demo goes back to the real vault, locked.
    t.ok("open_demo", json!({}));
    let s = t.ok("leave_demo", json!({}));
    assert_eq!(
        (s["demo"].clone(), s["exists"].clone(), s["info"]["unlocked"].clone()),
        (json!(false), json!(true), json!(false))
    );
}

#[test]
fn settings_are_readable_while_locked() {
    let t = TestApp::new();
    t.create();
    t.ok("lock", json!({}));
    let mut s = t.ok("settings", json!({}));
    assert_eq!(s["auto_lock_minutes"], json!(10));
    s["auto_lock_minutes"] = json!(3);
    assert_eq!(t.ok("update_settings", json!({ "settings": s, "confirmed": false }))["auto_lock_minutes"], json!(3));
    s["auto_lock_minutes"] = json!(0);
    assert_eq!(t.code("update_settings", json!({ "settings": s, "confirmed": false })), "validation");
}

#[test]
fn while_locked_the_webview_cannot_move_or_thin_out_backups_through_settings() {
    let t = TestApp::new();
    t.create();
    t.ok("lock", json!({}));
    let s = t.ok("settings", json!({}));
    let mut fewer = s.clone();
    fewer["backup"]["retention"]["daily"] = json!(1);
    assert_eq!(t.code("update_settings", json!({ "settings": fewer, "confirmed": false })), "locked");
    let mut elsewhere = s.clone();
    elsewhere["backup"]["target"] =
        json!({ "path": "/tmp/attacker", "marker_id": "x", "volume_uuid": null, "relative_path": null, "label": "" });
    assert_eq!(t.code("update_settings", json!({ "settings": elsewhere, "confirmed": false })), "validation");
    assert_eq!(t.ok("settings", json!({})), s, "nothing was saved");
}

#[test]
fn keeping_only_the_newest_backup_is_saved_only_when_confirmed() {
    let t = TestApp::new();
    t.create();
    let mut s = t.ok("settings", json!({}));
    s["backup"]["retention"] = json!({ "daily": 0, "weekly": 0, "monthly": 0 });
    let e = t.call("update_settings", json!({ "settings": s, "confirmed": false })).unwrap_err();
    assert_eq!(e["code"], json!("validation"));
    assert_eq!(e["field"], json!({ "field": "backup.retention", "reason": "needs_confirmation" }));
    assert_eq!(t.ok("settings", json!({}))["backup"]["retention"]["daily"], json!(7));
    let saved = t.ok("update_settings", json!({ "settings": s, "confirmed": true }));
    assert_eq!(saved["backup"]["retention"], json!({ "daily": 0, "weekly": 0, "monthly": 0 }));
}
