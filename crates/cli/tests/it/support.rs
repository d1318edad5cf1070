//! Running the binary against a temporary vault.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

pub const PASS: &str = "lingon tavla regnbåge sextiosju";
pub const PASS2: &str = "fjäril kompass vinterbad nittiotre";

pub struct Env {
    pub dir: tempfile::TempDir,
    pub vault: PathBuf,
    namespace: String,
}

impl Env {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let namespace = format!("confidant-cli-test-{}", std::process::id());
        Env { dir, vault, namespace }
    }

    /// Runs `confidant --vault <vault> args…` with `stdin` (when given, --passphrase-stdin is added).
    pub fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let mut cmd = assert_cmd::Command::cargo_bin("confidant").unwrap();
        cmd.arg("--vault").arg(&self.vault);
        if stdin.is_some() {
            cmd.arg("--passphrase-stdin");
        }
        cmd.args(args)
            .env("CONFIDANT_KEYRING_NAMESPACE", &self.namespace)
            .env_remove("CONFIDANT_VAULT")
            .env("TZ", "UTC");
        if let Some(s) = stdin {
            cmd.write_stdin(s.to_owned());
        }
        cmd.output().unwrap()
    }

    /// Runs with the passphrase on stdin and expects success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args, Some(&format!("{PASS}\n")));
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects failure; returns stderr.
    pub fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert_eq!(out.status.code(), Some(1), "{args:?} should fail with exit code 1");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "one line on stderr, got: {err}");
        assert!(!err.contains("panicked") && !err.contains("backtrace"));
        err
    }

    /// Creates the vault and returns the recovery key it printed.
    pub fn init(&self) -> String {
        let out = self.run(&["init"], Some(&format!("{PASS}\n")));
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        recovery_key_in(&String::from_utf8(out.stdout).unwrap())
    }

    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        files(&self.vault)
    }
}

pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.map(|e| {
                let e = e.unwrap();
                (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap())
            })
            .collect()
        })
        .unwrap_or_default()
}

pub fn recovery_key_in(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.len() == 44 && w.split('-').count() == 9)
        .unwrap_or_else(|| panic!("no recovery key in: {text}"))
        .to_owned()
}

/// Redacts what changes between runs so snapshots compare behaviour.
pub fn settings(env: &Env) -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(&regex_escape(&env.vault.display().to_string()), "[VAULT]");
    s.add_filter(r"\b[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){8}\b", "[RECOVERY-KEY]");
    s.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[TIME]");
    s.add_filter(r"sha256 [0-9a-f]{16}", "sha256 [HASH]");
    s.add_filter(r"\d+ entries, chain intact", "[N] entries, chain intact");
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

pub fn regex_escape(s: &str) -> String {
    s.chars().flat_map(|c| if "\\.+*?()|[]{}^$".contains(c) { vec!['\\', c] } else { vec![c] }).collect()
}
