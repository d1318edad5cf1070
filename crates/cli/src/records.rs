//! Record commands: profile, clients, courses, entries, attachments, search.

use std::path::Path;

use anyhow::{anyhow, bail, Context};
use chrono::{Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::clients::{ClientFilter, ClientInput, ClientStatus, NationalIdInput, Phone};
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::{Jurisdiction, Language};
use confidant_core::search::SearchQuery;
use serde::de::DeserializeOwned;

use crate::args::{AttachmentAction, ClientAction, CourseAction, EntryAction, EntryFields, ProfileAction};
use crate::prompt::Ctx;
use crate::show;

pub(crate) fn parse_enum<T: DeserializeOwned>(what: &str, s: &str) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| anyhow!("unknown {what} '{s}'"))
}

pub(crate) fn date(what: &str, s: Option<&str>) -> anyhow::Result<NaiveDate> {
    match s {
        None => Ok(Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| anyhow!("{what} must be YYYY-MM-DD")),
    }
}

pub(crate) fn datetime(s: &str) -> anyhow::Result<chrono::DateTime<Utc>> {
    let naive =
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").map_err(|_| anyhow!("--at must be \"YYYY-MM-DD HH:MM\""))?;
    Local
        .from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("--at is not a valid local time"))
}

fn read_body(body: Option<String>, file: Option<&Path>) -> anyhow::Result<Option<String>> {
    match (body, file) {
        (Some(b), _) => Ok(Some(b)),
        (None, Some(f)) => Ok(Some(std::fs::read_to_string(f).context("could not read the body file")?)),
        (None, None) => Ok(None),
    }
}

pub fn profile(ctx: &Ctx, action: ProfileAction) -> anyhow::Result<()> {
    if let ProfileAction::Rules { jurisdiction: Some(j) } = &action {
        show::retention_rules(parse_enum::<Jurisdiction>("jurisdiction", j)?);
        return Ok(());
    }
    let mut v = ctx.unlock()?;
    match action {
        ProfileAction::Show => show::profile(&v.profile()?),
        ProfileAction::Rules { .. } => show::retention_rules(v.profile()?.jurisdiction),
        ProfileAction::Set { name, title, practice, address, language, jurisdiction } => {
            let mut p = v.profile()?;
            if let Some(x) = name {
                p.therapist_name = x
            }
            if let Some(x) = title {
                p.therapist_title = x
            }
            if let Some(x) = practice {
                p.practice_name = x
            }
            if let Some(x) = address {
                p.practice_address = x
            }
            if let Some(x) = language {
                p.language = parse_enum::<Language>("language", &x)?
            }
            if let Some(x) = jurisdiction {
                p.jurisdiction = parse_enum::<Jurisdiction>("jurisdiction", &x)?
            }
            show::profile(&v.set_profile(&p)?);
        }
    }
    Ok(())
}

pub fn client(ctx: &Ctx, action: ClientAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        ClientAction::Add { given, family, born, national_id, email, phone, address } => {
            let input = ClientInput {
                given_name: given,
                family_name: family,
                date_of_birth: born.as_deref().map(|b| date("--born", Some(b))).transpose()?,
                national_id: national_id.map(|value| NationalIdInput { kind: None, value }),
                email,
                address,
                phones: phone.into_iter().map(|number| Phone { label: String::new(), number }).collect(),
                ..Default::default()
            };
            let c = v.create_client(&input)?;
            println!("Added client {}: {} {}", c.id, c.given_name, c.family_name);
        }
        ClientAction::List { archived, all, name } => {
            let status = if all {
                None
            } else if archived {
                Some(ClientStatus::Archived)
            } else {
                Some(ClientStatus::Active)
            };
            let list = v.list_clients(&ClientFilter { status, query: name })?;
            if list.is_empty() {
                println!("No clients.");
            }
            for c in list {
                show::client_line(&c);
            }
        }
        ClientAction::Show { id } => {
            let c = v.get_client(id)?;
            let courses = v.list_courses(id)?;
            let entries = v.list_entries(id)?;
            show::client(&c, &courses, &entries);
        }
        ClientAction::Archive { id } => {
            v.set_client_status(id, ClientStatus::Archived)?;
            println!("Client {id} archived. Nothing was deleted.");
        }
        ClientAction::Unarchive { id } => {
            v.set_client_status(id, ClientStatus::Active)?;
            println!("Client {id} is active again.");
        }
    }
    Ok(())
}

pub fn course(ctx: &Ctx, action: CourseAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        CourseAction::Add { client, title, reason, start } => {
            let c = v.create_course(
                client,
                &CourseInput { title, reason, start_date: date("--start", start.as_deref())? },
            )?;
            println!("Added course {} for client {}: {}", c.id, c.client_id, c.title);
        }
        CourseAction::Close { id, end } => {
            let c = v.close_course(id, date("--end", end.as_deref())?)?;
            println!("Closed course {}: {}", c.id, c.title);
        }
        CourseAction::List { client } => {
            for c in v.list_courses(client)? {
                show::course_line(&c);
            }
        }
    }
    Ok(())
}

