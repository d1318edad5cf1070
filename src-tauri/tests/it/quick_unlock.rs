//! The day's PIN through the commands, as the UI drives them: set after a full unlock, unlock
//! after a lock, wrong PINs counted by the core, forgotten on request. The PIN never travels
//! back out.

use serde_json::json;

use crate::util::TestApp;

const PIN: &str = "583920";

fn pin(p: &str) -> serde_json::Value {
    json!({ "pin": p })
}

#[test]
fn set_lock_unlock_with_the_pin_count_wrong_ones_and_forget() {
    let t = TestApp::new();
    t.create();
    // "For 4 hours", so the test does not depend on the time of day.
    let mut s = t.ok("settings", json!({}));
    s["quick_unlock"] = json!({ "kind": "for_hours", "hours": 4 });
    t.ok("update_settings", json!({ "settings": s, "confirmed": false }));
    assert_eq!(t.code("set_quick_unlock", pin("123456")), "validation");
    let st = t.ok("set_quick_unlock", pin(PIN));
    assert!(st["active_until"].is_string(), "{st}");
    assert_eq!(st["attempts_left"], json!(3));

    t.ok("lock", json!({}));
    let status = t.ok("app_status", json!({}));
    assert_eq!(status["info"]["unlocked"], json!(false));
    assert!(status["quick_unlock"]["active_until"].is_string(), "the lock screen learns a PIN is kept");
    assert!(!status.to_string().contains(PIN), "the PIN never travels out");

    assert_eq!(t.code("unlock_with_pin", pin("583921")), "wrong_pin");
    assert_eq!(t.ok("app_status", json!({}))["quick_unlock"]["attempts_left"], json!(2));
    assert_eq!(t.ok("unlock_with_pin", pin(PIN)), json!("pin"));
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(true));
    // Opened by PIN: a new PIN needs the passphrase first.
    assert_eq!(t.code("set_quick_unlock", pin("902746")), "quick_unlock_unavailable");

    // "Lock, passphrase next time".
    t.ok("forget_quick_unlock", json!({}));
    t.ok("lock", json!({}));
    assert_eq!(t.ok("app_status", json!({}))["quick_unlock"]["active_until"], json!(null));
    assert_eq!(t.code("unlock_with_pin", pin(PIN)), "quick_unlock_unavailable");
}

#[test]
fn three_wrong_pins_then_only_the_passphrase() {
    let t = TestApp::new();
    t.create();
    let mut s = t.ok("settings", json!({}));
    s["quick_unlock"] = json!({ "kind": "for_hours", "hours": 1 });
    t.ok("update_settings", json!({ "settings": s, "confirmed": false }));
    t.ok("set_quick_unlock", pin(PIN));
    t.ok("lock", json!({}));
    assert_eq!(t.code("unlock_with_pin", pin("111112")), "wrong_pin");
    assert_eq!(t.code("unlock_with_pin", pin("111113")), "wrong_pin");
    assert_eq!(t.code("unlock_with_pin", pin("111114")), "pin_attempts_used_up");
    assert_eq!(t.code("unlock_with_pin", pin(PIN)), "quick_unlock_unavailable");
    assert_eq!(t.ok("vault_info", json!({}))["unlocked"], json!(false));
    // While locked, the rule cannot be changed (nobody turns it back on from the lock screen).
    let mut s = t.ok("settings", json!({}));
    s["quick_unlock"] = json!({ "kind": "for_hours", "hours": 12 });
    assert_eq!(t.code("update_settings", json!({ "settings": s, "confirmed": false })), "locked");
}
