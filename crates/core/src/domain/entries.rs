//! Journal entries: drafts edited freely, then signed. A signed entry is never changed or
//! removed in place (the database refuses too); corrections are amendments with a reason, and
//! reading an entry returns the current text with its full history.

use crate::Reason;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::profile::{enum_to_str, parse_enum};
use super::validate;
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{search, time, Error, Result, Vault};

/// What kind of contact an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A session.
    #[default]
    Session,
    /// A session by video.
    Video,
    /// A phone call.
    PhoneCall,
    /// A booked session the client did not come to (no-show), recorded as such.
    NoShow,
    /// A message (mail, SMS, letter).
    Message,
    /// Administrative note.
    Administrative,
    /// Any other note.
    Note,
}

/// Draft or signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// Editable.
    #[default]
    Draft,
    /// Final; only amendments may follow.
    Signed,
}

/// The editable content of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryInput {
    /// Kind of contact.
    pub kind: EntryKind,
    /// When the contact happened.
    pub occurred_at: Option<DateTime<Utc>>,
    /// Minutes.
    pub duration_minutes: Option<u32>,
    /// Title.
    pub title: String,
    /// Markdown body.
    pub body: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Template used (`builtin:soap`, `user:3`).
    pub template_id: Option<String>,
}

/// One version of an entry's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntryVersion {
    /// 0 for the signed original, then 1, 2… per amendment.
    pub number: u32,
    /// When this version was made (signing time for the original).
    pub at: DateTime<Utc>,
    /// Why (amendments only).
    pub reason: Option<String>,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Tags.
    pub tags: Vec<String>,
}

/// An entry as read: current text plus the whole history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Entry {
    /// Row id.
    pub id: i64,
    /// Client.
    pub client_id: i64,
    /// Course.
    pub course_id: i64,
    /// Kind.
    pub kind: EntryKind,
    /// When the contact happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was first recorded.
    pub recorded_at: DateTime<Utc>,
    /// Minutes.
    pub duration_minutes: Option<u32>,
    /// Current title (latest amendment, else the original).
    pub title: String,
    /// Current body.
    pub body: String,
    /// Current tags.
    pub tags: Vec<String>,
    /// Template used.
    pub template_id: Option<String>,
    /// Draft or signed.
    pub status: EntryStatus,
    /// When signed.
    pub signed_at: Option<DateTime<Utc>>,
    /// SHA-256 of the signed original's content.
    pub content_sha256: Option<String>,
    /// Who signed it, when it was signed in another vault and imported ("Anna Lindqvist, leg.
    /// psykoterapeut"); `None`: this vault's therapist.
    pub signed_by: Option<String>,
    /// Last change of the draft.
    pub updated_at: DateTime<Utc>,
    /// Original then amendments, oldest first; empty for drafts.
    pub history: Vec<EntryVersion>,
}

/// A client's journal tab: courses, and entries as summaries, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Logbook {
    /// Courses, newest first.
    pub courses: Vec<super::courses::Course>,
    /// Entries, newest first.
    pub entries: Vec<EntrySummary>,
}

/// A timeline line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EntrySummary {
    /// Row id.
    pub id: i64,
    /// Course.
    pub course_id: i64,
    /// Kind.
    pub kind: EntryKind,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// Current title.
    pub title: String,
    /// Draft or signed.
    pub status: EntryStatus,
    /// How many amendments.
    pub amendments: u32,
    /// The start of the current text as one line (headings become "Heading:", Markdown marks
    /// are dropped), at most [`PREVIEW_CHARS`] characters: what the logbook row shows.
    pub preview: String,
}

/// The longest preview of an entry's text, in characters.
pub const PREVIEW_CHARS: usize = 240;

