//! Full-text search inside the encrypted database. The FTS5 table holds folded text (see
//! [`text::fold`]) so words match with and without diacritics; snippets are cut from the
//! original text in Rust. A client-scoped search ANDs the client's scope token inside FTS5, so
//! it never filters a whole-corpus result through a join.

pub mod text;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::domain::entries::{self, EntryStatus};
use crate::{Error, Result, Vault};
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

/// What a hit points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    /// A client (by name).
    Client,
    /// A journal entry.
    Entry,
}

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// Client or entry.
    pub kind: HitKind,
    /// The client.
    pub client_id: i64,
    /// The client's name, to label the hit.
    pub client_name: String,
    /// The entry, for entry hits.
    pub entry_id: Option<i64>,
    /// Entry title (current), or the client's name.
    pub title: String,
    /// Highlighted excerpt in original spelling.
    pub snippet: Vec<SnippetPart>,
    /// When the contact happened (entries).
    pub occurred_at: Option<DateTime<Utc>>,
    /// Draft or signed (entries).
    pub status: Option<EntryStatus>,
}

fn scope(client_id: i64) -> String {
    format!("c{client_id}")
}

fn doc_id(conn: &Connection, kind: &str, object_id: i64, client_id: i64) -> Result<i64> {
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

/// Re-indexes a client's name.
pub(crate) fn index_client(conn: &Connection, id: i64) -> Result<()> {
    let (given, family): (String, String) =
        conn.query_row("SELECT given_name, family_name FROM client WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let doc = doc_id(conn, "client", id, id)?;
    put(conn, doc, id, &format!("{given} {family}"), "", "")
}

/// Re-indexes an entry: current text plus every earlier version and amendment reason.
pub(crate) fn index_entry(conn: &Connection, id: i64) -> Result<()> {
    let e = entries::load(conn, id)?;
    let mut title = e.title.clone();
    let mut body = e.body.clone();
    let mut tags = e.tags.join(" ");
    for v in &e.history {
        title.push(' ');
        title.push_str(&v.title);
        body.push('\n');
        if let Some(r) = &v.reason {
            body.push_str(r);
            body.push('\n');
        }
        body.push_str(&v.body);
        tags.push(' ');
        tags.push_str(&v.tags.join(" "));
    }
    let doc = doc_id(conn, "entry", id, e.client_id)?;
    put(conn, doc, e.client_id, &title, &body, &tags)
}

fn client_name(conn: &Connection, id: i64) -> Result<String> {
    let n: Option<(String, String)> = conn
        .query_row("SELECT given_name, family_name FROM client WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(n.map(|(g, f)| format!("{g} {f}").trim().to_owned()).unwrap_or_default())
}

impl Vault {
    /// Ranked full-text search over entry titles, bodies, tags and amendments and over client
    /// names, globally or within one client (logged without the query text).
    pub fn search(&mut self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        if !(1..=200).contains(&q.limit) {
            return Err(Error::invalid("limit", "out_of_range"));
        }
        let s = self.session()?;
        let tokens = text::query_tokens(&q.text);
        let Some(expr) = text::fts_match_expr(&tokens) else {
            return Ok(Vec::new());
        };
        let full = match q.client_id {
            Some(c) => format!("scope : \"{}\" AND {{title body tags}} : ({expr})", scope(c)),
            None => format!("{{title body tags}} : ({expr})"),
        };
        let mut st = s.conn.prepare_cached(
            "SELECT d.kind, d.object_id, d.client_id FROM search_fts JOIN search_doc d ON d.id = search_fts.rowid
             WHERE search_fts MATCH ?1 ORDER BY bm25(search_fts, 0.0, 10.0, 1.0, 5.0) LIMIT ?2",
        )?;
        let found = st
            .query_map(params![full, q.limit], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let mut hits = Vec::with_capacity(found.len());
        for (kind, object_id, client_id) in found {
            let name = client_name(&s.conn, client_id)?;
            if kind == "client" {
                hits.push(SearchHit {
                    kind: HitKind::Client,
                    client_id,
                    snippet: text::snippet(&name, &tokens, 12),
                    client_name: name.clone(),
                    entry_id: None,
                    title: name,
                    occurred_at: None,
                    status: None,
                });
                continue;
            }
            let e = entries::load(&s.conn, object_id)?;
            // Prefer an excerpt of the current text; fall back to an older version or reason.
            let mut candidates: Vec<&str> = vec![&e.body];
            candidates
                .extend(e.history.iter().rev().flat_map(|v| [v.body.as_str(), v.reason.as_deref().unwrap_or("")]));
            let source = candidates.into_iter().find(|t| text::matches(t, &tokens)).unwrap_or(&e.body);
            hits.push(SearchHit {
                kind: HitKind::Entry,
                client_id,
                client_name: name,
                entry_id: Some(e.id),
                title: e.title.clone(),
                snippet: text::snippet(source, &tokens, 24),
                occurred_at: Some(e.occurred_at),
                status: Some(e.status),
            });
        }
        let target = q.client_id.map_or(Target::none(), Target::client);
        s.log(Action::Search, target)?;
        Ok(hits)
    }
}
