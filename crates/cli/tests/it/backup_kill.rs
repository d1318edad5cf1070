//! `kill -9` of `confidant backup` at random moments: the previous backup always verifies and
//! restores, and every file under a final name is complete and verifies. The seed is printed;
//! rerun with CONFIDANT_TEST_SEED to repeat a sequence.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use confidant_core::backup::{self, RestoreMode};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::{Credential, Passphrase, Vault};

use crate::backup::{fast_vault, finals};
use crate::support::{Env, PASS};

fn spawn_backup(env: &Env, target: &std::path::Path) -> std::process::Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("confidant"))
        .args(["--vault", env.vault.to_str().unwrap(), "--passphrase-stdin", "backup", "--target"])
        .arg(target)
        .env("CONFIDANT_KEYRING_NAMESPACE", "confidant-cli-test-kill")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    let _ = c.stdin.take().unwrap().write_all(format!("{PASS}\n").as_bytes());
    c
}

#[test]
fn kill_9_during_backup_never_harms_backups() {
    let env = Env::new();
    fast_vault(&env);
    {
        // A few MB of attachments so a backup takes long enough to be interrupted anywhere.
        let mut v = Vault::open(&env.vault).unwrap();
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        let client = v.list_clients(&Default::default()).unwrap()[0].id;
        let mut x = 7u64;
        for i in 0..3 {
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend((0..1_000_000).map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            }));
            v.attach_bytes(AttachTo::Client(client), &format!("scan{i}.png"), png.len() as u64, png.as_slice())
                .unwrap();
        }
    }
    let target = env.dir.path().join("usb");
    std::fs::create_dir(&target).unwrap();

    let t0 = Instant::now();
    let st = spawn_backup(&env, &target).wait().unwrap();
    assert!(st.success());
    let full = t0.elapsed();
    let key = {
        let mut v = Vault::open(&env.vault).unwrap();
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        v.database_key().unwrap()
    };

    let seed: u64 = std::env::var("CONFIDANT_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("kill -9: seed {seed}, one backup takes {full:?}");
    let mut x = seed | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let budget = full.as_micros() as u64 * 11 / 10;
    let mut completed = 0;
    for i in 0..50 {
        let mut child = spawn_backup(&env, &target);
        std::thread::sleep(Duration::from_micros(next() % budget.max(1)));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            completed += 1;
        }
        let files = finals(&target);
        assert!(!files.is_empty(), "iteration {i} (seed {seed}): no backup left");
        for f in &files {
            backup::verify_file_with_key(f, &key, &mut confidant_core::JobCtl::quiet())
                .unwrap_or_else(|e| panic!("iteration {i} (seed {seed}): {} fails: {e}", f.display()));
        }
    }
    eprintln!("kill -9: 50 runs, {completed} finished before the kill");
    // The next run cleans up whatever partial files the killed runs left.
    let out = env.run(&["backup", "--target", target.to_str().unwrap()], Some(&format!("{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let leftovers: Vec<_> = std::fs::read_dir(&target)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let snapshots: Vec<_> = std::fs::read_dir(&env.vault)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("snapshot"))
        .collect();
    assert!(snapshots.is_empty(), "killed runs' snapshots are cleaned by the next run: {snapshots:?}");
    let newest = finals(&target).pop().unwrap();
    let fresh = env.dir.path().join("fresh");
    backup::restore(
        &newest,
        &Credential::Passphrase(Passphrase::from(PASS)),
        &fresh,
        RestoreMode::New,
        &mut confidant_core::JobCtl::quiet(),
    )
    .unwrap();
    let mut v = Vault::open(&env.vault).unwrap();
    v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
}