/// One line from the start of a Markdown note: "Aktuellt: Sover bättre. Bedömning: …".
/// Headings with nothing under them (a template's empty sections) are left out.
pub fn preview(body: &str) -> String {
    let mut out = String::new();
    let mut heading: Option<&str> = None;
    for line in body.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            heading = Some(line.trim_start_matches('#').trim());
            continue;
        }
        let text = line
            .trim_start_matches(['-', '*', '+', '>'])
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start_matches(['.', ')'])
            .trim();
        let text: String = text.chars().filter(|c| !matches!(c, '*' | '_' | '`')).collect();
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        if let Some(h) = heading.take().filter(|h| !h.is_empty()) {
            out.push_str(h);
            if !h.ends_with([':', '?', '.']) {
                out.push(':');
            }
            out.push(' ');
        }
        out.push_str(&text);
        if out.chars().count() > PREVIEW_CHARS {
            break;
        }
    }
    if out.chars().count() > PREVIEW_CHARS {
        out = out.chars().take(PREVIEW_CHARS - 1).collect::<String>().trim_end().to_owned();
        out.push('…');
    }
    out
}

pub(crate) struct Clean {
    kind: String,
    occurred_at: Option<String>,
    duration: Option<u32>,
    title: String,
    body: String,
    tags: String,
    template: Option<String>,
}

pub(crate) fn clean(e: &EntryInput) -> Result<Clean> {
    if e.duration_minutes.is_some_and(|d| d > 1440) {
        return Err(Error::invalid("duration_minutes", Reason::OutOfRange));
    }
    let template = match e.template_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(validate::one_line("template_id", t, 64, true)?),
    };
    Ok(Clean {
        kind: enum_to_str(&e.kind),
        occurred_at: e.occurred_at.as_ref().map(time::to_string),
        duration: e.duration_minutes,
        title: validate::one_line("title", &e.title, 300, false)?,
        body: validate::text("body", &e.body, 1_000_000, false)?,
        tags: serde_json::to_string(&validate::tags(&e.tags)?).map_err(|_| Error::Internal("encoding"))?,
        template,
    })
}

const COLUMNS: &str = "id, client_id, course_id, kind, occurred_at, recorded_at, duration_minutes, title, body, tags,
    template_id, status, signed_at, content_sha256, updated_at, signed_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    Ok(Entry {
        id: r.get(0)?,
        client_id: r.get(1)?,
        course_id: r.get(2)?,
        kind: parse_enum(&r.get::<_, String>(3)?)?,
        occurred_at: time::parse_ts(&r.get::<_, String>(4)?),
        recorded_at: time::parse_ts(&r.get::<_, String>(5)?),
        duration_minutes: r.get(6)?,
        title: r.get(7)?,
        body: r.get(8)?,
        tags: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        template_id: r.get(10)?,
        status: parse_enum(&r.get::<_, String>(11)?)?,
        signed_at: r.get::<_, Option<String>>(12)?.map(|s| time::parse_ts(&s)),
        content_sha256: r.get(13)?,
        updated_at: time::parse_ts(&r.get::<_, String>(14)?),
        signed_by: r.get(15)?,
        history: Vec::new(),
    })
}

