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
        /// The vault's keys were renewed: a new database key, new key slots, a new backup
        /// identity. The log continues under the new key from an anchor (see [`reanchor`]).
        Rekey,
        /// The successor (custodian) key slot was added, replaced or removed.
        SuccessorChange,
        /// At unlock, the log was behind (or different from) what this computer last saw: an
        /// older database file was put in place, or its write-ahead log was cut.
        LogRollback,
        /// A legal hold on a client was placed or released.
        LegalHold,
        /// Restriction of processing (GDPR art. 18) was placed on a client or lifted.
        Restriction,
        /// Records of a client were erased (a request under GDPR art. 17, or a retention clock
        /// that ran out). The row names the client's former id and nothing else; what was
        /// erased and what was kept is in the erasure record.
        Erasure,
        /// The list of records due for deletion was read (it names clients).
        RetentionRead,
        /// A client's records were exported for the client (a disclosure).
        Export,
        /// Access-log rows past the profile's retention period were deleted.
        LogPrune,
        /// A consent was recorded or withdrawn.
        Consent,
        /// A client's consents were read.
        ConsentRead,
        /// A breach was recorded or updated in the breach register.
        Breach,
        /// The breach register was read.
        BreachRead,
        /// Notes of a client were printed or saved as a PDF (the therapist's own copy).
        Print,
        /// A referral letter about a client was written (a disclosure under a consent).
        Referral,
        /// The record of processing (GDPR art. 30) was made.
        ProcessingRecord,
        /// A client's records were received from an export package (GDPR art. 20).
        Import,
        /// A session was planned, changed, removed, or its attendance recorded.
        Appointment,
        /// Sessions were read: a client's list, the week view or the list not yet invoiced
        /// (the latter two name clients, like the client list).
        AppointmentRead,
        /// An invoice was drafted, changed, issued, credited, paid, or a draft deleted.
        Invoice,
        /// Invoices were read (a client's, or the list of all, which names buyers).
        InvoiceRead,
        /// Issued invoices past the bookkeeping law's period were deleted (how many, no buyer).
        InvoicePurge,
        /// An outcome measure's result was recorded.
        Measure,
        /// A client's outcome measures were read.
        MeasureRead,
        /// An instrument of the therapist's own was defined, changed or retired.
        Instrument,
        /// The home page's day was read: today's sessions, unsigned notes and overdue invoices
        /// (it names clients, like the client list).
        DayRead,
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
    /// What was touched, named as the therapist would (an entry's current title, a course's
    /// title, a file name); `None` when the row names no such record or it was erased.
    pub what: Option<String>,
    /// The day that goes with it (an entry's date, a course's start, the day a file was added).
    pub what_on: Option<chrono::NaiveDate>,
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

/// A tag over `label\nseq\nvalue` under a key derived from the log key for `purpose` alone, so
/// no row MAC (nor a tag of another purpose) can stand in for it. The head, the anchor of an
/// earlier key and the head kept outside the database each have their own purpose.
fn tag(key: &[u8; 32], purpose: &[u8], label: &str, seq: i64, value: &str) -> Result<String> {
    let purpose_key = crate::keys::crypto::hkdf_sha256(key, b"confidant", purpose)?;
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(purpose_key.as_slice())
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    m.update(format!("{label}\n{seq}\n{value}").as_bytes());
    Ok(hex::encode(m.finalize().into_bytes()))
}

/// The head's own MAC.
fn head_tag(key: &[u8; 32], seq: i64, row_mac: &str) -> Result<String> {
    tag(key, b"access log head v1", "head", seq, row_mac)
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

/// `meta.log_anchor`: rows `1..=seq` were verified under an earlier key and hash to `digest`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    seq: i64,
    digest: String,
}

fn anchor_tag(key: &[u8; 32], seq: i64, digest: &str) -> Result<String> {
    tag(key, b"access log anchor v1", "anchor", seq, digest)
}

const ANCHOR_ALTERED: &str = "the anchor of an earlier key was altered";

