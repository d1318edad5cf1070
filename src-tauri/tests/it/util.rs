//! A mock-runtime app with the real commands, ACL (from tauri.conf.json and capabilities) and
//! a vault folder in a temporary directory.

use std::path::PathBuf;

use confidant_app::app::{configure, Background};
use confidant_app::state::AppState;
use confidant_core::{Argon2Params, KdfChoice, Keyring};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};
use tempfile::TempDir;

/// A passphrase the strength check accepts.
pub const PASS: &str = "lingon tavla regnbåge sextiosju";

/// The app, its main window and the folder it keeps its vault in.
pub struct TestApp {
    pub app: App<MockRuntime>,
    pub main: WebviewWindow<MockRuntime>,
    pub tmp: TempDir,
}

impl TestApp {
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let store = keyring_core::mock::Store::new().unwrap();
        let state = AppState::new(
            tmp.path().join("vault"),
            KdfChoice::Fixed(Argon2Params::MINIMUM),
            Box::new(move || Ok(Keyring::with_store(store.clone(), "confidant-shell-test"))),
        );
        let app = configure(mock_builder(), confidant_app::specta_builder!(MockRuntime), state, Background::default())
            .build(tauri::generate_context!())
            .expect("the app builds");
        // `setup` only runs once the event loop starts, which the mock app never does.
        confidant_app::specta_builder!(MockRuntime).mount_events(&app);
        let main = match app.get_webview_window("main") {
            Some(w) => w,
            None => WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap(),
        };
        TestApp { app, main, tmp }
    }

    pub fn vault_dir(&self) -> PathBuf {
        self.tmp.path().join("vault")
    }

    pub fn window(&self, label: &str) -> WebviewWindow<MockRuntime> {
        WebviewWindowBuilder::new(&self.app, label, Default::default()).build().unwrap()
    }

    /// Invokes `cmd` from the main window.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.main, cmd, args)
    }

    /// Invokes and expects success.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Invokes and returns the error's `code`.
    pub fn code(&self, cmd: &str, args: Value) -> String {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} succeeded with {v}, expected an error"),
            Err(e) => e["code"].as_str().unwrap_or_else(|| panic!("{cmd}: not an IpcError: {e}")).to_owned(),
        }
    }

    /// Creates the vault through the command; returns the recovery key.
    pub fn create(&self) -> String {
        self.ok("create_vault", json!({ "passphrase": PASS })).as_str().unwrap().to_owned()
    }

    /// Adds a client and returns its id.
    pub fn create_client(&self, name: &str) -> i64 {
        let c = self.ok("create_client", json!({ "input": client_input(name) }));
        c["id"].as_i64().unwrap()
    }
}

/// Invokes `cmd` as if the webview of `window` had called it.
pub fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let url = if cfg!(any(windows, target_os = "android")) { "http://tauri.localhost" } else { "tauri://localhost" };
    let req = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: url.parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, req).map(|b| b.deserialize::<Value>().unwrap())
}

/// The app's commands as declared in build.rs (the ACL's source of truth).
pub fn declared_commands() -> Vec<String> {
    let src = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/build.rs")).unwrap();
    let list = &src[src.find("const COMMANDS").unwrap()..];
    let list = &list[..list.find("];").unwrap()];
    list.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('"'))
        .map(|l| l.trim_matches(|c| c == '"' || c == ',').to_owned())
        .collect()
}

/// A complete `ClientInput` with only a given name.
pub fn client_input(given_name: &str) -> Value {
    json!({
        "given_name": given_name, "family_name": "Testsson", "date_of_birth": null, "national_id": null,
        "address": "", "email": "", "phones": [], "emergency_contact": null, "custom_fields": []
    })
}
