//! `kill -9` of `confidant rekey` at random moments: after every kill the vault opens (with
//! the old key or the new one, never neither), holds every row, and its access log verifies.
//! At least 50 runs are killed while still working; the seed is printed (CONFIDANT_TEST_SEED
//! repeats a sequence).

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use confidant_core::domain::attachments::AttachTo;
use confidant_core::{Credential, Passphrase, Vault};

use crate::backup::fast_vault;
use crate::backup_kill::{freeze_at, seed, xorshift, Moment};
use crate::support::{Env, PASS};

fn spawn(vault: &Path) -> Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("confidant"))
        .arg("--vault")
        .arg(vault)
        .args(["--passphrase-stdin", "rekey", "--reason", "recovery-lost", "--progress"])
        .env("CONFIDANT_KEYRING_NAMESPACE", "confidant-cli-test-rekey-kill")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the confidant binary runs");
    // One line to unlock, one to authorize the key change.
    let _ = c.stdin.take().unwrap().write_all(format!("{PASS}\n{PASS}\n").as_bytes());
    c
}

/// (database key as hex, client names, attachment digests) of the vault as it opens now.
fn state(dir: &Path) -> (String, Vec<String>) {
    let mut v = Vault::open(dir).unwrap_or_else(|e| panic!("the vault does not open: {e}"));
    v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap_or_else(|e| panic!("no key opens it: {e}"));
    v.verify_access_log().unwrap_or_else(|e| panic!("the access log fails: {e}"));
    let mut out = Vec::new();
    for c in v.list_clients(&Default::default()).unwrap() {
        out.push(format!("{} {}", c.given_name, c.family_name));
        for a in v.list_attachments(AttachTo::Client(c.id)).unwrap() {
            out.push(format!("{} {}", a.file_name, a.sha256));
        }
    }
    out.sort();
    (v.database_key().unwrap().to_hex().to_string(), out)
}

#[test]
fn kill_9_during_rekey_always_leaves_an_openable_vault_with_every_row() {
    let env = Env::new();
    fast_vault(&env);
    {
        // A few MB, so the re-encrypting copy takes long enough to be hit.
        let mut v = Vault::open(&env.vault).unwrap();
        v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap();
        let client = v.list_clients(&Default::default()).unwrap()[0].id;
        let mut x = 11u64;
        for i in 0..2 {
            let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
            png.extend((0..1_500_000).map(|_| xorshift(&mut x) as u8));
            v.attach_bytes(AttachTo::Client(client), &format!("scan{i}.png"), png.len() as u64, png.as_slice())
                .unwrap();
        }
    }
    let (mut key, expected) = state(&env.vault);

    let t0 = Instant::now();
    assert!(spawn(&env.vault).wait().unwrap().success());
    let full = t0.elapsed();
    let (k, rows) = state(&env.vault);
    assert_ne!(k, key, "a finished re-key changes the key");
    assert_eq!(rows, expected);
    key = k;

    let mut x = seed();
    eprintln!("rekey kill -9: one run takes {full:?}");
    let (mut killed, mut old, mut new, mut finished, mut mid_commit) = (0, 0, 0, 0, 0);
    let mut i = 0;
    while killed < 50 {
        i += 1;
        assert!(i <= 200, "only {killed} of {i} runs could be killed mid-way");
        // `commit 60%`: the new files are staged, the commit marker not yet written; `commit 80%`:
        // just past the commit point, while the files are being renamed into place.
        let moment = match xorshift(&mut x) % 12 {
            0..=2 => Moment::Progress("reencrypt", [0, 25][(xorshift(&mut x) % 2) as usize]),
            3..=4 => Moment::Progress("verify", [50, 75][(xorshift(&mut x) % 2) as usize]),
            5 => Moment::Progress("commit", 60),
            6..=7 => Moment::Progress("commit", 80),
            _ => Moment::After(Duration::from_micros(xorshift(&mut x) % (full.as_micros() as u64).max(1))),
        };
        let mut child = spawn(&env.vault);
        let frozen = freeze_at(&mut child, &moment);
        // Frozen between the commit marker and the end of the renames.
        if frozen && env.vault.join(".confidant-rekey").join("ready").exists() {
            mid_commit += 1;
        }
        let _ = child.kill();
        let status = child.wait().unwrap();
        if frozen {
            killed += 1;
        } else {
            assert!(status.success(), "run {i} ended on its own but failed");
            finished += 1;
        }
        let (k, rows) = state(&env.vault);
        assert_eq!(rows, expected, "run {i} ({moment:?}): rows differ");
        assert!(!env.vault.join(".confidant-rekey").exists(), "run {i}: the staging folder was left");
        if k == key {
            old += 1;
        } else {
            new += 1;
        }
        key = k;
    }
    eprintln!(
        "rekey kill -9: {killed} killed mid-way ({i} runs, {finished} finished first; {mid_commit} frozen past the \
         commit point with files still to move): {old} left the old key, {new} the new one"
    );
    assert!(old > 0 && new > 0, "the kills should land both before and after the commit point");
}
