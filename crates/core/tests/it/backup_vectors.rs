//! The C2SP CCTV age test vectors (fixtures/age-cctv, 0BSD) through the decryptor every restore
//! and verify uses (`backup::open_age`): each success vector decrypts to the right SHA-256; every
//! failure vector is rejected, and for payload failures whatever plaintext was released before
//! the error matches the vector's hash prefix rule. Vectors for the hybrid post-quantum
//! recipient are skipped and counted: age 0.12 has no identity type for them.

use std::io::Read;
use std::path::PathBuf;
use std::str::FromStr;

use confidant_core::backup;

use crate::util::sha256_hex;

struct Vector {
    name: String,
    expect: String,
    payload: String,
    identities: Vec<String>,
    passphrase: Option<String>,
    body: Vec<u8>,
}

fn load(path: &std::path::Path) -> Vector {
    let raw = std::fs::read(path).unwrap();
    let split = raw.windows(2).position(|w| w == b"\n\n").expect("vector header");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut body = raw[split + 2..].to_vec();
    let mut v = Vector {
        name: path.file_name().unwrap().to_string_lossy().into_owned(),
        expect: String::new(),
        payload: String::new(),
        identities: Vec::new(),
        passphrase: None,
        body: Vec::new(),
    };
    let mut zlib = false;
    for line in head.lines() {
        let (k, val) = line.split_once(": ").expect("key: value");
        match k {
            "expect" => v.expect = val.to_owned(),
            "payload" => v.payload = val.to_owned(),
            "identity" => v.identities.push(val.to_owned()),
            "passphrase" => v.passphrase = Some(val.to_owned()),
            "compressed" => zlib = val == "zlib",
            _ => {}
        }
    }
    if zlib {
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(body.as_slice()).read_to_end(&mut out).unwrap();
        body = out;
    }
    v.body = body;
    v
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/age-cctv/testdata")
}

#[test]
fn cctv_age_vectors() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    assert!(paths.len() >= 140, "the vectors are in the repo ({} found)", paths.len());
    let (mut passed, mut skipped, mut wrong) = (0, Vec::new(), Vec::new());
    for p in &paths {
        let v = load(p);
        if v.identities.iter().any(|i| i.starts_with("AGE-SECRET-KEY-PQ-")) {
            skipped.push(v.name.clone());
            continue;
        }
        let x25519: Vec<age::x25519::Identity> =
            v.identities.iter().map(|i| age::x25519::Identity::from_str(i).expect("vector identity")).collect();
        let scrypt = v.passphrase.as_ref().map(|pw| {
            let mut id = age::scrypt::Identity::new(age::secrecy::SecretString::from(pw.clone()));
            id.set_max_work_factor(22);
            id
        });
        let mut ids: Vec<&dyn age::Identity> = x25519.iter().map(|i| i as &dyn age::Identity).collect();
        if let Some(s) = &scrypt {
            ids.push(s);
        }
        let mut released = Vec::new();
        let result = backup::open_age(v.body.as_slice(), &ids).and_then(|mut r| {
            let mut buf = [0u8; 8192];
            loop {
                match r.read(&mut buf) {
                    Ok(0) => return Ok(()),
                    Ok(n) => released.extend_from_slice(&buf[..n]),
                    Err(_) => {
                        return Err(confidant_core::Error::BackupCorrupt(confidant_core::backup::BackupCheck::Payload))
                    }
                }
            }
        });
        let ok = match v.expect.as_str() {
            "success" => result.is_ok() && sha256_hex(&released) == v.payload,
            // Whatever was released before the failure was authenticated (matches the hash).
            "payload failure" => result.is_err() && sha256_hex(&released) == v.payload,
            _ => result.is_err() && released.is_empty(),
        };
        if ok {
            passed += 1;
        } else {
            wrong.push(format!("{} (expect {}, got {:?})", v.name, v.expect, result.err()));
        }
    }
    eprintln!(
        "age vectors: {passed} passed, {} skipped (hybrid post-quantum, unsupported by age 0.12): {skipped:?}",
        skipped.len()
    );
    assert!(wrong.is_empty(), "vectors handled wrongly: {wrong:#?}");
    assert!(skipped.len() < 25, "only the hybrid vectors may be skipped");
    assert!(passed >= 115);
}
