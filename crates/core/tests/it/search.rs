//! Full-text search: Swedish and Danish with and without diacritics, prefixes, client names,
//! client scope, amendments, snippets and input limits.

use confidant_core::domain::clients::Client;
use confidant_core::domain::entries::{Entry, EntryInput};
use confidant_core::domain::finder::{SearchHit, SearchPage};
use confidant_core::search::SearchQuery;
use confidant_core::ObjectKind;
use confidant_core::{Error, Vault};

use crate::util::{client_with_course, draft, new_vault, Fixture};

struct World {
    f: Fixture,
    soren: Client,
    asa: Client,
    /// Søren's note about the bench on Ærø (also mentions ångest).
    bench: Entry,
    /// Åsa's note: "Sömnproblem och ångest".
    sleep: Entry,
    /// Åsa's note about her anxiety diary.
    diary: Entry,
}

fn world() -> World {
    let mut f = new_vault();
    let (soren, sc) = client_with_course(&mut f.vault, "Søren", "Kierkegaard");
    let (asa, ac) = client_with_course(&mut f.vault, "Åsa", "Öberg");
    let bench = draft(&mut f.vault, &sc, "Besøg", "Søren sad på en bænk på Ærø. Ingen ångest i dag.");
    let sleep = draft(&mut f.vault, &ac, "Session 1", "Sömnproblem och ångest sedan i höstas.");
    let diary = draft(&mut f.vault, &ac, "Session 2", "Hon för ångestdagbok varje kväll.");
    World { f, soren, asa, bench, sleep, diary }
}

fn search(v: &mut Vault, text: &str, client_id: Option<i64>) -> Vec<SearchHit> {
    v.search(&SearchQuery { text: text.into(), client_id, limit: 50, oldest_first: false }).unwrap()
}

fn entry_ids(hits: &[SearchHit]) -> Vec<i64> {
    let mut ids: Vec<i64> = hits.iter().filter(|h| h.kind == ObjectKind::Entry).filter_map(|h| h.entry_id).collect();
    ids.sort_unstable();
    ids
}

fn sorted(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids
}

fn hit_words(h: &SearchHit) -> Vec<&str> {
    h.snippet.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect()
}

#[test]
fn swedish_words_match_with_and_without_diacritics() {
    let mut w = world();
    let v = &mut w.f.vault;
    for q in ["somnproblem", "Sömnproblem", "SÖMNPROBLEM", "somn"] {
        assert_eq!(entry_ids(&search(v, q, None)), vec![w.sleep.id], "{q}");
    }
    let anxious = sorted(vec![w.bench.id, w.sleep.id, w.diary.id]);
    for q in ["angest", "ångest", "Ångest"] {
        assert_eq!(entry_ids(&search(v, q, None)), anxious, "{q}");
    }
}

#[test]
fn danish_words_match_with_and_without_diacritics() {
    let mut w = world();
    let v = &mut w.f.vault;
    for q in ["baenk", "bænk", "BÆNK", "aero", "Ærø", "aerø"] {
        assert_eq!(entry_ids(&search(v, q, None)), vec![w.bench.id], "{q}");
    }
    for q in ["Soren", "søren", "sor"] {
        let hits = search(v, q, None);
        assert!(
            hits.iter().any(|h| h.kind == ObjectKind::Client && h.client_id == w.soren.id),
            "{q}: client not found in {hits:?}"
        );
        assert_eq!(entry_ids(&hits), vec![w.bench.id], "{q}: the note naming Søren");
    }
    assert!(search(v, "bank", None).is_empty(), "ae is not a");
}

#[test]
fn words_match_as_prefixes() {
    let mut w = world();
    let v = &mut w.f.vault;
    for q in ["ångestd", "angestdag", "ångestdagbok"] {
        assert_eq!(entry_ids(&search(v, q, None)), vec![w.diary.id], "{q}");
    }
    assert!(search(v, "dagbok", None).is_empty(), "only prefixes match");
    // Several words: all must match.
    assert_eq!(entry_ids(&search(v, "ångest höst", None)), vec![w.sleep.id]);
    assert!(search(v, "ångest bænk sömn", None).is_empty());
}

