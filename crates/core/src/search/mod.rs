//! Full-text search inside the encrypted database. This module is the index only: domain
//! modules hand it [`Document`]s and turn its [`Found`] records into hits
//! (`crate::domain::finder`), so it depends on no record type.
//!
//! The FTS5 table holds folded text (see [`text::fold`]) so words match with and without
//! diacritics; snippets are cut from the original text in Rust. A client-scoped search ANDs the
//! client's scope token inside FTS5, so it never filters a whole-corpus result through a join.
//!
//! # Order: matching clients first, then entries newest first
//! A record's row id in the index is its sort key ([`sort_key`]): clients above every entry
//! (the most recently added first), and an entry's date in seconds in the high bits. So the index walks its matches in the order
//! they are shown and stops after the page: the cost of a search is the page, not the number of
//! matches, and a word in a third of 150,000 notes answers as fast as a rare one. No relevance
//! score is computed (bm25 needs every match's statistics, tens of thousands for a common
//! word). For a journal this is the order a therapist expects: "angst" shows the latest notes
//! that mention it; more words narrow the hits (all must match, each as a word prefix);
//! `oldest_first` turns the entry order around. Entries with the same second keep their
//! creation order.
//!
//! The number of matches is counted only up to [`COUNT_CAP`]; beyond it the answer says "more
//! than".
//!
//! # Words as prefixes, without scanning the vocabulary
//! Every typed word matches as a word prefix ("samt" finds "samtal", "samtalet"). The index
//! keeps prefix entries for 2 and 3 letters, so those are one lookup. A longer prefix would make
//! FTS5 merge the match lists of every word that starts with it before the first hit comes out
//! (tens of milliseconds for a common word in a large journal), so it is expanded first: the
//! table `search_term` lists the words of four letters or more that were ever indexed, and a
//! prefix becomes the OR of the whole words it begins (`"samtal" OR "samtalet"`), which FTS5
//! walks newest first and stops after the page. A prefix that begins no listed word, or more than
//! [`MAX_EXPANSION`], is matched as a prefix after all (cheap when it begins few words, and always
//! correct). A single letter matches only the word itself. Words that no longer occur anywhere
//! leave `search_term` when the index is purged (at erasure, [`purge_deleted`]).

pub mod text;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::kinds::ObjectKind;
use crate::{Error, Reason, Result};
pub use text::SnippetPart;

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchQuery {
    /// What was typed; every word is matched as a prefix.
    pub text: String,
    /// Only this client's records.
    pub client_id: Option<i64>,
    /// Most hits to return (1–200).
    pub limit: u32,
    /// Entries oldest first instead of newest first.
    #[serde(default)]
    pub oldest_first: bool,
}

/// A prefix that begins more listed words than this is matched as a prefix by FTS5.
const MAX_EXPANSION: usize = 256;
/// Words shorter than this are served by the index's own prefix entries (`prefix = '2 3'`).
const TERM_MIN_CHARS: usize = 4;

/// Matches are counted up to this many; a page says "50 of more than 1,000" beyond it.
pub const COUNT_CAP: u32 = 1000;

/// Index row ids at and above this are clients; below it, entries keyed by date.
const CLIENT_BASE: i64 = 1 << 60;
/// Low bits of an entry's key, taken from its id, to tell apart entries of the same second.
const LOW_BITS: u32 = 22;

/// The row id a record should have in the index (see the module docs).
fn sort_key(doc: &Document) -> i64 {
    match doc.kind {
        ObjectKind::Client => CLIENT_BASE + doc.object_id,
        _ => {
            let secs = doc.at.map_or(0, |t| t.timestamp()).clamp(0, (CLIENT_BASE >> LOW_BITS) - 1);
            (secs << LOW_BITS) | (doc.object_id & ((1 << LOW_BITS) - 1))
        }
    }
}

fn scope(client_id: i64) -> String {
    format!("c{client_id}")
}

