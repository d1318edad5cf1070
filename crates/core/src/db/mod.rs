//! The one place that opens SQLCipher connections. Order matters and is enforced here: key
//! first, then a read that proves the key, then pragmas, then migrations.

pub(crate) mod ids;
pub(crate) mod migrate;
pub(crate) mod pages;
pub(crate) mod rekey;
pub(crate) mod snapshot;

pub use migrate::SCHEMA_VERSION;

use std::io::Read;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use zeroize::Zeroizing;

use crate::keys::secret::DatabaseKey;
use crate::{Error, Result};

const PLAINTEXT_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether to create the database file or require it to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Existing,
    /// An existing file, opened read-only (checking a snapshot restored from a backup).
    ReadOnly,
}

/// Opens (or creates) the encrypted database at `path` with `key` and brings its schema up to
/// date. A wrong key, a plaintext or foreign file, or a newer schema is refused before any
/// write.
pub(crate) fn open(path: &Path, key: &DatabaseKey, mode: Mode) -> Result<Connection> {
    let conn = open_keyed(path, key, mode)?;
    pragmas(&conn)?;
    // rusqlite keeps 16 prepared statements by default; an import or an index rebuild cycles
    // through more than that per record, and parsing them again cost a tenth of its time.
    conn.set_prepared_statement_cache_capacity(64);
    let mut conn = conn;
    migrate::apply(&mut conn, migrate::MIGRATIONS)?;
    Ok(conn)
}

/// Opens and keys a connection and proves the key with a read, without pragmas or migrations.
pub(crate) fn open_keyed(path: &Path, key: &DatabaseKey, mode: Mode) -> Result<Connection> {
    match mode {
        Mode::Existing | Mode::ReadOnly => {
            let mut head = [0u8; 16];
            let mut f = std::fs::File::open(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => Error::DatabaseMissing,
                _ => Error::io("read the database")(e),
            })?;
            let n = f.read(&mut head).map_err(Error::io("read the database"))?;
            if n < 16 {
                return Err(Error::NotAVault("the database file is empty or truncated"));
            }
            if &head == PLAINTEXT_HEADER {
                return Err(Error::NotAVault("the database is not encrypted"));
            }
        }
        Mode::Create => {
            // Created empty and private first, so the database is never readable by others,
            // not even for the moment before SQLite writes its first page.
            drop(crate::fsutil::private_create_new(path).map_err(|e| match e {
                Error::Io { kind: std::io::ErrorKind::AlreadyExists, .. } => Error::VaultExists,
                other => other,
            })?);
        }
    }
    let flags =
        if mode == Mode::ReadOnly { OpenFlags::SQLITE_OPEN_READ_ONLY } else { OpenFlags::SQLITE_OPEN_READ_WRITE }
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | if mode == Mode::Create { OpenFlags::SQLITE_OPEN_CREATE } else { OpenFlags::empty() };
    let conn =
        Connection::open_with_flags(path, flags).map_err(|_| Error::NotAVault("the database cannot be opened"))?;

    // SQLCipher otherwise prints HMAC failures to stderr on every wrong key; our typed error
    // says it once, in words.
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE;");
    let cipher: String = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap_or_default();
    if cipher.trim().is_empty() {
        return Err(Error::EncryptionUnavailable);
    }
    let pragma = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str()));
    conn.execute_batch(&pragma).map_err(Error::from)?;
    drop(pragma);

    // PRAGMA key always succeeds; the first real read is what proves the key.
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)).map_err(|e| {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => {
                Error::NotAVault("the key file's key does not open this database")
            }
            _ => Error::from(e),
        }
    })?;
    Ok(conn)
}

/// A bulk write's page cache (KiB), instead of the usual 16 MB: an import or an index rebuild
/// touches far more pages than that in one transaction, and each page evicted and read again
/// is decrypted and its HMAC checked again (most of an import's time before, measured).
pub(crate) const BULK_CACHE_KIB: i64 = 128 * 1024;

/// Runs `f` with the page cache at [`BULK_CACHE_KIB`], then gives the memory back.
pub(crate) fn with_bulk_cache<T>(conn: &Connection, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let before: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    conn.execute_batch(&format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))?;
    let out = f();
    conn.execute_batch(&format!("PRAGMA cache_size = {before}"))?;
    out
}

/// `cache_size = -16384`: 16 MB of decrypted pages instead of SQLite's 2 MB. Every page read
/// again after eviction is decrypted and its HMAC checked again; in a 1.7 GB vault a search
/// and a client's page did that for most of what they read (measured with `confidant-bench`:
/// within one client 14.0 → 9.0 ms median, saving a note p99 10.3 → 5.5 ms). It fills only
/// as pages are read, and is freed at lock.
fn pragmas(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;
         PRAGMA secure_delete = ON;
         PRAGMA busy_timeout = 5000;
         PRAGMA cache_size = -16384;",
    )?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Internal("write-ahead logging unavailable"));
    }
    // FULL in WAL mode: a committed note survives power loss, at the price of an fsync.
    conn.execute_batch("PRAGMA synchronous = FULL;")?;
    Ok(())
}

/// Whether a database file looks like a plaintext SQLite file (used by tests and checks).
pub fn is_plaintext_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .map(|_| &head == PLAINTEXT_HEADER)
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DatabaseKey {
        DatabaseKey::generate().unwrap()
    }

    #[test]
    fn sqlcipher_is_linked_and_files_are_encrypted() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.db");
        let k = key();
        let c = open(&p, &k, Mode::Create).unwrap();
        let v: String = c.query_row("PRAGMA cipher_version", [], |r| r.get(0)).unwrap();
        assert!(!v.is_empty());
        let jm: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        assert_eq!(jm, "wal");
        let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1);
        let ts: i64 = c.query_row("PRAGMA temp_store", [], |r| r.get(0)).unwrap();
        assert_eq!(ts, 2, "temp store must be memory");
        drop(c);
        assert!(!is_plaintext_sqlite(&p));
        assert!(open(&p, &k, Mode::Existing).is_ok());
    }

    #[test]
    fn wrong_key_and_plaintext_and_missing_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.db");
        drop(open(&p, &key(), Mode::Create).unwrap());
        let before = std::fs::read(&p).unwrap();
        assert!(matches!(open(&p, &key(), Mode::Existing), Err(Error::NotAVault(_))));
        assert_eq!(std::fs::read(&p).unwrap(), before);

        let plain = dir.path().join("plain.db");
        Connection::open(&plain).unwrap().execute_batch("CREATE TABLE t(x)").unwrap();
        assert!(
            matches!(open(&plain, &key(), Mode::Existing), Err(Error::NotAVault(m)) if m.contains("not encrypted"))
        );

        assert!(matches!(open(&dir.path().join("none.db"), &key(), Mode::Existing), Err(Error::DatabaseMissing)));
        assert!(matches!(open(&p, &key(), Mode::Create), Err(Error::VaultExists)));
    }
}