#[test]
fn client_names_are_found_globally() {
    let mut w = world();
    let v = &mut w.f.vault;
    let hits = search(v, "oberg", None);
    let client_hits: Vec<&SearchHit> = hits.iter().filter(|h| h.kind == ObjectKind::Client).collect();
    assert_eq!(client_hits.len(), 1, "{hits:?}");
    let h = client_hits[0];
    assert_eq!(h.client_id, w.asa.id);
    assert_eq!(h.client_name, "Åsa Öberg");
    assert_eq!(h.entry_id, None);
    assert_eq!(hit_words(h), vec!["Öberg"]);

    // Renaming a client re-indexes the name.
    let mut input = crate::util::person("Åsa", "Nordin");
    input.email = String::new();
    v.update_client(w.asa.id, &input).unwrap();
    assert!(search(v, "oberg", None).iter().all(|h| h.kind != ObjectKind::Client));
    assert!(search(v, "nordin", None).iter().any(|h| h.client_id == w.asa.id && h.kind == ObjectKind::Client));
}

#[test]
fn client_scope_excludes_other_clients() {
    let mut w = world();
    let v = &mut w.f.vault;
    let soren_only = search(v, "angest", Some(w.soren.id));
    assert_eq!(entry_ids(&soren_only), vec![w.bench.id]);
    assert!(soren_only.iter().all(|h| h.client_id == w.soren.id));
    let asa_only = search(v, "angest", Some(w.asa.id));
    assert_eq!(entry_ids(&asa_only), sorted(vec![w.sleep.id, w.diary.id]));
    assert!(asa_only.iter().all(|h| h.client_id == w.asa.id));
    assert!(search(v, "somnproblem", Some(w.soren.id)).is_empty());
    assert!(search(v, "oberg", Some(w.soren.id)).is_empty(), "other clients' names too");
    // Client ids are scoped exactly (c1 must not match c10 and so on).
    assert!(search(v, "baenk", Some(9999)).is_empty());
}

#[test]
fn amendment_text_is_searchable() {
    let mut w = world();
    let v = &mut w.f.vault;
    v.sign_entry(w.sleep.id).unwrap();
    v.amend_entry(
        w.sleep.id,
        "Förtydligande efter samtal",
        "Session 1 (rättad)",
        "Mardrömmar och insomningsbesvär.",
        &[],
    )
    .unwrap();

    let hits = search(v, "mardrommar", None);
    assert_eq!(entry_ids(&hits), vec![w.sleep.id]);
    assert_eq!(hits[0].title, "Session 1 (rättad)", "the current title");
    assert_eq!(hit_words(&hits[0]), vec!["Mardrömmar"]);
    // The reason and the signed original stay findable.
    assert_eq!(entry_ids(&search(v, "fortydligande", None)), vec![w.sleep.id]);
    let orig = search(v, "somnproblem", None);
    assert_eq!(entry_ids(&orig), vec![w.sleep.id]);
    assert_eq!(hit_words(&orig[0]), vec!["Sömnproblem"], "snippet from the version that matched");
}

#[test]
fn snippet_marks_hits_in_original_spelling() {
    let mut w = world();
    let v = &mut w.f.vault;
    let hits = search(v, "somnproblem angest", None);
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h.entry_id, Some(w.sleep.id));
    assert_eq!(h.client_name, "Åsa Öberg");
    assert_eq!(h.title, "Session 1");
    assert_eq!(hit_words(h), vec!["Sömnproblem", "ångest"]);
    let text: String = h.snippet.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(text, "Sömnproblem och ångest sedan i höstas");

    let bench = search(v, "baenk", None);
    assert_eq!(hit_words(&bench[0]), vec!["bænk"]);
}

