//! Prints what a passphrase unlock costs with the product key derivation: the Argon2id
//! parameters calibration picks on this machine and the wall time of full unlocks (re-read the
//! key file, derive, unwrap, open the database, write the log row), which must stay ≤ 1 s.
//!
//! `cargo run --release -p confidant-core --example unlock_bench [UNLOCKS]`

use std::time::{Duration, Instant};

use confidant_core::keys::keyfile::{Kdf, KeyFile, SlotKind};
use confidant_core::{Credential, KdfChoice, Passphrase, Vault, KDF_TARGET};

const PASS: &str = "lingon tavla regnbåge sextiosju";

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(7).max(1);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("vault");

    let t = Instant::now();
    let (mut v, _rk) = Vault::create(&dir, &Passphrase::from(PASS), KdfChoice::Calibrate).expect("create");
    let created = t.elapsed();
    let keys = KeyFile::load(&dir.join(confidant_core::paths::KEY_FILE)).expect("key file");
    let Some(Kdf::Argon2id { params, .. }) = keys.slot(SlotKind::Passphrase).map(|s| &s.kdf) else {
        panic!("no Argon2id passphrase slot");
    };
    println!(
        "Argon2id: {} MiB, {} passes, {} lane(s) (target {} for the derivation)",
        params.m_cost_kib / 1024,
        params.t_cost,
        params.p_cost,
        ms(KDF_TARGET)
    );
    println!("create (calibration and a new database): {}", ms(created));

    let cred = Credential::Passphrase(Passphrase::from(PASS));
    let mut unlocks = Vec::with_capacity(n);
    for _ in 0..n {
        v.lock();
        let t = Instant::now();
        v.unlock(&cred).expect("unlock");
        unlocks.push(t.elapsed());
    }
    unlocks.sort();
    println!(
        "full unlock with the passphrase, {n} runs: min {}, median {}, max {}",
        ms(unlocks[0]),
        ms(unlocks[n / 2]),
        ms(unlocks[n - 1])
    );
}
