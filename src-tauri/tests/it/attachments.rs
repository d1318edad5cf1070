//! Attachments: only dropped paths are accepted, previews stream through the protocol only
//! while unlocked and only to the main window, and copies are written whole.

use confidant_app::protocol::serve;
use confidant_app::state::{lock_inner, AppState};
use confidant_core::demo::sample_pdf;
use serde_json::json;
use tauri::http::{header, Request, StatusCode};
use tauri::Manager;

use crate::util::TestApp;

fn get(uri: &str) -> Request<Vec<u8>> {
    Request::builder().uri(uri).body(Vec::new()).unwrap()
}

/// A vault with one client and a PDF attached by a simulated drop; returns the attachment id.
fn with_pdf(t: &TestApp) -> i64 {
    t.create();
    let client = t.create_client("Ada");
    let file = t.tmp.path().join("remiss.pdf");
    std::fs::write(&file, sample_pdf()).unwrap();
    t.app.state::<AppState>().set_dropped(vec![file.clone()]);
    let added = t.ok("attach_paths", json!({ "to": { "type": "client", "id": client }, "paths": [file] }));
    assert_eq!(added[0]["media_type"], json!("application/pdf"));
    added[0]["id"].as_i64().unwrap()
}

#[test]
fn paths_that_were_not_dropped_are_refused() {
    let t = TestApp::new();
    t.create();
    let client = t.create_client("Ada");
    let secret = t.tmp.path().join("other.pdf");
    std::fs::write(&secret, sample_pdf()).unwrap();
    let args = json!({ "to": { "type": "client", "id": client }, "paths": [secret] });
    assert_eq!(t.code("attach_paths", args), "validation");
    let listed = t.ok("list_attachments", json!({ "to": { "type": "client", "id": client } }));
    assert_eq!(listed, json!([]), "nothing was attached");

    // A drop is forgotten when the vault locks.
    t.app.state::<AppState>().set_dropped(vec![secret.clone()]);
    t.ok("lock", json!({}));
    t.ok("unlock", json!({ "credential": { "kind": "passphrase", "value": crate::util::PASS } }));
    let args = json!({ "to": { "type": "client", "id": client }, "paths": [secret] });
    assert_eq!(t.code("attach_paths", args), "validation");
}

#[test]
fn protocol_serves_only_the_main_window_while_unlocked() {
    let t = TestApp::new();
    let id = with_pdf(&t);
    let shared = t.app.state::<AppState>().shared();
    let uri = format!("attachment://localhost/{id}");

    let r = serve(&shared, "main", &get(&uri));
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(r.headers()[header::CACHE_CONTROL], "no-store");
    assert_eq!(r.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let csp = r.headers()[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(csp.starts_with("default-src 'none'"), "{csp}");
    assert_eq!(r.body(), &sample_pdf());

    assert_eq!(serve(&shared, "other", &get(&uri)).status(), StatusCode::FORBIDDEN);
    assert_eq!(serve(&shared, "main", &get("attachment://localhost/999")).status(), StatusCode::NOT_FOUND);
    assert_eq!(serve(&shared, "main", &get("attachment://localhost/../keys.json")).status(), StatusCode::NOT_FOUND);

    t.ok("lock", json!({}));
    let r = serve(&shared, "main", &get(&uri));
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.body().is_empty(), "no byte leaves a locked vault");
}

#[test]
fn a_saved_copy_is_complete_and_leaves_no_temp_files() {
    let t = TestApp::new();
    let id = with_pdf(&t);
    let out_dir = t.tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let dest = out_dir.join("copy.pdf");
    let shared = t.app.state::<AppState>().shared();
    {
        let mut g = lock_inner(&shared);
        let v = g.vault().unwrap();
        v.save_attachment_copy(id, &dest).unwrap();
        // A missing attachment fails without leaving anything behind.
        let e = v.save_attachment_copy(999, &out_dir.join("missing.pdf")).unwrap_err();
        assert_eq!(e.code(), confidant_core::Code::NotFound);
        v.lock();
        let e = v.save_attachment_copy(id, &out_dir.join("locked.pdf")).unwrap_err();
        assert_eq!(e.code(), confidant_core::Code::Locked);
    }
    assert_eq!(std::fs::read(&dest).unwrap(), sample_pdf());
    let names: Vec<String> =
        std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["copy.pdf".to_owned()]);
}
