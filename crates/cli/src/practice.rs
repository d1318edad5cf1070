//! Sessions in the calendar from the command line. Every rule is the core's; this parses local
//! times and amounts, calls and prints.

use anyhow::anyhow;
use chrono::{Datelike, Days, Local, NaiveDate, TimeZone, Utc};
use confidant_core::domain::appointments::{Appointment, AppointmentInput, CalendarItem};
use confidant_core::money;

use crate::args::{MeasureAction, SessionAction, SessionDetails};
use crate::prompt::Ctx;
use crate::records::{date, datetime, parse_enum};
use crate::rightscmd::parse_name as name;

fn line(a: &Appointment, who: Option<&str>) {
    let at = a.starts_at.with_timezone(&Local).format("%Y-%m-%d %a %H:%M");
    let fee = a.fee.map(|f| format!("fee {}", money::format_amount(f))).unwrap_or_default();
    let note = a.entry_id.map(|e| format!("note {e}")).unwrap_or_default();
    let who = who.map(|w| format!("{w:<22}")).unwrap_or_default();
    println!(
        "{:>4}  {at}  {:>3} min  {who}{:<10} {:<17} {fee:<14} {note}",
        a.id,
        a.minutes,
        name(&a.kind),
        name(&a.attendance)
    );
}

fn listed(items: &[CalendarItem], empty: &str) {
    if items.is_empty() {
        println!("{empty}");
    }
    for i in items {
        line(&i.appointment, Some(&i.client_name));
    }
}

fn input(d: &SessionDetails) -> anyhow::Result<AppointmentInput> {
    Ok(AppointmentInput {
        course_id: d.course,
        starts_at: datetime(&d.at)?,
        minutes: d.minutes,
        kind: parse_enum("kind", &d.kind)?,
        fee: d.fee.as_deref().map(|f| money::parse_amount("fee", f)).transpose()?,
    })
}

/// Local midnight of `d` in UTC.
fn midnight(d: NaiveDate) -> anyhow::Result<chrono::DateTime<Utc>> {
    Local
        .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| anyhow!("no local midnight on {d}"))
}

/// The home page's day on the command line.
pub fn today(ctx: &Ctx) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let day = Local::now().date_naive();
    let d = v.day(midnight(day)?, midnight(day + Days::new(1))?, day, Utc::now())?;
    println!("Today, {}:", day.format("%Y-%m-%d %A"));
    if d.sessions.is_empty() {
        println!("No sessions today.");
    }
    for s in &d.sessions {
        line(&s.row.appointment, Some(&s.client_name));
    }
    println!("\nUnsigned notes: {}", d.unsigned_total);
    for n in &d.unsigned {
        let at = n.occurred_at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
        println!("{:>4}  {at}  {:<22}{}", n.entry_id, n.client_name, name(&n.kind));
    }
    println!("\nOverdue invoices: {}", d.overdue.len());
    for i in &d.overdue {
        println!(
            "{:>4}  due {}  {:<22}{} {}",
            i.number,
            i.due_on,
            i.buyer_name,
            money::format_amount(i.outstanding),
            i.currency
        );
    }
    println!("\nClients with records due for deletion: {}", d.due_clients);
    match d.backup.last_verified_at {
        Some(t) => println!("Last verified backup: {}", t.with_timezone(&Local).format("%Y-%m-%d %H:%M")),
        None => println!("No verified backup yet: run `confidant backup --target DIR`."),
    }
    Ok(())
}

