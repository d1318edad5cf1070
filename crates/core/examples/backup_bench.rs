//! Backup throughput on a ≈1 GB vault, next to the reference `age` CLI encrypting the same
//! database to the same disk.
//!
//! `cargo run --release -p confidant-core --example backup_bench [DIR] [MB]`
//!
//! DIR (default `./backup-bench`, removed afterwards) should be on the disk to measure; MB is
//! the attachment volume (default 1000). Needs `age` on PATH for the comparison.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use confidant_core::backup::{Phase, Progress};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::ClientInput;
use confidant_core::{Argon2Params, KdfChoice, Passphrase, Vault};

fn mbps(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1e6 / d.as_secs_f64().max(1e-9)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map(String::as_str).unwrap_or("backup-bench")).to_path_buf();
    let total_mb: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
    if root.exists() {
        return Err(format!("{} exists; give an empty folder", root.display()).into());
    }
    std::fs::create_dir_all(&root)?;
    let result = run(&root, total_mb);
    let _ = std::fs::remove_dir_all(&root);
    result
}

fn run(root: &Path, total_mb: u64) -> Result<(), Box<dyn std::error::Error>> {
    let vault_dir = root.join("vault");
    let target = root.join("target");
    std::fs::create_dir_all(&target)?;
    let pass = Passphrase::from("bench lingon tavla regnbåge 2026");
    let (mut v, _rk) = Vault::create(&vault_dir, &pass, KdfChoice::Fixed(Argon2Params::MINIMUM))?;
    let client =
        v.create_client(&ClientInput { given_name: "Bench".into(), family_name: "Mark".into(), ..Default::default() })?;

    // Attachments of random bytes: incompressible, like scans and photos.
    let t = Instant::now();
    let chunk = 20 * 1024 * 1024;
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let mut added = 0u64;
    let mut i = 0;
    while added < total_mb * 1_000_000 {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.reserve(chunk);
        while png.len() < chunk {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            png.extend_from_slice(&x.to_le_bytes());
        }
        v.attach_bytes(AttachTo::Client(client.id), &format!("scan{i}.png"), png.len() as u64, png.as_slice())?;
        added += png.len() as u64;
        i += 1;
    }
    let db_size = std::fs::metadata(vault_dir.join("vault.db"))?.len();
    println!(
        "vault: {i} attachments, {:.0} MB database, built in {:.1} s",
        db_size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );

    // Our backup, timed per phase.
    let mut marks: Vec<(Phase, Instant)> = Vec::new();
    let mut copied: Option<Instant> = None;
    let start = Instant::now();
    let cb = |p: Progress| {
        if marks.last().map(|m| m.0) != Some(p.phase) {
            marks.push((p.phase, Instant::now()));
        }
        if p.phase == Phase::Snapshot && p.done == p.total && copied.is_none() {
            copied = Some(Instant::now());
        }
    };
    let report = {
        let mut ctl = confidant_core::JobCtl::new(confidant_core::CancelToken::new(), cb).unthrottled();
        v.backup_now(&target, &mut ctl)?
    };
    let end = Instant::now();
    let phase_time = |ph: Phase| {
        let i = marks.iter().position(|m| m.0 == ph)?;
        let next = marks.get(i + 1).map(|m| m.1).unwrap_or(end);
        Some(next - marks[i].1)
    };
    let snap = phase_time(Phase::Snapshot).unwrap_or_default();
    let write = phase_time(Phase::Write).unwrap_or_default();
    let verify = phase_time(Phase::Verify).unwrap_or_default();
    let total = end - start;
    println!("confidant backup: {:.0} MB file, total {:.1} s", report.size_bytes as f64 / 1e6, total.as_secs_f64());
    let copy = copied.map(|c| c - start).unwrap_or_default();
    println!(
        "  snapshot {:>6.1} s  {:>7.1} MB/s (online backup copy {:.1} s, then row counts + content hashes {:.1} s)",
        snap.as_secs_f64(),
        mbps(db_size, snap),
        copy.as_secs_f64(),
        (snap.saturating_sub(copy)).as_secs_f64()
    );
    println!(
        "  archive+encrypt+write+fsync {:>6.1} s  {:>7.1} MB/s",
        write.as_secs_f64(),
        mbps(report.size_bytes, write)
    );
    println!("  read back + verify {:>6.1} s  {:>7.1} MB/s", verify.as_secs_f64(), mbps(report.size_bytes, verify));
    println!("  end to end {:>7.1} MB/s of database", mbps(db_size, total));

    // The reference CLI: the same database, the same recipient, the same disk, with fsync.
    let recipient = v.backup_identity()?.recipient();
    v.lock();
    let out = target.join("reference.age");
    let t = Instant::now();
    let st = Command::new("age").args(["-r", &recipient, "-o"]).arg(&out).arg(vault_dir.join("vault.db")).status();
    match st {
        Ok(s) if s.success() => {
            std::fs::File::open(&out)?.sync_all()?;
            let age_t = t.elapsed();
            let size = std::fs::metadata(&out)?.len();
            println!("age -r (reference) {:>6.1} s  {:>7.1} MB/s", age_t.as_secs_f64(), mbps(size, age_t));
            println!(
                "ratio: confidant write {:.2}x of age; whole backup incl. snapshot and verify {:.2}x of age",
                mbps(report.size_bytes, write) / mbps(size, age_t),
                mbps(db_size, total) / mbps(size, age_t)
            );
        }
        _ => println!("age (reference CLI) not found: no comparison"),
    }
    Ok(())
}