/// The record's row in the index, moved when its key changed (a draft's date was edited): the
/// old row goes, and the new key is taken, or the next free one after it. `true` with a row
/// that is new, so nothing of it is in the index yet.
fn doc_id(conn: &Connection, doc: &Document) -> Result<(i64, bool)> {
    let want = sort_key(doc);
    let have: Option<i64> = conn
        .prepare_cached("SELECT id FROM search_doc WHERE kind = ?1 AND object_id = ?2")?
        .query_row(params![doc.kind, doc.object_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = have {
        if id >> LOW_BITS == want >> LOW_BITS {
            conn.execute("UPDATE search_doc SET client_id = ?2 WHERE id = ?1", params![id, doc.client_id])?;
            return Ok((id, false));
        }
        conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [id])?;
        conn.execute("DELETE FROM search_doc WHERE id = ?1", [id])?;
    }
    let mut id = want;
    while conn
        .prepare_cached("SELECT 1 FROM search_doc WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some()
    {
        id += 1;
    }
    conn.prepare_cached("INSERT INTO search_doc (id, kind, object_id, client_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, doc.kind, doc.object_id, doc.client_id])?;
    Ok((id, true))
}

/// Writes a record's text at row `doc`, replacing what the row held unless it is `fresh`. (A
/// delete in a contentless-delete table leaves a tombstone even for a row that was never there,
/// so a new row skips it: a bulk import would otherwise write one per record.)
fn put(conn: &Connection, doc: i64, fresh: bool, client_id: i64, title: &str, body: &str, tags: &str) -> Result<()> {
    if !fresh {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([doc])?;
    }
    let (title, body, tags) = (text::fold(title), text::fold(body), text::fold(tags));
    conn.prepare_cached("INSERT INTO search_fts (rowid, scope, title, body, tags) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![doc, scope(client_id), title, body, tags])?;
    let mut words: Vec<&str> = [&title, &body, &tags]
        .iter()
        .flat_map(|t| t.split(' '))
        .filter(|w| w.chars().nth(TERM_MIN_CHARS - 1).is_some())
        .collect();
    words.sort_unstable();
    words.dedup();
    let mut st = conn.prepare_cached("INSERT OR IGNORE INTO search_term (term) VALUES (?1)")?;
    for w in words {
        st.execute([w])?;
    }
    Ok(())
}

/// The MATCH expression for one folded query word (see the module docs).
fn word_expr(conn: &Connection, word: &str) -> Result<String> {
    let quoted = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
    let n = word.chars().count();
    if n == 1 {
        return Ok(quoted(word));
    }
    if n < TERM_MIN_CHARS {
        return Ok(format!("{}*", quoted(word)));
    }
    let upper = format!("{word}\u{10FFFF}");
    let mut st =
        conn.prepare_cached("SELECT term FROM search_term WHERE term >= ?1 AND term < ?2 ORDER BY term LIMIT ?3")?;
    let terms = st
        .query_map(params![word, upper, MAX_EXPANSION as i64 + 1], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if terms.is_empty() || terms.len() > MAX_EXPANSION {
        return Ok(format!("{}*", quoted(word)));
    }
    Ok(format!("({})", terms.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(" OR ")))
}

/// What the index holds for one record: its kind and ids, and the text to match (original
/// spelling; folded here). The domain modules build these; search knows no record types.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub kind: ObjectKind,
    pub object_id: i64,
    pub client_id: i64,
    pub title: String,
    pub body: String,
    pub tags: String,
    /// The entry's date, which orders it (clients: `None`).
    pub at: Option<DateTime<Utc>>,
}

/// Pages of merge work per step of [`merge_step`]: a few milliseconds, so a key pressed while
/// the index is being tidied waits no longer than that.
pub(crate) const MERGE_STEP_PAGES: i64 = 64;

/// One bounded step of merging the index's segments (FTS5 `merge`: only levels holding at least
/// `usermerge`, 4, segments, and a merge already under way). `true` when it did work, so there
/// may be more. The index does not merge inside the writes that grow it (migration 0007); this
/// is how it stays as fast to search as a merged one.
pub(crate) fn merge_step(conn: &Connection) -> Result<bool> {
    let before: i64 = conn.query_row("SELECT total_changes()", [], |r| r.get(0))?;
    conn.prepare_cached("INSERT INTO search_fts (search_fts, rank) VALUES ('merge', ?1)")?
        .execute([MERGE_STEP_PAGES])?;
    let after: i64 = conn.query_row("SELECT total_changes()", [], |r| r.get(0))?;
    // SQLite's documented test: a difference of 2 or more means segments were merged.
    Ok(after - before >= 2)
}

/// Puts `doc` into the index, replacing what it held for the same record.
pub(crate) fn index(conn: &Connection, doc: &Document) -> Result<()> {
    let (id, fresh) = doc_id(conn, doc)?;
    put(conn, id, fresh, doc.client_id, &doc.title, &doc.body, &doc.tags)
}

/// Whether a migration asked for the index to be rebuilt (one indexed read).
pub(crate) fn rebuild_asked(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT 1 FROM meta WHERE key = 'search_rebuild'", [], |_| Ok(())).optional()?.is_some())
}

/// Whether the index must be rebuilt from the records (a migration changed its layout), and
/// marks it done. The caller rebuilds in the same transaction.
pub(crate) fn take_rebuild_flag(conn: &Connection) -> Result<bool> {
    Ok(conn.execute("DELETE FROM meta WHERE key = 'search_rebuild'", [])? > 0)
}

/// Takes a client's records out of the index: every one, or only those of `kind`. The index
/// keeps no copy of the text (contentless); its tokens leave the index's pages when
/// [`purge_deleted`] merges the segments.
pub(crate) fn remove_client(conn: &Connection, client_id: i64, kind: Option<ObjectKind>) -> Result<()> {
    let mut st = conn.prepare("SELECT id FROM search_doc WHERE client_id = ?1 AND (?2 IS NULL OR kind = ?2)")?;
    let docs = st.query_map(params![client_id, kind], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    for doc in docs {
        conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [doc])?;
        conn.execute("DELETE FROM search_doc WHERE id = ?1", [doc])?;
    }
    Ok(())
}

/// Rewrites the index as one segment. A deletion from a contentless index only marks the row
/// deleted; its tokens stay in the old segments until they are merged.
/// Words that no longer occur in any record leave `search_term` here too.
pub(crate) fn purge_deleted(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')", [])?;
    let terms: Vec<String> =
        conn.prepare("SELECT term FROM search_term")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut used = conn.prepare("SELECT 1 FROM search_fts WHERE search_fts MATCH ?1 LIMIT 1")?;
    let mut gone = conn.prepare("DELETE FROM search_term WHERE term = ?1")?;
    for t in terms {
        let m = format!("{{title body tags}} : \"{}\"", t.replace('"', "\"\""));
        if used.query_row([m], |_| Ok(())).optional()?.is_none() {
            gone.execute([t])?;
        }
    }
    Ok(())
}

/// A match: which record, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: ObjectKind,
    pub object_id: i64,
    pub client_id: i64,
}

/// The records matching `q` in display order (see the module docs), the number of matches
/// (at most [`COUNT_CAP`]), and the folded query tokens (for snippets). An empty query matches
/// nothing.
pub(crate) fn find(conn: &Connection, q: &SearchQuery) -> Result<(Vec<Found>, u32, Vec<String>)> {
    if !(1..=200).contains(&q.limit) {
        return Err(Error::invalid("limit", Reason::OutOfRange));
    }
    let tokens = text::query_tokens(&q.text);
    if tokens.is_empty() {
        return Ok((Vec::new(), 0, tokens));
    }
    let mut words = Vec::with_capacity(tokens.len());
    for t in &tokens {
        words.push(word_expr(conn, t)?);
    }
    let expr = words.join(" AND ");
    let full = match q.client_id {
        Some(c) => format!("scope : \"{}\" AND {{title body tags}} : ({expr})", scope(c)),
        None => format!("{{title body tags}} : ({expr})"),
    };
    let mut rowids: Vec<i64> = Vec::with_capacity(q.limit as usize);
    let order = if q.oldest_first { "ASC" } else { "DESC" };
    for (range, order) in [("rowid >= ?3", "DESC"), ("rowid < ?3", order)] {
        let left = i64::from(q.limit) - rowids.len() as i64;
        if left == 0 {
            break;
        }
        let mut st = conn.prepare_cached(&format!(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 AND {range} ORDER BY rowid {order} LIMIT ?2"
        ))?;
        let ids = st.query_map(params![full, left, CLIENT_BASE], |r| r.get::<_, i64>(0))?;
        for id in ids {
            rowids.push(id?);
        }
    }
    let total: u32 = if rowids.len() < q.limit as usize {
        rowids.len() as u32
    } else {
        conn.prepare_cached("SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 LIMIT ?2)")?
            .query_row(params![full, COUNT_CAP], |r| r.get(0))?
    };
    let mut st = conn.prepare_cached("SELECT kind, object_id, client_id FROM search_doc WHERE id = ?1")?;
    let mut found = Vec::with_capacity(rowids.len());
    for id in rowids {
        found.push(st.query_row([id], |r| Ok(Found { kind: r.get(0)?, object_id: r.get(1)?, client_id: r.get(2)? }))?);
    }
    Ok((found, total, tokens))
}
