//! `kill -9` of `confidant backup` and of `confidant restore --replace` at random moments.
//!
//! Backup: each run is frozen (SIGSTOP) at a moment chosen from its own progress output (or
//! after a random delay), the files it has in flight are recorded, and it is killed (SIGKILL).
//! A run frozen while it writes must have its `.partial` file in the target; after
//! every kill each file under a final name verifies, and the newest one restores into a fresh
//! folder with the vault's data.
//!
//! Restore: after every kill the vault folder opens with either the old vault or the restored
//! one, never neither.
//!
//! The seed is printed; rerun with CONFIDANT_TEST_SEED to repeat a sequence.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use confidant_core::backup::{self, RestoreMode};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::{Credential, Passphrase, Vault};

use crate::backup::{fast_vault, finals};
use crate::support::{Env, PASS};

fn pass() -> Credential {
    Credential::Passphrase(Passphrase::from(PASS))
}

/// Starts `confidant --vault <vault> --passphrase-stdin <args…> --progress` with stderr piped.
fn spawn(vault: &Path, args: &[&str]) -> Child {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("confidant"))
        .arg("--vault")
        .arg(vault)
        .arg("--passphrase-stdin")
        .args(args)
        .arg("--progress")
        .env("CONFIDANT_KEYRING_NAMESPACE", "confidant-cli-test-kill")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the confidant binary runs");
    let _ = c.stdin.take().unwrap().write_all(format!("{PASS}\n").as_bytes());
    c
}

