//! Backup, verify and restore from the command line, the documented no-lock-in recovery with
//! the reference `age` CLI and an independent SQLCipher 4 reader, and interop both ways.

use std::path::{Path, PathBuf};
use std::process::Command;

use confidant_core::{demo, Argon2Params, KdfChoice, Passphrase, Vault};

use crate::support::{regex_escape, settings, Env, PASS};

/// A vault made through the core with the cheapest Argon2 cost (the CLI calibrates, which is
/// slow), filled with the demo records. Returns the recovery key.
pub fn fast_vault(env: &Env) -> String {
    let (mut v, rk) =
        Vault::create(&env.vault, &Passphrase::from(PASS), KdfChoice::Fixed(Argon2Params::MINIMUM)).unwrap();
    demo::populate(&mut v).unwrap();
    rk.display().to_string()
}

pub fn finals(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(".age") && !n.starts_with('.')
        })
        .collect();
    v.sort();
    v
}

/// Whether this run is CI (`CI` set and not empty).
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// A required external tool: its absence fails in CI and skips (with the reason) elsewhere.
pub fn tool(name: &str, path: Option<String>) -> Option<String> {
    let cmd = path.unwrap_or_else(|| name.to_owned());
    let found = Command::new(&cmd).arg("--version").output().is_ok_and(|o| o.status.success());
    if found {
        return Some(cmd);
    }
    let msg = format!("{name} not found (install: scripts/install-system-deps.sh and scripts/install-test-tools.sh)");
    if ci() {
        panic!("{msg} (CI is set, so this fails instead of skipping)");
    }
    // Straight to stderr, past the test harness's capture, so the skip is seen.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {msg}");
    None
}

