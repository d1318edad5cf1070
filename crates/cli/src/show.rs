//! Plain-text output.

use chrono::{DateTime, Local, Utc};
use confidant_core::audit::LogEntry;
use confidant_core::domain::clients::{Client, ClientStatus, ClientSummary};
use confidant_core::domain::courses::Course;
use confidant_core::domain::entries::{Entry, EntryStatus, EntrySummary};
use confidant_core::domain::finder::SearchHit;
use confidant_core::domain::profile::PracticeProfile;
use confidant_core::ObjectKind;

fn local(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

fn tag<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

pub fn profile(p: &PracticeProfile) {
    println!("Therapist:    {}", p.therapist_name);
    println!("Title:        {}", p.therapist_title);
    println!("Practice:     {}", p.practice_name);
    println!("Address:      {}", p.practice_address.replace('\n', ", "));
    println!("Language:     {}", tag(&p.language));
    println!("Jurisdiction: {}", tag(&p.jurisdiction));
}

pub fn client_line(c: &ClientSummary) {
    let archived = if c.status == ClientStatus::Archived { "  (archived)" } else { "" };
    println!("{:>4}  {}, {}{archived}", c.id, c.family_name, c.given_name);
}

pub fn client(c: &Client, courses: &[Course], entries: &[EntrySummary]) {
    println!(
        "Client {}: {} {}{}",
        c.id,
        c.given_name,
        c.family_name,
        if c.status == ClientStatus::Archived { " (archived)" } else { "" }
    );
    if let Some(d) = c.date_of_birth {
        println!("  Born:        {d}");
    }
    if let Some(n) = &c.national_id {
        println!("  National ID: {} ({})", n.value, tag(&n.kind));
    }
    if !c.address.is_empty() {
        println!("  Address:     {}", c.address.replace('\n', ", "));
    }
    if !c.email.is_empty() {
        println!("  Email:       {}", c.email);
    }
    for p in &c.phones {
        println!(
            "  Phone:       {}{}",
            p.number,
            if p.label.is_empty() { String::new() } else { format!(" ({})", p.label) }
        );
    }
    if let Some(e) = &c.emergency_contact {
        println!("  Emergency:   {} ({}) {}", e.name, e.relation, e.phone);
    }
    for f in &c.custom_fields {
        println!("  {}: {}", f.name, f.value);
    }
    println!("Courses:");
    for co in courses {
        course_line(co);
    }
    println!("Logbook:");
    for e in entries {
        entry_line(e);
    }
}

pub fn course_line(c: &Course) {
    let end = c.end_date.map(|d| d.to_string()).unwrap_or_else(|| "open".into());
    println!("{:>4}  {} – {}  {}", c.id, c.start_date, end, c.title);
}

pub fn entry_line(e: &EntrySummary) {
    let status = match e.status {
        EntryStatus::Draft => "draft".to_owned(),
        EntryStatus::Signed if e.amendments > 0 => format!("signed, {} amendment(s)", e.amendments),
        EntryStatus::Signed => "signed".to_owned(),
    };
    println!("{:>4}  {}  {:<15} {}  [{status}]", e.id, local(&e.occurred_at), tag(&e.kind), e.title);
}

pub fn entry(e: &Entry) {
    println!("Entry {} ({}, {}) — {}", e.id, tag(&e.kind), tag(&e.status), local(&e.occurred_at));
    println!("Title: {}", e.title);
    if !e.tags.is_empty() {
        println!("Tags:  {}", e.tags.join(", "));
    }
    println!();
    println!("{}", e.body);
    if e.history.len() > 1 {
        println!();
        println!("History:");
        for v in &e.history {
            match &v.reason {
                None => println!("--- original, signed {}", local(&v.at)),
                Some(r) => println!("--- amendment {} at {} — reason: {r}", v.number, local(&v.at)),
            }
            println!("{}", v.body);
        }
    }
}

pub fn hit(h: &SearchHit) {
    let snippet: String =
        h.snippet.iter().map(|p| if p.hit { format!("[{}]", p.text) } else { p.text.clone() }).collect();
    match h.kind {
        ObjectKind::Client => println!("client {:>4}  {}", h.client_id, snippet),
        _ => println!(
            "entry  {:>4}  {} — {}: {}",
            h.entry_id.unwrap_or_default(),
            h.client_name,
            h.title,
            snippet.replace('\n', " ")
        ),
    }
}

pub fn log_row(r: &LogEntry) {
    let obj = match (&r.object_kind, r.object_id) {
        (Some(k), Some(id)) => format!("{} {id}", k.as_str()),
        _ => String::new(),
    };
    println!("{:>6}  {}  {:<16} {obj}", r.seq, local(&r.at), r.action.as_str());
}

/// A profile's retention rules, one per line with its source.
pub fn retention_rules(j: confidant_core::domain::profile::Jurisdiction) {
    use confidant_core::law::{self, ClockStart, Duty, RecordKind};
    let rules = law::rules(j);
    if rules.is_empty() {
        println!("No retention rules: you decide how long records are kept.");
        return;
    }
    for r in rules {
        let kind = match r.kind {
            RecordKind::Journal => "journal",
            RecordKind::ContactDetails => "contact details",
            RecordKind::AccessLog => "access log",
            RecordKind::Invoice => "invoices",
        };
        let period = match (r.years, r.months) {
            (1, 0) => "1 year".to_owned(),
            (y, 0) => format!("{y} years"),
            (0, 1) => "1 month".to_owned(),
            (0, m) => format!("{m} months"),
            (y, m) => format!("{y} years {m} months"),
        };
        let start = match r.start {
            ClockStart::LastEntry => "the last entry",
            ClockStart::CourseEnd => "the course ends",
            ClockStart::LastContact => "the last contact",
            ClockStart::Written => "each row was written",
            ClockStart::FinancialYearEnd => "the end of the financial year",
            ClockStart::CalendarYearOfFinancialYearEnd => "the end of the calendar year the financial year ended in",
        };
        let duty = match r.duty {
            Duty::KeepAtLeast => "kept at least",
            Duty::DeleteAfter => "deleted",
        };
        println!("{kind:<16} {duty} {period} after {start}  ({})", r.source);
    }
}
