//! The recovery key: 160 random bits a person writes down or prints, shown once at creation.
//!
//! Written as nine groups of four Crockford base32 characters (`7K3M-Q9XD-…`): no I, L, O or U,
//! case-insensitive, and the last group is a checksum so a mistyped character is caught before
//! any unlock is attempted.

use secrecy::{ExposeSecret, SecretBox};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::{Error, Result};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const SECRET_BYTES: usize = 20;
const SECRET_CHARS: usize = 32;
const CHECK_CHARS: usize = 4;
const GROUP: usize = 4;

/// A recovery key. Display it with [`RecoveryKey::display`] exactly once, at creation.
pub struct RecoveryKey(SecretBox<[u8; SECRET_BYTES]>);

impl RecoveryKey {
    pub(crate) fn generate() -> Result<Self> {
        let bytes = super::crypto::random::<SECRET_BYTES>()?;
        Ok(RecoveryKey(SecretBox::new(Box::new(bytes))))
    }

    pub(crate) fn expose(&self) -> &[u8; SECRET_BYTES] {
        self.0.expose_secret()
    }

    /// Parses what a person typed: case, spaces and hyphens do not matter, and the easily
    /// confused letters I/L (read as 1) and O (read as 0) are accepted.
    pub fn parse(text: &str) -> Result<Self> {
        let mut values = Zeroizing::new(Vec::with_capacity(SECRET_CHARS + CHECK_CHARS));
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                other => other,
            };
            let v = ALPHABET
                .iter()
                .position(|&a| a as char == c)
                .ok_or(Error::InvalidRecoveryKey("it contains a character that is not used in recovery keys"))?;
            values.push(v as u8);
        }
        if values.len() != SECRET_CHARS + CHECK_CHARS {
            return Err(Error::InvalidRecoveryKey("it should be 36 characters in 9 groups of 4"));
        }
        let bytes = from_base32(&values[..SECRET_CHARS]);
        if checksum_chars(&bytes) != values[SECRET_CHARS..] {
            return Err(Error::InvalidRecoveryKey("the check group does not match; look for a typo"));
        }
        Ok(RecoveryKey(SecretBox::new(Box::new(*bytes))))
    }

    /// The key in groups of four, for showing once or printing. Zeroized on drop.
    pub fn display(&self) -> Zeroizing<String> {
        let mut chars = Zeroizing::new(Vec::with_capacity(SECRET_CHARS + CHECK_CHARS));
        chars.extend_from_slice(&to_base32(self.expose()));
        chars.extend_from_slice(&checksum_chars(self.expose()));
        let mut out = Zeroizing::new(String::with_capacity(45));
        for (i, v) in chars.iter().enumerate() {
            if i > 0 && i % GROUP == 0 {
                out.push('-');
            }
            out.push(ALPHABET[*v as usize] as char);
        }
        out
    }
}

impl std::fmt::Debug for RecoveryKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecoveryKey([REDACTED])")
    }
}

fn to_base32(bytes: &[u8; SECRET_BYTES]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(SECRET_CHARS));
    // 20 bytes are exactly 160 bits: 32 groups of five, no padding.
    for chunk in bytes.chunks(5) {
        let mut acc: u64 = 0;
        for b in chunk {
            acc = (acc << 8) | u64::from(*b);
        }
        for i in (0..8).rev() {
            out.push(((acc >> (i * 5)) & 31) as u8);
        }
    }
    out
}

fn from_base32(values: &[u8]) -> Zeroizing<[u8; SECRET_BYTES]> {
    let mut out = Zeroizing::new([0u8; SECRET_BYTES]);
    for (ci, chunk) in values.chunks(8).enumerate() {
        let mut acc: u64 = 0;
        for v in chunk {
            acc = (acc << 5) | u64::from(*v);
        }
        for i in 0..5 {
            out[ci * 5 + i] = (acc >> ((4 - i) * 8)) as u8;
        }
    }
    out
}

fn checksum_chars(bytes: &[u8; SECRET_BYTES]) -> [u8; CHECK_CHARS] {
    let digest = Sha256::new().chain_update(b"confidant recovery key v1").chain_update(bytes).finalize();
    let acc = (u32::from(digest[0]) << 12) | (u32::from(digest[1]) << 4) | (u32::from(digest[2]) >> 4);
    [((acc >> 15) & 31) as u8, ((acc >> 10) & 31) as u8, ((acc >> 5) & 31) as u8, (acc & 31) as u8]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_parse_round_trip() {
        let k = RecoveryKey::generate().unwrap();
        let shown = k.display();
        assert_eq!(shown.len(), 36 + 8);
        assert_eq!(shown.split('-').count(), 9);
        let back = RecoveryKey::parse(&shown).unwrap();
        assert_eq!(back.expose(), k.expose());
        let sloppy = shown.to_lowercase().replace('-', " ");
        assert_eq!(RecoveryKey::parse(&sloppy).unwrap().expose(), k.expose());
    }

    #[test]
    fn confusable_letters_are_read_as_digits() {
        let k = RecoveryKey(SecretBox::new(Box::new([0u8; SECRET_BYTES])));
        let shown = k.display();
        assert!(shown.starts_with("0000-"));
        let typed = shown.replacen('0', "O", 3);
        assert!(RecoveryKey::parse(&typed).is_ok());
    }

    #[test]
    fn every_single_character_typo_is_caught() {
        let k = RecoveryKey::generate().unwrap();
        let shown: Vec<char> = k.display().chars().collect();
        let mut caught = 0;
        let mut tried = 0;
        for i in 0..shown.len() {
            if shown[i] == '-' {
                continue;
            }
            for &sub in ALPHABET.iter() {
                let sub = sub as char;
                if sub == shown[i] {
                    continue;
                }
                let mut typo = shown.clone();
                typo[i] = sub;
                let typed: String = typo.into_iter().collect();
                tried += 1;
                if matches!(RecoveryKey::parse(&typed), Err(Error::InvalidRecoveryKey(_))) {
                    caught += 1;
                }
            }
        }
        // A 20-bit check misses a random corruption with probability 2^-20: over ~1100 typos
        // we accept at most one miss rather than pretend it is perfect.
        assert!(tried - caught <= 1, "{caught}/{tried} typos caught");
    }

    #[test]
    fn wrong_length_and_characters_are_named() {
        assert!(matches!(RecoveryKey::parse("ABCD-EFGH"), Err(Error::InvalidRecoveryKey(m)) if m.contains("36")));
        assert!(
            matches!(RecoveryKey::parse("ABCD-EFGH-UUUU"), Err(Error::InvalidRecoveryKey(m)) if m.contains("character"))
        );
    }
}
