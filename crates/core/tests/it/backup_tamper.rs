//! A truncated or altered backup restores nothing, keeps nothing staged, and is reported with
//! the precise error and check: truncation at every 64 KiB STREAM chunk boundary ±1 and inside
//! the header, random bit flips (payload and header, the expected check derived from where the
//! flip landed), and targeted damage to each part of the header's key stanza.

use confidant_core::backup::{self, RestoreMode};
use confidant_core::{Code, Credential, Error};

use crate::backup::{backups, listing, no_progress, setup};
use crate::util::{pass, recovery, PASS};

/// age's STREAM: 64 KiB of plaintext per chunk plus a 16-byte tag, after the header.
const CHUNK: usize = 64 * 1024 + 16;

/// What a damaged file must be reported as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// `backup_corrupt` naming this check.
    Corrupt(&'static str),
    /// `not_a_backup` (the file no longer starts like an age file, or carries no key stanza).
    NotABackup,
    /// `newer_version` (the key stanza's version argument changed).
    NewerVersion,
}

fn header_len(file: &[u8]) -> usize {
    let mac = file.windows(5).position(|w| w == b"\n--- ").expect("age header MAC line") + 1;
    mac + file[mac..].iter().position(|b| *b == b'\n').expect("end of MAC line") + 1
}

fn check_of(e: &Error) -> Expect {
    match e {
        Error::BackupCorrupt(check) => Expect::Corrupt(check.as_str()),
        Error::NotABackup(_) => Expect::NotABackup,
        Error::NewerVersion { .. } => Expect::NewerVersion,
        other => panic!("a damaged backup reported as {:?}: {other}", other.code()),
    }
}

/// Restores `bytes` into a fresh folder with `cred`: it must fail exactly as `expect` says,
/// leaving the folder exactly as it was.
fn assert_rejected_with(bytes: &[u8], cred: &Credential, expect: Expect, what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("b.age");
    std::fs::write(&file, bytes).unwrap();
    let dest = dir.path().join("restored");
    let e = backup::restore(&file, cred, &dest, RestoreMode::New, &mut no_progress())
        .expect_err(&format!("{what}: a damaged backup must not restore"));
    assert_ne!(e.code(), Code::WrongPassphrase, "{what}: damage reported as a wrong passphrase");
    assert_eq!(check_of(&e), expect, "{what}: {e}");
    if let Expect::Corrupt(check) = expect {
        assert!(e.to_string().ends_with(&format!("(check failed: {check})")), "{what}: {e}");
    }
    assert!(!e.to_string().contains(&dir.path().display().to_string()), "no paths in the message");
    assert_eq!(listing(dir.path()), ["b.age"], "{what}: nothing restored or staged");
}

fn assert_rejected(bytes: &[u8], expect: Expect, what: &str) {
    assert_rejected_with(bytes, &pass(PASS), expect, what)
}

struct Backup {
    bytes: Vec<u8>,
    rk: confidant_core::RecoveryKey,
    key: confidant_core::DatabaseKey,
    _keep: tempfile::TempDir,
}

fn one_backup() -> Backup {
    let mut s = setup(400);
    s.fx.vault.backup_now(&s.target, &mut no_progress()).unwrap();
    let file = backups(&s.target).remove(0);
    let bytes = std::fs::read(&file).unwrap();
    // The original restores (so the failures below are caused by the damage).
    let keep = tempfile::tempdir().unwrap();
    backup::restore(&file, &pass(PASS), &keep.path().join("ok"), RestoreMode::New, &mut no_progress()).unwrap();
    let key = s.fx.vault.database_key().unwrap();
    Backup { bytes, rk: s.fx.rk, key, _keep: keep }
}