#[test]
fn edited_draft_leaves_no_stale_text_in_the_index() {
    let mut w = world();
    let v = &mut w.f.vault;
    let input = EntryInput {
        title: "Session 2b".into(),
        body: "Hon skriver numera en tacksamhetslista.".into(),
        ..Default::default()
    };
    v.update_draft(w.diary.id, &input).unwrap();
    assert!(entry_ids(&search(v, "ångestdagbok", None)).is_empty(), "the old draft text is gone");
    assert_eq!(entry_ids(&search(v, "tacksamhet", None)), vec![w.diary.id]);
    w.f.vault.lock();
    w.f.vault.unlock(&crate::util::pass(crate::util::PASS)).unwrap();
    assert!(entry_ids(&search(&mut w.f.vault, "angestdagbok", None)).is_empty());
    // Text stored decomposed (NFD, as pasted from macOS) is found and shown as typed.
    let nfd = nfd_draft(&mut w);
    let hits = search(&mut w.f.vault, "sömnlös", None);
    assert_eq!(entry_ids(&hits), vec![nfd]);
    assert_eq!(hit_words(&hits[0]), vec!["So\u{308}mnlo\u{308}s"]);
}

fn nfd_draft(w: &mut World) -> i64 {
    let course = w.f.vault.list_courses(w.asa.id).unwrap().remove(0);
    draft(&mut w.f.vault, &course, "NFD", "Helt So\u{308}mnlo\u{308}s i natt.").id
}

#[test]
fn empty_query_and_bad_limits() {
    let mut w = world();
    let v = &mut w.f.vault;
    for q in ["", "   ", "!!! ** \"\" ()"] {
        assert!(search(v, q, None).is_empty(), "{q:?}");
    }
    for limit in [0, 201] {
        let r = v.search(&SearchQuery { text: "angest".into(), client_id: None, limit, oldest_first: false });
        assert!(matches!(&r, Err(Error::Validation(fe)) if fe.field == "limit"), "{limit}: {r:?}");
    }
    let one = v.search(&SearchQuery { text: "angest".into(), client_id: None, limit: 1, oldest_first: false }).unwrap();
    assert_eq!(one.len(), 1);
    // FTS syntax typed by a person is just text.
    assert!(search(v, "angest OR NOT \"", None).is_empty());
    assert_eq!(entry_ids(&search(v, "ångest*", None)).len(), 3);
}

/// Drafts in two clients mentioning "samtal", created out of date order, and a client whose
/// name matches too. Returns the entries by date, oldest first.
fn dated(v: &mut Vault) -> (Client, Vec<(i64, i64)>) {
    let (sam, sc) = client_with_course(v, "Sam", "Samtalsson");
    let (_, oc) = client_with_course(v, "Olle", "Berg");
    let mut made = Vec::new();
    for (i, year) in [2019, 2024, 2011, 2026, 2015, 2021, 2013, 2025].iter().enumerate() {
        let course = if i % 2 == 0 { &sc } else { &oc };
        let at = format!("{year}-03-0{}T10:00:00Z", 1 + i % 5).parse().unwrap();
        let input = EntryInput {
            occurred_at: Some(at),
            title: format!("Möte {i}"),
            body: "Ett samtal om veckan.".into(),
            ..Default::default()
        };
        let e = v.create_entry(course.id, &input).unwrap();
        made.push((at.timestamp(), e.id));
    }
    made.sort_unstable();
    (sam, made)
}

fn page(v: &mut Vault, text: &str, client_id: Option<i64>, limit: u32, oldest_first: bool) -> SearchPage {
    v.search_page(&SearchQuery { text: text.into(), client_id, limit, oldest_first }).unwrap()
}

fn entries_in_order(p: &SearchPage) -> Vec<i64> {
    p.hits.iter().filter_map(|h| h.entry_id).collect()
}

