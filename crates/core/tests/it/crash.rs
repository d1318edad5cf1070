//! The crash harness: a child process writes through the core (clients, entries, signing,
//! amendments, invoices, erasure, re-key) and reports each commit the moment the call returned;
//! the parent kills it with SIGKILL at a random moment, then reopens the vault and checks it:
//! it unlocks, `integrity_check` and `cipher_integrity_check` pass, the access log verifies, and
//! every reported commit is there exactly as reported (an erased client's records are gone).
//!
//! The child is this test binary itself, started on [`child_workload`] with
//! `CONFIDANT_CRASH_CHILD` naming the vault; without it that test runs the same workload in
//! process, bounded, and checks it the same way (so the checker is itself tested on a run
//! without kills). `CONFIDANT_CRASH_KILLS` sets the number of kills (100 by default, 1,000 in
//! the trust report's long mode); `CONFIDANT_TRUST_OUT` names a folder for `crash.json`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
use confidant_core::domain::clients::ClientInput;
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::Jurisdiction;
use confidant_core::erasure::ErasureCause;
use confidant_core::rekey::{RekeyReason, RekeyRequest};
use confidant_core::{JobCtl, Passphrase, Vault};
use sha2::{Digest, Sha256};

use crate::util::{kdf, pass, PASS};

const CHILD_ENV: &str = "CONFIDANT_CRASH_CHILD";
const SEED_ENV: &str = "CONFIDANT_CRASH_SEED";

/// xorshift64*: the workload and the kill moments are reproducible from a seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sha(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A vault set up as the workload needs it: a GDPR-only profile (a client's whole record may
/// be erased on request) and billing details (invoices can be issued).
fn prepare(dir: &Path) {
    let (mut v, _) = Vault::create(dir, &Passphrase::from(PASS), kdf()).expect("create vault");
    crate::invoicing::practice(&mut v, Jurisdiction::SeOther);
}

/// Writes through the core until `ops` operations are done (`None`: until killed). Each
/// operation prints `BEGIN <kind>` before it starts and `DONE <kind> …` once the call returned,
/// flushed at once, so what the parent read is what the child knew to be committed.
fn workload(dir: &Path, seed: u64, ops: Option<u32>, out: &mut dyn Write) {
    let mut say = |line: String| {
        out.write_all(line.as_bytes()).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()).unwrap();
    };
    let mut rng = Rng::new(seed);
    say("BEGIN open".into());
    let mut v = Vault::open(dir).expect("open");
    v.unlock(&pass(PASS)).expect("unlock");
    say("DONE open".into());
    let today = Utc::now().date_naive();
    let mut client = None::<(i64, i64)>;
    let mut drafts: Vec<i64> = Vec::new();
    let mut signed: Vec<i64> = Vec::new();
    let mut n = 0u32;
    while ops.is_none_or(|max| n < max) {
        n += 1;
        let tag = format!("{seed}-{n}");
        let (client_id, course_id) = match client {
            Some(c) => c,
            None => {
                say("BEGIN client".into());
                let c = v
                    .create_client(&ClientInput {
                        given_name: format!("Klient {tag}"),
                        family_name: "Ek".into(),
                        address: "Kungsgatan 12\n411 19 Göteborg".into(),
                        ..Default::default()
                    })
                    .unwrap();
                let course = v
                    .create_course(
                        c.id,
                        &CourseInput { title: "Förlopp".into(), reason: "Sömn".into(), start_date: today },
                    )
                    .unwrap();
                say(format!("DONE client {}", c.id));
                client = Some((c.id, course.id));
                drafts.clear();
                signed.clear();
                continue;
            }
        };
        match rng.below(100) {
            0..=34 => {
                say("BEGIN entry".into());
                // Without trailing space: the core trims what it stores.
                let body =
                    format!("Samtal {tag}.{}", " Klienten berättar om veckan.".repeat(1 + rng.below(40) as usize));
                let e = v
                    .create_entry(
                        course_id,
                        &EntryInput { title: format!("Samtal {tag}"), body: body.clone(), ..Default::default() },
                    )
                    .unwrap();
                say(format!("DONE entry {} {} {}", e.id, client_id, sha(&body)));
                drafts.push(e.id);
            }
            35..=54 if !drafts.is_empty() => {
                let id = drafts.remove(rng.below(drafts.len() as u64) as usize);
                say(format!("BEGIN sign {id}"));
                v.sign_entry(id).unwrap();
                say(format!("DONE sign {id}"));
                signed.push(id);
            }
            55..=69 if !signed.is_empty() => {
                let id = signed[rng.below(signed.len() as u64) as usize];
                let body = format!("Rättelse {tag}: datumet var fel.");
                say(format!("BEGIN amend {id} {}", sha(&body)));
                v.amend_entry(id, "Fel datum", &format!("Samtal {tag}"), &body, &[]).unwrap();
                say(format!("DONE amend {id} {}", sha(&body)));
            }
            70..=81 => {
                say("BEGIN invoice".into());
                let at = Utc::now() - chrono::Duration::hours(1 + rng.below(200) as i64);
                let a = v
                    .plan_appointment(
                        client_id,
                        &AppointmentInput {
                            course_id: Some(course_id),
                            starts_at: at,
                            minutes: 50,
                            kind: AppointmentKind::Individual,
                            fee: Some(110_000),
                        },
                    )
                    .unwrap();
                v.record_attendance(a.id, Attendance::Attended, Utc::now()).unwrap();
                let draft = v.create_invoice(client_id, &[a.id], today).unwrap();
                let issued = v.issue_invoice(draft.id, today).unwrap();
                say(format!("DONE invoice {} {}", issued.id, issued.number.expect("an issued invoice has a number")));
            }
            82..=91 if drafts.len() + signed.len() >= 3 => {
                let cause = ErasureCause::Request { received_on: today };
                say(format!("BEGIN erase {client_id}"));
                let plan = v.erasure_plan(client_id, cause, today).unwrap();
                v.erase(client_id, cause, &plan.erased(), today, None, &mut JobCtl::quiet()).unwrap();
                say(format!("DONE erase {client_id}"));
                client = None;
            }
            92..=95 => {
                let current = pass(PASS);
                let req = RekeyRequest {
                    reason: RekeyReason::RecoveryLost,
                    current: &current,
                    new_passphrase: None,
                    kdf: kdf(),
                };
                say("BEGIN rekey".into());
                v.rekey(&req, &mut JobCtl::quiet()).unwrap();
                say("DONE rekey".into());
            }
            _ => {
                // Locking and unlocking again: the close and the recovery run under kills too.
                say("BEGIN relock".into());
                v.lock();
                v.unlock(&pass(PASS)).unwrap();
                say("DONE relock".into());
            }
        }
    }
}