#[test]
fn truncation_at_every_chunk_boundary_is_detected() {
    let b = one_backup();
    let bytes = &b.bytes;
    let h = header_len(bytes);
    let chunks = (bytes.len() - h).div_ceil(CHUNK);
    assert!(chunks >= 6, "the test backup should span several chunks, has {chunks}");
    let mut cuts = vec![
        0,
        1,
        10,
        21,
        22,
        23,
        h / 2,
        h - 5,
        h - 1,
        h,
        h + 1,
        h + 15,
        h + 16,
        h + 17,
        bytes.len() - 1,
        bytes.len() - 16,
    ];
    for k in 1..=chunks {
        let b = h + k * CHUNK;
        cuts.extend([b - 1, b, b + 1]);
    }
    cuts.retain(|c| *c < bytes.len());
    cuts.sort_unstable();
    cuts.dedup();
    for cut in &cuts {
        // Inside the header: the header is incomplete. From its end on: the payload is.
        // (age reads the payload's 16-byte nonce with the header.)
        let expect = if *cut < h + 16 { Expect::Corrupt("age_header") } else { Expect::Corrupt("payload") };
        assert_rejected(&bytes[..*cut], expect, &format!("truncated to {cut} of {} (header {h})", bytes.len()));
    }
    eprintln!("truncation: {} cuts rejected", cuts.len());
    // Appended bytes are damage too.
    let mut longer = bytes.clone();
    longer.extend_from_slice(&[0u8; 17]);
    assert_rejected(&longer, Expect::Corrupt("payload"), "17 bytes appended");
}

// ---- A small model of the age header, to know what a flipped bit must be reported as. ----

const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Canonical unpadded base64 (what age requires): its bytes, or `None`.
fn b64(s: &[u8]) -> Option<Vec<u8>> {
    if s.len() % 4 == 1 || s.iter().any(|c| !B64.contains(c)) {
        return None;
    }
    let val = |c: u8| B64.iter().position(|x| *x == c).unwrap() as u32;
    let mut out = Vec::new();
    for chunk in s.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, c)| n | (val(*c) << (18 - 6 * i)));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let keep = chunk.len() - 1;
        // The bits past the last whole byte must be zero.
        if keep < 3 && bytes[keep..].iter().any(|b| *b != 0) {
            return None;
        }
        out.extend_from_slice(&bytes[..keep]);
    }
    Some(out)
}

struct Stanza {
    tag: Vec<u8>,
    args: Vec<Vec<u8>>,
    body: Vec<u8>,
}

/// Parses a header as the age format frames it: the version line, stanzas (`-> ` arguments,
/// base64 body in 64-column lines ending with a shorter one) and the MAC line. `None` when the
/// framing is broken.
fn parse_header(h: &[u8]) -> Option<(Vec<Stanza>, Vec<u8>)> {
    let text = h.strip_suffix(b"\n")?;
    let mut lines = text.split(|b| *b == b'\n');
    if lines.next()? != b"age-encryption.org/v1" {
        return None;
    }
    let mut stanzas = Vec::new();
    let mut lines = lines.peekable();
    loop {
        let line = lines.next()?;
        if let Some(mac) = line.strip_prefix(b"--- ") {
            let mac = b64(mac).filter(|m| m.len() == 32)?;
            return lines.next().is_none().then_some((stanzas, mac));
        }
        let rest = line.strip_prefix(b"-> ")?;
        let mut parts = rest.split(|b| *b == b' ');
        let tag = parts.next()?.to_vec();
        let args: Vec<Vec<u8>> = parts.map(<[u8]>::to_vec).collect();
        if tag.is_empty()
            || std::iter::once(&tag).chain(&args).any(|a| a.is_empty() || a.iter().any(|c| !(33..=126).contains(c)))
        {
            return None;
        }
        let mut body_text = Vec::new();
        loop {
            let l = lines.next()?;
            if l.len() > 64 {
                return None;
            }
            body_text.extend_from_slice(l);
            if l.len() < 64 {
                break;
            }
        }
        stanzas.push(Stanza { tag, args, body: b64(&body_text)? });
    }
}

/// The check a header whose only change is one flipped bit at `pos` must fail, given the
/// original header's stanzas. `None` when the flip lands in the key stanza's body, whose
/// outcome depends on the JSON field hit (see `key_stanza_damage_is_named`).
fn expected_for_header_flip(orig: &[u8], damaged: &[u8], pos: usize) -> Option<Expect> {
    if pos < b"age-encryption.org/v1\n".len() {
        // The file no longer starts like an age file.
        return Some(Expect::NotABackup);
    }
    let Some((stanzas, _mac)) = parse_header(damaged) else {
        return Some(Expect::Corrupt("age_header"));
    };
    let (before, _) = parse_header(orig).unwrap();
    let changed: Vec<usize> = (0..before.len())
        .filter(|i| {
            let (a, b) = (&before[*i], &stanzas[*i]);
            a.tag != b.tag || a.args != b.args || a.body != b.body
        })
        .collect();
    match changed.as_slice() {
        [] => Some(Expect::Corrupt("header_mac")),
        [i] => match before[*i].tag.as_slice() {
            // Still an X25519 stanza, but its share no longer decodes: a damaged header.
            b"X25519"
                if stanzas[*i].tag == b"X25519"
                    && (stanzas[*i].args.len() != 1 || b64(&stanzas[*i].args[0]).is_none_or(|a| a.len() != 32)) =>
            {
                Some(Expect::Corrupt("age_header"))
            }
            // Our X25519 stanza no longer unwraps the file key.
            b"X25519" => Some(Expect::Corrupt("key_mismatch")),
            b"confidant-keys" if before[*i].tag != stanzas[*i].tag => Some(Expect::NotABackup),
            b"confidant-keys" if before[*i].args != stanzas[*i].args => Some(Expect::NewerVersion),
            b"confidant-keys" => None,
            // age's grease stanza: only the header MAC covers it.
            _ => Some(Expect::Corrupt("header_mac")),
        },
        _ => panic!("one bit changed two stanzas"),
    }
}