pub fn session(ctx: &Ctx, action: SessionAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    match action {
        SessionAction::Plan { client, details } => {
            let a = v.plan_appointment(client, &input(&details)?)?;
            println!("Session {} planned.", a.id);
        }
        SessionAction::Change { id, details } => {
            let a = v.update_appointment(id, &input(&details)?)?;
            line(&a, None);
        }
        SessionAction::Record { id, attendance } => {
            let a = v.record_attendance(id, parse_enum("attendance", &attendance)?, Utc::now())?;
            line(&a, None);
        }
        SessionAction::Fee { id, fee } => {
            let fee = if fee == "none" { None } else { Some(money::parse_amount("fee", &fee)?) };
            line(&v.set_appointment_fee(id, fee)?, None);
        }
        SessionAction::Remove { id } => {
            v.remove_appointment(id)?;
            println!("Session {id} removed.");
        }
        SessionAction::Note { id, template } => {
            let lang = v.profile()?.language;
            let template = template.map(|t| if t.contains(':') { t } else { format!("builtin:{t}") });
            let e = v.start_appointment_note(id, template.as_deref(), lang)?;
            println!("Draft {} started for session {id}; edit it with `confidant entry edit {}`.", e.id, e.id);
        }
        SessionAction::List { client } => {
            let rows = v.appointments(client, Utc::now())?;
            if rows.is_empty() {
                println!("No sessions.");
            }
            rows.iter().for_each(|r| line(&r.appointment, None));
        }
        SessionAction::Week { date: day } => {
            let day = date("--date", day.as_deref())?;
            let monday = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
            let next = monday + Days::new(7);
            println!("Week {} ({monday} – {}):", monday.iso_week().week(), next - Days::new(1));
            listed(&v.calendar(midnight(monday)?, midnight(next)?)?, "No sessions this week.");
        }
        SessionAction::Uninvoiced => listed(&v.uninvoiced_appointments()?, "Nothing to invoice."),
    }
    Ok(())
}

pub fn measure(ctx: &Ctx, action: MeasureAction) -> anyhow::Result<()> {
    let mut v = ctx.unlock()?;
    let today = Local::now().date_naive();
    match action {
        MeasureAction::Record { client, instrument, answers, total, on } => {
            let answers = answers
                .iter()
                .map(|a| match a.trim() {
                    "-" => Ok(None),
                    n => n.parse::<u32>().map(Some).map_err(|_| anyhow!("--answers must be numbers (or - for none)")),
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let input = confidant_core::measures::MeasureInput {
                instrument,
                taken_on: date("--on", on.as_deref())?,
                answers,
                total,
            };
            let m = v.record_measure(client, &input, today)?;
            let flags = if m.flags.is_empty() {
                String::new()
            } else {
                format!("  FLAG: item {}", m.flags.iter().map(u32::to_string).collect::<Vec<_>>().join(", "))
            };
            println!("{} {}: {} ({}){flags}", m.instrument, m.taken_on, m.score, m.band.unwrap_or_default());
        }
        MeasureAction::Instruments => {
            let lang = v.profile()?.language;
            for i in v.instruments(lang)? {
                let state = if i.retired { "  (retired)" } else { "" };
                let what = if i.items == 0 { "total only".to_owned() } else { format!("{} items", i.items) };
                println!("{:<10} {}  {what}, 0–{}{state}", i.id, i.name, i.max_score);
            }
        }
        MeasureAction::Define { file, instrument } => {
            let text = std::fs::read_to_string(&file).map_err(|_| anyhow!("could not read the definition file"))?;
            let input: confidant_core::measures::InstrumentInput = serde_json::from_str(&text).map_err(|e| {
                anyhow!("the definition is not an instrument's JSON (line {}, column {})", e.line(), e.column())
            })?;
            let i = match instrument {
                Some(id) => v.update_instrument(&id, &input)?,
                None => v.define_instrument(&input)?,
            };
            println!("{} {}: {} items, highest score {}", i.id, i.name, i.items, i.max_score);
        }
        MeasureAction::Retire { instrument } => {
            v.retire_instrument(&instrument)?;
            println!("{instrument} retired; its results stay.");
        }
        MeasureAction::List { client } => {
            let all = v.measures(client)?;
            if all.is_empty() {
                println!("No results.");
            }
            for s in all {
                let change = match (s.change, s.reliable) {
                    (Some(c), Some(r)) => format!("  change {c:+} ({})", name(&r)),
                    (Some(c), None) => format!("  change {c:+}"),
                    _ => String::new(),
                };
                println!("{}{change}", s.instrument.name);
                for m in &s.results {
                    let flag = if m.flags.is_empty() { "" } else { "  FLAG" };
                    println!("  {}  {:>3}  {}{flag}", m.taken_on, m.score, m.band.clone().unwrap_or_default());
                }
            }
        }
    }
    Ok(())
}
