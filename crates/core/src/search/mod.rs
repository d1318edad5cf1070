//! Full-text search inside the encrypted database. This module is the index only: domain
//! modules hand it [`Document`]s and turn its [`Found`] records into hits
//! (`crate::domain::finder`), so it depends on no record type.
//!
//! The FTS5 table holds folded text (see [`text::fold`]) so words match with and without
//! diacritics; snippets are cut from the original text in Rust. A client-scoped search ANDs the
//! client's scope token inside FTS5, so it never filters a whole-corpus result through a join.
//!
//! # Order: clients by name first, then entries newest first
//! A record's row id in the index is its sort key ([`sort_key`]): clients above every entry,
//! and an entry's date in seconds in the high bits. So the index walks its matches in the order
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
/// old row goes, and the new key is taken, or the next free one after it.
fn doc_id(conn: &Connection, doc: &Document) -> Result<i64> {
    let want = sort_key(doc);
    let have: Option<i64> = conn
        .query_row(
            "SELECT id FROM search_doc WHERE kind = ?1 AND object_id = ?2",
            params![doc.kind, doc.object_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(id) = have {
        if id >> LOW_BITS == want >> LOW_BITS {
            conn.execute("UPDATE search_doc SET client_id = ?2 WHERE id = ?1", params![id, doc.client_id])?;
            return Ok(id);
        }
        conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [id])?;
        conn.execute("DELETE FROM search_doc WHERE id = ?1", [id])?;
    }
    let mut id = want;
    while conn.query_row("SELECT 1 FROM search_doc WHERE id = ?1", [id], |_| Ok(())).optional()?.is_some() {
        id += 1;
    }
    conn.execute(
        "INSERT INTO search_doc (id, kind, object_id, client_id) VALUES (?1, ?2, ?3, ?4)",
        params![id, doc.kind, doc.object_id, doc.client_id],
    )?;
    Ok(id)
}

fn put(conn: &Connection, doc: i64, client_id: i64, title: &str, body: &str, tags: &str) -> Result<()> {
    conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [doc])?;
    conn.execute(
        "INSERT INTO search_fts (rowid, scope, title, body, tags) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![doc, scope(client_id), text::fold(title), text::fold(body), text::fold(tags)],
    )?;
    Ok(())
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

/// Puts `doc` into the index, replacing what it held for the same record.
pub(crate) fn index(conn: &Connection, doc: &Document) -> Result<()> {
    let id = doc_id(conn, doc)?;
    put(conn, id, doc.client_id, &doc.title, &doc.body, &doc.tags)
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
pub(crate) fn purge_deleted(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')", [])?;
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
    let Some(expr) = text::fts_match_expr(&tokens) else {
        return Ok((Vec::new(), 0, tokens));
    };
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
