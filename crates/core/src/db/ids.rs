//! Row ids are never reused. The access log names records by id, so a new client (or note)
//! that took the id of an erased one would inherit the erased one's log rows. SQLite gives a
//! new row the largest id plus one, which reuses the id of an erased row that was the newest;
//! every insert of a record the log names therefore takes its id from here, which also counts
//! the largest id erasure ever removed (kept in `meta`).

use rusqlite::{Connection, OptionalExtension};

use crate::Result;

/// The tables whose ids the access log names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdTable {
    Client,
    Course,
    Entry,
    Attachment,
    Consent,
    Appointment,
    Invoice,
    Measure,
}

impl IdTable {
    pub(crate) const ALL: [IdTable; 8] = [
        IdTable::Client,
        IdTable::Course,
        IdTable::Entry,
        IdTable::Attachment,
        IdTable::Consent,
        IdTable::Appointment,
        IdTable::Invoice,
        IdTable::Measure,
    ];

    fn name(self) -> &'static str {
        match self {
            IdTable::Client => "client",
            IdTable::Course => "course",
            IdTable::Entry => "entry",
            IdTable::Attachment => "attachment",
            IdTable::Consent => "consent",
            IdTable::Appointment => "appointment",
            IdTable::Invoice => "invoice",
            IdTable::Measure => "measure",
        }
    }

    fn floor_key(self) -> String {
        format!("erased_max_id.{}", self.name())
    }
}

fn floor(conn: &Connection, t: IdTable) -> Result<i64> {
    let v: Option<String> = conn
        .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
        .query_row([t.floor_key()], |r| r.get(0))
        .optional()?;
    Ok(v.and_then(|s| s.parse().ok()).unwrap_or(0))
}

/// The id for the next row of `t`: above every id it holds and every id erased from it.
pub(crate) fn next(conn: &Connection, t: IdTable) -> Result<i64> {
    let max: Option<i64> =
        conn.prepare_cached(&format!("SELECT max(id) FROM {}", t.name()))?.query_row([], |r| r.get(0))?;
    Ok(max.unwrap_or(0).max(floor(conn, t)?) + 1)
}

/// Before rows of `t` are erased: remembers the largest id it holds, so it is never handed out
/// again. Call inside the erasing transaction.
pub(crate) fn retire_up_to_max(conn: &Connection, t: IdTable) -> Result<()> {
    let max: Option<i64> = conn.query_row(&format!("SELECT max(id) FROM {}", t.name()), [], |r| r.get(0))?;
    let keep = max.unwrap_or(0).max(floor(conn, t)?);
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        rusqlite::params![t.floor_key(), keep.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_erased_newest_id_is_not_handed_out_again() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             CREATE TABLE client (id INTEGER PRIMARY KEY, x TEXT);
             INSERT INTO client (id, x) VALUES (1, 'a'), (2, 'b');",
        )
        .unwrap();
        assert_eq!(next(&c, IdTable::Client).unwrap(), 3);
        retire_up_to_max(&c, IdTable::Client).unwrap();
        c.execute("DELETE FROM client WHERE id = 2", []).unwrap();
        assert_eq!(next(&c, IdTable::Client).unwrap(), 3);
        // Plain SQLite would have reused 2.
        c.execute("INSERT INTO client (x) VALUES ('c')", []).unwrap();
        assert_eq!(c.last_insert_rowid(), 2);
    }
}
