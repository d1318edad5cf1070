//! Every page's HMAC of an SQLCipher 4 database file, checked from its bytes as they stream
//! past (a backup being read back), on a second thread: the same proof as
//! `PRAGMA cipher_integrity_check`, without a second pass over the file. The thread also takes
//! the file's SHA-256, so the reading thread only decrypts and writes.
//!
//! The layout is SQLCipher 4's defaults, which are the vault's (db/mod.rs sets no cipher
//! pragma): 4096-byte pages, each ending in a 16-byte IV and a 64-byte HMAC-SHA512 over the
//! encrypted page and its IV, followed by the page number (4 bytes, little-endian). Page 1
//! starts with the file's 16-byte salt, which the HMAC does not cover. With a raw key, the HMAC
//! key is PBKDF2-HMAC-SHA512(key, salt XOR 0x3a, 2 iterations, 32 bytes). A test checks this
//! against SQLCipher's own check, so a change in SQLCipher cannot slip by. SQLite never
//! writes the page that holds the byte at 1 GiB (its lock byte, `PENDING_BYTE`), so in a larger
//! file that page is zeros and is skipped, as SQLCipher's check skips it.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::keys::secret::DatabaseKey;

const PAGE: usize = 4096;
const SALT: usize = 16;
const MAC: usize = 64;
/// The page SQLite leaves unused in files over 1 GiB: `PENDING_BYTE / PAGE + 1`.
const PENDING_PAGE: u32 = (0x4000_0000 / PAGE) as u32 + 1;

type HmacSha512 = Hmac<Sha512>;

/// PBKDF2-HMAC-SHA512 for one 32-byte block: two iterations are all SQLCipher's fast KDF
/// takes, so the crate is not worth a dependency.
fn hmac_key(key: &[u8], salt: &[u8; SALT]) -> zeroize::Zeroizing<[u8; 32]> {
    let masked: Vec<u8> = salt.iter().map(|b| b ^ 0x3a).collect();
    let prf = || HmacSha512::new_from_slice(key).expect("HMAC takes any key length");
    let mut m = prf();
    m.update(&masked);
    m.update(&1u32.to_be_bytes());
    let u1 = m.finalize().into_bytes();
    let mut m = prf();
    m.update(&u1);
    let u2 = m.finalize().into_bytes();
    let mut out = zeroize::Zeroizing::new([0u8; 32]);
    for (i, o) in out.iter_mut().enumerate() {
        *o = u1[i] ^ u2[i];
    }
    out
}

/// Whether `page` (number `n`, from 1) carries the HMAC that `key` gives it.
fn page_ok(key: &[u8; 32], n: u32, page: &[u8]) -> bool {
    let start = if n == 1 { SALT } else { 0 };
    let mut m = HmacSha512::new_from_slice(key).expect("HMAC takes any key length");
    m.update(&page[start..PAGE - MAC]);
    m.update(&n.to_le_bytes());
    m.verify_slice(&page[PAGE - MAC..]).is_ok()
}

/// What the checking thread found.
pub(crate) struct Pages {
    /// Every page was whole and carried its HMAC (and there was at least one).
    pub whole: bool,
    /// The bytes fed.
    pub size: u64,
    /// Their SHA-256, hex.
    pub sha256: String,
}

/// Checks pages fed to it in order, on its own thread.
pub(crate) struct PageCheck {
    feed: Option<SyncSender<Vec<u8>>>,
    worker: Option<JoinHandle<Pages>>,
}

impl PageCheck {
    /// Starts the checking thread for a database under `key`.
    pub(crate) fn start(key: &DatabaseKey) -> PageCheck {
        Self::start_skipping(key, PENDING_PAGE)
    }

