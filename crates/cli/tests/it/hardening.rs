//! The process itself: no core dumps of a CLI that may hold a key, and the cost of the
//! passphrase slot the product path writes.

use crate::support::Env;

#[cfg(target_os = "linux")]
fn proc_line(pid: u32, file: &str, prefix: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/{file}")).ok()?;
    text.lines().find(|l| l.starts_with(prefix)).map(str::to_owned)
}

/// The real user id of `pid` ("Uid:" in /proc/<pid>/status).
#[cfg(target_os = "linux")]
fn uid_of(pid: u32) -> Option<u32> {
    proc_line(pid, "status", "Uid:")?.split_whitespace().nth(1)?.parse().ok()
}

/// Linux shows no "dumpable" flag in /proc, but the kernel hands a non-dumpable process's
/// private /proc/<pid> entries (environ, mem, fd…) to root. So the CLI runs as an ordinary user (as `nobody` when the test
/// itself is root, from a copy of the binary that user can execute), waits for its passphrase
/// on stdin, and its /proc entry must belong to root while it runs.
#[cfg(target_os = "linux")]
#[test]
fn the_cli_runs_undumpable_with_a_zero_core_limit() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    use std::os::unix::process::CommandExt;

    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = dir.path().join("confidant");
    std::fs::copy(assert_cmd::cargo::cargo_bin("confidant"), &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = std::process::Command::new(&bin);
    cmd.arg("--vault")
        .arg(dir.path().join("vault"))
        .args(["--passphrase-stdin", "init"])
        .env_remove("CONFIDANT_ALLOW_CORE_DUMPS")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if uid_of(std::process::id()) == Some(0) {
        cmd.uid(65534).gid(65534);
    }
    let mut child = cmd.spawn().unwrap();
    let pid = child.id();
    // Hardening is main()'s first statement; the process then blocks reading its passphrase.
    // Poll rather than sleep: a process that never turns it off fails after the deadline.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let owner = || std::fs::metadata(format!("/proc/{pid}/environ")).ok().map(|m| m.uid());
    while owner() != Some(0) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let (runs_as, owned_by) = (uid_of(pid), owner());
    let limit = proc_line(pid, "limits", "Max core file size");
    let still_running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(still_running, "the CLI should have been waiting for its passphrase");
    assert_ne!(runs_as, Some(0), "the CLI must run as an ordinary user for this check");
    assert_eq!(owned_by, Some(0), "/proc/{pid}/environ of a non-dumpable process belongs to root");
    let limit = limit.unwrap();
    let fields: Vec<&str> = limit.split_whitespace().collect();
    // "Max core file size  0  0  bytes": soft and hard.
    assert_eq!(&fields[4..6], ["0", "0"], "{limit}");
}

#[test]
fn init_writes_a_256_mib_passphrase_slot() {
    let env = Env::new();
    env.init();
    let keys: serde_json::Value = serde_json::from_slice(&std::fs::read(env.vault.join("keys.json")).unwrap()).unwrap();
    let slot = keys["slots"].as_array().unwrap().iter().find(|s| s["kind"] == "passphrase").unwrap();
    assert_eq!(slot["kdf"]["alg"], "argon2id");
    assert_eq!(slot["kdf"]["m_cost_kib"], 256 * 1024, "{slot}");
    assert_eq!(slot["kdf"]["p_cost"], 1);
    let passes = slot["kdf"]["t_cost"].as_u64().unwrap();
    assert!((1..=8).contains(&passes), "{slot}");
}