#[test]
fn random_bit_flips_are_detected_with_the_check_of_where_they_landed() {
    let b = one_backup();
    let bytes = &b.bytes;
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
    let h = header_len(bytes);
    let keys = bytes.windows(19).position(|w| w == b"-> confidant-keys v").expect("key stanza");
    let keys_body = (keys + bytes[keys..].iter().position(|c| *c == b'\n').unwrap() + 1)..{
        // Up to the next stanza or the MAC line.
        keys + 3 + bytes[keys + 3..h].windows(2).position(|w| w == b"\n-").unwrap() + 1
    };
    let (mut in_header, mut in_payload) = (0, 0);
    while in_header < 30 || in_payload < 20 {
        let header = in_header < 30 && (in_payload >= 20 || next() % 2 == 0);
        let pos = if header { (next() as usize) % h } else { h + (next() as usize) % (bytes.len() - h) };
        if keys_body.contains(&pos) {
            continue; // its own test, below
        }
        let bit = (next() % 8) as u8;
        let mut d = bytes.clone();
        d[pos] ^= 1 << bit;
        let expect = if pos >= h {
            in_payload += 1;
            Expect::Corrupt("payload")
        } else {
            in_header += 1;
            expected_for_header_flip(&bytes[..h], &d[..h], pos).expect("outside the key stanza body")
        };
        assert_rejected(&d, expect, &format!("bit {bit} flipped at {pos} of header {h} (seed {seed})"));
    }
    eprintln!("bit flips: {in_header} in the header and {in_payload} in the payload, all rejected");
}