    fn start_skipping(key: &DatabaseKey, unused: u32) -> PageCheck {
        let raw: zeroize::Zeroizing<Vec<u8>> = zeroize::Zeroizing::new(key.expose().to_vec());
        let (feed, chunks): (SyncSender<Vec<u8>>, Receiver<Vec<u8>>) = sync_channel(8);
        let worker = std::thread::spawn(move || {
            let mut pending: Vec<u8> = Vec::with_capacity(2 * PAGE);
            let mut mac_key: Option<zeroize::Zeroizing<[u8; 32]>> = None;
            let mut n: u32 = 0;
            let mut ok = true;
            let (mut hash, mut size) = (Sha256::new(), 0u64);
            for chunk in chunks {
                hash.update(&chunk);
                size += chunk.len() as u64;
                if !ok {
                    continue;
                }
                pending.extend_from_slice(&chunk);
                let whole = pending.len() / PAGE * PAGE;
                for page in pending[..whole].chunks_exact(PAGE) {
                    n += 1;
                    if n == unused {
                        continue;
                    }
                    let k = mac_key.get_or_insert_with(|| {
                        let salt: [u8; SALT] = page[..SALT].try_into().expect("a page is longer than its salt");
                        hmac_key(&raw, &salt)
                    });
                    if !page_ok(k, n, page) {
                        ok = false;
                        break;
                    }
                }
                pending.drain(..whole);
            }
            Pages { whole: ok && n > 0 && pending.is_empty(), size, sha256: hex::encode(hash.finalize()) }
        });
        PageCheck { feed: Some(feed), worker: Some(worker) }
    }

    /// Hands the next bytes of the file to the checking thread.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        if let Some(f) = &self.feed {
            // A send fails only when the thread has ended, which `finish` reports.
            let _ = f.send(bytes.to_vec());
        }
    }

    /// What the thread found, once every byte has been fed.
    pub(crate) fn finish(mut self) -> crate::Result<Pages> {
        drop(self.feed.take());
        let worker = self.worker.take().ok_or(crate::Error::Internal("page check finished twice"))?;
        worker.join().map_err(|_| crate::Error::Internal("the page check failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check agrees with SQLCipher's own on a real vault database, intact and with one
    /// byte changed on each of several pages.
    #[test]
    fn agrees_with_cipher_integrity_check() {
        let dir = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate().unwrap();
        let path = dir.path().join("t.db");
        {
            let conn = crate::db::open(&path, &key, crate::db::Mode::Create).unwrap();
            conn.execute_batch("CREATE TABLE t (x TEXT); PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
            for i in 0..400 {
                conn.execute("INSERT INTO t VALUES (?1)", [format!("rad {i} {}", "x".repeat(i % 300))]).unwrap();
            }
            conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
        }
        let good = std::fs::read(&path).unwrap();
        assert!(good.len() > 10 * PAGE && good.len() % PAGE == 0);
        let ours = |bytes: &[u8]| {
            let mut c = PageCheck::start(&key);
            // Odd-sized pieces, as a stream delivers them.
            for piece in bytes.chunks(7777) {
                c.feed(piece);
            }
            let r = c.finish().unwrap();
            assert_eq!((r.size, r.sha256), (bytes.len() as u64, hex::encode(Sha256::digest(bytes))));
            r.whole
        };
        let sqlcipher = |bytes: &[u8]| {
            let p = dir.path().join("probe.db");
            std::fs::write(&p, bytes).unwrap();
            let _ = std::fs::remove_file(dir.path().join("probe.db-wal"));
            // A damaged first page already fails the read that proves the key.
            let Ok(conn) = crate::db::snapshot::open_check(&p, &key) else { return false };
            let errors: rusqlite::Result<Vec<String>> = conn
                .prepare("PRAGMA cipher_integrity_check")
                .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
            errors.is_ok_and(|e| e.is_empty())
        };
        assert!(ours(&good) && sqlcipher(&good));
        for at in [20, PAGE - 1, PAGE + 100, 5 * PAGE + PAGE - MAC - 3, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            assert!(!ours(&bad), "a changed byte at {at} is found");
            assert!(!sqlcipher(&bad), "SQLCipher finds the byte at {at} too");
        }
        // A file cut short, or cut mid-page, or empty, is not a database.
        assert!(!ours(&good[..good.len() - 1]));
        assert!(!ours(&[]));
        // The page SQLite leaves unused (here pretended to be page 5) is not checked.
        let mut hole = good.clone();
        hole[4 * PAGE..5 * PAGE].fill(0);
        let skipping = |unused: u32| {
            let mut c = PageCheck::start_skipping(&key, unused);
            c.feed(&hole);
            c.finish().unwrap().whole
        };
        assert!(skipping(5));
        assert!(!skipping(6));
        // Another key's MACs do not pass.
        let other = DatabaseKey::generate().unwrap();
        let mut c = PageCheck::start(&other);
        c.feed(&good);
        assert!(!c.finish().unwrap().whole);
    }
}