/// What the parent knows was committed, folded from the children's reports in order.
#[derive(Default)]
struct Known {
    /// entry id → (client id, SHA-256 of the current body, signed).
    entries: BTreeMap<i64, (i64, String, bool)>,
    /// invoice id → number.
    invoices: BTreeMap<i64, i64>,
    erased: Vec<i64>,
    rekeys: i64,
    commits: u64,
}

impl Known {
    /// Folds one complete `DONE` line in.
    fn fold(&mut self, line: &str) {
        let w: Vec<&str> = line.split(' ').collect();
        let id = |i: usize| w[i].parse::<i64>().expect("a reported id");
        match w.get(1).copied() {
            Some("open" | "relock") => return,
            Some("client") => {}
            Some("entry") => {
                self.entries.insert(id(2), (id(3), w[4].to_owned(), false));
            }
            Some("sign") => self.entries.get_mut(&id(2)).expect("signed a reported entry").2 = true,
            Some("amend") => w[3].clone_into(&mut self.entries.get_mut(&id(2)).expect("amended a reported entry").1),
            Some("invoice") => {
                self.invoices.insert(id(2), id(3));
            }
            Some("erase") => self.erased.push(id(2)),
            Some("rekey") => self.rekeys += 1,
            _ => panic!("unknown report: {line}"),
        }
        self.commits += 1;
    }
}