/// The key stanza's body is the vault's key file (JSON). Each kind of damage to it is named.
#[test]
fn key_stanza_damage_is_named() {
    let b = one_backup();
    let bytes = &b.bytes;
    let h = header_len(bytes);
    let (stanzas, _) = parse_header(&bytes[..h]).unwrap();
    let idx = stanzas.iter().position(|s| s.tag == b"confidant-keys").unwrap();
    let json: serde_json::Value = serde_json::from_slice(&stanzas[idx].body).unwrap();

    // Rebuilds the file with the key stanza's body (or tag) replaced; the rest is unchanged.
    let with = |tag: &str, arg: &str, body: &[u8]| -> Vec<u8> {
        let start = bytes.windows(19).position(|w| w == b"-> confidant-keys v").unwrap();
        let end = start + 3 + bytes[start + 3..h].windows(2).position(|w| w == b"\n-").unwrap() + 1;
        let mut enc = String::new();
        for chunk in body.chunks(3) {
            let n = chunk.iter().enumerate().fold(0u32, |n, (i, c)| n | (u32::from(*c) << (16 - 8 * i)));
            for i in 0..=chunk.len() {
                enc.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        let mut stanza = format!("-> {tag} {arg}\n");
        let mut rest = enc.as_str();
        loop {
            let (line, r) = rest.split_at(rest.len().min(64));
            stanza.push_str(line);
            stanza.push('\n');
            rest = r;
            if line.len() < 64 {
                break;
            }
        }
        [&bytes[..start], stanza.as_bytes(), &bytes[end..]].concat()
    };
    let edit = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut j = json.clone();
        f(&mut j);
        with("confidant-keys", "v1", &serde_json::to_vec_pretty(&j).unwrap())
    };
    // The unchanged stanza rebuilt this way is the original file byte for byte.
    assert_eq!(with("confidant-keys", "v1", &stanzas[idx].body), *bytes);
    let slot = |kind: &str| json["slots"].as_array().unwrap().iter().position(|s| s["kind"] == kind).unwrap();
    let (p, r) = (slot("passphrase"), slot("recovery"));

    let cases: Vec<(&str, Vec<u8>, Expect)> = vec![
        ("not JSON", with("confidant-keys", "v1", b"{\"format\": \"confidant-vault-k"), Expect::Corrupt("key_stanza")),
        ("not a key file", edit(&|j| j["format"] = "something else".into()), Expect::Corrupt("key_stanza")),
        (
            "no passphrase slot",
            edit(&|j| {
                j["slots"].as_array_mut().unwrap().remove(p);
            }),
            Expect::Corrupt("key_stanza"),
        ),
        (
            "invalid base64 in the passphrase slot",
            edit(&|j| j["slots"][p]["wrapped_key"] = "@@@@".into()),
            Expect::Corrupt("key_stanza"),
        ),
        (
            "a short nonce in the passphrase slot",
            edit(&|j| j["slots"][p]["nonce"] = "AAAA".into()),
            Expect::Corrupt("key_stanza"),
        ),
        (
            "an unknown cipher in the passphrase slot",
            edit(&|j| j["slots"][p]["aead"] = "rot13".into()),
            Expect::Corrupt("key_stanza"),
        ),
        (
            "another creation time",
            edit(&|j| j["created_at"] = "2020-01-01T00:00:00Z".into()),
            Expect::Corrupt("header_mac"),
        ),
        (
            "the recovery slot's key",
            edit(&|j| {
                let k = j["slots"][r]["wrapped_key"].as_str().unwrap().to_owned();
                let flipped = if k.starts_with('A') { k.replacen('A', "B", 1) } else { format!("A{}", &k[1..]) };
                j["slots"][r]["wrapped_key"] = flipped.into();
            }),
            Expect::Corrupt("header_mac"),
        ),
        ("the stanza renamed", with("confidant-kezs", "v1", &stanzas[idx].body), Expect::NotABackup),
    ];
    for (what, damaged, expect) in &cases {
        assert_rejected(damaged, *expect, what);
    }
    let e = {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("b.age");
        std::fs::write(&f, with("confidant-keys", "v2", &stanzas[idx].body)).unwrap();
        backup::verify_file(&f, &pass(PASS), &mut no_progress()).unwrap_err()
    };
    assert_eq!(e.code(), Code::NewerVersion, "a key stanza of a newer format: {e}");

    // Damage to what a slot's key is bound to: its key material, or the vault id (authenticated
    // data of every slot). The format has no checksum of the key stanza, so with a credential
    // whose slot is hit this cannot be told from a wrong credential (to be fixed in the key
    // stanza's format; see the report of this change). Every other way of opening the file
    // names the damage.
    let passphrase_slot = edit(&|j| {
        let k = j["slots"][p]["wrapped_key"].as_str().unwrap().to_owned();
        let flipped = if k.starts_with('A') { k.replacen('A', "B", 1) } else { format!("A{}", &k[1..]) };
        j["slots"][p]["wrapped_key"] = flipped.into();
    });
    let vault_id = edit(&|j| j["vault_id"] = "00000000-0000-4000-8000-000000000000".into());
    assert_rejected_with(
        &passphrase_slot,
        &recovery(&b.rk),
        Expect::Corrupt("header_mac"),
        "passphrase slot, recovery key",
    );
    for (what, damaged) in [("passphrase slot", &passphrase_slot), ("vault id", &vault_id)] {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("b.age");
        std::fs::write(&f, damaged).unwrap();
        let e = backup::verify_file_with_key(&f, &b.key, &mut no_progress()).unwrap_err();
        assert_eq!(check_of(&e), Expect::Corrupt("header_mac"), "{what}, verified with the vault's key: {e}");
    }
}

#[test]
fn damage_names_the_failing_check() {
    let b = one_backup();
    let bytes = &b.bytes;
    let h = header_len(bytes);
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
    // A character no base64 has, in the X25519 stanza's body: damaged, not "not a backup".
    let first = bytes.iter().position(|c| *c == b'\n').unwrap() + 1;
    let body = first + bytes[first..].iter().position(|c| *c == b'\n').unwrap() + 1;
    assert!(bytes[first..].starts_with(b"-> X25519 "));
    let mut framing = bytes.clone();
    framing[body + 10] = b'[';
    assert!(check(&framing).contains("check failed: age_header"), "{}", check(&framing));
}
