//! The search screen's answers: the index's matches ([`crate::search::find`]) turned into hits
//! with the client's name, the entry's title and a highlighted excerpt in original spelling.
//! Every search is logged (without the query text).

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::entries::{self, EntryStatus};
use crate::audit::{Action, Target};
use crate::kinds::ObjectKind;
use crate::search::{self, text, SearchQuery, SnippetPart};
use crate::{Result, Vault};

/// One ranked result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    /// What the hit is: a client (by name) or an entry.
    pub kind: ObjectKind,
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

/// A page of hits and how many records matched in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchPage {
    /// The hits shown, in order.
    pub hits: Vec<SearchHit>,
    /// How many records matched, counted up to [`search::COUNT_CAP`].
    pub total: u32,
    /// More than `total` matched (the count stopped at the cap).
    pub more: bool,
}

/// Rebuilds the search index from the records when a migration asked for it (its layout
/// changed), in one transaction, before the first search after the upgrade (the caller has
/// seen the flag; taking it here makes a second caller a no-op).
fn rebuild_index_if_asked(conn: &Connection) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    crate::db::with_bulk_cache(&tx, || {
        if search::take_rebuild_flag(&tx)? {
            let ids = |sql: &str| -> Result<Vec<i64>> {
                let mut st = tx.prepare(sql)?;
                let v = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
                Ok(v)
            };
            for id in ids("SELECT id FROM client")? {
                search::index(&tx, &super::clients::search_document(&tx, id)?)?;
            }
            for id in ids("SELECT id FROM entry")? {
                search::index(&tx, &entries::search_document(&tx, id)?)?;
            }
        }
        Ok(())
    })?;
    tx.commit()?;
    Ok(())
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
        Ok(self.search_page(q)?.hits)
    }

    /// [`Vault::search`], with how many records matched in all.
    pub fn search_page(&mut self, q: &SearchQuery) -> Result<SearchPage> {
        let s = self.session()?;
        if search::rebuild_asked(s.reader())? {
            s.writable(rebuild_index_if_asked)?;
        }
        let (found, total, tokens) = search::find(s.reader(), q)?;
        if tokens.is_empty() {
            return Ok(SearchPage { hits: Vec::new(), total: 0, more: false });
        }
        let mut hits = Vec::with_capacity(found.len());
        for f in found {
            let name = client_name(s.reader(), f.client_id)?;
            if f.kind == ObjectKind::Client {
                hits.push(SearchHit {
                    kind: ObjectKind::Client,
                    client_id: f.client_id,
                    snippet: text::snippet(&name, &tokens, 12),
                    client_name: name.clone(),
                    entry_id: None,
                    title: name,
                    occurred_at: None,
                    status: None,
                });
                continue;
            }
            let e = entries::load(s.reader(), f.object_id)?;
            // Prefer an excerpt of the current text; fall back to an older version or reason.
            let mut candidates: Vec<&str> = vec![&e.body];
            candidates
                .extend(e.history.iter().rev().flat_map(|v| [v.body.as_str(), v.reason.as_deref().unwrap_or("")]));
            let source = candidates.into_iter().find(|t| text::matches(t, &tokens)).unwrap_or(&e.body);
            hits.push(SearchHit {
                kind: ObjectKind::Entry,
                client_id: f.client_id,
                client_name: name,
                entry_id: Some(e.id),
                title: e.title.clone(),
                snippet: text::snippet(source, &tokens, 24),
                occurred_at: Some(e.occurred_at),
                status: Some(e.status),
            });
        }
        // The search, then which clients' records it showed (ids only, never the query text).
        let target = q.client_id.map_or(Target::none(), Target::client);
        let mut shown: Vec<i64> = hits.iter().map(|h| h.client_id).collect();
        shown.sort_unstable();
        shown.dedup();
        let mut rows = vec![(Action::Search, target)];
        rows.extend(shown.into_iter().map(|c| (Action::SearchResult, Target::client(c))));
        s.log_all(&rows)?;
        Ok(SearchPage { hits, total, more: total >= search::COUNT_CAP })
    }
}
