//! A client's rights and the law's clocks: legal holds, restriction, the due list, erasure,
//! and an export read into another vault (import).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::bail;
use confidant_core::domain::rights::{HoldReason, LegalHold};
use confidant_core::erasure::{ErasureCause, ErasurePlan, KeepReason, LetterTo, Part};
use confidant_core::export::{ExportRequest, WithholdEntry};
use confidant_core::law::{Duty, RecordKind};
use confidant_core::{CancelToken, JobCtl};
use confidant_documents::Engine;

use crate::args::{HoldAction, OnOff};
use crate::backupcmd::Meter;
use crate::prompt::Ctx;
use crate::records::{date, parse_enum};

fn hold_line(h: &LegalHold) {
    let state = match h.released_at {
        None => "in force".to_owned(),
        Some(t) => format!("released {}", t.date_naive()),
    };
    let note = if h.note.is_empty() { String::new() } else { format!("  {}", h.note) };
    println!("{:>4}  {}  {:<17} {state}{note}", h.id, h.placed_at.date_naive(), parse_name(&h.reason));
}

/// A closed enum's stored name (`supervisory_case`), as the CLI prints it.
pub(crate) fn parse_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub fn hold(ctx: &Ctx, action: HoldAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        HoldAction::Place { client, reason, note } => {
            let h = v.place_legal_hold(client, parse_enum::<HoldReason>("reason", &reason)?, &note)?;
            println!(
                "Legal hold {} placed: no retention clock runs and nothing can be erased until it is released.",
                h.id
            );
        }
        HoldAction::Release { id } => {
            let h = v.release_legal_hold(id)?;
            println!("Legal hold {} released; the client's retention clocks run again.", h.id);
        }
        HoldAction::List { client } => {
            let holds = v.legal_holds(client)?;
            if holds.is_empty() {
                println!("No legal holds.");
            }
            holds.iter().for_each(hold_line);
        }
    }
    Ok(())
}

pub fn restrict(ctx: &Ctx, client: i64, state: OnOff) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let c = v.set_restriction(client, matches!(state, OnOff::On))?;
    match c.restricted_at {
        Some(t) => {
            println!("Processing restricted since {}: nothing of this client can change until lifted.", t.date_naive())
        }
        None => println!("The restriction is lifted."),
    }
    Ok(())
}

fn kind_name(k: RecordKind) -> &'static str {
    match k {
        RecordKind::Journal => "journal",
        RecordKind::ContactDetails => "contact details",
        RecordKind::AccessLog => "access log",
        RecordKind::Invoice => "invoices",
    }
}

pub fn due(ctx: &Ctx, day: Option<&str>) -> anyhow::Result<()> {
    let today = date("--date", day)?;
    let mut v = ctx.unlock()?;
    let list = v.due_for_deletion(today)?;
    if list.is_empty() {
        println!("Nothing is due for deletion on {today}.");
    }
    for i in list {
        let what = match i.duty {
            Duty::DeleteAfter => "due for deletion",
            Duty::KeepAtLeast => "may be deleted",
        };
        println!(
            "{:>4}  {}, {}  {} {what} since {}  ({})",
            i.client_id,
            i.family_name,
            i.given_name,
            kind_name(i.kind),
            i.since,
            i.source
        );
    }
    Ok(())
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Journal => "the journal (courses, entries with amendments, attachments)",
        Part::ContactDetails => "contact details (address, e-mail, phones, emergency contact, other fields)",
        Part::Identity => "the client's name, date of birth and national ID",
        Part::AccessLog => "the access log rows (who opened what, when; no contents)",
        Part::Invoices => "the invoices issued to the client (bookkeeping; kept without the link to the client)",
    }
}

fn show_plan(plan: &ErasurePlan) {
    println!("Erased now:");
    let erased = plan.erased();
    if erased.is_empty() {
        println!("  nothing");
    }
    for p in &erased {
        println!("  - {}", part_name(*p));
    }
    println!("Kept:");
    for i in plan.items.iter().filter(|i| !i.erase) {
        let why = match i.keep {
            Some(KeepReason::LegalHold) => "a legal hold is in force".to_owned(),
            Some(KeepReason::IdentifiesJournal) => "the kept journal must say whose it is".to_owned(),
            Some(KeepReason::NotDue) => "its retention period has not run out".to_owned(),
            Some(KeepReason::Rule) | None => "the law requires it".to_owned(),
        };
        let until = i.until.map(|d| format!(", until {d}")).unwrap_or_default();
        let source = i.source.as_deref().map(|s| format!(" ({s})")).unwrap_or_default();
        println!("  - {}: {why}{until}{source}", part_name(i.part));
    }
    if let Some(d) = plan.backups_until {
        println!("Backups made before today keep the data until rotation removes them, by {d} at the latest.");
    }
}