fn apply(mut input: EntryInput, f: EntryFields) -> anyhow::Result<EntryInput> {
    if let Some(t) = f.title {
        input.title = t
    }
    if let Some(b) = read_body(f.body, f.body_file.as_deref())? {
        input.body = b
    }
    if !f.tag.is_empty() {
        input.tags = f.tag
    }
    if let Some(k) = f.kind {
        input.kind = parse_enum("kind", &k)?
    }
    if let Some(a) = f.at {
        input.occurred_at = Some(datetime(&a)?)
    }
    if f.minutes.is_some() {
        input.duration_minutes = f.minutes
    }
    if f.template.is_some() {
        input.template_id = f.template
    }
    Ok(input)
}

pub fn entry(ctx: &Ctx, action: EntryAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        EntryAction::Add { course, fields } => {
            let mut input = apply(EntryInput::default(), fields)?;
            if input.body.is_empty() {
                if let Some(t) = input.template_id.clone() {
                    let lang = v.profile()?.language;
                    input.body = v.template(&t, lang)?.body;
                }
            }
            let e = v.create_entry(course, &input)?;
            println!("Added draft entry {} to course {}", e.id, e.course_id);
        }
        EntryAction::Edit { id, fields } => {
            // The core refuses a signed entry; the CLI only supplies the unchanged fields.
            let cur = v.get_entry(id)?;
            let base = EntryInput {
                kind: cur.kind,
                occurred_at: Some(cur.occurred_at),
                duration_minutes: cur.duration_minutes,
                title: cur.title,
                body: cur.body,
                tags: cur.tags,
                template_id: cur.template_id,
            };
            let e = v.update_draft(id, &apply(base, fields)?)?;
            println!("Saved draft entry {}", e.id);
        }
        EntryAction::Sign { id } => {
            let e = v.sign_entry(id)?;
            println!("Signed entry {}. It can no longer be edited; corrections are amendments.", e.id);
        }
        EntryAction::Amend { id, reason, title, body, body_file } => {
            let cur = v.get_entry(id)?;
            let body = read_body(body, body_file.as_deref())?.unwrap_or(cur.body);
            let e = v.amend_entry(id, &reason, &title.unwrap_or(cur.title), &body, &cur.tags)?;
            println!("Amended entry {} (version {})", e.id, e.history.len().saturating_sub(1));
        }
        EntryAction::Show { id } => show::entry(&v.get_entry(id)?),
        EntryAction::List { client } => {
            for e in v.list_entries(client)? {
                show::entry_line(&e);
            }
        }
    }
    Ok(())
}

pub fn attach(ctx: &Ctx, client: Option<i64>, entry: Option<i64>, file: &Path) -> anyhow::Result<()> {
    let to = match (client, entry) {
        (_, Some(e)) => AttachTo::Entry(e),
        (Some(c), None) => AttachTo::Client(c),
        (None, None) => bail!("say --client ID or --entry ID"),
    };
    // Checked before asking for the passphrase; the core checks again when it reads.
    std::fs::metadata(file).context("could not open the file to attach")?;
    let mut v = ctx.unlock()?;
    let a = v.attach_file(to, file)?;
    println!("Attached {} ({}, {} bytes) as attachment {}", a.file_name, a.media_type, a.size, a.id);
    Ok(())
}

pub fn attachment(ctx: &Ctx, action: AttachmentAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        AttachmentAction::List { client, entry } => {
            let to = match (client, entry) {
                (_, Some(e)) => AttachTo::Entry(e),
                (Some(c), None) => AttachTo::Client(c),
                (None, None) => bail!("say --client ID or --entry ID"),
            };
            for a in v.list_attachments(to)? {
                println!(
                    "{:>4}  {}  {}  {} bytes  sha256 {}",
                    a.id,
                    a.file_name,
                    a.media_type,
                    a.size,
                    &a.sha256[..16.min(a.sha256.len())]
                );
            }
        }
        AttachmentAction::Save { id, to } => save_copy(&mut v, id, &to)?,
    }
    Ok(())
}

fn save_copy(v: &mut confidant_core::Vault, id: i64, to: &Path) -> anyhow::Result<()> {
    // Saving a copy from the command line never overwrites an existing file.
    if to.exists() {
        bail!("could not create the copy: the file already exists");
    }
    let a = v.save_attachment_copy(id, to)?;
    println!("Saved a copy of {} ({} bytes)", a.file_name, a.size);
    Ok(())
}

pub fn search(ctx: &Ctx, query: &str, client: Option<i64>, limit: u32) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let hits = v.search(&SearchQuery { text: query.to_owned(), client_id: client, limit, oldest_first: false })?;
    if hits.is_empty() {
        println!("No matches.");
    }
    for h in hits {
        show::hit(&h);
    }
    Ok(())
}
