//! Only the main window may call the app's commands (app manifest + capability).

use serde_json::json;

use crate::util::{declared_commands, invoke, TestApp};

#[test]
fn every_command_is_denied_from_another_window() {
    let t = TestApp::new();
    let other = t.window("other");
    let commands = declared_commands();
    assert!(commands.len() > 30, "the command list was not read: {commands:?}");
    for cmd in &commands {
        let err = invoke(&other, cmd, json!({})).expect_err(&format!("{cmd} must be denied to window 'other'"));
        let text = err.to_string();
        assert!(text.contains("not allowed"), "{cmd}: expected an ACL denial, got {text}");
    }
    // The same request from the main window gets through.
    assert_eq!(t.ok("app_status", json!({}))["exists"], json!(false));
}

#[test]
fn an_unknown_command_is_refused() {
    let t = TestApp::new();
    assert!(t.call("plugin:dialog|open", json!({})).is_err(), "the webview must not open dialogs itself");
    assert!(t.call("plugin:notification|notify", json!({})).is_err());
    assert!(t.call("no_such_command", json!({})).is_err());
}

#[test]
fn declared_commands_match_the_permission_set_and_the_bindings() {
    let mut declared = declared_commands();
    declared.sort();
    let perms = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/permissions/app-commands.toml")).unwrap();
    let mut allowed: Vec<String> = perms
        .lines()
        .filter_map(|l| l.trim().strip_prefix("\"allow-"))
        .map(|l| l.trim_end_matches(['"', ',']).replace('-', "_"))
        .collect();
    allowed.sort();
    assert_eq!(declared, allowed, "permissions/app-commands.toml must list every command in build.rs");

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bindings.ts");
    confidant_app::app::export_bindings(&path).unwrap();
    let ts = std::fs::read_to_string(path).unwrap();
    let mut bound: Vec<String> = ts
        .split("__TAURI_INVOKE")
        .filter(|s| s.starts_with("(\"") || s.starts_with('<'))
        .map(|s| {
            let s = &s[s.find("(\"").unwrap() + 2..];
            s[..s.find('"').unwrap()].to_owned()
        })
        .collect();
    bound.sort();
    bound.dedup();
    assert_eq!(declared, bound, "build.rs COMMANDS must match the commands registered with tauri-specta");
}

#[test]
fn the_bundle_identifier_is_the_cores_app_id() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json is JSON");
    assert_eq!(conf["identifier"], json!(confidant_core::paths::APP_ID));
    let id = confidant_core::paths::APP_ID;
    assert_eq!(id, id.to_lowercase(), "reverse DNS in lower case");
    assert!(id.split('.').count() >= 3 && !id.ends_with(".app"));
}

/// The webview's CSP: attachments load only as images and as the preview's `<object>`, never
/// as a frame; scripts only from the app's own files; no network but Tauri's IPC.
#[test]
fn the_csp_admits_attachments_only_as_images_and_objects() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).expect("tauri.conf.json is JSON");
    let csp = conf["app"]["security"]["csp"].as_object().expect("a CSP object");
    assert_eq!(csp["frame-src"], json!("'none'"));
    assert_eq!(csp["object-src"], json!("attachment: http://attachment.localhost"));
    assert_eq!(csp["img-src"], json!("'self' attachment: http://attachment.localhost"));
    assert_eq!(csp["script-src"], json!("'self'"));
    assert_eq!(csp["connect-src"], json!("ipc: http://ipc.localhost"));
    for (directive, value) in csp {
        if !matches!(directive.as_str(), "img-src" | "object-src") {
            assert!(!value.as_str().unwrap_or_default().contains("attachment"), "{directive} admits attachments");
        }
    }
}