/// Loads an entry with its amendments applied and its history.
pub(crate) fn load(conn: &Connection, id: i64) -> Result<Entry> {
    let mut e = conn
        .prepare_cached(&format!("SELECT {COLUMNS} FROM entry WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound("entry"))?;
    if e.status == EntryStatus::Signed {
        e.history.push(EntryVersion {
            number: 0,
            at: e.signed_at.unwrap_or(e.updated_at),
            reason: None,
            title: e.title.clone(),
            body: e.body.clone(),
            tags: e.tags.clone(),
        });
        let mut st = conn.prepare_cached(
            "SELECT amended_at, reason, title, body, tags FROM amendment WHERE entry_id = ?1 ORDER BY id",
        )?;
        let rows = st.query_map([id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for (i, row) in rows.enumerate() {
            let (at, reason, title, body, tags) = row?;
            e.history.push(EntryVersion {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                at: time::parse_ts(&at),
                reason: Some(reason),
                title,
                body,
                tags: serde_json::from_str(&tags).unwrap_or_default(),
            });
        }
        if let Some(last) = e.history.last() {
            e.title = last.title.clone();
            e.body = last.body.clone();
            e.tags = last.tags.clone();
        }
    }
    Ok(e)
}

fn content_hash(e: &Entry) -> String {
    let tags = serde_json::json!(e.tags).to_string();
    hash_parts(
        &enum_to_str(&e.kind),
        &time::to_string(&e.occurred_at),
        e.duration_minutes,
        &e.title,
        &e.body,
        &tags,
        e.template_id.as_deref(),
    )
}

/// The SHA-256 recorded at signing, over the entry's content in one canonical JSON form
/// (`tags` is its JSON array as stored).
fn hash_parts(
    kind: &str,
    occurred_at: &str,
    duration: Option<u32>,
    title: &str,
    body: &str,
    tags: &str,
    template: Option<&str>,
) -> String {
    let tags: serde_json::Value = serde_json::from_str(tags).unwrap_or_default();
    let canonical = serde_json::json!({
        "kind": kind, "occurred_at": occurred_at, "duration_minutes": duration,
        "title": title, "body": body, "tags": tags, "template_id": template,
    });
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// How a new entry row starts: a draft written here, or a record received by an import,
/// possibly signed (by this vault's therapist or, named in `signed_by`, someone else).
pub(crate) struct NewEntry<'a> {
    pub client_id: i64,
    pub course_id: i64,
    pub content: &'a Clean,
    pub recorded_at: String,
    /// Signing time and signer; `None` for a draft.
    pub signed: Option<(String, Option<String>)>,
}

/// Writes a new entry row (not yet indexed: the caller indexes once its history is in). The one
/// insert of an entry.
pub(crate) fn insert(tx: &Connection, n: &NewEntry<'_>) -> Result<i64> {
    let c = n.content;
    let occurred = c.occurred_at.clone().unwrap_or_else(|| n.recorded_at.clone());
    let (status, signed_at, signed_by, sha) = match &n.signed {
        None => ("draft", None, None, None),
        Some((at, by)) => (
            "signed",
            Some(at.as_str()),
            by.as_deref(),
            Some(hash_parts(&c.kind, &occurred, c.duration, &c.title, &c.body, &c.tags, c.template.as_deref())),
        ),
    };
    tx.prepare_cached(
        "INSERT INTO entry (id, client_id, course_id, kind, occurred_at, recorded_at, duration_minutes, title, body, tags,
           template_id, status, signed_at, signed_by, content_sha256, created_at, updated_at)
         VALUES (?11, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?12, ?13, ?14, ?15, ?5, coalesce(?13, ?5))",
    )?
    .execute(params![n.client_id, n.course_id, c.kind, occurred, n.recorded_at, c.duration, c.title, c.body, c.tags,
                c.template, ids::next(tx, IdTable::Entry)?, status, signed_at, signed_by, sha],
    )?;
    Ok(tx.last_insert_rowid())
}

/// What search finds an entry by: the current text plus every earlier version and amendment
/// reason, so a word that was corrected away still finds the entry.
pub(crate) fn search_document(conn: &Connection, id: i64) -> Result<search::Document> {
    let e = load(conn, id)?;
    let mut title = e.title.clone();
    let mut body = e.body.clone();
    let mut tags = e.tags.join(" ");
    // Earlier versions stay searchable; the current one (the last version of a signed entry)
    // is already in, and indexing it twice would only double the work.
    for v in &e.history {
        if let Some(r) = &v.reason {
            body.push('\n');
            body.push_str(r);
        }
        if v.title == e.title && v.body == e.body && v.tags == e.tags {
            continue;
        }
        title.push(' ');
        title.push_str(&v.title);
        body.push('\n');
        body.push_str(&v.body);
        tags.push(' ');
        tags.push_str(&v.tags.join(" "));
    }
    Ok(search::Document {
        kind: ObjectKind::Entry,
        object_id: id,
        client_id: e.client_id,
        title,
        body,
        tags,
        at: Some(e.occurred_at),
    })
}

impl Vault {
    /// Starts a draft in a course.
    pub fn create_entry(&mut self, course_id: i64, input: &EntryInput) -> Result<Entry> {
        let c = clean(input)?;
        self.session()?.write(Action::EntryCreate, |tx| {
            let course = super::courses::load(tx, course_id)?;
            let id = insert(
                tx,
                &NewEntry {
                    client_id: course.client_id,
                    course_id,
                    content: &c,
                    recorded_at: time::now_string(),
                    signed: None,
                },
            )?;
            search::index(tx, &search_document(tx, id)?)?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Entry, id, course.client_id)))
        })
    }

    /// Saves a draft (autosave). A signed entry is refused with [`Error::EntrySigned`].
    pub fn update_draft(&mut self, id: i64, input: &EntryInput) -> Result<Entry> {
        let c = clean(input)?;
        self.session()?.write(Action::EntryUpdate, |tx| {
            let e = load(tx, id)?;
            if e.status == EntryStatus::Signed {
                return Err(Error::EntrySigned);
            }
            tx.execute(
                "UPDATE entry SET kind = ?2, occurred_at = coalesce(?3, occurred_at), duration_minutes = ?4, title = ?5,
                   body = ?6, tags = ?7, template_id = ?8, updated_at = ?9 WHERE id = ?1",
                params![id, c.kind, c.occurred_at, c.duration, c.title, c.body, c.tags, c.template, time::now_string()],
            )?;
            search::index(tx, &search_document(tx, id)?)?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Entry, id, e.client_id)))
        })
    }

    /// Signs a draft: from now on its content is fixed.
    pub fn sign_entry(&mut self, id: i64) -> Result<Entry> {
        self.sign_entry_at(id, chrono::Utc::now())
    }

    /// Signs a draft as of `at`. Only the demo's finished client, whose history is set in the
    /// past, signs at another time than now.
    pub(crate) fn sign_entry_at(&mut self, id: i64, at: chrono::DateTime<chrono::Utc>) -> Result<Entry> {
        self.session()?.write(Action::EntrySign, |tx| {
            let e = load(tx, id)?;
            if e.status == EntryStatus::Signed {
                return Err(Error::EntrySigned);
            }
            tx.execute(
                "UPDATE entry SET status = 'signed', signed_at = ?2, content_sha256 = ?3, updated_at = ?2 WHERE id = ?1",
                params![id, time::to_string(&at), content_hash(&e)],
            )?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Entry, id, e.client_id)))
        })
    }

    /// Amends a signed entry with new text and a reason; the old text stays in the history.
    pub fn amend_entry(&mut self, id: i64, reason: &str, title: &str, body: &str, tags: &[String]) -> Result<Entry> {
        let reason = validate::text("reason", reason, 2000, true)?;
        let title = validate::one_line("title", title, 300, false)?;
        let body = validate::text("body", body, 1_000_000, false)?;
        let tags = serde_json::to_string(&validate::tags(tags)?).map_err(|_| Error::Internal("encoding"))?;
        self.session()?.write(Action::EntryAmend, |tx| {
            let e = load(tx, id)?;
            if e.status != EntryStatus::Signed {
                return Err(Error::EntryNotSigned);
            }
            tx.execute(
                "INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, time::now_string(), reason, title, body, tags],
            )?;
            search::index(tx, &search_document(tx, id)?)?;
            Ok((load(tx, id)?, Target::object(ObjectKind::Entry, id, e.client_id)))
        })
    }

    /// Reads an entry with its history (logged).
    pub fn get_entry(&mut self, id: i64) -> Result<Entry> {
        let s = self.session()?;
        let e = load(s.reader(), id)?;
        s.log(Action::EntryRead, Target::object(ObjectKind::Entry, id, e.client_id))?;
        Ok(e)
    }

    /// A client's logbook, newest first (logged as a read of the client's record).
    pub fn list_entries(&mut self, client_id: i64) -> Result<Vec<EntrySummary>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let rows = summaries(s.reader(), client_id)?;
        s.log(Action::LogbookRead, Target::client(client_id))?;
        Ok(rows)
    }

    /// The client's newest `n` signed entries (at most 20) with their current text and history,
    /// newest first: reading the last sessions in one scroll before the next. Each entry's read
    /// is logged, as when it is opened.
    pub fn recent_entries(&mut self, client_id: i64, n: u32) -> Result<Vec<Entry>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let ids: Vec<i64> = s
            .reader()
            .prepare_cached(
                "SELECT id FROM entry WHERE client_id = ?1 AND status = 'signed'
                 ORDER BY occurred_at DESC, id DESC LIMIT ?2",
            )?
            .query_map(params![client_id, n.min(20)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let out = ids.iter().map(|&id| load(s.reader(), id)).collect::<Result<Vec<_>>>()?;
        for e in &out {
            s.log(Action::EntryRead, Target::object(ObjectKind::Entry, e.id, client_id))?;
        }
        Ok(out)
    }

    /// What the journal tab shows, read together and logged once: the client's courses and
    /// the summaries of their entries. (Opening a client's page is this and the client, two
    /// log commits instead of three.)
    pub fn logbook(&mut self, client_id: i64) -> Result<Logbook> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let courses = super::courses::of_client(s.reader(), client_id)?;
        let entries = summaries(s.reader(), client_id)?;
        s.log(Action::LogbookRead, Target::client(client_id))?;
        Ok(Logbook { courses, entries })
    }
}

