//! Writing one checked package into the open transaction (see the module docs for the rules).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{rejected, ImportCheck, ImportReport, Package};
use crate::db::ids::{self, IdTable};
use crate::domain::appointments::{self, AppointmentInput};
use crate::domain::clients::{self, ClientInput, ClientStatus, NationalIdInput};
use crate::domain::entries::{self, EntryInput, EntryStatus, NewEntry};
use crate::domain::profile::{enum_to_str, parse_enum};
use crate::domain::{attachments, validate};
use crate::export::data::ExportEntry;
use crate::{search, time, Error, Reason, Result};

/// A signed entry's versions run 0, 1, 2… from the signed original (no reason) through the
/// amendments (each with one), and the last is the current text. A withheld entry has none;
/// a draft has none.
pub(super) fn history_is_whole(e: &ExportEntry) -> bool {
    if e.withheld.is_some() || e.status == EntryStatus::Draft {
        return e.versions.is_empty() && (e.status == EntryStatus::Draft) == e.signed_at.is_none();
    }
    let Some(last) = e.versions.last() else { return false };
    e.signed_at.is_some()
        && e.versions.iter().enumerate().all(|(i, v)| v.number as usize == i && v.reason.is_some() == (i > 0))
        && last.title == e.title
        && last.body == e.body
        && last.tags == e.tags
}

fn ts(t: &DateTime<Utc>) -> String {
    time::to_string(t)
}

