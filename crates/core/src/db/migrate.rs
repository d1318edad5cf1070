//! Embedded, add-only migrations applied all-or-nothing in one transaction. The schema version
//! lives in `PRAGMA user_version`; a database from a newer build is refused untouched.

use rusqlite::Connection;

use crate::{Error, Result};

/// One migration: the version it produces and its SQL.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// Every released migration, in order. Never edit one that has shipped; append a new one.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, sql: include_str!("../../migrations/0001_init.sql") },
    Migration { version: 2, sql: include_str!("../../migrations/0002_backup_runs.sql") },
    Migration { version: 3, sql: include_str!("../../migrations/0003_no_replace.sql") },
    Migration { version: 4, sql: include_str!("../../migrations/0004_client_rights.sql") },
    Migration { version: 5, sql: include_str!("../../migrations/0005_consent_breach.sql") },
    Migration { version: 6, sql: include_str!("../../migrations/0006_import_search.sql") },
    Migration { version: 7, sql: include_str!("../../migrations/0007_upkeep.sql") },
    Migration { version: 8, sql: include_str!("../../migrations/0008_appointments.sql") },
    Migration { version: 9, sql: include_str!("../../migrations/0009_invoices.sql") },
    Migration { version: 10, sql: include_str!("../../migrations/0010_measures.sql") },
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 10;

pub(crate) fn apply(conn: &mut Connection, migrations: &[Migration]) -> Result<()> {
    let known = migrations.last().map_or(0, |m| m.version);
    let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > known {
        return Err(Error::NewerVersion { found: current, known });
    }
    let pending: Vec<&Migration> = migrations.iter().filter(|m| m.version > current).collect();
    if pending.is_empty() {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for m in pending {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{open, open_keyed, Mode};
    use crate::keys::secret::DatabaseKey;

    fn schema(conn: &Connection) -> Vec<String> {
        let mut st = conn
            .prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
            .unwrap();
        st.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn schema_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let conn = open(&dir.path().join("v.db"), &DatabaseKey::generate().unwrap(), Mode::Create).unwrap();
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let actual = schema(&conn).join("\n") + "\n";
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema.snapshot.sql");
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(path).unwrap_or_default();
        assert_eq!(actual, expected, "schema changed: review, then rerun with UPDATE_SNAPSHOTS=1");
    }

    #[test]
    fn newer_database_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.db");
        let key = DatabaseKey::generate().unwrap();
        let conn = open(&p, &key, Mode::Create).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        drop(conn);
        let before = std::fs::read(&p).unwrap();
        let err = open(&p, &key, Mode::Existing).unwrap_err();
        assert!(
            matches!(err, Error::NewerVersion { found, known } if found == SCHEMA_VERSION + 1 && known == SCHEMA_VERSION)
        );
        assert!(err.to_string().contains("newer"));
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }

    #[test]
    fn failing_migration_leaves_old_schema_intact() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("v.db");
        let key = DatabaseKey::generate().unwrap();
        let mut conn = open_keyed(&p, &key, Mode::Create).unwrap();
        apply(&mut conn, &MIGRATIONS[..1]).unwrap();
        let before = schema(&conn);
        let broken = [
            MIGRATIONS[0],
            Migration { version: 2, sql: "CREATE TABLE new_one (x INTEGER); ALTER TABLE client ADD COLUMN y TEXT;" },
            Migration { version: 3, sql: "CREATE TABLE oops (; -- syntax error" },
        ];
        assert!(apply(&mut conn, &broken).is_err());
        assert_eq!(schema(&conn), before);
        let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
        assert_eq!(v, 1);
    }
}
