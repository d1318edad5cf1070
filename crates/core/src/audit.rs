//! The access log: every read of a client's record, every change, signing, amendment,
//! attachment read, search, unlock and lock. Rows carry ids and actions only, never names or
//! text. Each row's MAC covers the previous row's MAC, and the head (last seq and MAC) is kept
//! in `meta` in the same transaction, so an edited, inserted or deleted row — including the
//! last one — breaks verification.
//!
//! The head carries its own MAC (`seq:mac:tag`, the tag under a key derived from the log key
//! for the head alone), checked by verification and by every append: without it, removing the
//! last rows and rewriting the head to name the new last row would verify. A vault written
//! before the head had a tag (`seq:mac`) is upgraded by its first append (the unlock), and only
//! after its whole chain verifies; rows written since are marked (`RowVersion`) so that
//! writing the head back in the old form is detected too.

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
        /// A template of the therapist's own was saved.
        TemplateCreate,
        /// The backup identity (which opens every backup) was shown for the recovery procedure.
        IdentityExport,
        /// A search showed this client's records among its hits.
        SearchResult,
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

/// How a row's MAC was made. Rows written before the head carried its own MAC are `V1`; every
/// row written since is `V2` (a distinct label in the MAC input). A chain may hold `V1` rows
/// followed by `V2` rows, never the other way round, and once any `V2` row exists the head must
/// carry its MAC: so rewriting the head in the old, unauthenticated form ("downgrading") to hide
/// removed rows is detected as long as one row written by this version remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowVersion {
    V1,
    V2,
}