/// A client's entries, newest first, as summaries (not logged: the caller logs the read).
fn summaries(conn: &Connection, client_id: i64) -> Result<Vec<EntrySummary>> {
    let mut st = conn.prepare_cached(
            "SELECT e.id, e.course_id, e.kind, e.occurred_at,
                    coalesce((SELECT a.title FROM amendment a WHERE a.entry_id = e.id ORDER BY a.id DESC LIMIT 1), e.title),
                    e.status, (SELECT count(*) FROM amendment a WHERE a.entry_id = e.id),
                    substr(coalesce((SELECT a.body FROM amendment a WHERE a.entry_id = e.id ORDER BY a.id DESC LIMIT 1), e.body), 1, 2000)
             FROM entry e WHERE e.client_id = ?1 ORDER BY e.occurred_at DESC, e.id DESC",
        )?;
    let rows = st
        .query_map([client_id], |r| {
            Ok(EntrySummary {
                id: r.get(0)?,
                course_id: r.get(1)?,
                kind: parse_enum(&r.get::<_, String>(2)?)?,
                occurred_at: time::parse_ts(&r.get::<_, String>(3)?),
                title: r.get(4)?,
                status: parse_enum(&r.get::<_, String>(5)?)?,
                amendments: r.get(6)?,
                preview: preview(&r.get::<_, String>(7)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_is_one_line_of_the_note_with_its_headings() {
        let body = "## Aktuellt\n\nSover **bättre**, mindre oro.\n\n## Bedömning\n\n- Stabil\n\n## Insats\n\n## Planering\n\n1. Fortsätt\n";
        assert_eq!(preview(body), "Aktuellt: Sover bättre, mindre oro. Bedömning: Stabil Planering: Fortsätt");
        assert_eq!(preview("## Plan\n\n"), "", "a template never filled in has no preview");
        let long = "ord ".repeat(200);
        let p = preview(&long);
        assert_eq!(p.chars().count(), PREVIEW_CHARS);
        assert!(p.ends_with('…'));
        assert_eq!(preview("Hej"), "Hej");
    }
}
