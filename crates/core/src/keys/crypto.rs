//! Thin wrappers over the RustCrypto primitives: random bytes, XChaCha20-Poly1305 key
//! wrapping, Argon2id and HKDF. Everything returns typed errors and zeroizing buffers.

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{Error, Result};

pub(crate) fn fill_random(buf: &mut [u8]) -> Result<()> {
    getrandom::getrandom(buf).map_err(|_| Error::Internal("the OS random generator failed"))
}

pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut b = [0u8; N];
    fill_random(&mut b)?;
    Ok(b)
}

/// Seals `plaintext` under `key`; returns (nonce, ciphertext). A fresh random 192-bit nonce
/// every time, which XChaCha makes safe without a counter.
pub(crate) fn seal(key: &[u8; 32], aad: &[u8], plaintext: &[u8]) -> Result<([u8; 24], Vec<u8>)> {
    let nonce = random::<24>()?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let ct = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
        .map_err(|_| Error::Internal("encryption failed"))?;
    Ok((nonce, ct))
}

/// Opens a sealed value; `None` when the key or associated data is wrong or the data was altered.
pub(crate) fn open(key: &[u8; 32], aad: &[u8], nonce: &[u8; 24], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = XChaCha20Poly1305::new(key.into());
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad }).ok().map(Zeroizing::new)
}

/// Argon2id cost parameters, stored in each passphrase slot so a vault made on a fast machine
/// still opens (more slowly) on a slower one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Argon2Params {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Iterations.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

/// Memory of every passphrase slot the app writes: 256 MiB. A guess then costs an attacker a
/// quarter GiB of memory for as long as the unlock takes here.
pub const WRITE_MEMORY_KIB: u32 = 256 * 1024;
/// The most passes calibration picks; with [`WRITE_MEMORY_KIB`] it bounds what the app writes.
pub const MAX_WRITE_PASSES: u32 = 8;
// One lane: the RustCrypto implementation runs lanes one after another, so more lanes would
// buy us nothing while letting an attacker's parallel implementation finish a guess sooner.
const WRITE_LANES: u32 = 1;

// What a key file may ask for: at most twice what this app can write. Anything above is a
// damaged or hostile file, refused before a single byte is allocated, so it can neither
// exhaust memory nor hang the unlock screen. The floor (8 MiB) is the test-only minimum, the
// cheapest slot any build writes; real vaults were never below 64 MiB.
const MAX_MEMORY_KIB: u32 = 2 * WRITE_MEMORY_KIB;
const MAX_T_COST: u32 = 2 * MAX_WRITE_PASSES;
const MAX_P_COST: u32 = 2 * WRITE_LANES;
const MIN_READ_MEMORY_KIB: u32 = 8 * 1024;

/// The lowest memory a new slot may have in this build: the product floor, or the test floor
/// when tests are compiled in (the `test-kdf` feature, only ever enabled by dev-dependencies).
pub(crate) const fn write_floor_kib() -> u32 {
    if cfg!(any(test, feature = "test-kdf")) {
        MIN_READ_MEMORY_KIB
    } else {
        WRITE_MEMORY_KIB
    }
}

impl Argon2Params {
    /// The cheapest slot the app writes: 256 MiB, one pass, one lane. Calibration only adds
    /// passes to it.
    pub const PRODUCT_FLOOR: Argon2Params =
        Argon2Params { m_cost_kib: WRITE_MEMORY_KIB, t_cost: 1, p_cost: WRITE_LANES };

    /// Test only: 8 MiB, one pass, so tests unlock in milliseconds. It exists only with the
    /// `test-kdf` feature (dev-dependencies) or in the core's own unit tests, so product code
    /// that names it does not compile, and without the feature `KdfChoice::Fixed` refuses
    /// anything below [`Argon2Params::PRODUCT_FLOOR`] as well.
    #[cfg(any(test, feature = "test-kdf"))]
    pub const MINIMUM: Argon2Params = Argon2Params { m_cost_kib: MIN_READ_MEMORY_KIB, t_cost: 1, p_cost: 1 };

    /// Whether a key file may ask for these parameters: within Argon2's limits and at most
    /// twice what this app writes.
    pub(crate) fn is_sane(&self) -> bool {
        (MIN_READ_MEMORY_KIB..=MAX_MEMORY_KIB).contains(&self.m_cost_kib)
            && (1..=MAX_T_COST).contains(&self.t_cost)
            && (1..=MAX_P_COST).contains(&self.p_cost)
    }