#[test]
fn backup_verify_restore_from_the_command_line() {
    let env = Env::new();
    fast_vault(&env);
    let target = env.dir.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    let mut s = settings(&env);
    s.add_filter(&regex_escape(&target.display().to_string()), "[TARGET]");
    s.add_filter(&regex_escape(&env.dir.path().display().to_string()), "[TMP]");
    s.add_filter(r"confidant-[0-9a-f]{8}-\d{8}T\d{6}Z\.age", "[BACKUP].age");
    s.add_filter(r"\d+\.\d MB", "[SIZE]");
    s.add_filter(r"vault [0-9a-f-]{36}", "vault [ID]");
    s.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( UTC)?", "[TIME]");
    s.add_filter(r"before-restore-\d{8}T\d{6}Z", "before-restore-[TIME]");
    s.add_filter(r"Confidant \d+\.\d+\.\d+", "Confidant [VERSION]");
    s.add_filter(r"\d+\.\d s", "[SECONDS]");
    let _g = s.bind_to_scope();

    // No target yet: a clear error and exit code 1.
    insta::assert_snapshot!("backup_no_target", env.fails(&["backup"], Some(&format!("{PASS}\n"))));
    insta::assert_snapshot!("backup_set_target", env.ok(&["backup", "set-target", target.to_str().unwrap()]));
    insta::assert_snapshot!("backup_run", env.ok(&["backup"]));
    let files = finals(&target);
    assert_eq!(files.len(), 1);
    insta::assert_snapshot!("backup_status", env.ok(&["backup", "status"]));
    insta::assert_snapshot!("backup_history", env.ok(&["backup", "history"]));
    insta::assert_snapshot!("backup_verify", env.ok(&["verify", files[0].to_str().unwrap()]));

    // Progress goes to stderr with --progress.
    let out = env.run(&["backup", "--progress", "--target", target.to_str().unwrap()], Some(&format!("{PASS}\n")));
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for phase in ["snapshot", "write", "verify"] {
        assert!(err.contains(phase) && err.contains("100%"), "progress for {phase}: {err}");
    }

    // The second backup of the day replaced the first (rotation keeps one per day).
    let files = finals(&target);
    assert_eq!(files.len(), 1);

    // Restore: refused over the vault without --replace, then into a fresh folder.
    let f = files[0].to_str().unwrap();
    insta::assert_snapshot!("restore_exists", env.fails(&["restore", f], Some(&format!("{PASS}\n"))));
    let fresh = env.dir.path().join("fresh");
    let out = Command::new(assert_cmd::cargo::cargo_bin("confidant"))
        .args(["--vault", fresh.to_str().unwrap(), "--passphrase-stdin", "restore", f])
        .env("CONFIDANT_KEYRING_NAMESPACE", "confidant-cli-test-none")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(format!("{PASS}\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::assert_snapshot!("restore_fresh", String::from_utf8_lossy(&out.stdout));
    insta::assert_snapshot!("restore_replace", env.ok(&["restore", "--replace", f]));
    assert!(env.ok(&["client", "list"]).contains("Lindqvist"));

    // A damaged file: exit code 1 and the failing check named.
    let mut bytes = std::fs::read(&files[0]).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 0x40;
    let bad = env.dir.path().join("bad.age");
    std::fs::write(&bad, &bytes).unwrap();
    insta::assert_snapshot!(
        "verify_damaged",
        env.fails(&["verify", bad.to_str().unwrap()], Some(&format!("{PASS}\n")))
    );
}

#[test]
fn documented_recovery_procedure_with_age_and_sqlcipher() {
    let Some(age) = tool("age", None) else { return };
    let Some(python) = tool("python (CONFIDANT_TEST_PYTHON)", std::env::var("CONFIDANT_TEST_PYTHON").ok()) else {
        return;
    };
    let env = Env::new();
    let rk = fast_vault(&env);
    let target = env.dir.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    env.ok(&["backup", "--target", target.to_str().unwrap()]);
    let file = finals(&target).remove(0);

    // Step 1: `confidant backup identity > identity.txt`, with the recovery key only.
    let out = env.run(&["--recovery-key", "backup", "identity"], Some(&format!("{rk}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WARNING"));
    let identity = env.dir.path().join("identity.txt");
    std::fs::write(&identity, &out.stdout).unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let key_hex = text
        .lines()
        .find_map(|l| l.split("x'").nth(1).map(|r| r.split('\'').next().unwrap().to_owned()))
        .expect("key line");
    let recipient = text.lines().find_map(|l| l.strip_prefix("# public key: ")).unwrap().to_owned();
    // The passphrase gives the same identity.
    let again = env.ok(&["backup", "identity"]);
    assert_eq!(again, text);

    // Step 2: `age -d -i identity.txt FILE | tar x`, with the reference tools only.
    let out_dir = env.dir.path().join("recovered");
    std::fs::create_dir(&out_dir).unwrap();
    let st = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" -d -i "$1" "$2" | tar -x -C "$3""#)
        .args([&age, identity.to_str().unwrap(), file.to_str().unwrap(), out_dir.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let mut names: Vec<String> =
        std::fs::read_dir(&out_dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["keys.json", "manifest.json", "settings.json", "vault.db"]);

    // Step 3: open vault.db with an independent SQLCipher 4 (Python sqlcipher3).
    let script = r#"
import sys, sqlcipher3
c = sqlcipher3.connect(sys.argv[1])
c.execute("PRAGMA key = \"x'%s'\"" % sys.argv[2])
print(c.execute("PRAGMA cipher_integrity_check").fetchall())
print(c.execute("PRAGMA integrity_check").fetchone()[0])
print(c.execute("SELECT count(*) FROM client").fetchone()[0])
print(",".join(r[0] for r in c.execute("SELECT family_name FROM client ORDER BY id")))
"#;
    let out = Command::new(&python)
        .args(["-c", script, out_dir.join("vault.db").to_str().unwrap(), &key_hex])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines[0], "[]", "cipher_integrity_check");
    assert_eq!(lines[1], "ok");
    let mut v = Vault::open(&env.vault).unwrap();
    v.unlock(&confidant_core::Credential::Passphrase(Passphrase::from(PASS))).unwrap();
    let clients = v.list_clients(&Default::default()).unwrap();
    assert_eq!(lines[2], clients.len().to_string());
    assert!(lines[3].contains("Lindqvist"), "{}", lines[3]);
    // A wrong key does not open it.
    let out = Command::new(&python)
        .args(["-c", script, out_dir.join("vault.db").to_str().unwrap(), &"00".repeat(32)])
        .output()
        .unwrap();
    assert!(!out.status.success());

    // The other direction: the reference CLI encrypts to our recipient; our decryptor opens it.
    let plain = env.dir.path().join("payload.tar");
    let st = Command::new("sh")
        .arg("-c")
        .arg(r#""$0" -d -i "$1" -o "$2" "$3""#)
        .args([&age, identity.to_str().unwrap(), plain.to_str().unwrap(), file.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let theirs = env.dir.path().join("theirs.age");
    let st = Command::new(&age)
        .args(["-r", &recipient, "-o", theirs.to_str().unwrap(), plain.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(st.success());
    let id = v.backup_identity().unwrap();
    let f = std::io::BufReader::new(std::fs::File::open(&theirs).unwrap());
    let mut r = confidant_core::backup::open_age(f, &[&id]).unwrap();
    let mut back = Vec::new();
    std::io::Read::read_to_end(&mut r, &mut back).unwrap();
    assert_eq!(back, std::fs::read(&plain).unwrap());
    drop(v);
    // And `confidant verify` checks that file completely too (keys from the local vault).
    let out = env.ok(&["verify", theirs.to_str().unwrap()]);
    assert!(out.starts_with("Backup verified"), "{out}");
}
