//! The access log: every read of a client's record, every change, signing, amendment,
//! attachment read, search, unlock and lock. Rows carry ids and actions only, never names or
//! text. Each row's MAC covers the previous row's MAC, and the head (last seq and MAC) is kept
//! in `meta` in the same transaction, so an edited, inserted or deleted row — including the
//! last one — breaks verification.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::kinds::ObjectKind;
use crate::{Error, Result};

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

closed_enum! {
    /// What happened.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum Action {
        /// The vault was created.
        VaultCreate,
        /// The vault was unlocked.
        Unlock,
        /// The vault was locked.
        Lock,
        /// Passphrase, recovery key or "remember" changed.
        KeyChange,
        /// The practice profile changed.
        ProfileUpdate,
        /// The client list was read.
        ClientList,
        /// A client was created.
        ClientCreate,
        /// A client's record was read.
        ClientRead,
        /// A client's details changed.
        ClientUpdate,
        /// A client was archived or reactivated.
        ClientStatus,
        /// A course of treatment was created.
        CourseCreate,
        /// A course of treatment changed or closed.
        CourseUpdate,
        /// A journal entry was created.
        EntryCreate,
        /// A journal entry was read.
        EntryRead,
        /// A draft changed.
        EntryUpdate,
        /// An entry was signed.
        EntrySign,
        /// A signed entry was amended.
        EntryAmend,
        /// A client's logbook (list of entries) was read.
        LogbookRead,
        /// An attachment was added.
        AttachmentAdd,
        /// An attachment's content was read.
        AttachmentRead,
        /// A search ran.
        Search,
        /// The access log was read.
        LogRead,
        /// A backup ran (verified, failed or cancelled).
        BackupRun,
    }
}

impl Action {
    /// The stored name (`client_read`).
    pub fn as_str(self) -> &'static str {
        crate::kinds::serde_name(&self)
    }
}

impl rusqlite::types::FromSql for Action {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        crate::kinds::from_sql_closed(v)
    }
}

/// One row of the access log as shown to the therapist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// What.
    pub action: Action,
    /// Kind of object.
    pub object_kind: Option<ObjectKind>,
    /// Its id.
    pub object_id: Option<i64>,
    /// The client concerned, if any.
    pub client_id: Option<i64>,
}

/// The result of a successful verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogVerification {
    /// How many rows were checked.
    pub rows: i64,
}

/// What a log row refers to.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Target {
    pub kind: Option<ObjectKind>,
    pub id: Option<i64>,
    pub client: Option<i64>,
}

impl Target {
    pub(crate) fn none() -> Self {
        Target::default()
    }
    pub(crate) fn client(id: i64) -> Self {
        Target { kind: Some(ObjectKind::Client), id: Some(id), client: Some(id) }
    }
    pub(crate) fn object(kind: ObjectKind, id: i64, client: i64) -> Self {
        Target { kind: Some(kind), id: Some(id), client: Some(client) }
    }
    /// A record that belongs to no client (a backup run, a template).
    pub(crate) fn record(kind: ObjectKind, id: i64) -> Self {
        Target { kind: Some(kind), id: Some(id), client: None }
    }
}