/// Reopens the vault and checks it against what was reported; returns the reported commits
/// that are missing or wrong (each described without journal text). `pending_erase`: an
/// `pending`: the operation the kill interrupted (its `BEGIN` line without the word), which
/// either happened whole or not at all; when it happened, it is folded into `known`.
fn check(dir: &Path, known: &mut Known, pending: Option<&str>) -> Vec<String> {
    let mut v = Vault::open(dir).expect("the vault opens after a kill");
    v.unlock(&pass(PASS)).expect("the vault unlocks after a kill");
    assert!(!dir.join(confidant_core::rekey::REKEY_DIR).exists(), "a re-key left its staging folder behind");
    let rows = v.verify_access_log().expect("the access log verifies after a kill").rows;
    assert!(rows > 0);
    let key = v.database_key().unwrap();
    let conn = rusqlite::Connection::open_with_flags(dir.join("vault.db"), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the database");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA query_only = ON;", key.to_hex().as_str())).unwrap();
    let rows_of = |pragma: &str| -> Vec<String> {
        conn.prepare(pragma).unwrap().query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    assert_eq!(rows_of("PRAGMA integrity_check"), ["ok"], "integrity_check after a kill");
    let cipher = rows_of("PRAGMA cipher_integrity_check");
    assert!(cipher.is_empty(), "cipher_integrity_check after a kill: {} page errors", cipher.len());
    let current = |id: i64| -> Option<(String, String)> {
        let (status, original): (String, String) = conn
            .query_row("SELECT status, body FROM entry WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .ok()?;
        let amended: Option<String> = conn
            .query_row("SELECT body FROM amendment WHERE entry_id = ?1 ORDER BY id DESC LIMIT 1", [id], |r| r.get(0))
            .ok();
        Some((status, sha(amended.as_deref().unwrap_or(&original))))
    };
    match pending.map(|p| p.split(' ').collect::<Vec<_>>()).as_deref() {
        Some(["erase", c]) => {
            let c: i64 = c.parse().unwrap();
            let n: i64 = conn.query_row("SELECT count(*) FROM client WHERE id = ?1", [c], |r| r.get(0)).unwrap();
            if n == 0 {
                known.erased.push(c);
            }
        }
        Some(["amend", id, hash]) => {
            let id: i64 = id.parse().unwrap();
            if current(id).is_some_and(|(_, h)| h == *hash) {
                (*hash).clone_into(&mut known.entries.get_mut(&id).unwrap().1);
            }
        }
        Some(["sign", id]) => {
            let id: i64 = id.parse().unwrap();
            if current(id).is_some_and(|(status, _)| status == "signed") {
                known.entries.get_mut(&id).unwrap().2 = true;
            }
        }
        _ => {}
    }
    let mut lost = Vec::new();
    for (&id, (client, body, signed)) in &known.entries {
        let row = current(id);
        match row {
            None if known.erased.contains(client) => {}
            None => lost.push(format!("entry {id}: missing")),
            Some(_) if known.erased.contains(client) => lost.push(format!("entry {id}: still there after erasure")),
            Some((status, text)) => {
                if text != *body {
                    lost.push(format!("entry {id}: another text than reported"));
                }
                if *signed && status != "signed" {
                    lost.push(format!("entry {id}: reported signed, is {status}"));
                }
            }
        }
    }
    for (&id, &number) in &known.invoices {
        let row: Option<(String, Option<i64>)> = conn
            .query_row("SELECT status, number FROM invoice WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .ok();
        if row != Some(("issued".into(), Some(number))) {
            lost.push(format!("invoice {id}: reported issued as number {number}, found {row:?}"));
        }
    }
    for &c in &known.erased {
        let n: i64 = conn.query_row("SELECT count(*) FROM client WHERE id = ?1", [c], |r| r.get(0)).unwrap();
        if n != 0 {
            lost.push(format!("client {c}: reported erased, still there"));
        }
    }
    let rekeys: i64 =
        conn.query_row("SELECT count(*) FROM access_log WHERE action = 'rekey'", [], |r| r.get(0)).unwrap();
    if rekeys < known.rekeys {
        lost.push(format!("re-key: {} reported, {rekeys} in the access log", known.rekeys));
    }
    lost
}

#[test]
fn child_workload() {
    if let Some(dir) = std::env::var_os(CHILD_ENV) {
        let seed = std::env::var(SEED_ENV).ok().and_then(|s| s.parse().ok()).unwrap_or(1);
        workload(Path::new(&dir), seed, None, &mut std::io::stdout());
        return;
    }
    // In process, bounded: the workload and the checker agree on a run nothing interrupted.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    prepare(&dir);
    let mut out = Vec::new();
    workload(&dir, 7, Some(120), &mut out);
    let mut known = Known::default();
    for line in String::from_utf8(out).unwrap().lines().filter(|l| l.starts_with("DONE ")) {
        known.fold(line);
    }
    assert!(known.entries.len() > 10 && known.invoices.len() > 3 && known.rekeys > 0, "the workload covers every kind");
    assert!(!known.erased.is_empty());
    assert_eq!(check(&dir, &mut known, None), Vec::<String>::new());
    // The checker sees a commit that is not there, and records an erasure took away.
    known.invoices.insert(1_000_000, 1);
    assert_eq!(check(&dir, &mut known, None).len(), 1);
    known.invoices.remove(&1_000_000);
    let (&entry, &(client, _, _)) = known.entries.iter().find(|(_, e)| known.erased.contains(&e.0)).unwrap();
    known.erased.retain(|&c| c != client);
    assert!(check(&dir, &mut known, None).contains(&format!("entry {entry}: missing")));
}

/// One child run, killed after `after`: the complete lines it printed.
fn run_child(dir: &Path, seed: u64, after: Duration) -> (Vec<String>, Option<i32>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash::child_workload", "--nocapture", "--test-threads", "1", "-q"])
        .env(CHILD_ENV, dir)
        .env(SEED_ENV, seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut r = BufReader::new(stdout);
        let mut lines = Vec::new();
        let mut buf = Vec::new();
        // Only whole lines count: the kill may cut the last one.
        while r.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
            if buf.ends_with(b"\n") {
                lines.push(String::from_utf8_lossy(&buf[..buf.len() - 1]).into_owned());
            }
            buf.clear();
        }
        lines
    });
    std::thread::sleep(after);
    // An exit before the kill is a failure of the workload, not a crash survived.
    let early = child.try_wait().unwrap().map(|s| s.code().unwrap_or(-1));
    let _ = child.kill();
    child.wait().unwrap();
    (reader.join().unwrap(), early)
}

