//! Full-text search inside the encrypted database. This module is the index only: domain
//! modules hand it [`Document`]s and turn its [`Found`] records into hits
//! (`crate::domain::finder`), so it depends on no record type.
//!
//! The FTS5 table holds folded text (see
//! [`text::fold`]) so words match with and without diacritics; snippets are cut from the
//! original text in Rust. A client-scoped search ANDs the client's scope token inside FTS5, so
//! it never filters a whole-corpus result through a join.

pub mod text;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::kinds::ObjectKind;
use crate::{Error, Reason, Result};
pub use text::SnippetPart;

/// A search request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchQuery {
    /// What was typed; every word is matched as a prefix.
    pub text: String,
    /// Only this client's records.
    pub client_id: Option<i64>,
    /// Most hits to return (1–200).
    pub limit: u32,
}

fn scope(client_id: i64) -> String {
    format!("c{client_id}")
}

fn doc_id(conn: &Connection, kind: ObjectKind, object_id: i64, client_id: i64) -> Result<i64> {
    conn.execute(
        "INSERT INTO search_doc (kind, object_id, client_id) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, object_id) DO UPDATE SET client_id = excluded.client_id",
        params![kind, object_id, client_id],
    )?;
    Ok(conn.query_row(
        "SELECT id FROM search_doc WHERE kind = ?1 AND object_id = ?2",
        params![kind, object_id],
        |r| r.get(0),
    )?)
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
}

/// Puts `doc` into the index, replacing what it held for the same record.
pub(crate) fn index(conn: &Connection, doc: &Document) -> Result<()> {
    let id = doc_id(conn, doc.kind, doc.object_id, doc.client_id)?;
    put(conn, id, doc.client_id, &doc.title, &doc.body, &doc.tags)
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

/// The records matching `q`, ranked, with the folded query tokens (for snippets). An empty
/// query matches nothing.
pub(crate) fn find(conn: &Connection, q: &SearchQuery) -> Result<(Vec<Found>, Vec<String>)> {
    if !(1..=200).contains(&q.limit) {
        return Err(Error::invalid("limit", Reason::OutOfRange));
    }
    let tokens = text::query_tokens(&q.text);
    let Some(expr) = text::fts_match_expr(&tokens) else {
        return Ok((Vec::new(), tokens));
    };
    let full = match q.client_id {
        Some(c) => format!("scope : \"{}\" AND {{title body tags}} : ({expr})", scope(c)),
        None => format!("{{title body tags}} : ({expr})"),
    };
    let mut st = conn.prepare_cached(
        "SELECT d.kind, d.object_id, d.client_id FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid
         WHERE search_fts MATCH ?1 ORDER BY bm25(search_fts, 0.0, 10.0, 1.0, 5.0) LIMIT ?2",
    )?;
    let found = st
        .query_map(params![full, q.limit], |r| {
            Ok(Found { kind: r.get(0)?, object_id: r.get(1)?, client_id: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((found, tokens))
}