/// Writes package `p`: the client, its history, courses, entries with their amendments,
/// attachments and consents, and the `import_run` row. Returns the client's new id; its search
/// index is written by [`index_client`].
pub(super) fn package(tx: &Connection, p: &Package, report: &mut ImportReport) -> Result<i64> {
    let d = &p.data;
    let known: Option<i64> =
        tx.query_row("SELECT id FROM import_run WHERE source_client = ?1", [&d.client.id], |r| r.get(0)).optional()?;
    if known.is_some() {
        return Err(rejected(ImportCheck::AlreadyImported));
    }
    let c = &d.client;
    let input = ClientInput {
        given_name: c.given_name.clone(),
        family_name: c.family_name.clone(),
        date_of_birth: c.birth_date,
        national_id: c.identifiers.first().map(|i| NationalIdInput { kind: Some(i.system), value: i.value.clone() }),
        address: c.address.clone(),
        email: c.email.clone(),
        phones: c.phones.clone(),
        emergency_contact: c.emergency_contact.clone(),
        custom_fields: c.custom_fields.clone(),
    };
    let status: ClientStatus = parse_enum(&c.status).map_err(|_| rejected(ImportCheck::Schema))?;
    let client_id = clients::insert(tx, &clients::clean(&input)?, status, &ts(&c.created_at))?;
    for h in &c.history {
        tx.execute(
            "INSERT INTO client_history (client_id, replaced_at, given_name, family_name, date_of_birth, national_id,
               address, email, phones, emergency_contact, custom_fields)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                client_id,
                ts(&h.replaced_at),
                validate::one_line("given_name", &h.given_name, 100, true)?,
                validate::one_line("family_name", &h.family_name, 100, false)?,
                h.date_of_birth.map(|x| x.to_string()),
                h.national_id,
                validate::text("address", &h.address, 2000, false)?,
                validate::one_line("email", &h.email, 320, false)?,
                json(&h.phones)?,
                h.emergency_contact.as_ref().map(json).transpose()?,
                json(&h.custom_fields)?,
            ],
        )?;
    }

    let now = time::now_string();
    let mut course_ids = HashMap::new();
    for k in &d.courses {
        let title = validate::one_line("title", &k.title, 200, true)?;
        let reason = validate::text("reason", &k.reason, 2000, false)?;
        if k.end_date.is_some_and(|e| e < k.start_date) {
            return Err(Error::invalid("end_date", Reason::BeforeStart));
        }
        tx.execute(
            "INSERT INTO course (id, client_id, title, reason, start_date, end_date, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![
                ids::next(tx, IdTable::Course)?,
                client_id,
                title,
                reason,
                k.start_date.to_string(),
                k.end_date.map(|e| e.to_string()),
                now
            ],
        )?;
        course_ids.insert(k.id.as_str(), tx.last_insert_rowid());
        report.courses += 1;
    }

    let mut entry_ids = HashMap::new();
    for e in &d.entries {
        // The signed original is the first version; a draft (or a withheld entry) is what it shows.
        let (title, body, tags) = match e.versions.first() {
            Some(v) => (&v.title, &v.body, &v.tags),
            None => (&e.title, &e.body, &e.tags),
        };
        let content = entries::clean(&EntryInput {
            kind: e.kind,
            occurred_at: Some(e.occurred_at),
            duration_minutes: e.duration_minutes,
            title: title.clone(),
            body: body.clone(),
            tags: tags.clone(),
            template_id: None,
        })?;
        let signed_by = e.signed_by.as_deref().map(|s| validate::one_line("signed_by", s, 300, false)).transpose()?;
        let id = entries::insert(
            tx,
            &NewEntry {
                client_id,
                course_id: course_ids[e.course_id.as_str()],
                content: &content,
                recorded_at: ts(&e.recorded_at),
                signed: e.signed_at.map(|at| (ts(&at), signed_by)),
            },
        )?;
        for v in e.versions.iter().skip(1) {
            tx.prepare_cached(
                "INSERT INTO amendment (entry_id, amended_at, reason, title, body, tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                    id,
                    ts(&v.at),
                    validate::text("reason", v.reason.as_deref().unwrap_or_default(), 2000, true)?,
                    validate::one_line("title", &v.title, 300, false)?,
                    validate::text("body", &v.body, 1_000_000, false)?,
                    json(&validate::tags(&v.tags)?)?,
                ])?;
            report.amendments += 1;
        }
        entry_ids.insert(e.id.as_str(), id);
        report.entries += 1;
    }

    let mut attachment_ids = HashMap::new();
    for a in &d.attachments {
        let entry = a.entry_id.as_deref().map(|x| entry_ids[x]);
        let bytes = &p.files[&a.path];
        let id = attachments::insert_received(tx, client_id, entry, &a.file_name, bytes, &ts(&a.added_at))?;
        attachment_ids.insert(a.id.as_str(), id);
        report.attachments += 1;
    }

    for k in &d.consents {
        let body = validate::text("body", &k.text, 10_000, true)?;
        let version = validate::one_line("text_version", &k.text_version, 40, true)?;
        if k.withdrawn_on.is_some_and(|w| w < k.given_on) {
            return Err(Error::invalid("withdrawn_on", Reason::BeforeStart));
        }
        tx.execute(
            "INSERT INTO consent (id, client_id, purpose, body, text_version, given_on, given_how, evidence_id, recorded_at,
               withdrawn_on, withdrawn_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                ids::next(tx, IdTable::Consent)?,
                client_id,
                enum_to_str(&k.purpose),
                body,
                version,
                k.given_on.to_string(),
                enum_to_str(&k.given_how),
                k.evidence_attachment_id.as_deref().map(|x| attachment_ids[x]),
                now,
                k.withdrawn_on.map(|w| w.to_string()),
                k.withdrawn_on.map(|_| now.clone()),
            ],
        )?;
        report.consents += 1;
    }

    for s in &d.sessions {
        let input =
            AppointmentInput { course_id: None, starts_at: s.starts_at, minutes: s.minutes, kind: s.kind, fee: s.fee };
        appointments::insert_received(
            tx,
            client_id,
            &input,
            s.course_id.as_deref().map(|c| course_ids[c]),
            s.attendance,
            s.entry_id.as_deref().map(|e| entry_ids[e]),
            &now,
        )?;
        report.sessions += 1;
    }

    // The package's own instruments become this vault's (the same definition is found, else
    // added), and its results name them by their id here.
    let mut instrument_ids = std::collections::HashMap::new();
    for i in &d.instruments {
        if crate::measures::custom::row_id(&i.id).is_none() || instrument_ids.contains_key(&i.id) {
            return Err(rejected(ImportCheck::Reference));
        }
        let here = crate::measures::custom::receive(tx, i)?.ok_or(rejected(ImportCheck::Reference))?;
        instrument_ids.insert(i.id.clone(), here);
    }
    for m in &d.measures {
        let total = m.answers.is_empty().then_some(m.score);
        let instrument = match crate::measures::custom::row_id(&m.instrument) {
            Some(_) => instrument_ids.get(&m.instrument).cloned().ok_or(rejected(ImportCheck::Reference))?,
            None => m.instrument.clone(),
        };
        let input =
            crate::measures::MeasureInput { instrument, taken_on: m.taken_on, answers: m.answers.clone(), total };
        if crate::measures::insert_received(tx, client_id, &input, &now)? != m.score {
            return Err(rejected(ImportCheck::Reference));
        }
        report.measures += 1;
    }

    tx.execute(
        "INSERT INTO import_run (imported_at, source_client, source_practice, exported_at, client_id, entries, attachments)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            now,
            d.client.id,
            d.practice.name,
            ts(&d.exported_at),
            client_id,
            d.entries.len() as i64,
            d.attachments.len() as i64
        ],
    )?;
    Ok(client_id)
}

/// Indexes an imported client and its entries for search.
pub(super) fn index_client(tx: &Connection, client_id: i64) -> Result<()> {
    search::index(tx, &clients::search_document(tx, client_id)?)?;
    let ids = tx
        .prepare_cached("SELECT id FROM entry WHERE client_id = ?1 ORDER BY id")?
        .query_map([client_id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    for id in ids {
        search::index(tx, &entries::search_document(tx, id)?)?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Internal("encoding"))
}
