//! Helpers for the inline tests.

use crate::domain::clients::ClientInput;
use crate::{Argon2Params, KdfChoice, Passphrase, Vault};

pub(crate) const PASS: &str = "lingon tavla regnbåge sextiosju";

pub(crate) fn unlocked_vault() -> (tempfile::TempDir, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let (v, _rk) =
        Vault::create(&dir.path().join("v"), &Passphrase::from(PASS), KdfChoice::Fixed(Argon2Params::MINIMUM)).unwrap();
    (dir, v)
}

/// Every file under `dir`, recursively, by relative path: for "nothing changed" and "nothing
/// leaked" checks.
pub(crate) fn snapshot(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(name, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

pub(crate) fn client(family: &str, given: &str) -> ClientInput {
    ClientInput { given_name: given.into(), family_name: family.into(), ..Default::default() }
}

/// Signing is final in the database itself: raw SQL through the vault's own connection, and
/// through a second connection opened on the vault file with its key, cannot change or remove a
/// signed entry or an amendment (the triggers of `0001_init.sql`), while drafts stay editable.
#[cfg(test)]
mod signed_records_are_immutable_in_sql {
    use rusqlite::types::Value;
    use rusqlite::Connection;

    use super::*;
    use crate::domain::courses::CourseInput;
    use crate::domain::entries::EntryInput;

    const TIME: &str = "'2020-02-02T10:00:00.000Z'";

    struct Ids {
        client_b: i64,
        course_b: i64,
        signed: i64,
        other_signed: i64,
        draft: i64,
        amendment: i64,
    }

    /// Two clients with a course each; two signed entries (the first amended) and a draft.
    fn fixture() -> (tempfile::TempDir, Vault, Ids) {
        let (dir, mut v) = unlocked_vault();
        let course_of = |v: &mut Vault, family: &str| {
            let c = v.create_client(&client(family, "Test")).unwrap();
            let ci = CourseInput {
                title: "Förlopp".into(),
                reason: String::new(),
                start_date: "2026-01-01".parse().unwrap(),
            };
            (c.id, v.create_course(c.id, &ci).unwrap().id)
        };
        let (_a, course_a) = course_of(&mut v, "Alfa");
        let (client_b, course_b) = course_of(&mut v, "Beta");
        let input = |t: &str| EntryInput {
            title: t.into(),
            body: "Ursprunglig text".into(),
            duration_minutes: Some(50),
            tags: vec!["sömn".into()],
            ..Default::default()
        };
        let signed = v.create_entry(course_a, &input("Signerad")).unwrap().id;
        v.sign_entry(signed).unwrap();
        v.amend_entry(signed, "Rättelse", "Signerad", "Rättad text", &[]).unwrap();
        let other_signed = v.create_entry(course_a, &input("Annan")).unwrap().id;
        v.sign_entry(other_signed).unwrap();
        let draft = v.create_entry(course_a, &input("Utkast")).unwrap().id;
        let amendment = v
            .session()
            .unwrap()
            .raw_for_tests()
            .query_row("SELECT id FROM amendment WHERE entry_id = ?1", [signed], |r| r.get(0))
            .unwrap();
        (dir, v, Ids { client_b, course_b, signed, other_signed, draft, amendment })
    }

    fn columns(conn: &Connection, table: &str) -> Vec<String> {
        conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn row(conn: &Connection, table: &str, id: i64) -> Vec<Value> {
        let n = columns(conn, table).len();
        conn.query_row(&format!("SELECT * FROM {table} WHERE id = ?1"), [id], |r| {
            (0..n).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()
        })
        .unwrap()
    }

    /// Each SET clause changes the named columns to values every CHECK and foreign key accepts,
    /// so only a trigger can refuse it. Every column of the table must be covered.
    fn entry_changes(ids: &Ids, signed: bool) -> Vec<(&'static [&'static str], String)> {
        let mut v: Vec<(&'static [&'static str], String)> = vec![
            (&["id"], "id = id + 1000".into()),
            (&["client_id", "course_id"], format!("client_id = {}, course_id = {}", ids.client_b, ids.course_b)),
            (&["course_id"], format!("course_id = {}", ids.course_b)),
            (&["kind"], "kind = CASE kind WHEN 'note' THEN 'session' ELSE 'note' END".into()),
            (&["occurred_at"], format!("occurred_at = {TIME}")),
            (&["recorded_at"], format!("recorded_at = {TIME}")),
            (&["duration_minutes"], "duration_minutes = coalesce(duration_minutes, 0) + 1".into()),
            (&["duration_minutes"], "duration_minutes = NULL".into()),
            (&["title"], "title = title || ' (ändrad)'".into()),
            (&["body"], "body = 'omskriven text'".into()),
            (&["tags"], "tags = '[\"ny\"]'".into()),
            (&["template_id"], "template_id = 'builtin:soap'".into()),
            (&["signed_by"], "signed_by = 'Någon annan, leg. psykolog'".into()),
            (&["content_sha256"], "content_sha256 = '00'".into()),
            (&["created_at"], format!("created_at = {TIME}")),
            (&["updated_at"], format!("updated_at = {TIME}")),
        ];
        if signed {
            v.push((&["status", "signed_at"], "status = 'draft', signed_at = NULL".into()));
            v.push((&["signed_at"], format!("signed_at = {TIME}")));
            // Even an update that changes nothing.
            v.push((&["title"], "title = title".into()));
        } else {
            v.push((&["status", "signed_at"], format!("status = 'signed', signed_at = {TIME}")));
        }
        v
    }

    fn amendment_changes(ids: &Ids) -> Vec<(&'static [&'static str], String)> {
        vec![
            (&["id"], "id = id + 1000".into()),
            (&["entry_id"], format!("entry_id = {}", ids.other_signed)),
            (&["amended_at"], format!("amended_at = {TIME}")),
            (&["reason"], "reason = 'En annan anledning'".into()),
            (&["title"], "title = 'Ny rubrik'".into()),
            (&["body"], "body = 'Ny text'".into()),
            (&["tags"], "tags = '[\"ny\"]'".into()),
            (&["reason"], "reason = reason".into()),
        ]
    }

    fn assert_covers(conn: &Connection, table: &str, changes: &[(&[&str], String)]) {
        for c in columns(conn, table) {
            assert!(changes.iter().any(|(cols, _)| cols.contains(&c.as_str())), "{table}.{c} is not exercised");
        }
    }

    fn assert_refused(r: rusqlite::Result<usize>, message: &str, what: &str) {
        match r {
            Err(rusqlite::Error::SqliteFailure(e, Some(m))) => {
                assert_eq!(e.code, rusqlite::ErrorCode::ConstraintViolation, "{what}");
                assert_eq!(m, message, "{what}");
            }
            other => panic!("{what}: expected the trigger to refuse with {message:?}, got {other:?}"),
        }
    }

    /// Every change to signed entries and amendments is refused and leaves the rows as they were.
    fn signed_rows_refuse_every_change(conn: &Connection, ids: &Ids) {
        const IMMUTABLE: &str = "signed entry is immutable";
        let changes = entry_changes(ids, true);
        assert_covers(conn, "entry", &changes);
        for id in [ids.signed, ids.other_signed] {
            let before = row(conn, "entry", id);
            for (_, set) in &changes {
                let r = conn.execute(&format!("UPDATE entry SET {set} WHERE id = ?1"), [id]);
                assert_refused(r, IMMUTABLE, &format!("UPDATE entry SET {set} (signed entry {id})"));
            }
            assert_refused(conn.execute("DELETE FROM entry WHERE id = ?1", [id]), IMMUTABLE, "DELETE signed entry");
            assert_eq!(row(conn, "entry", id), before, "signed entry {id} unchanged");
        }
        // A statement touching a draft and a signed entry together fails as a whole.
        let draft = row(conn, "entry", ids.draft);
        assert_refused(conn.execute("UPDATE entry SET body = 'x'", []), IMMUTABLE, "UPDATE of every entry");
        assert_refused(conn.execute("DELETE FROM entry", []), IMMUTABLE, "DELETE of every entry");
        assert_eq!(row(conn, "entry", ids.draft), draft, "the draft was not changed by the failed statements");

        let changes = amendment_changes(ids);
        assert_covers(conn, "amendment", &changes);
        let before = row(conn, "amendment", ids.amendment);
        for (_, set) in &changes {
            let r = conn.execute(&format!("UPDATE amendment SET {set} WHERE id = ?1"), [ids.amendment]);
            assert_refused(r, IMMUTABLE, &format!("UPDATE amendment SET {set}"));
        }
        assert_refused(
            conn.execute("DELETE FROM amendment WHERE id = ?1", [ids.amendment]),
            IMMUTABLE,
            "DELETE amendment",
        );
        assert_eq!(row(conn, "amendment", ids.amendment), before, "amendment unchanged");
        // REPLACE deletes the conflicting row without firing delete triggers: refused too.
        for id in [ids.signed, ids.other_signed] {
            let before = row(conn, "entry", id);
            for verb in ["INSERT OR REPLACE", "REPLACE"] {
                let r = conn.execute(
                    &format!(
                        "{verb} INTO entry SELECT id, client_id, course_id, kind, occurred_at, recorded_at,
                       duration_minutes, 'overwritten', body, tags, template_id, status, signed_at, content_sha256,
                       created_at, updated_at, signed_by FROM entry WHERE id = ?1"
                    ),
                    [id],
                );
                assert_refused(r, IMMUTABLE, &format!("{verb} signed entry {id}"));
            }
            assert_eq!(row(conn, "entry", id), before, "signed entry {id} unchanged by REPLACE");
        }
        let r = conn.execute(
            "INSERT OR REPLACE INTO amendment SELECT id, entry_id, amended_at, reason, 'overwritten', body, tags
             FROM amendment WHERE id = ?1",
            [ids.amendment],
        );
        assert_refused(r, IMMUTABLE, "REPLACE amendment");
        assert_eq!(row(conn, "amendment", ids.amendment), before, "amendment unchanged by REPLACE");
        let r = conn.execute(
            "INSERT OR REPLACE INTO access_log SELECT seq, at, 'lock', object_kind, object_id, client_id, prev_mac, mac
             FROM access_log WHERE seq = 1",
            [],
        );
        assert_refused(r, "access log is append-only", "REPLACE access-log row");
        // Amendments are only for signed entries.
        assert_refused(
            conn.execute(
                "INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags)
                 VALUES (?1, '2026-01-01T00:00:00.000Z', 'skäl', 't', 'b', '[]')",
                [ids.draft],
            ),
            "amendment of unsigned entry",
            "amending a draft",
        );
    }

    /// The same changes to a draft succeed (each in a savepoint rolled back afterwards), and a
    /// draft can be deleted.
    fn drafts_stay_editable(conn: &Connection, ids: &Ids) {
        let changes = entry_changes(ids, false);
        assert_covers(conn, "entry", &changes);
        let before = row(conn, "entry", ids.draft);
        for (_, set) in &changes {
            conn.execute_batch("SAVEPOINT edit").unwrap();
            let n = conn
                .execute(&format!("UPDATE entry SET {set} WHERE id = ?1"), [ids.draft])
                .unwrap_or_else(|e| panic!("UPDATE entry SET {set} on a draft: {e}"));
            assert_eq!(n, 1, "{set}");
            let after: Option<Vec<Value>> = conn
                .query_row("SELECT count(*) FROM entry WHERE id = ?1", [ids.draft], |r| r.get::<_, i64>(0))
                .ok()
                .filter(|n| *n == 1)
                .map(|_| row(conn, "entry", ids.draft));
            assert_ne!(after.as_ref(), Some(&before), "{set} changed the draft");
            conn.execute_batch("ROLLBACK TO edit; RELEASE edit").unwrap();
        }
        conn.execute_batch("SAVEPOINT edit").unwrap();
        assert_eq!(conn.execute("DELETE FROM entry WHERE id = ?1", [ids.draft]).unwrap(), 1);
        conn.execute_batch("ROLLBACK TO edit; RELEASE edit").unwrap();
        assert_eq!(row(conn, "entry", ids.draft), before);
    }

    #[test]
    fn through_the_vaults_own_connection() {
        let (_d, mut v, ids) = fixture();
        let conn = &v.session().unwrap().raw_for_tests();
        signed_rows_refuse_every_change(conn, &ids);
        drafts_stay_editable(conn, &ids);
        // The rules, not just the rows: the API still reads the signed entry as it was signed.
        let e = v.get_entry(ids.signed).unwrap();
        assert_eq!(e.status, crate::domain::entries::EntryStatus::Signed);
    }

    #[test]
    fn through_a_second_connection_on_the_vault_file() {
        let (_d, mut v, ids) = fixture();
        let key = v.database_key().unwrap();
        let path = v.dir().join(crate::paths::DB_FILE);
        v.lock();
        let conn = crate::db::open(&path, &key, crate::db::Mode::Existing).unwrap();
        signed_rows_refuse_every_change(&conn, &ids);
        drafts_stay_editable(&conn, &ids);
    }
}
