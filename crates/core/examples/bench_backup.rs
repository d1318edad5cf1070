//! Backup and verify throughput on a realistic vault, next to the reference `age` CLI
//! encrypting the same `vault.db` to the same folder, with the cost of each check verify can
//! make measured on its own.
//!
//! `cargo run --release -p confidant-core --example bench_backup -- [--mb N] [--dir DIR] [--reuse] [--json FILE]`
//!
//! Builds a vault of about N MB (default 1200) in DIR (default `target/bench-backup`): clients,
//! courses, signed notes of 1–5 KB of Zipf-distributed words (indexed for search), amendments
//! and some incompressible attachments, written in a few large transactions straight into the
//! SQLCipher file (the per-note API commits, and fsyncs, once per note). `--reuse` keeps a vault
//! built by an earlier run. Prints a table and writes JSON (default `target/bench_backup.json`).
//! Needs `age` on PATH for the comparison.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use confidant_core::backup::{self, Phase, Progress};
use confidant_core::{Argon2Params, CancelToken, Credential, JobCtl, KdfChoice, Passphrase, Vault};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const PASS: &str = "bench lingon tavla regnbåge 2026";
type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A rank in 0..n with probability ∝ 1/(rank+1) (Zipf, s = 1).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64).powf(u)) as usize).saturating_sub(1).min(n - 1)
    }
}

/// A vocabulary of made-up Swedish/Danish/English-looking words.
fn vocabulary(rng: &mut Rng) -> Vec<String> {
    const SYL: &[&str] = &[
        "sö", "mn", "ång", "est", "ar", "be", "te", "fa", "milj", "str", "ess", "sam", "tal", "kän", "slor", "mål",
        "hem", "upp", "gift", "sø", "vn", "ang", "st", "bæ", "nk", "ej", "de", "føl", "el", "ser", "øv", "val", "ues",
        "care", "er", "ex", "po", "sure", "gri", "ef", "ta", "lk", "ing", "the", "rap", "y", "ko", "gni",
    ];
    (0..6000)
        .map(|_| (0..2 + rng.below(3)).map(|_| SYL[rng.below(SYL.len() as u64) as usize]).collect::<String>())
        .collect()
}

fn text(rng: &mut Rng, words: &[String], bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 16);
    while s.len() < bytes {
        s.push_str(&words[rng.zipf(words.len())]);
        s.push(if rng.below(12) == 0 { '\n' } else { ' ' });
    }
    s
}

/// Fills the vault's database in large transactions until it holds about `mb` MB.
fn build(vault_dir: &Path, mb: u64) -> Res<()> {
    let pass = Passphrase::from(PASS);
    let (mut v, _rk) = Vault::create(vault_dir, &pass, KdfChoice::Fixed(Argon2Params::MINIMUM))?;
    let key = v.database_key()?;
    drop(v);
    let db = Connection::open(vault_dir.join("vault.db"))?;
    db.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA synchronous = OFF;", key.to_hex().as_str()))?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let words = vocabulary(&mut rng);
    let now = "2026-01-15T10:00:00Z";
    let target = mb * 1_000_000;
    let size = |db: &Connection| -> rusqlite::Result<u64> {
        db.query_row("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size", [], |r| {
            r.get::<_, i64>(0)
        })
        .map(|n| n as u64)
    };
    let (mut client, mut entry, mut doc) = (0i64, 0i64, 0i64);
    while size(&db)? < target {
        let tx = db.unchecked_transaction()?;
        // 60 clients, ~50 notes each, per transaction (≈ 3,000 clients for 150,000 notes).
        for _ in 0..60 {
            client += 1;
            let (given, family) = (&words[rng.below(3000) as usize], &words[rng.below(3000) as usize]);
            tx.execute(
                "INSERT INTO client (id, uid, given_name, family_name, address, email, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
                rusqlite::params![
                    client,
                    format!("c-{client:08}"),
                    given,
                    family,
                    text(&mut rng, &words, 40),
                    format!("{given}@example.org"),
                    now
                ],
            )?;
            doc += 1;
            tx.execute(
                "INSERT INTO search_doc (id, kind, object_id, client_id) VALUES (?1, 'client', ?2, ?2)",
                rusqlite::params![doc, client],
            )?;
            tx.execute(
                "INSERT INTO search_fts (rowid, scope, title, body, tags) VALUES (?1, ?2, ?3, '', '')",
                rusqlite::params![doc, format!("c{client}"), format!("{given} {family}")],
            )?;
            tx.execute(
                "INSERT INTO course (id, client_id, title, start_date, created_at, updated_at)
                 VALUES (?1, ?1, 'Behandling', '2020-01-01', ?2, ?2)",
                rusqlite::params![client, now],
            )?;
            for _ in 0..20 + rng.below(60) {
                entry += 1;
                let len = 1000 + rng.below(4000) as usize;
                let body = text(&mut rng, &words, len);
                let title = text(&mut rng, &words, 30);
                tx.execute(
                    "INSERT INTO entry (id, client_id, course_id, kind, occurred_at, recorded_at, duration_minutes,
                     title, body, tags, status, signed_at, content_sha256, created_at, updated_at)
                     VALUES (?1, ?2, ?2, 'session', ?3, ?3, 50, ?4, ?5, '[\"sömn\"]', 'signed', ?3, ?6, ?3, ?3)",
                    rusqlite::params![entry, client, now, title, body, hex(&Sha256::digest(body.as_bytes()))],
                )?;
                doc += 1;
                tx.execute(
                    "INSERT INTO search_doc (id, kind, object_id, client_id) VALUES (?1, 'entry', ?2, ?3)",
                    rusqlite::params![doc, entry, client],
                )?;
                tx.execute(
                    "INSERT INTO search_fts (rowid, scope, title, body, tags) VALUES (?1, ?2, ?3, ?4, 'sömn')",
                    rusqlite::params![doc, format!("c{client}"), title, body.to_lowercase()],
                )?;
                if rng.below(25) == 0 {
                    tx.execute(
                        "INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags)
                         VALUES (?1, ?2, 'rättelse', ?3, ?4, '[]')",
                        rusqlite::params![entry, now, title, text(&mut rng, &words, 800)],
                    )?;
                }
                if rng.below(60) == 0 {
                    // A scan or photo: incompressible bytes.
                    let n = 100_000 + rng.below(400_000) as usize;
                    let data: Vec<u8> = (0..n / 8).flat_map(|_| rng.next().to_le_bytes()).collect();
                    tx.execute(
                        "INSERT INTO attachment (client_id, entry_id, file_name, media_type, size, sha256, added_at)
                         VALUES (?1, ?2, 'scan.jpg', 'image/jpeg', ?3, ?4, ?5)",
                        rusqlite::params![client, entry, data.len() as i64, hex(&Sha256::digest(&data)), now],
                    )?;
                    tx.execute(
                        "INSERT INTO attachment_content (attachment_id, data) VALUES (last_insert_rowid(), ?1)",
                        [&data],
                    )?;
                }
            }
        }
        tx.commit()?;
    }
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    drop(db);
    // A few writes through the product API, so the access log and its chain are real too.
    let mut v = Vault::open(vault_dir)?;
    v.unlock(&Credential::Passphrase(pass))?;
    for id in 1..=20.min(client) {
        v.get_client(id)?;
    }
    println!("vault: {client} clients, {entry} notes");
    Ok(())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// Times one SQL check on a read-only connection to `db`, cold cache for SQLCipher.
