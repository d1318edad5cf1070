//! A truncated or altered backup restores nothing and keeps nothing staged: truncation at every
//! 64 KiB STREAM chunk boundary ±1 (and inside the header), and random bit flips.

use confidant_core::backup::{self, RestoreMode};
use confidant_core::Code;

use crate::backup::{backups, listing, no_progress, setup};
use crate::util::{pass, PASS};

/// age's STREAM: 64 KiB of plaintext per chunk plus a 16-byte tag, after the header.
const CHUNK: usize = 64 * 1024 + 16;

fn header_len(file: &[u8]) -> usize {
    let mac = file.windows(5).position(|w| w == b"\n--- ").expect("age header MAC line") + 1;
    mac + file[mac..].iter().position(|b| *b == b'\n').expect("end of MAC line") + 1
}

/// Restores `bytes` into a fresh folder and asserts it fails with a backup error, leaving the
/// folder exactly as it was.
fn assert_rejected(bytes: &[u8], what: &str) -> Code {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.age");
    std::fs::write(&file, bytes).unwrap();
    let dest = dir.path().join("restored");
    let e = backup::restore(&file, &pass(PASS), &dest, RestoreMode::New, &mut no_progress())
        .expect_err(&format!("{what}: a damaged backup must not restore"));
    assert!(
        matches!(e.code(), Code::BackupCorrupt | Code::NotABackup | Code::WrongPassphrase | Code::KeyFileCorrupt),
        "{what}: unexpected error {e}"
    );
    assert!(!e.to_string().contains(&dir.path().display().to_string()), "no paths in the message");
    assert_eq!(listing(dir.path()), ["b.age"], "{what}: nothing restored or staged");
    e.code()
}

fn one_backup() -> (Vec<u8>, tempfile::TempDir) {
    let mut s = setup(400);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let file = backups(&s.target).remove(0);
    let bytes = std::fs::read(&file).unwrap();
    // The original restores (so the failures below are caused by the damage).
    let keep = tempfile::tempdir().unwrap();
    backup::restore(&file, &pass(PASS), &keep.path().join("ok"), RestoreMode::New, &mut no_progress()).unwrap();
    (bytes, keep)
}

#[test]
fn truncation_at_every_chunk_boundary_is_detected() {
    let (bytes, _keep) = one_backup();
    let h = header_len(&bytes);
    let chunks = (bytes.len() - h).div_ceil(CHUNK);
    assert!(chunks >= 6, "the test backup should span several chunks, has {chunks}");
    let mut cuts = vec![0, 1, 10, h / 2, h - 1, h, h + 1, h + 16, bytes.len() - 1, bytes.len() - 16];
    for k in 1..=chunks {
        let b = h + k * CHUNK;
        cuts.extend([b - 1, b, b + 1]);
    }
    cuts.retain(|c| *c < bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    let mut codes = std::collections::BTreeMap::new();
    for cut in &cuts {
        let code = assert_rejected(&bytes[..*cut], &format!("truncated to {cut} of {}", bytes.len()));
        *codes.entry(format!("{code:?}")).or_insert(0) += 1;
    }
    eprintln!("truncation: {} cuts rejected: {codes:?}", cuts.len());
    // Appended bytes are damage too.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0u8; 17]);
    assert_rejected(&longer, "17 bytes appended");
}

#[test]
fn random_bit_flips_are_detected() {
    let (bytes, _keep) = one_backup();
    let seed: u64 = std::env::var("CONFIDANT_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("bit flips: seed {seed} (rerun with CONFIDANT_TEST_SEED={seed})");
    let mut x = seed | 1;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let h = header_len(&bytes);
    // Half in the header (stanzas, key file, MAC), half in the payload.
    for i in 0..40 {
        let pos = if i % 2 == 0 { (next() as usize) % h } else { h + (next() as usize) % (bytes.len() - h) };
        let bit = (next() % 8) as u8;
        let mut b = bytes.clone();
        b[pos] ^= 1 << bit;
        assert_rejected(&b, &format!("bit {bit} flipped at {pos} (seed {seed})"));
    }
}

#[test]
fn damage_names_the_failing_check() {
    let (bytes, _keep) = one_backup();
    let h = header_len(&bytes);
    let dir = tempfile::tempdir().unwrap();
    let check = |b: &[u8]| {
        let f = dir.path().join("x.age");
        std::fs::write(&f, b).unwrap();
        backup::verify_file(&f, &pass(PASS), &mut no_progress()).unwrap_err().to_string()
    };
    let mut payload = bytes.clone();
    payload[h + 100] ^= 1;
    assert!(check(&payload).contains("check failed: payload"), "{}", check(&payload));
    assert!(check(&bytes[..bytes.len() - 1]).contains("check failed: payload"));
    let mac = bytes.windows(4).position(|w| w == b"--- ").unwrap() + 4;
    let mut m = bytes.clone();
    m[mac + 2] = if m[mac + 2] == b'A' { b'B' } else { b'A' };
    assert!(check(&m).contains("check failed: header_mac"), "{}", check(&m));
}