    /// Whether the app may write a new slot with these parameters: at least the floor of this
    /// build ([`Argon2Params::PRODUCT_FLOOR`] outside tests), at most what calibration picks.
    pub(crate) fn is_writable(&self) -> bool {
        self.is_writable_above(write_floor_kib())
    }

    fn is_writable_above(&self, floor_kib: u32) -> bool {
        (floor_kib..=WRITE_MEMORY_KIB).contains(&self.m_cost_kib)
            && (1..=MAX_WRITE_PASSES).contains(&self.t_cost)
            && self.p_cost == WRITE_LANES
    }

    /// Measures this machine and picks the most passes at 256 MiB whose derivation still fits
    /// in `target` (at least one pass, whatever the machine; at most [`MAX_WRITE_PASSES`]).
    pub fn calibrate(target: std::time::Duration) -> Result<Self> {
        let time = |t_cost: u32| -> Result<f64> {
            let start = std::time::Instant::now();
            argon2id(b"calibration", &[0u8; 16], Argon2Params { t_cost, ..Argon2Params::PRODUCT_FLOOR })?;
            Ok(start.elapsed().as_secs_f64())
        };
        let t = passes_within(target.as_secs_f64(), time)?;
        Ok(Argon2Params { t_cost: t, ..Argon2Params::PRODUCT_FLOOR })
    }
}

/// The most passes whose derivation, timed by `time(passes)` in seconds, fits in `target`.
///
/// One derivation is a fixed cost (allocating and faulting in 256 MiB) plus a cost per pass,
/// so one and two passes are timed and the difference is the pass. Noise (another program
/// busy for a moment) can make that difference look small, so the choice is timed for real
/// and lowered until it fits: rounding down keeps the unlock under the target, not around it.
fn passes_within(target: f64, mut time: impl FnMut(u32) -> Result<f64>) -> Result<u32> {
    let one = time(1)?;
    if 2.0 * one > target {
        return Ok(1);
    }
    let two = time(2)?;
    if two > target {
        return Ok(1);
    }
    // A pass is never taken as cheaper than a third of two passes, whatever the noise says.
    let pass = (two - one).max(two / 3.0).max(1e-4);
    let fixed = (two - 2.0 * pass).max(0.0);
    let mut t = (((target - fixed) / pass).floor() as u32).clamp(2, MAX_WRITE_PASSES);
    while t > 2 && time(t)? > target {
        t -= 1;
    }
    Ok(t)
}

pub(crate) fn argon2id(secret: &[u8], salt: &[u8], params: Argon2Params) -> Result<Zeroizing<[u8; 32]>> {
    // Checked here too, not only when the key file is parsed: nothing reaches the allocation
    // below with parameters a file could have inflated.
    if !params.is_sane() {
        return Err(Error::KeyFileCorrupt(KDF_OUT_OF_RANGE));
    }
    let p = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|_| Error::KeyFileCorrupt(KDF_OUT_OF_RANGE))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(secret, salt, out.as_mut_slice()).map_err(|_| Error::Internal("key derivation failed"))?;
    Ok(out)
}

/// The reason given for stored parameters outside [`Argon2Params`]'s accepted range.
pub(crate) const KDF_OUT_OF_RANGE: &str = "key derivation parameters out of range";

