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
        // Added since: sessions, invoices, measures, the day, rights and registers.
        ("client_history", json!({ "clientId": 1 })),
        ("logbook", json!({ "clientId": 1 })),
        ("recent_entries", json!({ "clientId": 1, "count": 5 })),
        ("attach_paths", json!({ "to": { "type": "client", "id": 1 }, "paths": ["/x.pdf"] })),
        ("day", json!({ "from": NOW, "to": LATER })),
        ("appointments", json!({ "clientId": 1 })),
        ("note_session", json!({ "clientId": 1 })),
        ("calendar", json!({ "from": NOW, "to": LATER })),
        ("uninvoiced_appointments", json!({})),
        ("plan_appointment", json!({ "clientId": 1, "input": appointment() })),
        ("update_appointment", json!({ "id": 1, "input": appointment() })),
        ("record_attendance", json!({ "id": 1, "attendance": "attended" })),
        ("set_appointment_fee", json!({ "id": 1, "fee": 100 })),
        ("remove_appointment", json!({ "id": 1 })),
        ("start_appointment_note", json!({ "id": 1, "templateId": null, "lang": "sv" })),
        ("billing", json!({})),
        (
            "set_billing",
            json!({ "billing": { "org_number": "", "vat_number": "", "f_skatt": false, "bankgiro": "", "plusgiro": "",
                                 "iban": "", "bic": "", "account": "", "payment_days": 30 } }),
        ),
        ("invoices", json!({ "clientId": null })),
        ("create_invoice", json!({ "clientId": 1, "sessions": [] })),
        ("save_invoice_draft", json!({ "id": 1, "input": { "buyer_name": "A", "buyer_address": "", "lines": [] } })),
        ("issue_invoice", json!({ "id": 1 })),
        ("credit_invoice", json!({ "id": 1, "reason": "r" })),
        ("record_payment", json!({ "id": 1, "payment": { "paid_on": TODAY, "amount": 1, "method": "swish" } })),
        ("delete_invoice_draft", json!({ "id": 1 })),
        ("invoice_pdf", json!({ "id": 1, "receipt": false, "folder": null })),
        ("accounting_csv", json!({ "from": TODAY, "to": TODAY, "folder": null })),
        ("old_invoices", json!({})),
        ("purge_old_invoices", json!({})),
        ("instruments", json!({ "lang": "sv" })),
        ("measures", json!({ "clientId": 1 })),
        (
            "record_measure",
            json!({ "clientId": 1, "input": { "instrument": "phq9", "taken_on": TODAY, "answers": [], "total": null } }),
        ),
        ("define_instrument", json!({ "input": instrument() })),
        ("update_instrument", json!({ "id": "custom-1", "input": instrument() })),
        ("retire_instrument", json!({ "id": "custom-1" })),
        ("consents", json!({ "clientId": 1 })),
        (
            "record_consent",
            json!({ "clientId": 1, "input": { "purpose": "referral", "body": "b", "text_version": "1", "given_on": TODAY,
                                              "given_how": "written", "evidence_id": null } }),
        ),
        ("withdraw_consent", json!({ "consentId": 1, "on": TODAY })),
        ("last_consent_text", json!({ "purpose": "referral" })),
        ("breaches", json!({})),
        ("breach_clocks", json!({})),
        ("record_breach", json!({ "input": breach() })),
        ("update_breach", json!({ "id": 1, "input": breach() })),
        ("mark_breach_notified", json!({ "id": 1, "at": NOW, "reference": "r", "delayReason": "" })),
        ("mark_breach_clients_informed", json!({ "id": 1, "at": NOW })),
        ("breach_notice", json!({ "id": 1, "folder": null })),
        ("breach_letters", json!({ "id": 1, "folder": null })),
        ("processing_record", json!({ "folder": null })),
        ("retention_clocks", json!({ "clientId": 1 })),
        ("due_for_deletion", json!({})),
        ("access_log_retention", json!({})),
        ("prune_access_log", json!({})),
        ("legal_holds", json!({ "clientId": 1 })),
        ("place_legal_hold", json!({ "clientId": 1, "reason": "complaint", "note": "" })),
        ("release_legal_hold", json!({ "holdId": 1 })),
        ("set_restriction", json!({ "clientId": 1, "restricted": true })),
        ("erasure_plan", json!({ "clientId": 1, "cause": { "cause": "retention" } })),
        (
            "erase",
            json!({ "clientId": 1, "cause": { "cause": "retention" }, "confirmed": [], "letter": false,
                    "onProgress": "__CHANNEL__:1" }),
        ),
        (
            "export_client",
            json!({ "request": { "client_id": 1, "identity_check": "ID", "withheld": [], "encrypt": false },
                    "folder": null, "onProgress": "__CHANNEL__:1" }),
        ),
        ("print_journal", json!({ "clientId": 1, "entryId": null, "folder": null })),
        ("referral_letter", json!({ "clientId": 1, "input": { "recipient": "r", "body": "b" }, "folder": null })),
        ("import_packages", json!({ "folder": "/tmp", "onProgress": "__CHANNEL__:1" })),
        ("successor", json!({})),
        (
            "set_successor",
            json!({ "current": { "kind": "passphrase", "value": crate::util::PASS }, "name": "N",
                    "to": { "kind": "passphrase", "value": "a long custodian passphrase 77" } }),
        ),
        ("remove_successor", json!({ "current": { "kind": "passphrase", "value": crate::util::PASS } })),
        (
            "rekey",
            json!({ "reason": "passphrase_known", "current": { "kind": "passphrase", "value": crate::util::PASS },
                    "next": null, "onProgress": "__CHANNEL__:1" }),
        ),
        ("set_quick_unlock", json!({ "pin": "482913" })),
    ]
}

