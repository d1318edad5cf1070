//! Consents, the breach register, printouts, referral letters and the record of processing.
//! Every rule is the core's; this parses, calls and prints.

use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, Local, Utc};
use confidant_core::breach::{BreachInput, BreachView, InformClients, NotifyClock};
use confidant_core::domain::consent::{Consent, ConsentInput};
use confidant_core::referral::ReferralInput;
use confidant_documents::Engine;

use crate::args::{BreachAction, ConsentAction};
use crate::prompt::Ctx;
use crate::records::{date, datetime, parse_enum};
use crate::rightscmd::parse_name as name;

fn consent_line(c: &Consent) {
    let state = match c.withdrawn_on {
        None => "in force".to_owned(),
        Some(d) => format!("withdrawn {d}"),
    };
    println!(
        "{:>4}  {:<15} version {:<8} given {} ({})  {state}",
        c.id,
        name(&c.purpose),
        c.text_version,
        c.given_on,
        name(&c.given_how)
    );
}

pub fn consent(ctx: &Ctx, action: ConsentAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let today = Local::now().date_naive();
    match action {
        ConsentAction::List { client } => {
            let o = v.consents(client, today)?;
            if o.consents.is_empty() {
                println!("No consents recorded.");
            }
            o.consents.iter().for_each(consent_line);
            let names: Vec<String> = o.in_force.iter().map(name).collect();
            println!("In force today: {}", if names.is_empty() { "none".to_owned() } else { names.join(", ") });
        }
        ConsentAction::Give { client, purpose, text, version, given, how, evidence } => {
            let input = ConsentInput {
                purpose: parse_enum("purpose", &purpose)?,
                body: text,
                text_version: version,
                given_on: date("--given", given.as_deref())?,
                given_how: parse_enum("how", &how)?,
                evidence_id: evidence,
            };
            let c = v.record_consent(client, &input, today)?;
            println!("Consent {} recorded.", c.id);
        }
        ConsentAction::Withdraw { id, on } => {
            let c = v.withdraw_consent(id, date("--on", on.as_deref())?, today)?;
            println!(
                "Consent {} withdrawn as of {}; what it covered stops.",
                c.id,
                c.withdrawn_on.map(|d| d.to_string()).unwrap_or_default()
            );
        }
    }
    Ok(())
}

fn clock_words(b: &BreachView) -> String {
    let clock = match b.duties.clock {
        NotifyClock::NotRequired => "no notification needed".to_owned(),
        NotifyClock::Running { minutes_left } => {
            format!("notify within {}h {:02}m", minutes_left / 60, minutes_left % 60)
        }
        NotifyClock::Overdue { minutes_over } => {
            format!("NOTIFICATION OVERDUE by {}h {:02}m", minutes_over / 60, minutes_over % 60)
        }
        NotifyClock::Notified { late: false } => "notified in time".to_owned(),
        NotifyClock::Notified { late: true } => "notified late".to_owned(),
    };
    let inform = match b.duties.inform {
        InformClients::Required => "; clients must be told",
        InformClients::Informed => "; clients told",
        InformClients::NotHighRisk => "",
        InformClients::Encrypted => "; clients need not be told (encrypted, art. 34(3)(a))",
    };
    format!("{clock}{inform}")
}

fn breach_line(b: &BreachView) {
    let deadline = b.duties.deadline.with_timezone(&Local).format("%Y-%m-%d %H:%M");
    println!(
        "{:>4}  discovered {}  deadline {deadline}  {}",
        b.breach.id,
        b.breach.facts.discovered_at.with_timezone(&Local).format("%Y-%m-%d %H:%M"),
        clock_words(b)
    );
}

fn at_or_now(s: Option<&str>, now: DateTime<Utc>) -> anyhow::Result<DateTime<Utc>> {
    s.map_or(Ok(now), datetime)
}

pub fn breach(ctx: &Ctx, action: BreachAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let now = Utc::now();
    match action {
        BreachAction::List => {
            let all = v.breaches(now)?;
            if all.is_empty() {
                println!("The breach register is empty.");
            }
            all.iter().for_each(breach_line);
        }
        BreachAction::Record {
            discovered,
            nature,
            description,
            data,
            client,
            people,
            records,
            consequences,
            measures,
            risk,
            encrypted,
        } => {
            let input = BreachInput {
                discovered_at: at_or_now(discovered.as_deref(), now)?,
                occurred_from: None,
                occurred_to: None,
                nature: nature.iter().map(|n| parse_enum("nature", n.trim())).collect::<anyhow::Result<_>>()?,
                description,
                data_categories: data.iter().map(|n| parse_enum("data", n.trim())).collect::<anyhow::Result<_>>()?,
                client_ids: client,
                subjects_estimate: people,
                records_estimate: records,
                consequences,
                measures,
                risk: parse_enum("risk", &risk)?,
                encrypted,
            };
            let b = v.record_breach(&input, now)?;
            println!("Breach {} recorded.", b.breach.id);
            breach_line(&b);
        }
        BreachAction::Notified { id, at, reference, delay_reason } => {
            let b = v.mark_breach_notified(id, at_or_now(at.as_deref(), now)?, &reference, &delay_reason, now)?;
            breach_line(&b);
        }
        BreachAction::Informed { id, at } => {
            let b = v.mark_breach_clients_informed(id, at_or_now(at.as_deref(), now)?, now)?;
            breach_line(&b);
        }
        BreachAction::Notice { id, to } => {
            let p = v.breach_notice(id, &to, &Engine::new(), now)?;
            println!("Draft notification: {}", p.display());
        }
        BreachAction::Letters { id, to } => {
            let l = v.breach_letters(id, &to, &Engine::new(), Local::now().date_naive())?;
            for p in &l.paths {
                println!("Letter: {p}");
            }
        }
    }
    Ok(())
}

pub fn print(ctx: &Ctx, client: i64, entry: Option<i64>, to: &Path) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let p = v.print_journal(client, entry, to, &Engine::new())?;
    println!("Saved: {}", p.display());
    Ok(())
}

pub fn referral(ctx: &Ctx, client: i64, recipient: &str, body_file: &Path, to: &Path) -> anyhow::Result<()> {
    let body = std::fs::read_to_string(body_file).context("could not read the letter's text")?;
    let input = ReferralInput { recipient: recipient.replace("\\n", "\n"), body };
    let mut v = ctx.unlock()?;
    let p = v.referral_letter(client, &input, to, &Engine::new(), Local::now().date_naive())?;
    println!("Referral letter: {}", p.display());
    Ok(())
}

pub fn processing_record(ctx: &Ctx, to: &Path) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let p = v.processing_record(to, &Engine::new(), Local::now().date_naive())?;
    println!("Record of processing: {}", p.display());
    Ok(())
}
