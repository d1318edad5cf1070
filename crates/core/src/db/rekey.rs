//! The re-encrypting copy behind a re-key: the live database exported, page by page through
//! SQL, into a new SQLCipher file under a new raw key (SQLCipher's own `sqlcipher_export`
//! recipe). The live file is only read; the copy is complete and self-contained (no `-wal`)
//! when this returns, so the re-key flow can fsync it and commit by renames.

use std::path::Path;

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::keys::secret::DatabaseKey;
use crate::{Error, Result};

/// Copies everything behind `src` (schema, rows, `user_version`) into a new file at `dest`
/// keyed with `new_key`. `dest` must not exist; it is created private first. On error the
/// caller removes `dest`.
pub(crate) fn export(src: &Connection, dest: &Path, new_key: &DatabaseKey) -> Result<()> {
    drop(crate::fsutil::private_create_new(dest)?);
    let path = dest.to_str().ok_or(Error::Internal("a vault path that is not UTF-8"))?;
    let attach = Zeroizing::new(format!("ATTACH DATABASE ?1 AS rekeyed KEY \"x'{}'\"", new_key.to_hex().as_str()));
    src.execute(&attach, [path])?;
    drop(attach);
    let result = (|| {
        let version: i64 = src.query_row("PRAGMA main.user_version", [], |r| r.get(0))?;
        src.query_row("SELECT sqlcipher_export('rekeyed')", [], |_| Ok(()))?;
        // sqlcipher_export copies schema and rows, not the header's user_version (our schema
        // version): without it the copy would look like an empty vault to the migrations.
        src.execute_batch(&format!("PRAGMA rekeyed.user_version = {version};"))?;
        Ok::<_, Error>(())
    })();
    let detached = src.execute_batch("DETACH DATABASE rekeyed");
    result?;
    detached?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{open, Mode};

    #[test]
    fn the_copy_opens_only_with_the_new_key_and_holds_every_row() {
        let d = tempfile::tempdir().unwrap();
        let (old, new) = (DatabaseKey::generate().unwrap(), DatabaseKey::generate().unwrap());
        let src = open(&d.path().join("a.db"), &old, Mode::Create).unwrap();
        src.execute_batch("INSERT INTO meta (key, value) VALUES ('probe', 'kept')").unwrap();
        let dest = d.path().join("b.db");
        export(&src, &dest, &new).unwrap();
        assert!(!crate::db::is_plaintext_sqlite(&dest));
        assert!(matches!(open(&dest, &old, Mode::Existing), Err(Error::NotAVault(_))));
        let copy = open(&dest, &new, Mode::Existing).unwrap();
        let v: String = copy.query_row("SELECT value FROM meta WHERE key = 'probe'", [], |r| r.get(0)).unwrap();
        assert_eq!(v, "kept");
        let (a, b): (i64, i64) = (
            src.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap(),
            copy.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap(),
        );
        assert_eq!(a, b);
        assert!(a > 0);
        // The attachment is gone again: the live connection sees only its own database.
        let names: Vec<String> = src
            .prepare("SELECT name FROM pragma_database_list ORDER BY seq")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert!(!names.iter().any(|n| n == "rekeyed"), "{names:?}");
    }

    #[test]
    fn an_existing_destination_is_refused_untouched() {
        let d = tempfile::tempdir().unwrap();
        let key = DatabaseKey::generate().unwrap();
        let src = open(&d.path().join("a.db"), &key, Mode::Create).unwrap();
        let dest = d.path().join("b.db");
        std::fs::write(&dest, b"precious").unwrap();
        assert!(export(&src, &dest, &key).is_err());
        assert_eq!(std::fs::read(&dest).unwrap(), b"precious");
    }
}