pub(crate) fn hkdf_sha256(ikm: &[u8], salt: &[u8], info: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; 32]);
    hk.expand(info, out.as_mut_slice()).map_err(|_| Error::Internal("key derivation failed"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_tamper() {
        let key = [7u8; 32];
        let (nonce, ct) = seal(&key, b"aad", b"secret").unwrap();
        assert_eq!(open(&key, b"aad", &nonce, &ct).unwrap().as_slice(), b"secret");
        assert!(open(&key, b"other", &nonce, &ct).is_none());
        assert!(open(&[8u8; 32], b"aad", &nonce, &ct).is_none());
        let mut bad = ct.clone();
        bad[0] ^= 1;
        assert!(open(&key, b"aad", &nonce, &bad).is_none());
    }

    #[test]
    fn argon2_refuses_insane_parameters() {
        let huge = Argon2Params { m_cost_kib: u32::MAX, t_cost: 1, p_cost: 1 };
        assert!(matches!(argon2id(b"x", &[0; 16], huge), Err(Error::KeyFileCorrupt(_))));
    }

    #[test]
    fn a_file_may_ask_for_at_most_twice_what_the_app_writes() {
        let most = Argon2Params { m_cost_kib: 2 * WRITE_MEMORY_KIB, t_cost: 2 * MAX_WRITE_PASSES, p_cost: 2 };
        assert!(most.is_sane());
        for over in [
            Argon2Params { m_cost_kib: most.m_cost_kib + 1, ..most },
            Argon2Params { t_cost: most.t_cost + 1, ..most },
            Argon2Params { p_cost: most.p_cost + 1, ..most },
            Argon2Params { m_cost_kib: MIN_READ_MEMORY_KIB - 1, t_cost: 1, p_cost: 1 },
            Argon2Params { t_cost: 0, ..Argon2Params::PRODUCT_FLOOR },
            Argon2Params { p_cost: 0, ..Argon2Params::PRODUCT_FLOOR },
        ] {
            assert!(!over.is_sane(), "{over:?}");
            // Refused before Argon2 allocates anything: the answer is immediate even for the
            // largest request (a real 512 MiB derivation with 16 passes takes seconds).
            let start = std::time::Instant::now();
            assert!(matches!(argon2id(b"x", &[0; 16], over), Err(Error::KeyFileCorrupt(KDF_OUT_OF_RANGE))));
            assert!(start.elapsed() < std::time::Duration::from_millis(50));
        }
        // What the app writes is always accepted back, with room for a faster machine.
        let writes = Argon2Params { t_cost: MAX_WRITE_PASSES, ..Argon2Params::PRODUCT_FLOOR };
        assert!(writes.is_writable() && writes.is_sane());
    }

    #[test]
    fn the_product_floor_is_256_mib_and_the_test_floor_is_test_only() {
        assert_eq!(Argon2Params::PRODUCT_FLOOR.m_cost_kib, 256 * 1024);
        assert!(Argon2Params::PRODUCT_FLOOR.is_writable());
        // Unit tests compile the test floor in; see `write_floor_kib`.
        assert!(Argon2Params::MINIMUM.is_writable());
        const { assert!(Argon2Params::MINIMUM.m_cost_kib < Argon2Params::PRODUCT_FLOOR.m_cost_kib) };
        assert!(!Argon2Params { m_cost_kib: 2 * WRITE_MEMORY_KIB, ..Argon2Params::PRODUCT_FLOOR }.is_writable());
        assert!(!Argon2Params { t_cost: MAX_WRITE_PASSES + 1, ..Argon2Params::PRODUCT_FLOOR }.is_writable());
        assert!(!Argon2Params { p_cost: 2, ..Argon2Params::PRODUCT_FLOOR }.is_writable());
        // What a build without the test feature accepts: nothing below 256 MiB, not even the
        // 64 MiB that older versions wrote.
        let old = Argon2Params { m_cost_kib: 64 * 1024, t_cost: 3, p_cost: 1 };
        assert!(!old.is_writable_above(WRITE_MEMORY_KIB));
        assert!(!Argon2Params::MINIMUM.is_writable_above(WRITE_MEMORY_KIB));
        assert!(Argon2Params::PRODUCT_FLOOR.is_writable_above(WRITE_MEMORY_KIB));
        assert!(old.is_sane(), "but an old 64 MiB slot still opens");
    }

    /// A machine where a derivation costs `fixed + passes × pass` seconds.
    fn machine(fixed: f64, pass: f64) -> impl FnMut(u32) -> Result<f64> {
        move |t| Ok(fixed + f64::from(t) * pass)
    }

    #[test]
    fn calibration_takes_the_most_passes_that_fit() {
        // 0.1 s to fault in the memory, 0.12 s a pass: four passes take 0.58 s.
        assert_eq!(passes_within(0.6, machine(0.1, 0.12)).unwrap(), 4);
        // A slow machine: one pass already over half the target.
        assert_eq!(passes_within(0.6, machine(0.1, 0.25)).unwrap(), 1);
        assert_eq!(passes_within(0.6, machine(0.5, 0.5)).unwrap(), 1);
        // A very fast one stops at the most the app writes.
        assert_eq!(passes_within(0.6, machine(0.001, 0.001)).unwrap(), MAX_WRITE_PASSES);
    }

    #[test]
    fn calibration_lowers_a_choice_that_noise_made_too_high() {
        // The first two timings make passes look nearly free; the real cost is then measured.
        let mut calls = 0;
        let noisy = |t: u32| {
            calls += 1;
            Ok(match calls {
                1 => 0.15,
                2 => 0.16,
                _ => 0.1 + f64::from(t) * 0.12,
            })
        };
        assert_eq!(passes_within(0.6, noisy).unwrap(), 4);
    }

    #[test]
    fn calibration_never_goes_below_the_product_floor() {
        let p = Argon2Params::calibrate(std::time::Duration::from_millis(1)).unwrap();
        assert_eq!(p, Argon2Params::PRODUCT_FLOOR);
        assert!(p.is_writable());
    }
}