/// The anchor, its tag checked under `key`.
fn read_anchor(conn: &Connection, key: &[u8; 32]) -> Result<Option<Anchor>> {
    let v: Option<String> =
        conn.query_row("SELECT value FROM meta WHERE key = 'log_anchor'", [], |r| r.get(0)).optional()?;
    let Some(s) = v else { return Ok(None) };
    let altered = || Error::LogTampered { seq: 0, problem: ANCHOR_ALTERED };
    let parts: Vec<&str> = s.split(':').collect();
    let [seq, digest, tag] = parts[..] else { return Err(altered()) };
    let seq: i64 = seq.parse().map_err(|_| altered())?;
    if anchor_tag(key, seq, digest)? != tag {
        return Err(altered());
    }
    Ok(Some(Anchor { seq, digest: digest.to_owned() }))
}

fn write_anchor(conn: &Connection, key: &[u8; 32], seq: i64, digest: &str) -> Result<()> {
    let tag = anchor_tag(key, seq, digest)?;
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('log_anchor', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [format!("{seq}:{digest}:{tag}")],
    )?;
    Ok(())
}

/// One row as stored, every column.
struct StoredRow {
    seq: i64,
    at: String,
    action: String,
    kind: Option<String>,
    id: Option<i64>,
    client: Option<i64>,
    prev_mac: String,
    mac: String,
}

impl StoredRow {
    /// Every row, oldest first, to `f`.
    fn each(conn: &Connection, mut f: impl FnMut(StoredRow) -> Result<()>) -> Result<()> {
        let mut st = conn.prepare(
            "SELECT seq, at, action, object_kind, object_id, client_id, prev_mac, mac FROM access_log ORDER BY seq",
        )?;
        let mut rows = st.query([])?;
        while let Some(r) = rows.next()? {
            f(StoredRow {
                seq: r.get(0)?,
                at: r.get(1)?,
                action: r.get(2)?,
                kind: r.get(3)?,
                id: r.get(4)?,
                client: r.get(5)?,
                prev_mac: r.get(6)?,
                mac: r.get(7)?,
            })?;
        }
        Ok(())
    }
}

struct RowDigest(Sha256);

impl RowDigest {
    fn new() -> Self {
        use sha2::Digest;
        RowDigest(Sha256::new_with_prefix(b"confidant access log rows v1\n"))
    }

    fn add(&mut self, r: &StoredRow) {
        use sha2::Digest;
        let none = || "\u{0}".to_owned();
        // Lengths first, so no two different rows can produce the same byte stream.
        for field in [
            r.seq.to_string().as_str(),
            &r.at,
            &r.action,
            r.kind.as_deref().unwrap_or("\u{0}"),
            &r.id.map_or_else(none, |v| v.to_string()),
            &r.client.map_or_else(none, |v| v.to_string()),
            &r.prev_mac,
            &r.mac,
        ] {
            self.0.update((field.len() as u64).to_be_bytes());
            self.0.update(field.as_bytes());
        }
    }

    fn finish(self) -> String {
        use sha2::Digest;
        hex::encode(self.0.finalize())
    }
}

/// Moves the log to a new key (a re-key, on the new copy of the database, before anything else
/// is written to it): verifies the whole chain under `old`, anchors it under `new` and re-tags
/// the head under `new`. The caller then appends the `rekey` row with `new`. Returns the number
/// of rows anchored.
pub(crate) fn reanchor(conn: &Connection, old: &[u8; 32], new: &[u8; 32]) -> Result<i64> {
    let verified = verify(conn, old)?;
    let mut digest = RowDigest::new();
    let (mut last_seq, mut last_mac) = (0, GENESIS.to_owned());
    StoredRow::each(conn, |r| {
        digest.add(&r);
        last_seq = r.seq;
        last_mac = r.mac;
        Ok(())
    })?;
    write_anchor(conn, new, last_seq, &digest.finish())?;
    // A start marker (rows pruned before it) moves to the new key with the anchor.
    if let Some(s) = prune::read_start(conn, old)? {
        prune::write_start(conn, new, s.seq, &s.prev)?;
    }
    write_head(conn, new, last_seq, &last_mac)?;
    Ok(verified.rows)
}

/// The log went back in time: what this computer saw last, and what the database holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LogRollback {
    /// The last row this computer saw (at the last lock or unlock).
    pub seen_seq: i64,
    /// The last row the database holds at this unlock.
    pub found_seq: i64,
}