#[test]
fn hits_come_clients_first_then_newest_first_and_say_how_many_matched() {
    let mut f = new_vault();
    let (sam, made) = dated(&mut f.vault);
    let newest: Vec<i64> = made.iter().rev().map(|(_, id)| *id).collect();
    let p = page(&mut f.vault, "samtal", None, 50, false);
    assert_eq!(p.hits[0].kind, ObjectKind::Client);
    assert_eq!(p.hits[0].client_id, sam.id);
    assert_eq!(entries_in_order(&p), newest);
    assert_eq!((p.total, p.more), (9, false));
    // A page shorter than the matches still counts them all.
    let p = page(&mut f.vault, "samtal", None, 3, false);
    assert_eq!(p.hits.len(), 3);
    assert_eq!(entries_in_order(&p), newest[..2]);
    assert_eq!(p.total, 9);
    let p = page(&mut f.vault, "samtal", None, 50, true);
    assert_eq!(entries_in_order(&p), made.iter().map(|(_, id)| *id).collect::<Vec<_>>());
    // Within one client: only theirs, still newest first.
    let p = page(&mut f.vault, "samtal", Some(sam.id), 50, false);
    assert!(p.hits.iter().all(|h| h.client_id == sam.id));
    let mine: Vec<i64> = f.vault.list_entries(sam.id).unwrap().iter().map(|e| e.id).collect();
    let want: Vec<i64> = newest.iter().copied().filter(|id| mine.contains(id)).collect();
    assert_eq!(entries_in_order(&p), want);
    assert_eq!(p.total, 5);
    // A draft whose date is changed moves in the order.
    let oldest = made[0].1;
    let input = EntryInput {
        occurred_at: Some("2026-11-30T09:00:00Z".parse().unwrap()),
        title: "Möte flyttat".into(),
        body: "Ett samtal om veckan.".into(),
        ..Default::default()
    };
    f.vault.update_draft(oldest, &input).unwrap();
    let p = page(&mut f.vault, "samtal", None, 50, false);
    assert_eq!(entries_in_order(&p)[0], oldest);
    assert_eq!(p.total, 9, "moved, not duplicated");
}

#[test]
fn an_index_emptied_by_a_migration_is_rebuilt_before_the_first_search() {
    let mut f = new_vault();
    let (_, made) = dated(&mut f.vault);
    let before = page(&mut f.vault, "samtal", None, 50, false);
    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    {
        // What migration 0006 does to a vault of an earlier version.
        let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
        conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
        conn.execute_batch(
            "INSERT INTO search_fts (search_fts) VALUES ('delete-all'); DELETE FROM search_doc;
             INSERT INTO meta (key, value) VALUES ('search_rebuild', '1');",
        )
        .unwrap();
    }
    f.vault.unlock(&crate::util::pass(crate::util::PASS)).unwrap();
    let after = page(&mut f.vault, "samtal", None, 50, false);
    assert_eq!(after, before);
    assert_eq!(entries_in_order(&after).len(), made.len());
}

#[test]
fn long_prefixes_single_letters_and_words_that_left_a_draft() {
    let mut w = world();
    let v = &mut w.f.vault;
    // A prefix of four letters or more is expanded to the words it begins.
    assert_eq!(entry_ids(&search(v, "ånge", None)), sorted(vec![w.bench.id, w.sleep.id, w.diary.id]));
    assert_eq!(entry_ids(&search(v, "somnp", None)), vec![w.sleep.id]);
    // A prefix that begins no word finds nothing; one letter matches only that word.
    assert!(search(v, "ångestx", None).is_empty());
    assert_eq!(entry_ids(&search(v, "i", None)), sorted(vec![w.bench.id, w.sleep.id]));
    // A word taken out of a draft is not found any more, though it once was indexed.
    let course = v.list_courses(w.asa.id).unwrap().remove(0);
    let e = draft(v, &course, "Utkast", "Kvällsrutiner och promenader.");
    assert_eq!(entry_ids(&search(v, "kvallsr", None)), vec![e.id]);
    let input = EntryInput { title: "Utkast".into(), body: "Promenader.".into(), ..Default::default() };
    v.update_draft(e.id, &input).unwrap();
    assert!(search(v, "kvallsr", None).is_empty());
    assert_eq!(entry_ids(&search(v, "promen", None)), vec![e.id]);
}

#[test]
fn a_prefix_beginning_very_many_words_still_finds_them_all() {
    let mut f = new_vault();
    let (_, course) = client_with_course(&mut f.vault, "Many", "Words");
    // 300 different words that all begin "zeta": more than the expansion takes.
    let body: String = (0..300).map(|i| format!("zeta{i}x ")).collect();
    let e = draft(&mut f.vault, &course, "Lista", &body);
    let other = draft(&mut f.vault, &course, "Annan", "zeta79x och mer");
    assert_eq!(entry_ids(&search(&mut f.vault, "zeta", None)), sorted(vec![e.id, other.id]));
    assert_eq!(entry_ids(&search(&mut f.vault, "zeta7", None)), sorted(vec![e.id, other.id]));
    assert_eq!(entry_ids(&search(&mut f.vault, "zeta12", None)), vec![e.id]);
}