fn time_sql(db: &Path, key_hex: &str, sql: &str) -> Res<(f64, String)> {
    let c = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    c.execute_batch(&format!("PRAGMA key = \"x'{key_hex}'\"; PRAGMA cache_size = -65536;"))?;
    let t = Instant::now();
    let mut st = c.prepare(sql)?;
    let mut out = String::new();
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        if out.len() < 60 {
            out.push_str(&format!("{:?} ", r.get_ref(0)?));
        }
    }
    Ok((secs(t.elapsed()), out))
}

/// `count(*)` of every table, the way verify checks row counts.
fn time_counts(db: &Path, key_hex: &str) -> Res<f64> {
    let c = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    c.execute_batch(&format!("PRAGMA key = \"x'{key_hex}'\"; PRAGMA cache_size = -65536;"))?;
    let t = Instant::now();
    let names: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for n in names {
        c.query_row(&format!("SELECT count(*) FROM \"{n}\""), [], |r| r.get::<_, i64>(0))?;
    }
    Ok(secs(t.elapsed()))
}

fn sha256_file(p: &Path) -> Res<f64> {
    let t = Instant::now();
    let mut f = std::fs::File::open(p)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let _ = h.finalize();
    Ok(secs(t.elapsed()))
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opt = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let mb: u64 = opt("--mb").and_then(|s| s.parse().ok()).unwrap_or(1200);
    let root = PathBuf::from(opt("--dir").unwrap_or_else(|| "target/bench-backup".into()));
    let json_path = PathBuf::from(opt("--json").unwrap_or_else(|| "target/bench_backup.json".into()));
    let reuse = args.iter().any(|a| a == "--reuse");
    let vault_dir = root.join("vault");
    let out_dir = root.join("out");
    if !(reuse && vault_dir.join("vault.db").exists()) {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root)?;
        let t = Instant::now();
        build(&vault_dir, mb)?;
        println!("built in {:.1} s", secs(t.elapsed()));
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir)?;
    let db_path = vault_dir.join("vault.db");
    let db_size = std::fs::metadata(&db_path)?.len();
    let mb_of = |b: u64| b as f64 / 1e6;

    let mut v = Vault::open(&vault_dir)?;
    v.unlock(&Credential::Passphrase(Passphrase::from(PASS)))?;
    let recipient = v.backup_identity()?.recipient();
    let key = v.database_key()?;

    // The reference: age -r to the same folder; then its fsync on its own (age does not sync).
    let age_out = out_dir.join("x.age");
    let t = Instant::now();
    let st = Command::new("age").args(["-r", &recipient, "-o"]).arg(&age_out).arg(&db_path).status()?;
    let age_t = secs(t.elapsed());
    if !st.success() {
        return Err("age failed".into());
    }
    let t = Instant::now();
    std::fs::File::open(&age_out)?.sync_all()?;
    let age_sync = secs(t.elapsed());
    std::fs::remove_file(&age_out)?;

    // Our backup, timed per phase from the progress reports.
    let mut marks: Vec<(Phase, Instant)> = Vec::new();
    let start = Instant::now();
    let report = {
        let cb = |p: Progress| {
            if marks.last().map(|m| m.0) != Some(p.phase) {
                marks.push((p.phase, Instant::now()));
            }
        };
        let mut ctl = JobCtl::new(CancelToken::new(), cb).unthrottled();
        v.backup_now(&out_dir, &mut ctl)?
    };
    let end = Instant::now();
    let phase = |ph: Phase| -> f64 {
        let Some(i) = marks.iter().position(|m| m.0 == ph) else { return 0.0 };
        let next = marks.get(i + 1).map(|m| m.1).unwrap_or(end);
        secs(next - marks[i].1)
    };
    let first = marks.first().map(|m| secs(m.1 - start)).unwrap_or(0.0);
    let (snap, write, verify_in_run) = (first + phase(Phase::Snapshot), phase(Phase::Write), phase(Phase::Verify));
    let total = secs(end - start);
    let backup_t = total - verify_in_run;
    let file = out_dir.join(&report.file_name);

    // Verify alone (what `confidant verify FILE` does), with the vault's key.
    let t = Instant::now();
    let vr = backup::verify_file_with_key(&file, &key, &mut JobCtl::quiet())?;
    let verify_t = secs(t.elapsed());
    v.lock();

    // Each check verify could make, on its own, over the live vault file.
    let key_hex = key.to_hex();
    let sha = sha256_file(&db_path)?;
    let (cipher, _) = time_sql(&db_path, &key_hex, "PRAGMA cipher_integrity_check")?;
    let (quick, _) = time_sql(&db_path, &key_hex, "PRAGMA quick_check")?;
    let (integrity, _) = time_sql(&db_path, &key_hex, "PRAGMA integrity_check")?;
    let counts = time_counts(&db_path, &key_hex)?;

    let size = report.size_bytes;
    println!(
        "\nvault.db {:.0} MB; backup file {:.0} MB; {} tables, {} rows",
        mb_of(db_size),
        mb_of(size),
        vr.tables,
        vr.rows
    );
    println!("| step | seconds | MB/s |");
    println!("|---|---:|---:|");
    let row = |name: &str, s: f64, bytes: u64| println!("| {name} | {s:.2} | {:.0} |", mb_of(bytes) / s.max(1e-9));
    row("age -r (reference, no fsync)", age_t, db_size);
    row("age -r + fsync", age_t + age_sync, db_size);
    row("backup: snapshot (+ manifest stats)", snap, db_size);
    row("backup: encrypt + hash + write + fsync", write, size);
    row("backup without its verify", backup_t, db_size);
    row("backup: verify inside the run", verify_in_run, size);
    row("backup + verify (backup_now)", total, db_size);
    row("verify alone (verify_file_with_key)", verify_t, size);
    println!("| check: SHA-256 of vault.db | {sha:.2} | {:.0} |", mb_of(db_size) / sha);
    println!("| check: PRAGMA cipher_integrity_check | {cipher:.2} | {:.0} |", mb_of(db_size) / cipher);
    println!("| check: PRAGMA quick_check | {quick:.2} | {:.0} |", mb_of(db_size) / quick);
    println!("| check: PRAGMA integrity_check | {integrity:.2} | {:.0} |", mb_of(db_size) / integrity);
    println!("| check: count(*) of every table | {counts:.2} | |");
    println!(
        "\nbackup/age throughput: {:.2}x (target ≥ 0.8); with age's fsync: {:.2}x; verify/backup: {:.2} (target ≤ 1.5)",
        age_t / backup_t,
        (age_t + age_sync) / backup_t,
        verify_t / backup_t
    );
    let json = serde_json::json!({
        "vault_db_bytes": db_size, "backup_bytes": size, "tables": vr.tables, "rows": vr.rows,
        "age_s": age_t, "age_fsync_s": age_sync,
        "backup_snapshot_s": snap, "backup_write_s": write, "backup_s": backup_t,
        "backup_verify_s": verify_in_run, "backup_total_s": total, "verify_s": verify_t,
        "check_sha256_s": sha, "check_cipher_integrity_s": cipher, "check_quick_check_s": quick,
        "check_integrity_check_s": integrity, "check_row_counts_s": counts,
        "ratio_throughput_vs_age": age_t / backup_t, "ratio_verify_vs_backup": verify_t / backup_t,
    });
    std::fs::write(&json_path, serde_json::to_vec_pretty(&json)?)?;
    println!("JSON: {}", json_path.display());
    Ok(())
}
