//! The duties of a breach at their boundaries: the 72-hour clock to the minute, notified in
//! time or late, and when the clients must be told.

use chrono::{DateTime, Duration, Utc};

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn breach(risk: BreachRisk, encrypted: bool) -> Breach {
    Breach {
        id: 1,
        facts: BreachInput {
            discovered_at: at("2026-11-27T09:30:00Z"),
            occurred_from: None,
            occurred_to: None,
            nature: vec![BreachNature::Confidentiality],
            description: "A bag with the laptop was stolen on the train.".into(),
            data_categories: vec![DataCategory::HealthNotes],
            client_ids: vec![],
            subjects_estimate: 40,
            records_estimate: None,
            consequences: String::new(),
            measures: String::new(),
            risk,
            encrypted,
        },
        authority_notified_at: None,
        authority_reference: String::new(),
        delay_reason: String::new(),
        subjects_informed_at: None,
        recorded_at: at("2026-11-27T10:00:00Z"),
    }
}

#[test]
fn the_clock_runs_72_hours_from_becoming_aware_to_the_minute() {
    let b = breach(BreachRisk::Risk, false);
    let deadline = at("2026-11-30T09:30:00Z");
    assert_eq!(duties(&b, b.facts.discovered_at).clock, NotifyClock::Running { minutes_left: 72 * 60 });
    assert_eq!(duties(&b, deadline - Duration::minutes(1)).clock, NotifyClock::Running { minutes_left: 1 });
    assert_eq!(duties(&b, deadline).clock, NotifyClock::Running { minutes_left: 0 });
    assert_eq!(duties(&b, deadline + Duration::minutes(1)).clock, NotifyClock::Overdue { minutes_over: 1 });
    assert_eq!(duties(&b, deadline).deadline, deadline);
}

#[test]
fn a_notification_stops_the_clock_and_says_whether_it_was_late() {
    let mut b = breach(BreachRisk::HighRisk, false);
    b.authority_notified_at = Some(at("2026-11-30T09:30:00Z"));
    assert_eq!(duties(&b, at("2026-12-20T00:00:00Z")).clock, NotifyClock::Notified { late: false });
    b.authority_notified_at = Some(at("2026-11-30T09:31:00Z"));
    assert_eq!(duties(&b, at("2026-12-20T00:00:00Z")).clock, NotifyClock::Notified { late: true });
}

#[test]
fn an_unlikely_risk_needs_no_notification_and_no_letters() {
    let b = breach(BreachRisk::Unlikely, false);
    let d = duties(&b, at("2026-12-24T00:00:00Z"));
    assert_eq!(d.clock, NotifyClock::NotRequired);
    assert_eq!(d.inform, InformClients::NotHighRisk);
}

#[test]
fn clients_are_told_of_a_high_risk_unless_the_data_was_encrypted() {
    let now = at("2026-11-28T00:00:00Z");
    assert_eq!(duties(&breach(BreachRisk::Risk, false), now).inform, InformClients::NotHighRisk);
    assert_eq!(duties(&breach(BreachRisk::HighRisk, false), now).inform, InformClients::Required);
    assert_eq!(duties(&breach(BreachRisk::HighRisk, true), now).inform, InformClients::Encrypted);
    let mut told = breach(BreachRisk::HighRisk, false);
    told.subjects_informed_at = Some(now);
    assert_eq!(duties(&told, now).inform, InformClients::Informed);
}

#[test]
fn the_facts_are_checked_before_anything_is_written() {
    let now = at("2026-11-28T00:00:00Z");
    let mut f = breach(BreachRisk::Risk, false).facts;
    assert!(f.clean(now).is_ok());
    f.discovered_at = now + Duration::minutes(1);
    assert!(matches!(f.clean(now), Err(Error::Validation(e)) if e.field == "discovered_at"));
    let mut f = breach(BreachRisk::Risk, false).facts;
    f.nature.clear();
    assert!(matches!(f.clean(now), Err(Error::Validation(e)) if e.field == "nature"));
    let mut f = breach(BreachRisk::Risk, false).facts;
    f.client_ids = vec![1, 2, 3];
    f.subjects_estimate = 2;
    assert!(matches!(f.clean(now), Err(Error::Validation(e)) if e.field == "subjects_estimate"));
    let mut f = breach(BreachRisk::Risk, false).facts;
    f.occurred_from = Some("2026-11-20".parse().unwrap());
    f.occurred_to = Some("2026-11-19".parse().unwrap());
    assert!(matches!(f.clean(now), Err(Error::Validation(e)) if e.field == "occurred_to"));
}