const NOW: &str = "2026-12-03T09:00:00Z";
const LATER: &str = "2026-12-04T09:00:00Z";
const TODAY: &str = "2026-12-03";

fn appointment() -> Value {
    json!({ "course_id": null, "starts_at": NOW, "minutes": 50, "kind": "individual", "fee": null })
}

fn instrument() -> Value {
    json!({ "name": "n", "intro": null, "items": ["q"], "options": [], "min_answer": 0, "max_answer": 3,
            "reversed": [], "scoring": "sum", "max_score": null, "higher_is_worse": true, "bands": [],
            "reliable_change": 0, "flag_items": [] })
}

fn breach() -> Value {
    json!({ "discovered_at": NOW, "occurred_from": null, "occurred_to": null, "nature": ["availability"],
            "description": "d", "data_categories": ["health_notes"], "client_ids": [], "subjects_estimate": 0,
            "records_estimate": null, "consequences": "", "measures": "", "risk": "unlikely", "encrypted": true })
}

/// Commands that work without an unlocked vault, by design: creating, unlocking and locking
/// it, what the unlock screen and the settings show, the dialogs, the strength check, the
/// rules of a profile (law, not records), restoring a backup (which brings its own
/// credential), the demo, the idle and backup controls, the attachment URL prefix (a
/// constant), and what this build is.
const NOT_DATA: &[&str] = &[
    "app_status",
    "vault_info",
    "create_vault",
    "unlock",
    "unlock_remembered",
    "unlock_with_pin",
    "forget_quick_unlock",
    "lock",
    "settings",
    "update_settings",
    "about",
    "check_passphrase",
    "retention_rules",
    "list_volumes",
    "choose_backup_file",
    "choose_backup_folder",
    "choose_export_folder",
    "choose_import_folder",
    "restore_backup",
    "open_demo",
    "leave_demo",
    "activity",
    "cancel_backup",
    "attachment_url_base",
];

#[test]
fn every_command_is_either_a_data_command_checked_here_or_named_as_working_while_locked() {
    let mut covered: Vec<String> =
        data_calls().iter().map(|(c, _)| c.to_string()).chain(NOT_DATA.iter().map(|c| c.to_string())).collect();
    covered.sort();
    let before = covered.len();
    covered.dedup();
    assert_eq!(covered.len(), before, "a command is listed twice");
    let mut declared = crate::util::declared_commands();
    declared.sort();
    assert_eq!(covered, declared, "classify every new command: a data command in data_calls, or in NOT_DATA");
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
