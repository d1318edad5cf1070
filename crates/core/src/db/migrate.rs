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
    Migration { version: 11, sql: include_str!("../../migrations/0011_contact_kinds.sql") },
    Migration { version: 12, sql: include_str!("../../migrations/0012_custom_instruments.sql") },
    Migration { version: 13, sql: include_str!("../../migrations/0013_invoice_purge.sql") },
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = 13;

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
    // Foreign keys are off while migrating, as SQLite's procedure for rebuilding a table asks
    // (https://sqlite.org/lang_altertable.html#otheralter): with them on, dropping the old
    // table would delete through every row that refers to it. The pragma is a no-op inside a
    // transaction, so it is set around it, and the check below stands in for it.
    conn.execute_batch("PRAGMA foreign_keys = OFF")?;
    let applied = apply_pending(conn, &pending);
    // A migration that failed half-way may have left the legacy rename mode on (0011).
    conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA legacy_alter_table = OFF;")?;
    applied
}

fn apply_pending(conn: &mut Connection, pending: &[&Migration]) -> Result<()> {
    let tx = conn.transaction()?;
    for m in pending {
        tx.execute_batch(m.sql)?;
        tx.pragma_update(None, "user_version", m.version)?;
    }
    let broken: i64 = tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    if broken > 0 {
        return Err(Error::Internal("a migration broke a reference"));
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

    /// Migration 11 rebuilds `entry` (a CHECK cannot change in place). Every row, reference and
    /// rule on the table must come through as it was, with foreign keys back on after.
    #[test]
    fn rebuilding_entry_keeps_rows_references_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = open_keyed(&dir.path().join("v.db"), &DatabaseKey::generate().unwrap(), Mode::Create).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = ON").unwrap();
        apply(&mut conn, &MIGRATIONS[..10]).unwrap();
        conn.execute_batch(
            "INSERT INTO client (id, uid, given_name, family_name, created_at, updated_at)
                 VALUES (1, 'u1', 'A', 'B', 't', 't');
             INSERT INTO course (id, client_id, title, start_date, created_at, updated_at)
                 VALUES (1, 1, 'c', '2026-01-01', 't', 't');
             INSERT INTO entry (id, client_id, course_id, kind, occurred_at, recorded_at, title, body, status,
                                signed_at, content_sha256, created_at, updated_at, signed_by)
                 VALUES (7, 1, 1, 'session', 'o', 'r', 'Besök 1', 'text', 'signed', 's', 'h', 't', 't', 'X');
             INSERT INTO entry (id, client_id, course_id, kind, occurred_at, recorded_at, created_at, updated_at)
                 VALUES (8, 1, 1, 'note', 'o', 'r', 't', 't');
             INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags) VALUES (7, 'a', 'r', 't', 'b', '[]');
             INSERT INTO appointment (client_id, course_id, starts_at, minutes, kind, attendance, entry_id, created_at, updated_at)
                 VALUES (1, 1, 's', 50, 'individual', 'attended', 8, 't', 't');",
        )
        .unwrap();
        let rows = |c: &Connection| -> Vec<String> {
            c.prepare("SELECT quote(id) || quote(kind) || quote(title) || quote(status) || quote(content_sha256) || quote(signed_by) FROM entry ORDER BY id")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let on_entry = |c: &Connection| -> Vec<String> {
            c.prepare("SELECT type || ' ' || name || ': ' || sql FROM sqlite_schema WHERE tbl_name = 'entry' AND type IN ('index', 'trigger') ORDER BY type, name")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        let (before, rules) = (rows(&conn), on_entry(&conn));
        apply(&mut conn, MIGRATIONS).unwrap();
        assert_eq!(rows(&conn), before);
        assert_eq!(on_entry(&conn), rules, "the same indexes and triggers, word for word");
        let fk: i64 = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0)).unwrap();
        assert_eq!(fk, 1, "foreign keys are on again");
        let err = conn.execute("UPDATE entry SET title = 'x' WHERE id = 7", []).unwrap_err();
        assert!(err.to_string().contains("signed entry is immutable"));
        assert!(conn.execute("DELETE FROM entry WHERE id = 7", []).is_err());
        assert!(
            conn.execute("DELETE FROM entry WHERE id = 8", []).is_err(),
            "the session's reference to the draft holds"
        );
        conn.execute("UPDATE entry SET kind = 'video' WHERE id = 8", []).unwrap();
        conn.execute("UPDATE entry SET kind = 'no_show' WHERE id = 8", []).unwrap();
        assert!(conn.execute("UPDATE entry SET kind = 'dance' WHERE id = 8", []).is_err());
        conn.execute("INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags) VALUES (99, 'a', 'r', 't', 'b', '[]')", [])
            .unwrap_err();
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