#[allow(clippy::too_many_arguments)]
fn mac(
    key: &[u8; 32],
    prev: &str,
    seq: i64,
    at: &str,
    action: &str,
    kind: Option<&str>,
    id: Option<i64>,
    client: Option<i64>,
) -> String {
    let mut m =
        <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    let line = format!(
        "{prev}\n{seq}\n{at}\n{action}\n{}\n{}\n{}",
        kind.unwrap_or(""),
        id.map(|v| v.to_string()).unwrap_or_default(),
        client.map(|v| v.to_string()).unwrap_or_default()
    );
    m.update(line.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

fn head(conn: &Connection) -> Result<(i64, String)> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'log_head'", [], |r| r.get(0)).optional()?;
    match v {
        None => Ok((0, GENESIS.to_owned())),
        Some(s) => {
            let (seq, mac) =
                s.split_once(':').ok_or(Error::LogTampered { seq: 0, problem: "the log head is damaged" })?;
            let seq = seq.parse().map_err(|_| Error::LogTampered { seq: 0, problem: "the log head is damaged" })?;
            Ok((seq, mac.to_owned()))
        }
    }
}

/// Appends a row. Call inside the transaction of the change it records.
pub(crate) fn append(conn: &Connection, key: &[u8; 32], action: Action, t: Target) -> Result<()> {
    // The row and the head move together even when called outside a transaction (unlock,
    // lock): a crash between the two would leave a head behind the rows, and every later
    // append would collide with an existing sequence number. (A savepoint nests inside the
    // caller's transaction and is a transaction of its own outside one.)
    conn.execute_batch("SAVEPOINT audit_append")?;
    match append_inner(conn, key, action, t) {
        Ok(()) => {
            conn.execute_batch("RELEASE audit_append")?;
            Ok(())
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK TO audit_append; RELEASE audit_append");
            Err(e)
        }
    }
}

fn append_inner(conn: &Connection, key: &[u8; 32], action: Action, t: Target) -> Result<()> {
    let (last, prev) = head(conn)?;
    let seq = last + 1;
    let at = crate::time::now_string();
    let action = action.as_str();
    let kind = t.kind.map(ObjectKind::as_str);
    let m = mac(key, &prev, seq, &at, action, kind, t.id, t.client);
    conn.execute(
        "INSERT INTO access_log (seq, at, action, object_kind, object_id, client_id, prev_mac, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, action, kind, t.id, t.client, prev, m],
    )?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('log_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{m}")],
    )?;
    Ok(())
}

/// Walks the whole chain; the first broken row is reported.
pub(crate) fn verify(conn: &Connection, key: &[u8; 32]) -> Result<LogVerification> {
    let mut st = conn.prepare(
        "SELECT seq, at, action, object_kind, object_id, client_id, prev_mac, mac FROM access_log ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let at: String = r.get(1)?;
        let action: String = r.get(2)?;
        let kind: Option<String> = r.get(3)?;
        let id: Option<i64> = r.get(4)?;
        let client: Option<i64> = r.get(5)?;
        let prev_mac: String = r.get(6)?;
        let row_mac: String = r.get(7)?;
        if seq != expected_seq {
            return Err(Error::LogTampered { seq: expected_seq, problem: "a row is missing or was inserted" });
        }
        if prev_mac != prev {
            return Err(Error::LogTampered { seq, problem: "the chain is broken" });
        }
        if mac(key, &prev_mac, seq, &at, &action, kind.as_deref(), id, client) != row_mac {
            return Err(Error::LogTampered { seq, problem: "the row was altered" });
        }
        prev = row_mac;
        expected_seq += 1;
    }
    let (head_seq, head_mac) = head(conn)?;
    if head_seq != expected_seq - 1 || head_mac != prev {
        return Err(Error::LogTampered { seq: expected_seq, problem: "rows at the end were removed or added" });
    }
    Ok(LogVerification { rows: expected_seq - 1 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::unlocked_vault;
    use crate::Vault;

    fn tamper(v: &mut Vault, sql: &str) {
        let s = v.session().unwrap();
        s.conn
            .execute_batch(&format!("DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; {sql}"))
            .unwrap();
    }

    fn seeded() -> (tempfile::TempDir, Vault) {
        let (dir, mut v) = unlocked_vault();
        for _ in 0..5 {
            v.list_clients(&Default::default()).unwrap();
        }
        assert!(v.verify_access_log().unwrap().rows >= 6);
        (dir, v)
    }

    #[test]
    fn append_only_by_trigger() {
        let (_d, mut v) = seeded();
        let s = v.session().unwrap();
        assert!(s.conn.execute("DELETE FROM access_log WHERE seq = 2", []).is_err());
        assert!(s.conn.execute("UPDATE access_log SET action = 'x' WHERE seq = 2", []).is_err());
    }

    #[test]
    fn detects_an_edited_row() {
        let (_d, mut v) = seeded();
        tamper(&mut v, "UPDATE access_log SET object_id = 999 WHERE seq = 3;");
        assert!(matches!(v.verify_access_log(), Err(Error::LogTampered { seq: 3, .. })));
    }

    #[test]
    fn detects_a_deleted_row_in_the_middle_and_at_the_end() {
        let (_d, mut v) = seeded();
        tamper(&mut v, "DELETE FROM access_log WHERE seq = 2;");
        assert!(matches!(v.verify_access_log(), Err(Error::LogTampered { seq: 2, .. })));

        let (_d2, mut v2) = seeded();
        tamper(&mut v2, "DELETE FROM access_log WHERE seq = (SELECT max(seq) FROM access_log);");
        assert!(matches!(v2.verify_access_log(), Err(Error::LogTampered { .. })));
    }

    #[test]
    fn detects_an_inserted_row() {
        let (_d, mut v) = seeded();
        tamper(
            &mut v,
            "INSERT INTO access_log (seq, at, action, prev_mac, mac)
             SELECT max(seq) + 1, '2026-01-01T00:00:00.000Z', 'unlock', max(mac), 'forged' FROM access_log;",
        );
        assert!(matches!(v.verify_access_log(), Err(Error::LogTampered { .. })));
    }

    #[test]
    fn log_rows_hold_no_names() {
        let (_d, mut v) = unlocked_vault();
        let c = v.create_client(&crate::testing::client("Zlatanova", "Ingrid")).unwrap();
        v.get_client(c.id).unwrap();
        let s = v.session().unwrap();
        let dump: String = s
            .conn
            .query_row("SELECT group_concat(action || coalesce(object_kind,'') || coalesce(object_id,''), '|') FROM access_log", [], |r| r.get(0))
            .unwrap();
        assert!(!dump.contains("Zlatanova") && !dump.contains("Ingrid"));
        assert!(dump.contains("client_create") && dump.contains("client_read"));
    }
}