#[test]
fn the_vault_survives_sigkill_at_random_moments() {
    let kills: u32 = std::env::var("CONFIDANT_CRASH_KILLS").ok().and_then(|s| s.parse().ok()).unwrap_or(100);
    let seed0: u64 = std::env::var(SEED_ENV).ok().and_then(|s| s.parse().ok()).unwrap_or(20261203);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    prepare(&dir);
    let started = Instant::now();
    let mut known = Known::default();
    let mut rng = Rng::new(seed0);
    let mut interrupted: BTreeMap<String, u32> = BTreeMap::new();
    let mut lost_total = Vec::new();
    for i in 0..kills {
        // A third of the kills land in the first 60 ms (opening, unlocking, finishing an
        // interrupted re-key), most anywhere in a run of up to 0.7 s, some after up to 3 s.
        let ms = match rng.below(10) {
            0..=2 => rng.below(60),
            3..=8 => 60 + rng.below(640),
            // Long enough for a re-key to finish now and then.
            _ => 700 + rng.below(2300),
        };
        let (lines, early) = run_child(&dir, seed0 + u64::from(i) + 1, Duration::from_millis(ms));
        assert_eq!(early, None, "kill {i}: the child exited by itself before the kill");
        let mut open_op = None;
        for l in &lines {
            if let Some(op) = l.strip_prefix("BEGIN ") {
                open_op = Some(op.to_owned());
            } else if l.starts_with("DONE ") {
                known.fold(l);
                open_op = None;
            }
        }
        let during = open_op.as_deref().map_or("between operations", |op| op.split(' ').next().unwrap_or(op));
        *interrupted.entry(during.to_owned()).or_default() += 1;
        let lost = check(&dir, &mut known, open_op.as_deref());
        if !lost.is_empty() && lost_total.is_empty() {
            eprintln!(
                "first loss at kill {i} after {ms} ms; child said: {lines:?}; lost: {:?}",
                &lost[..lost.len().min(5)]
            );
        }
        lost_total.extend(lost.into_iter().map(|l| format!("kill {i}: {l}")));
    }
    let secs = started.elapsed().as_secs_f64();
    let report = serde_json::json!({
        "kills": kills,
        "commits_reported": known.commits,
        "commits_lost": lost_total.len(),
        "entries": known.entries.len(),
        "invoices": known.invoices.len(),
        "erasures": known.erased.len(),
        "rekeys": known.rekeys,
        "interrupted_during": interrupted,
        "seed": seed0,
        "seconds": (secs * 10.0).round() / 10.0,
    });
    // Straight to stderr, past the harness's capture: the figures belong in every run's log.
    let _ = writeln!(std::io::stderr(), "crash harness: {report}");
    if let Some(out) = std::env::var_os("CONFIDANT_TRUST_OUT") {
        let out = PathBuf::from(out);
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("crash.json"), serde_json::to_vec_pretty(&report).unwrap()).unwrap();
    }
    assert!(lost_total.is_empty(), "reported commits lost or wrong: {lost_total:#?}");
    // The kills did land inside the writes, not only between them.
    assert!(interrupted.keys().any(|k| k != "between operations" && k != "open"), "{interrupted:?}");
}