#[allow(clippy::too_many_arguments)]
fn mac(
    key: &[u8; 32],
    version: RowVersion,
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
    if version == RowVersion::V2 {
        m.update(b"row v2\n");
    }
    let line = format!(
        "{prev}\n{seq}\n{at}\n{action}\n{}\n{}\n{}",
        kind.unwrap_or(""),
        id.map(|v| v.to_string()).unwrap_or_default(),
        client.map(|v| v.to_string()).unwrap_or_default()
    );
    m.update(line.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// The head's own MAC, under a key derived from the log key for this purpose only, so neither a
/// row MAC nor anything else computed with the log key can stand in for it.
fn head_tag(key: &[u8; 32], seq: i64, row_mac: &str) -> Result<String> {
    let head_key = crate::keys::crypto::hkdf_sha256(key, b"confidant", b"access log head v1")?;
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(head_key.as_slice())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    m.update(format!("head\n{seq}\n{row_mac}").as_bytes());
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// `meta.log_head`: `seq:mac:tag` (tag = [`head_tag`]); before the tag existed, `seq:mac`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Head {
    /// No row yet.
    Absent,
    /// Written by a version without the head MAC; upgraded by the next append.
    Legacy { seq: i64, mac: String },
    /// Carries its own MAC (not yet checked).
    Tagged { seq: i64, mac: String, tag: String },
}

const HEAD_DAMAGED: &str = "the log head is damaged";
const HEAD_ALTERED: &str = "the log head was altered";
const HEAD_UNAUTHENTICATED: &str = "the log head is not authenticated";
const HEAD_MISSING: &str = "the log head is missing";
const ROWS_AT_END: &str = "rows at the end were removed or added";

fn read_head(conn: &Connection) -> Result<Head> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'log_head'", [], |r| r.get(0)).optional()?;
    let Some(s) = v else { return Ok(Head::Absent) };
    let damaged = || Error::LogTampered { seq: 0, problem: HEAD_DAMAGED };
    let parts: Vec<&str> = s.split(':').collect();
    let seq: i64 = parts[0].parse().map_err(|_| damaged())?;
    let hex64 = |p: &str| p.len() == 64 && p.bytes().all(|b| b.is_ascii_hexdigit());
    match parts[1..] {
        [mac] if hex64(mac) => Ok(Head::Legacy { seq, mac: mac.to_owned() }),
        [mac, tag] if hex64(mac) && hex64(tag) => Ok(Head::Tagged { seq, mac: mac.to_owned(), tag: tag.to_owned() }),
        _ => Err(damaged()),
    }
}

fn write_head(conn: &Connection, key: &[u8; 32], seq: i64, row_mac: &str) -> Result<()> {
    let tag = head_tag(key, seq, row_mac)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('log_head', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{row_mac}:{tag}")],
    )?;
    Ok(())
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

/// The last row's seq and MAC, if any.
fn last_row(conn: &Connection) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row("SELECT seq, mac FROM access_log ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The seq and MAC the next row chains to, after checking the head: its MAC, and that it names
/// the last row. A head in the old form is accepted only after the whole chain verifies (and
/// holds no row written by this version); the append that follows writes a tagged head, so an
/// old vault is upgraded by its first append (the unlock).
fn checked_tip(conn: &Connection, key: &[u8; 32]) -> Result<(i64, String)> {
    let last = last_row(conn)?;
    let (seq, mac) = match read_head(conn)? {
        Head::Absent => {
            return match last {
                None => Ok((0, GENESIS.to_owned())),
                Some(_) => Err(Error::LogTampered { seq: 0, problem: HEAD_MISSING }),
            }
        }
        Head::Legacy { .. } => {
            verify(conn, key)?;
            return Ok(last.unwrap_or_else(|| (0, GENESIS.to_owned())));
        }
        Head::Tagged { seq, mac, tag } => {
            if head_tag(key, seq, &mac)? != tag {
                return Err(Error::LogTampered { seq: seq + 1, problem: HEAD_ALTERED });
            }
            (seq, mac)
        }
    };
    match last {
        Some((s, m)) if s == seq && m == mac => Ok((seq, mac)),
        _ => Err(Error::LogTampered { seq: seq + 1, problem: ROWS_AT_END }),
    }
}

fn append_inner(conn: &Connection, key: &[u8; 32], action: Action, t: Target) -> Result<()> {
    let (last, prev) = checked_tip(conn, key)?;
    let seq = last + 1;
    let at = crate::time::now_string();
    let action = action.as_str();
    let kind = t.kind.map(ObjectKind::as_str);
    let m = mac(key, RowVersion::V2, &prev, seq, &at, action, kind, t.id, t.client);
    conn.execute(
        "INSERT INTO access_log (seq, at, action, object_kind, object_id, client_id, prev_mac, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![seq, at, action, kind, t.id, t.client, prev, m],
    )?;
    write_head(conn, key, seq, &m)
}

/// Walks the whole chain and checks the head; the first broken row is reported.
pub(crate) fn verify(conn: &Connection, key: &[u8; 32]) -> Result<LogVerification> {
    let mut st = conn.prepare(
        "SELECT seq, at, action, object_kind, object_id, client_id, prev_mac, mac FROM access_log ORDER BY seq",
    )?;
    let mut rows = st.query([])?;
    let mut expected_seq = 1;
    let mut prev = GENESIS.to_owned();
    let mut seen_v2 = false;
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
        let of = |v| mac(key, v, &prev_mac, seq, &at, &action, kind.as_deref(), id, client);
        if of(RowVersion::V2) == row_mac {
            seen_v2 = true;
        } else if seen_v2 || of(RowVersion::V1) != row_mac {
            // An old-style row after a new one was not written by any version of this code.
            return Err(Error::LogTampered { seq, problem: "the row was altered" });
        }
        prev = row_mac;
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    let (head_seq, head_mac) = match read_head(conn)? {
        Head::Absent if last == 0 => (0, GENESIS.to_owned()),
        Head::Absent => return Err(Error::LogTampered { seq: expected_seq, problem: HEAD_MISSING }),
        // Only a vault no version with head MACs has appended to yet has an untagged head.
        Head::Legacy { .. } if seen_v2 => {
            return Err(Error::LogTampered { seq: expected_seq, problem: HEAD_UNAUTHENTICATED })
        }
        Head::Legacy { seq, mac } => (seq, mac),
        Head::Tagged { seq, mac, tag } => {
            if head_tag(key, seq, &mac)? != tag {
                return Err(Error::LogTampered { seq: expected_seq, problem: HEAD_ALTERED });
            }
            (seq, mac)
        }
    };
    if head_seq != last || head_mac != prev {
        return Err(Error::LogTampered { seq: expected_seq, problem: ROWS_AT_END });
    }
    Ok(LogVerification { rows: last })
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

    fn key(v: &mut Vault) -> [u8; 32] {
        *v.session().unwrap().log_key
    }

    fn rows(v: &mut Vault) -> i64 {
        v.session().unwrap().conn.query_row("SELECT count(*) FROM access_log", [], |r| r.get(0)).unwrap()
    }

    fn row_mac(v: &mut Vault, seq: i64) -> String {
        v.session().unwrap().conn.query_row("SELECT mac FROM access_log WHERE seq = ?1", [seq], |r| r.get(0)).unwrap()
    }

    fn head_value(v: &mut Vault) -> String {
        v.session().unwrap().conn.query_row("SELECT value FROM meta WHERE key = 'log_head'", [], |r| r.get(0)).unwrap()
    }

    fn set_head(v: &mut Vault, value: &str) {
        v.session().unwrap().conn.execute("UPDATE meta SET value = ?1 WHERE key = 'log_head'", [value]).unwrap();
    }

    /// Verification must fail with `LogTampered` at `seq` for `problem`.
    fn assert_verify_fails(v: &mut Vault, seq: i64, problem: &str) {
        match v.verify_access_log() {
            Err(Error::LogTampered { seq: s, problem: p }) => {
                assert_eq!((s, p), (seq, problem), "verify reported the wrong place or reason")
            }
            other => panic!("expected LogTampered {{ seq: {seq}, problem: {problem:?} }}, got {other:?}"),
        }
    }

    /// [`assert_verify_fails`], and appending (any logged operation) must be refused with the
    /// same variant and add no row. (An append checks the head and the last row, not the whole
    /// chain: damage further back is for verification to find.)
    fn assert_tampered(v: &mut Vault, seq: i64, problem: &str) {
        assert_verify_fails(v, seq, problem);
        let before = rows(v);
        match v.list_clients(&Default::default()) {
            Err(Error::LogTampered { .. }) => {}
            other => panic!("an append onto a tampered log must be refused, got {other:?}"),
        }
        assert_eq!(rows(v), before, "nothing appended");
    }

    /// Rewrites the whole chain as a version without head MACs wrote it: old-style row MACs and
    /// a `seq:mac` head.
    fn make_legacy(v: &mut Vault) {
        let k = key(v);
        let s = v.session().unwrap();
        s.conn.execute_batch("DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;").unwrap();
        type Row = (i64, String, String, Option<String>, Option<i64>, Option<i64>);
        let all: Vec<Row> = s
            .conn
            .prepare("SELECT seq, at, action, object_kind, object_id, client_id FROM access_log ORDER BY seq")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut prev = GENESIS.to_owned();
        for (seq, at, action, kind, id, client) in &all {
            let m = mac(&k, RowVersion::V1, &prev, *seq, at, action, kind.as_deref(), *id, *client);
            s.conn
                .execute("UPDATE access_log SET prev_mac = ?2, mac = ?3 WHERE seq = ?1", params![seq, prev, m])
                .unwrap();
            prev = m;
        }
        let last = all.last().unwrap().0;
        s.conn.execute("UPDATE meta SET value = ?1 WHERE key = 'log_head'", [format!("{last}:{prev}")]).unwrap();
        s.conn
            .execute_batch(
                "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
                 BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;
                 CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
                 BEGIN SELECT RAISE(ABORT, 'access log is append-only'); END;",
            )
            .unwrap();
    }

    #[test]
    fn append_only_by_trigger() {
        let (_d, mut v) = seeded();
        let s = v.session().unwrap();
        for sql in ["DELETE FROM access_log WHERE seq = 2", "UPDATE access_log SET action = 'x' WHERE seq = 2"] {
            let e = s.conn.execute(sql, []).unwrap_err();
            assert!(e.to_string().contains("access log is append-only"), "{sql}: {e}");
        }
    }

    #[test]
    fn head_carries_its_own_mac() {
        let (_d, mut v) = seeded();
        let n = rows(&mut v);
        let k = key(&mut v);
        let m = row_mac(&mut v, n);
        let tag = head_tag(&k, n, &m).unwrap();
        assert_eq!(head_value(&mut v), format!("{n}:{m}:{tag}"));
        // Under its own key: not the row MAC key, not a copy of the row MAC.
        let mut under_log_key = <Hmac<Sha256> as Mac>::new_from_slice(&k).unwrap();
        under_log_key.update(format!("head\n{n}\n{m}").as_bytes());
        assert_ne!(tag, hex::encode(under_log_key.finalize().into_bytes()));
        assert_ne!(tag, m);
    }

    #[test]
    fn detects_an_edited_row() {
        let (_d, mut v) = seeded();
        tamper(&mut v, "UPDATE access_log SET object_id = 999 WHERE seq = 3;");
        assert_verify_fails(&mut v, 3, "the row was altered");
    }

    #[test]
    fn detects_a_deleted_row_in_the_middle_and_at_the_end() {
        let (_d, mut v) = seeded();
        tamper(&mut v, "DELETE FROM access_log WHERE seq = 2;");
        assert_verify_fails(&mut v, 2, "a row is missing or was inserted");

        let (_d2, mut v2) = seeded();
        let n = rows(&mut v2);
        tamper(&mut v2, "DELETE FROM access_log WHERE seq = (SELECT max(seq) FROM access_log);");
        assert_tampered(&mut v2, n, ROWS_AT_END);
    }

    /// The last k rows removed and the head rewritten to name the new last row, as an attacker
    /// without the head key can: in the old untagged form (what verified before), with the old
    /// tag kept, with a tag made under the log key, or with the head left alone.
    #[test]
    fn cutting_the_last_rows_and_rewriting_the_head_is_detected() {
        for k in 1..=3 {
            for how in ["untagged", "old tag", "log key tag", "head kept"] {
                let (_d, mut v) = seeded();
                let n = rows(&mut v);
                let keep = n - k;
                let m = row_mac(&mut v, keep);
                let old_tag = head_value(&mut v).rsplit(':').next().unwrap().to_owned();
                let mut forged = <Hmac<Sha256> as Mac>::new_from_slice(&key(&mut v)).unwrap();
                forged.update(format!("head\n{keep}\n{m}").as_bytes());
                let forged = hex::encode(forged.finalize().into_bytes());
                tamper(&mut v, &format!("DELETE FROM access_log WHERE seq > {keep};"));
                let (head, problem) = match how {
                    "untagged" => (Some(format!("{keep}:{m}")), HEAD_UNAUTHENTICATED),
                    "old tag" => (Some(format!("{keep}:{m}:{old_tag}")), HEAD_ALTERED),
                    "log key tag" => (Some(format!("{keep}:{m}:{forged}")), HEAD_ALTERED),
                    _ => (None, ROWS_AT_END),
                };
                if let Some(h) = head {
                    set_head(&mut v, &h);
                }
                assert_eq!(rows(&mut v), keep);
                assert_tampered(&mut v, keep + 1, problem);
            }
        }
    }

    #[test]
    fn a_damaged_head_is_tampered() {
        for bad in ["", "x", "7", "7:zz", "7:abc:def", "seven:0000"] {
            let (_d, mut v) = seeded();
            set_head(&mut v, bad);
            assert_tampered(&mut v, 0, HEAD_DAMAGED);
        }
        // A missing head with rows present.
        let (_d, mut v) = seeded();
        let n = rows(&mut v);
        v.session().unwrap().conn.execute("DELETE FROM meta WHERE key = 'log_head'", []).unwrap();
        assert_tampered(&mut v, n + 1, HEAD_MISSING);
    }

    /// A forged row spliced into the middle with correct linkage of its own (its prev_mac is
    /// the previous row's MAC, the next row now chains to it) and later rows renumbered.
    #[test]
    fn a_well_formed_row_inserted_in_the_middle_is_detected() {
        let (_d, mut v) = seeded();
        let n = rows(&mut v);
        let prev = row_mac(&mut v, 2);
        let wrong_key = [7u8; 32];
        let forged =
            mac(&wrong_key, RowVersion::V2, &prev, 3, "2026-01-01T00:00:00.000Z", "client_read", None, None, None);
        tamper(
            &mut v,
            &format!(
                "UPDATE access_log SET seq = -seq WHERE seq >= 3;
                 UPDATE access_log SET seq = -seq + 1 WHERE seq < 0;
                 UPDATE access_log SET prev_mac = '{forged}' WHERE seq = 4;
                 INSERT INTO access_log (seq, at, action, prev_mac, mac)
                 VALUES (3, '2026-01-01T00:00:00.000Z', 'client_read', '{prev}', '{forged}');"
            ),
        );
        // The head still names the old last row, now renumbered: move it along consistently.
        let last = row_mac(&mut v, n + 1);
        let tag = head_tag(&key(&mut v), n + 1, &last).unwrap();
        set_head(&mut v, &format!("{}:{last}:{tag}", n + 1));
        assert_eq!(rows(&mut v), n + 1);
        assert_verify_fails(&mut v, 3, "the row was altered");
    }

    #[test]
    fn detects_an_inserted_row_at_the_end() {
        let (_d, mut v) = seeded();
        let n = rows(&mut v);
        tamper(
            &mut v,
            "INSERT INTO access_log (seq, at, action, prev_mac, mac)
             SELECT seq + 1, '2026-01-01T00:00:00.000Z', 'unlock', mac, 'forged'
             FROM access_log ORDER BY seq DESC LIMIT 1;",
        );
        // The head still names the row before: the append is refused there, verify finds the row.
        assert_tampered(&mut v, n + 1, "the row was altered");
    }

    #[test]
    fn an_old_vault_is_upgraded_by_its_first_append_and_cannot_be_downgraded() {
        let (_d, mut v) = seeded();
        make_legacy(&mut v);
        let n = rows(&mut v);
        assert_eq!(head_value(&mut v).split(':').count(), 2, "an old-style head");
        // What an old version wrote verifies as it is.
        assert_eq!(v.verify_access_log().unwrap().rows, n);

        // The first append (here the lock/unlock) upgrades the head.
        let mut v = {
            let dir = v.dir().to_owned();
            drop(v);
            let mut v = Vault::open(&dir).unwrap();
            v.unlock(&crate::Credential::Passphrase(crate::Passphrase::from(crate::testing::PASS))).unwrap();
            v
        };
        let head = head_value(&mut v);
        assert_eq!(head.split(':').count(), 3, "the unlock wrote a tagged head: {head}");
        assert_eq!(v.verify_access_log().unwrap().rows, n + 2, "lock and unlock appended");
        v.list_clients(&Default::default()).unwrap();

        // Cutting rows written since and putting back an untagged head is detected.
        let keep = n + 1;
        let m = row_mac(&mut v, keep);
        tamper(&mut v, &format!("DELETE FROM access_log WHERE seq > {keep};"));
        set_head(&mut v, &format!("{keep}:{m}"));
        assert_tampered(&mut v, keep + 1, HEAD_UNAUTHENTICATED);
    }

    #[test]
    fn an_old_vault_with_a_broken_chain_is_not_upgraded() {
        let (_d, mut v) = seeded();
        make_legacy(&mut v);
        let head = head_value(&mut v);
        tamper(&mut v, "UPDATE access_log SET action = 'lock' WHERE seq = 2;");
        assert_tampered(&mut v, 2, "the row was altered");
        assert_eq!(head_value(&mut v), head, "the old head was not replaced");
    }

    #[test]
    fn an_old_style_row_after_a_new_one_is_refused() {
        let (_d, mut v) = seeded();
        let k = key(&mut v);
        let n = rows(&mut v);
        let prev = row_mac(&mut v, n);
        let at = "2026-01-01T00:00:00.000Z";
        let m = mac(&k, RowVersion::V1, &prev, n + 1, at, "lock", None, None, None);
        let tag = head_tag(&k, n + 1, &m).unwrap();
        tamper(
            &mut v,
            &format!(
                "INSERT INTO access_log (seq, at, action, prev_mac, mac) VALUES ({}, '{at}', 'lock', '{prev}', '{m}');",
                n + 1
            ),
        );
        set_head(&mut v, &format!("{}:{m}:{tag}", n + 1));
        assert_verify_fails(&mut v, n + 1, "the row was altered");
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