/// When to freeze the child.
#[derive(Debug, Clone)]
pub(crate) enum Moment {
    /// At its first progress line of `phase` at or above `percent`.
    Progress(&'static str, u8),
    /// After a delay, whatever it is doing.
    After(Duration),
}

/// Waits for `moment`, then freezes the child (SIGSTOP) and returns whether it was still
/// running (false: it finished first).
pub(crate) fn freeze_at(child: &mut Child, moment: &Moment) -> bool {
    match moment {
        Moment::Progress(phase, percent) => {
            let stderr = child.stderr.take().unwrap();
            let mut lines = BufReader::new(stderr).lines();
            let hit = lines.by_ref().map_while(Result::ok).any(|l| {
                let mut w = l.split_whitespace();
                w.next() == Some(phase)
                    && w.next().and_then(|p| p.trim_end_matches('%').parse::<u8>().ok()).is_some_and(|p| p >= *percent)
            });
            if !hit {
                return false;
            }
            // Keep draining so the child never blocks on a full pipe before the signal lands.
            std::thread::spawn(move || lines.for_each(drop));
        }
        Moment::After(d) => {
            let stderr = child.stderr.take().unwrap();
            std::thread::spawn(move || BufReader::new(stderr).lines().for_each(drop));
            std::thread::sleep(*d);
        }
    }
    let st = Command::new("kill").args(["-STOP", &child.id().to_string()]).status().expect("kill(1)");
    st.success() && child.try_wait().unwrap().is_none()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// Client names and attachment digests: what a restored vault must hold.
fn contents(v: &mut Vault) -> Vec<String> {
    let mut out = Vec::new();
    for c in v.list_clients(&Default::default()).unwrap() {
        out.push(format!("{} {}", c.given_name, c.family_name));
        for a in v.list_attachments(AttachTo::Client(c.id)).unwrap() {
            out.push(format!("{} {} {}", a.file_name, a.size, a.sha256));
        }
    }
    out.sort();
    out
}

fn open_contents(dir: &Path) -> Vec<String> {
    let mut v = Vault::open(dir).unwrap_or_else(|e| panic!("{} does not open: {e}", dir.display()));
    v.unlock(&pass()).unwrap();
    contents(&mut v)
}

pub(crate) fn seed() -> u64 {
    let seed = std::env::var("CONFIDANT_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("kill -9: seed {seed} (rerun with CONFIDANT_TEST_SEED={seed})");
    seed | 1
}

pub(crate) fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// The demo vault plus a few MB of attachments, so a backup takes long enough to be
/// interrupted anywhere. Returns its contents.
fn big_vault(env: &Env) -> Vec<String> {
    fast_vault(env);
    let mut v = Vault::open(&env.vault).unwrap();
    v.unlock(&pass()).unwrap();
    let client = v.list_clients(&Default::default()).unwrap()[0].id;
    let mut x = 7u64;
    for i in 0..3 {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend((0..1_000_000).map(|_| xorshift(&mut x) as u8));
        v.attach_bytes(AttachTo::Client(client), &format!("scan{i}.png"), png.len() as u64, png.as_slice()).unwrap();
    }
    contents(&mut v)
}

#[test]
fn kill_9_during_backup_never_harms_backups() {
    let env = Env::new();
    let expected = big_vault(&env);
    let target = env.dir.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    let restores = env.dir.path().join("restores");
    std::fs::create_dir(&restores).unwrap();

    let t0 = Instant::now();
    let mut first = spawn(&env.vault, &["backup", "--target", target.to_str().unwrap()]);
    let st = first.wait().unwrap();
    assert!(st.success());
    let full = t0.elapsed();
    let key = {
        let mut v = Vault::open(&env.vault).unwrap();
        v.unlock(&pass()).unwrap();
        v.database_key().unwrap()
    };

    let mut x = seed();
    eprintln!("kill -9: one backup takes {full:?}");
    let runs = 40;
    let (mut partial, mut snapshot, mut neither, mut finished) = (0, 0, 0, 0);
    let (mut write_kills, mut write_kills_with_partial) = (0, 0);
    for i in 0..runs {
        // The kind of moment cycles with the run (9 of every 20 in the write), so each kind is
        // tried a fixed number of times whatever the seed; the seed picks where within it.
        let moment = match i % 20 {
            0..=8 => Moment::Progress("write", [0, 20, 50, 80][i % 4]),
            9..=13 => Moment::Progress("snapshot", 0),
            14..=15 => Moment::Progress("verify", [0, 50][(xorshift(&mut x) % 2) as usize]),
            _ => Moment::After(Duration::from_micros(xorshift(&mut x) % (full.as_micros() as u64 * 11 / 10).max(1))),
        };
        let mut child = spawn(&env.vault, &["backup", "--target", target.to_str().unwrap()]);
        let frozen = freeze_at(&mut child, &moment);
        // What the run had in flight at the moment it was frozen.
        let in_target = names_in(&target);
        let in_vault = names_in(&env.vault);
        let has_partial = in_target.iter().any(|n| n.starts_with(".confidant-") && n.ends_with(".age.partial"));
        let has_snapshot = in_vault.iter().any(|n| n.starts_with(".backup-snapshot-") && n.ends_with(".db"));
        let _ = child.kill(); // SIGKILL, also to a stopped process
        let status = child.wait().unwrap();
        // Frozen at its 80 % line, a run may already be past its last write (the CLI prints a line
        // per 10 %, so the first line at or above 80 can be the last one) and renaming.
        if frozen && matches!(moment, Moment::Progress("write", p) if p < 80) {
            write_kills += 1;
            write_kills_with_partial += usize::from(has_partial);
        }
        match (frozen, has_partial, has_snapshot) {
            (false, ..) => {
                assert!(status.success(), "iteration {i}: the run ended on its own but failed");
                finished += 1;
            }
            (true, true, _) => partial += 1,
            (true, false, true) => snapshot += 1,
            (true, false, false) => neither += 1,
        }

        let files = finals(&target);
        assert!(!files.is_empty(), "iteration {i} ({moment:?}): no backup left");
        for f in &files {
            backup::verify_file_with_key(f, &key, &mut confidant_core::JobCtl::quiet())
                .unwrap_or_else(|e| panic!("iteration {i} ({moment:?}): {} fails: {e}", f.display()));
        }
        // Every surviving backup restores on a "fresh machine" and holds the vault's data.
        for (j, f) in files.iter().enumerate() {
            let dest = restores.join(format!("r{i}-{j}"));
            backup::restore(f, &pass(), &dest, RestoreMode::New, &mut confidant_core::JobCtl::quiet())
                .unwrap_or_else(|e| panic!("iteration {i} ({moment:?}): {} does not restore: {e}", f.display()));
            assert_eq!(open_contents(&dest), expected, "iteration {i} ({moment:?}): restored data");
            std::fs::remove_dir_all(&dest).unwrap();
        }
    }
    eprintln!(
        "kill -9 during backup: {runs} runs; killed with a partial file {partial}, with only a snapshot \
         {snapshot}, with neither {neither}; finished before the kill {finished}"
    );
    // A run frozen while it reports writing has its `.partial` file in the target: this is what
    // proves the kills land where a crash could harm a backup. (A bar on the share of all kills
    // that land mid-write was statistical and failed on a loaded machine; the snapshot step
    // mostly reads the live file and leaves no file of its own to see.)
    assert!(write_kills >= 10, "most write moments must catch the run still writing: {write_kills} of 14");
    assert_eq!(
        write_kills_with_partial, write_kills,
        "every run frozen mid-write has its partial file: {write_kills_with_partial} of {write_kills}"
    );
    assert!(partial * 4 >= runs, "at least a quarter with the backup file half-written: {partial} of {runs}");

    // The next run cleans up whatever the killed runs left.
    let out = env.run(&["backup", "--target", target.to_str().unwrap()], Some(&format!("{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let leftovers: Vec<_> = names_in(&target).into_iter().filter(|n| n.ends_with(".partial")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let snapshots: Vec<_> = names_in(&env.vault).into_iter().filter(|n| n.contains("snapshot")).collect();
    assert!(snapshots.is_empty(), "killed runs' snapshots are cleaned by the next run: {snapshots:?}");
}

/// Copies the (flat) vault folder `from` to `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn kill_9_during_restore_replace_leaves_the_old_or_the_new_vault() {
    let env = Env::new();
    let new = big_vault(&env);
    let target = env.dir.path().join("usb");
    std::fs::create_dir(&target).unwrap();
    env.ok(&["backup", "--target", target.to_str().unwrap()]);
    let file = finals(&target).remove(0);
    // The vault as it is now differs from the backup.
    {
        let mut v = Vault::open(&env.vault).unwrap();
        v.unlock(&pass()).unwrap();
        v.create_client(&confidant_core::domain::clients::ClientInput {
            given_name: "Efter".into(),
            family_name: "Backupen".into(),
            ..Default::default()
        })
        .unwrap();
    }
    let old = open_contents(&env.vault);
    assert_ne!(old, new);
    let pristine = env.dir.path().join("pristine");
    copy_dir(&env.vault, &pristine);
    let parent = env.vault.parent().unwrap().to_owned();

    let t0 = Instant::now();
    let out = env.run(&["restore", "--replace", file.to_str().unwrap()], Some(&format!("{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let full = t0.elapsed();
    assert_eq!(open_contents(&env.vault), new);

    let reset = || {
        for n in names_in(&parent) {
            let p: PathBuf = parent.join(&n);
            if n == "vault" || n.starts_with("vault.before-restore-") {
                std::fs::remove_dir_all(&p).unwrap();
            }
        }
        copy_dir(&pristine, &env.vault);
    };

    let mut x = seed();
    eprintln!("kill -9: one restore takes {full:?}");
    let runs = 30;
    let (mut saw_old, mut saw_new, mut window) = (0, 0, 0);
    for i in 0..runs {
        reset();
        // The first two runs pin one kill on each side of the switch, so the outcome counts
        // below never depend on how loaded the machine is; the rest land at random.
        let pick = match i {
            0 => 0,
            1 => 9,
            _ => xorshift(&mut x) % 11,
        };
        let moment = match pick {
            0..=3 => Moment::Progress("decrypt", [0, 30, 60, 90][(xorshift(&mut x) % 4) as usize]),
            4..=5 => Moment::Progress("restore", 0),
            // Its last progress line comes after the new vault is in place.
            9 => Moment::Progress("restore", 100),
            _ => Moment::After(Duration::from_micros(xorshift(&mut x) % (full.as_micros() as u64 * 11 / 10).max(1))),
        };
        let mut child = spawn(&env.vault, &["restore", "--replace", file.to_str().unwrap()]);
        freeze_at(&mut child, &moment);
        let _ = child.kill();
        child.wait().unwrap();

        let got = if env.vault.join("vault.db").exists() && env.vault.join("keys.json").exists() {
            open_contents(&env.vault)
        } else {
            // Killed between moving the old vault aside and moving the restored one in. The
            // restored vault is complete and waits next to it; the next open moves it in.
            window += 1;
            let ready = parent.join(".vault.restore-ready");
            assert!(ready.join("vault.db").exists() && ready.join("keys.json").exists(), "iteration {i}");
            open_contents(&env.vault)
        };
        match i {
            0 => assert!(got == old, "a kill while decrypting leaves the old vault"),
            1 => assert!(got == new, "a kill after the switch leaves the restored vault"),
            _ => {}
        }
        if got == old {
            saw_old += 1;
        } else if got == new {
            saw_new += 1;
        } else {
            panic!("iteration {i} ({moment:?}): the vault holds neither the old nor the restored data");
        }
    }
    eprintln!("kill -9 during restore: {runs} runs; old vault {saw_old}, restored vault {saw_new} ({window} finished by the next run)");
    assert!(saw_old > 0 && saw_new > 0, "kills landed both before and after the switch");

    // A last, uninterrupted restore cleans up what the killed ones left next to the vault.
    reset();
    let out = env.run(&["restore", "--replace", file.to_str().unwrap()], Some(&format!("{PASS}\n")));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(open_contents(&env.vault), new);
    let left: Vec<String> = names_in(&parent)
        .into_iter()
        .filter(|n| n != "vault" && n != "pristine" && n != "usb" && !n.starts_with("vault.before-restore-"))
        .collect();
    assert!(left.is_empty(), "no staging or ready folder left: {left:?}");
}
