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

/// An entry's current title and text (its last amendment's, if any), date and status: what a
/// hit shows, without the history that [`entries::load`] also reads.
fn current_text(conn: &Connection, id: i64) -> Result<(String, String, DateTime<Utc>, EntryStatus)> {
    let (title, body, at, status) = conn
        .prepare_cached(
            "SELECT coalesce(a.title, e.title), coalesce(a.body, e.body), e.occurred_at, e.status
             FROM entry e LEFT JOIN amendment a ON a.id = (SELECT max(id) FROM amendment WHERE entry_id = e.id)
             WHERE e.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })
        .optional()?
        .ok_or(crate::Error::NotFound("entry"))?;
    Ok((title, body, crate::time::parse_ts(&at), super::profile::parse_enum(&status)?))
}

fn client_name(conn: &Connection, id: i64) -> Result<String> {
    let n: Option<(String, String)> = conn
        .query_row("SELECT given_name, family_name FROM client WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(n.map(|(g, f)| format!("{g} {f}").trim().to_owned()).unwrap_or_default())
}

impl Vault {
    /// Merges the search index's segments for at most `budget` (in steps of a few
    /// milliseconds); `true` when there is more to do. Nothing a therapist wrote changes, so
    /// no access-log row: this is upkeep, like a checkpoint. The app calls it while nobody
    /// types, and the command line after an import. Saving a note never waits for a merge
    /// (migration 0007), so without this the index would only be merged 16 segments at a time
    /// and searches would slow as it grows.
    pub fn tidy_search_index(&mut self, budget: std::time::Duration) -> Result<bool> {
        let start = std::time::Instant::now();
        let s = self.session()?;
        s.writable(|c| {
            while search::merge_step(c)? {
                if start.elapsed() >= budget {
                    return Ok(true);
                }
            }
            Ok(false)
        })
    }

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
        // A client's page of hits is one name fifty times.
        let mut names: std::collections::HashMap<i64, String> = std::collections::HashMap::new();
        for f in found {
            let name = match names.get(&f.client_id) {
                Some(n) => n.clone(),
                None => names.entry(f.client_id).or_insert(client_name(s.reader(), f.client_id)?).clone(),
            };
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
            let (title, body, occurred_at, status) = current_text(s.reader(), f.object_id)?;
            // An excerpt of the current text; failing that (the words are only in an older version
            // or an amendment's reason), of the history, read only then.
            let snippet = match text::first_match_snippet([body.as_str()], &tokens, 24) {
                Some(sn) => sn,
                None => {
                    let e = entries::load(s.reader(), f.object_id)?;
                    let older =
                        e.history.iter().rev().flat_map(|v| [v.body.as_str(), v.reason.as_deref().unwrap_or("")]);
                    text::first_match_snippet(older, &tokens, 24).unwrap_or_else(|| text::snippet(&body, &tokens, 24))
                }
            };
            hits.push(SearchHit {
                kind: ObjectKind::Entry,
                client_id: f.client_id,
                client_name: name,
                entry_id: Some(f.object_id),
                title,
                snippet,
                occurred_at: Some(occurred_at),
                status: Some(status),
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::domain::clients::ClientInput;
    use crate::search::SearchQuery;
    use crate::testing::unlocked_vault;

    /// Segments in the index, from FTS5's structure record (cookie, an optional version
    /// marker, then the number of levels and of segments, as varints below 128 here).
    fn segments(v: &mut crate::Vault) -> u8 {
        let blob: Vec<u8> = v
            .session()
            .unwrap()
            .reader()
            .query_row("SELECT block FROM search_fts_data WHERE id = 10", [], |r| r.get(0))
            .unwrap();
        let rest = if blob[4..8] == [0xff, 0, 0, 1] { &blob[8..] } else { &blob[4..] };
        assert!(rest[0] < 0x80 && rest[1] < 0x80);
        rest[1]
    }

    #[test]
    fn saves_leave_the_index_unmerged_and_tidying_merges_it_without_changing_answers() {
        let (_d, mut v) = unlocked_vault();
        let automerge: i64 = v
            .session()
            .unwrap()
            .reader()
            .query_row("SELECT v FROM search_fts_config WHERE k = 'automerge'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(automerge, 0, "no merging inside a save");
        // One commit, one segment: ten clients are ten segments on the first level.
        for i in 0..10 {
            let input =
                ClientInput { given_name: format!("Stina{i}"), family_name: "Lindqvist".into(), ..Default::default() };
            v.create_client(&input).unwrap();
        }
        let q = SearchQuery { text: "lindq".into(), client_id: None, limit: 50, oldest_first: false };
        let before = v.search(&q).unwrap();
        assert_eq!(before.len(), 10);
        let unmerged = segments(&mut v);
        assert!(unmerged >= 10, "{unmerged} segments");

        // Slices until done; a zero budget still makes progress, one step at a time.
        let mut slices = 0;
        while v.tidy_search_index(Duration::ZERO).unwrap() {
            slices += 1;
            assert!(slices < 1000, "tidying ends");
        }
        let merged = segments(&mut v);
        assert!(merged < 4, "{unmerged} segments became {merged}");
        assert!(!v.tidy_search_index(Duration::from_secs(1)).unwrap(), "nothing more to do");
        assert_eq!(v.search(&q).unwrap(), before, "same answers from the merged index");

        v.lock();
        assert!(v.tidy_search_index(Duration::ZERO).is_err(), "locked: refused");
    }
}