fn seen_tag(key: &[u8; 32], seq: i64, mac: &str) -> Result<String> {
    tag(key, b"access log seen v1", "seen", seq, mac)
}

/// The head as this computer keeps it outside the database (`seq:mac:tag`, the tag under a key
/// of its own derived from the log key), written at every unlock and lock.
pub(crate) fn seen_record(conn: &Connection, key: &[u8; 32]) -> Result<String> {
    let (seq, mac) = last_row(conn)?.unwrap_or_else(|| (0, GENESIS.to_owned()));
    Ok(format!("{seq}:{mac}:{}", seen_tag(key, seq, &mac)?))
}

/// Compares the database's log with the record kept outside it. A record that does not verify
/// under this key (none yet, damaged, or from before a re-key) proves nothing and is ignored;
/// one that does must name a row the database still holds, with the same MAC.
pub(crate) fn check_seen(conn: &Connection, key: &[u8; 32], record: &str) -> Result<Option<LogRollback>> {
    let parts: Vec<&str> = record.trim().split(':').collect();
    let [seq, mac, tag] = parts[..] else { return Ok(None) };
    let Ok(seen_seq) = seq.parse::<i64>() else { return Ok(None) };
    if seen_tag(key, seen_seq, mac)? != tag {
        return Ok(None);
    }
    let found_seq = last_row(conn)?.map_or(0, |(s, _)| s);
    let at_seen: Option<String> =
        conn.query_row("SELECT mac FROM access_log WHERE seq = ?1", [seen_seq], |r| r.get(0)).optional()?;
    let same = match at_seen {
        Some(m) => m == mac,
        None => seen_seq == 0 && mac == GENESIS,
    };
    Ok((!same).then_some(LogRollback { seen_seq, found_seq }))
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
    // Rows before a start marker were deleted by retention; the chain goes on from there.
    let start = prune::read_start(conn, key)?;
    let mut expected_seq = start.as_ref().map_or(1, |s| s.seq);
    let mut prev = start.map_or_else(|| GENESIS.to_owned(), |s| s.prev);
    let mut walked = 0;
    let mut seen_v2 = false;
    let anchor = read_anchor(conn, key)?;
    let mut anchored = anchor.as_ref().filter(|a| a.seq > 0).map(|_| RowDigest::new());
    StoredRow::each(conn, |r| {
        let seq = r.seq;
        if seq != expected_seq {
            return Err(Error::LogTampered { seq: expected_seq, problem: "a row is missing or was inserted" });
        }
        if r.prev_mac != prev {
            return Err(Error::LogTampered { seq, problem: "the chain is broken" });
        }
        match (anchor.as_ref(), anchored.as_mut()) {
            (Some(a), Some(d)) if seq <= a.seq => {
                // Made under an earlier key: covered by the anchor's digest, not by a MAC.
                d.add(&r);
                if seq == a.seq {
                    if anchored.take().map(RowDigest::finish).as_deref() != Some(a.digest.as_str()) {
                        return Err(Error::LogTampered { seq, problem: "rows of an earlier key were altered" });
                    }
                    // Every row after an anchor was written by a version with anchors.
                    seen_v2 = true;
                }
            }
            _ => {
                let of = |v| mac(key, v, &r.prev_mac, seq, &r.at, &r.action, r.kind.as_deref(), r.id, r.client);
                if of(RowVersion::V2) == r.mac {
                    seen_v2 = true;
                } else if seen_v2 || of(RowVersion::V1) != r.mac {
                    // An old-style row after a new one was not written by any version of this code.
                    return Err(Error::LogTampered { seq, problem: "the row was altered" });
                }
            }
        }
        prev = r.mac;
        expected_seq += 1;
        walked += 1;
        Ok(())
    })?;
    let last = expected_seq - 1;
    if anchored.is_some() {
        return Err(Error::LogTampered { seq: expected_seq, problem: ROWS_AT_END });
    }
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
    Ok(LogVerification { rows: walked })
}

pub(crate) mod prune;
#[cfg(test)]
mod tests;
