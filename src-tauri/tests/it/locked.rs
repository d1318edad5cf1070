//! Every data command refuses with `locked` while the vault is locked, and changes nothing.

use serde_json::{json, Value};

use crate::util::{client_input, TestApp};

/// Every command that reads or writes records, with valid arguments.
fn data_calls() -> Vec<(&'static str, Value)> {
    let entry = json!({ "kind": "session", "occurred_at": null, "duration_minutes": null, "title": "t", "body": "b",
                        "tags": [], "template_id": null });
    vec![
        ("profile", json!({})),
        (
            "set_profile",
            json!({ "profile": { "therapist_name": "A", "therapist_title": "", "practice_name": "", "practice_address": "",
                                 "language": "sv", "jurisdiction": "se_licensed" } }),
        ),
        ("list_clients", json!({ "filter": { "status": null, "query": null } })),
        ("get_client", json!({ "id": 1 })),
        ("create_client", json!({ "input": client_input("Ada") })),
        ("update_client", json!({ "id": 1, "input": client_input("Ada") })),
        ("set_client_status", json!({ "id": 1, "status": "archived" })),
        ("list_courses", json!({ "clientId": 1 })),
        (
            "create_course",
            json!({ "clientId": 1, "input": { "title": "c", "reason": "r", "start_date": "2026-01-01" } }),
        ),
        ("close_course", json!({ "courseId": 1, "endDate": "2026-02-01" })),
        ("list_entries", json!({ "clientId": 1 })),
        ("get_entry", json!({ "id": 1 })),
        ("create_entry", json!({ "courseId": 1, "input": entry.clone() })),
        ("update_draft", json!({ "id": 1, "input": entry })),
        ("sign_entry", json!({ "id": 1 })),
        ("amend_entry", json!({ "id": 1, "reason": "r", "title": "t", "body": "b", "tags": [] })),
        ("templates", json!({ "lang": "sv" })),
        ("template", json!({ "id": "builtin:soap", "lang": "sv" })),
        ("create_template", json!({ "name": "n", "body": "b" })),
        ("list_attachments", json!({ "to": { "type": "client", "id": 1 } })),
        ("attach_from_dialog", json!({ "to": { "type": "client", "id": 1 } })),
        ("save_attachment_copy", json!({ "id": 1, "fileName": "x.pdf" })),
        ("search", json!({ "query": { "text": "ada", "client_id": null, "limit": 10 } })),
        ("access_log", json!({ "clientId": null, "limit": 10 })),
        ("verify_access_log", json!({})),
        (
            "change_passphrase",
            json!({ "current": { "kind": "passphrase", "value": crate::util::PASS }, "next": "another fine long passphrase 42" }),
        ),
        ("regenerate_recovery_key", json!({ "current": { "kind": "passphrase", "value": crate::util::PASS } })),
        ("set_remembered", json!({ "on": true })),
        ("backup_status", json!({})),
        ("backup_history", json!({ "limit": 10 })),
        ("set_backup_target", json!({ "path": "/" })),
        ("backup_now", json!({ "onProgress": "__CHANNEL__:1" })),
        ("verify_backup", json!({ "file": "/x.age", "credential": null, "onProgress": "__CHANNEL__:1" })),
    ]
}

#[test]
fn data_commands_refuse_when_locked() {
    let t = TestApp::new();
    t.create();
    let id = t.create_client("Ada");
    assert_eq!(id, 1);
    t.ok("lock", json!({}));
    let before = std::fs::read(t.vault_dir().join("keys.json")).unwrap();
    for (cmd, args) in data_calls() {
        assert_eq!(t.code(cmd, args), "locked", "{cmd} must refuse while locked");
    }
    assert_eq!(std::fs::read(t.vault_dir().join("keys.json")).unwrap(), before, "no key change while locked");
    // Still there after unlocking: nothing was lost or added.
    t.ok("unlock", json!({ "credential": { "kind": "passphrase", "value": crate::util::PASS } }));
    let clients = t.ok("list_clients", json!({ "filter": { "status": null, "query": null } }));
    assert_eq!(clients.as_array().unwrap().len(), 1);
}

#[test]
fn commands_on_a_missing_vault_say_so() {
    let t = TestApp::new();
    assert_eq!(t.code("list_clients", json!({ "filter": { "status": null, "query": null } })), "vault_not_found");
    assert_eq!(t.code("unlock", json!({ "credential": { "kind": "passphrase", "value": "x" } })), "vault_not_found");
    // Locking with no vault is harmless.
    t.ok("lock", json!({}));
    assert!(!t.vault_dir().exists(), "nothing is created by asking");
}