/// How an erasure is confirmed and reported.
pub struct Confirm {
    pub yes: bool,
    pub letter_to: Option<PathBuf>,
    pub progress: bool,
}

pub fn erase(ctx: &Ctx, client: i64, received: Option<&str>, retention: bool, how: Confirm) -> anyhow::Result<()> {
    let Confirm { yes, letter_to, progress } = how;
    let today = date("today", None)?;
    let cause = match (received, retention) {
        (Some(d), _) => ErasureCause::Request { received_on: date("--request-received", Some(d))? },
        (None, _) => ErasureCause::Retention,
    };
    let mut v = ctx.unlock()?;
    let plan = v.erasure_plan(client, cause, today)?;
    show_plan(&plan);
    let parts = plan.erased();
    if parts.is_empty() {
        println!("Nothing to erase.");
        return Ok(());
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            bail!("not erased: confirm with --yes, or run in a terminal to be asked");
        }
        print!("Type 'erase' to erase what is listed above: ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if line.trim() != "erase" {
            bail!("not erased");
        }
    }
    let mut meter = Meter::new(progress);
    let out = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        let engine;
        let letter = match &letter_to {
            Some(folder) => {
                engine = Engine::new();
                Some(LetterTo { folder, engine: &engine })
            }
            None => None,
        };
        v.erase(client, cause, &parts, today, letter, &mut ctl)
    };
    meter.done();
    let out = out?;
    println!("Erased; erasure record {} is in the access log. The database was rewritten so nothing", out.record_id);
    println!("of it remains on this computer.");
    if let Some(l) = out.letter {
        println!("Reply letter: {l}");
    }
    Ok(())
}

pub fn export(
    ctx: &Ctx,
    client: i64,
    to: &Path,
    identity_check: String,
    withhold: &[String],
    encrypt: bool,
    progress: bool,
) -> anyhow::Result<()> {
    let mut withheld = Vec::new();
    for w in withhold {
        let Some((id, reason)) = w.split_once(':') else { bail!("--withhold must be ENTRY_ID:REASON") };
        let entry_id = id.trim().parse().map_err(|_| anyhow::anyhow!("--withhold must be ENTRY_ID:REASON"))?;
        withheld.push(WithholdEntry { entry_id, reason: reason.trim().to_owned() });
    }
    let req = ExportRequest { client_id: client, identity_check, withheld, encrypt };
    let mut v = ctx.unlock()?;
    let engine = Engine::new();
    let mut meter = Meter::new(progress);
    let out = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        v.export_client(&req, to, &engine, &mut ctl)
    };
    meter.done();
    let out = out?;
    println!("Exported to {}", out.path.display());
    for f in &out.files {
        println!("  {}  {} bytes  sha256 {}", f.path, f.size, f.sha256);
    }
    if let Some(p) = &out.passphrase {
        println!("Passphrase (read it to the client; it is not stored anywhere): {}", p.expose());
    }
    if out.journal_note.is_some() {
        println!("The disclosure was also written into the client's journal.");
    }
    Ok(())
}

pub fn import(ctx: &Ctx, packages: &[PathBuf], progress: bool) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let dirs: Vec<&Path> = packages.iter().map(PathBuf::as_path).collect();
    let mut meter = Meter::new(progress);
    let out = {
        let mut ctl = JobCtl::new(CancelToken::new(), |p| meter.update(p)).unthrottled();
        v.import_folders(&dirs, &mut ctl)
    };
    meter.done();
    let r = out?;
    // The app merges the search index while nobody types; a command line has no such pause,
    // so an import leaves the index merged. The import itself is committed either way.
    if v.tidy_search_index(std::time::Duration::MAX).is_err() {
        eprintln!("Note: the search index could not be tidied now; the app will do it when idle.");
    }
    let ids: Vec<String> = r.client_ids.iter().map(i64::to_string).collect();
    println!("Imported {} client(s): {}", r.client_ids.len(), ids.join(", "));
    println!(
        "  {} courses, {} entries, {} amendments, {} attachments, {} consents",
        r.courses, r.entries, r.amendments, r.attachments, r.consents
    );
    Ok(())
}
