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

/// The floor for new passphrase slots: 64 MiB.
pub(crate) const MIN_MEMORY_KIB: u32 = 64 * 1024;
// Refuse absurd stored parameters instead of trying to allocate them: a damaged or hostile key
// file must not be able to exhaust memory or hang the unlock screen.
const MAX_MEMORY_KIB: u32 = 2 * 1024 * 1024;
const MAX_T_COST: u32 = 64;
const MAX_P_COST: u32 = 16;

impl Argon2Params {
    /// The minimum accepted for new slots: 64 MiB, one pass, one lane.
    pub const MINIMUM: Argon2Params = Argon2Params { m_cost_kib: MIN_MEMORY_KIB, t_cost: 1, p_cost: 1 };

    pub(crate) fn is_sane(&self) -> bool {
        (8 * 1024..=MAX_MEMORY_KIB).contains(&self.m_cost_kib)
            && (1..=MAX_T_COST).contains(&self.t_cost)
            && (1..=MAX_P_COST).contains(&self.p_cost)
    }

    /// Measures this machine and picks the pass count that makes one derivation take about
    /// `target` at 64 MiB (never fewer than one pass, at most 16).
    pub fn calibrate(target: std::time::Duration) -> Result<Self> {
        let time = |params: Argon2Params| -> Result<f64> {
            let start = std::time::Instant::now();
            argon2id(b"calibration", &[0u8; 16], params)?;
            Ok(start.elapsed().as_secs_f64().max(1e-3))
        };
        let target = target.as_secs_f64();
        let probe = Argon2Params::MINIMUM;
        // A single pass overstates the per-pass cost (allocation is paid once), so the first
        // estimate is refined by timing it for real.
        let first = ((target / time(probe)?).round() as u32).clamp(1, 16);
        let estimate = Argon2Params { t_cost: first, ..probe };
        let refined = (f64::from(first) * target / time(estimate)?).round() as u32;
        Ok(Argon2Params { t_cost: refined.clamp(1, 16), ..probe })
    }
}

pub(crate) fn argon2id(secret: &[u8], salt: &[u8], params: Argon2Params) -> Result<Zeroizing<[u8; 32]>> {
    if !params.is_sane() {
        return Err(Error::KeyFileCorrupt("key derivation parameters out of range"));
    }
    let p = Params::new(params.m_cost_kib, params.t_cost, params.p_cost, Some(32))
        .map_err(|_| Error::KeyFileCorrupt("key derivation parameters out of range"))?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, p);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(secret, salt, out.as_mut_slice()).map_err(|_| Error::Internal("key derivation failed"))?;
    Ok(out)
}

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
    fn calibration_respects_the_floor() {
        let p = Argon2Params::calibrate(std::time::Duration::from_millis(1)).unwrap();
        assert!(p.m_cost_kib >= MIN_MEMORY_KIB);
        assert!(p.t_cost >= 1);
    }
}
