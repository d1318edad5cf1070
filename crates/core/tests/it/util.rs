//! Shared helpers: fast vaults, folder snapshots, small fixtures and a reference SHA-256.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use confidant_core::domain::clients::{Client, ClientInput};
use confidant_core::domain::courses::{Course, CourseInput};
use confidant_core::domain::entries::{Entry, EntryInput};
use confidant_core::{Argon2Params, Credential, KdfChoice, Passphrase, RecoveryKey, Vault};
use tempfile::TempDir;

/// Whether this run is CI (`CI` set and not empty): there, a test that cannot run its real setup
/// fails instead of skipping.
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// For a test whose real setup is unavailable (no root for a mount, a missing tool): fails the
/// test in CI; elsewhere prints why it is skipped (straight to stderr, past the test harness's
/// capture, so the skip is seen). The caller returns right after.
pub fn cannot_run(test: &str, why: &str) {
    let msg = format!("{test}: cannot run its real setup: {why}");
    if ci() {
        panic!("{msg} (CI is set, so this fails instead of skipping)");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {msg}");
}

/// Every row of every table of an encrypted vault database, opened query-only with the raw key
/// through a connection of its own: table name → rows, each rendered and sorted. Tables are
/// enumerated from `sqlite_master` (virtual tables are skipped; their shadow tables, which
/// hold the data, are included).
pub fn dump_db(path: &Path, key: &confidant_core::DatabaseKey) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)
        .expect("open the database");
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\"; PRAGMA query_only = ON;", key.to_hex().as_str())).unwrap();
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
        )
        .expect("the key opens the database")
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut st = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = st.column_count();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                let vals =
                    (0..n).map(|i| r.get::<_, rusqlite::types::Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(format!("{vals:?}"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Asserts two dumps hold the same tables with the same rows, naming the first table that
/// differs (without printing its rows, which can be long).
pub fn assert_same_tables(a: &BTreeMap<String, Vec<String>>, b: &BTreeMap<String, Vec<String>>, what: &str) {
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "{what}: the tables differ");
    for (t, rows) in a {
        let other = &b[t];
        assert!(rows == other, "{what}: table {t} differs ({} rows vs {} rows)", rows.len(), other.len());
    }
}

/// A passphrase zxcvbn accepts.
pub const PASS: &str = "lingon tavla regnbåge sextiosju";
/// A second accepted passphrase, for changes.
pub const PASS2: &str = "hallonbåt mörker trettiotre vinter";

/// The test-only Argon2 floor (8 MiB, `test-kdf` feature), so tests stay fast.
pub fn kdf() -> KdfChoice {
    KdfChoice::Fixed(Argon2Params::MINIMUM)
}

/// A passphrase credential.
pub fn pass(text: &str) -> Credential {
    Credential::Passphrase(Passphrase::from(text))
}

/// A recovery key credential, parsed from what a person would type.
pub fn recovery(rk: &RecoveryKey) -> Credential {
    Credential::RecoveryKey(RecoveryKey::parse(&rk.display()).expect("display() must parse"))
}

/// A freshly created, unlocked vault in a temporary folder.
pub struct Fixture {
    /// Keeps the temporary folder alive.
    pub _tmp: TempDir,
    /// The vault folder.
    pub dir: PathBuf,
    /// The vault, unlocked.
    pub vault: Vault,
    /// The recovery key shown at creation.
    pub rk: RecoveryKey,
}

pub fn new_vault() -> Fixture {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("vault");
    let (vault, rk) = Vault::create(&dir, &Passphrase::from(PASS), kdf()).expect("create vault");
    Fixture { _tmp: tmp, dir, vault, rk }
}

/// Every regular file in `dir` (not recursive), by name.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).expect("read vault folder") {
        let entry = entry.expect("dir entry");
        if entry.file_type().expect("file type").is_file() {
            let name = entry.file_name().to_string_lossy().into_owned();
            out.insert(name, std::fs::read(entry.path()).expect("read file"));
        }
    }
    out
}

/// The file names of a snapshot, for readable assertion messages.
pub fn names(snap: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    snap.keys().map(String::as_str).collect()
}

/// Whether `needle` occurs anywhere in `hay`.
pub fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// A client input with just a name.
pub fn person(given: &str, family: &str) -> ClientInput {
    ClientInput { given_name: given.into(), family_name: family.into(), ..Default::default() }
}

/// Adds a client and opens a course for them.
pub fn client_with_course(v: &mut Vault, given: &str, family: &str) -> (Client, Course) {
    let c = v.create_client(&person(given, family)).expect("add client");
    let course = v
        .create_course(
            c.id,
            &CourseInput {
                title: "Samtalsbehandling".into(),
                reason: String::new(),
                start_date: "2026-01-15".parse().unwrap(),
            },
        )
        .expect("add course");
    (c, course)
}

/// Starts a draft with a title and body.
pub fn draft(v: &mut Vault, course: &Course, title: &str, body: &str) -> Entry {
    v.create_entry(course.id, &EntryInput { title: title.into(), body: body.into(), ..Default::default() })
        .expect("create entry")
}

/// Deterministic pseudo-random bytes (xorshift), so content is not trivially compressible.
pub fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        out.extend_from_slice(&seed.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A reference SHA-256 (FIPS 180-4), hex, to check the core's recorded digests independently.
#[allow(clippy::needless_range_loop)]
pub fn sha256_hex(data: &[u8]) -> String {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    h.iter().map(|x| format!("{x:08x}")).collect()
}

/// Standard base64 with padding, to look for a key in the encoding the key file uses.
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes hex (either case).
pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

#[test]
fn reference_helpers_match_published_vectors() {
    assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    assert_eq!(sha256_hex(two_blocks), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE=");
    assert_eq!(base64(b"M"), "TQ==");
    assert_eq!(unhex("00fFa1"), vec![0, 255, 161]);
    assert!(contains_bytes(b"xxQZXyy", b"QZX"));
    assert!(!contains_bytes(b"xxQZyy", b"QZX"));
}
