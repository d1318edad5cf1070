//! The law's clocks: how long each kind of record must (or may) be kept under each
//! jurisdiction profile, from which event, and by which rule — as data with its source, so the
//! app can answer "why can't I delete this?" in words and a reference.
//!
//! # The rules
//! | Profile | Record | Clock | Source |
//! |---|---|---|---|
//! | SE licensed | journal | kept at least 10 years after the last entry | Patientdatalagen (2008:355) 3 kap. 17 § |
//! | SE licensed | access log | kept at least 5 years after the row | HSLF-FS 2016:40 4 kap. 9 § |
//! | other profiles | access log | deleted 5 years after the row | GDPR art. 5(1)(e), 32 |
//! | DK authorised psychologist | journal | kept at least 5 years after the last entry; a pending supervisory case holds it | BEK nr. 567 af 19/05/2017 § 6, stk. 1–2 |
//! | DK therapist/coach | logbook | kept 1 year after the course ends, then deleted | no statutory journal; GDPR art. 5(1)(e) |
//! | SE not licensed | notes | kept 1 year after the course ends, then deleted | GDPR art. 5(1)(e) |
//! | all | contact details without an ongoing relationship | deleted 12 months after the last contact | GDPR art. 5(1)(e) |
//! | SE | invoices | kept 7 years after the end of the calendar year in which the financial year ended | Bokföringslagen (1999:1078) 7 kap. 2 § |
//! | DK | invoices | kept 5 years from the end of the financial year | Bogføringsloven (LOV 700/2022) § 12 |
//!
//! "At least" periods end on the anniversary of their start; an anniversary that does not
//! exist (29 February) rounds *up* to 1 March, so a record is never released a day early.
//! A legal hold (a complaint, a supervisory case) stops every clock of the client it is on.
//!
//! Pure functions of the facts and `today`; the vault feeds them (the due list and erasure
//! come with the client-rights work).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::profile::Jurisdiction;

/// The kinds of record a clock applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// The journal or logbook: entries, amendments, attachments.
    Journal,
    /// Contact details of a client with no ongoing relationship.
    ContactDetails,
    /// The access log.
    AccessLog,
    /// Invoices and receipts.
    Invoice,
}

/// The event a clock starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The last entry written in the journal.
    LastEntry,
    /// The end of the course of treatment.
    CourseEnd,
    /// The last contact with the client.
    LastContact,
    /// The day the row was written (access log).
    Written,
    /// The end of the financial year the record belongs to.
    FinancialYearEnd,
    /// The end of the calendar year in which the financial year ended.
    CalendarYearOfFinancialYearEnd,
}

/// What the law asks when the clock runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Keep at least this long; deleting before is not allowed, after it is (not required).
    KeepAtLeast,
    /// Keep no longer than needed: delete when the clock runs out.
    DeleteAfter,
}

/// One rule: a record kind, its clock and where the rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Rule {
    /// What it applies to.
    pub kind: RecordKind,
    /// The event the clock starts from.
    pub start: ClockStart,
    /// Length in years.
    pub years: u32,
    /// And months.
    pub months: u32,
    /// Keep at least, or delete after.
    pub duty: Duty,
    /// The source, as shown to the therapist ("Patientdatalagen (2008:355) 3 kap. 17 §").
    pub source: &'static str,
}

const fn rule(kind: RecordKind, start: ClockStart, years: u32, months: u32, duty: Duty, source: &'static str) -> Rule {
    Rule { kind, start, years, months, duty, source }
}

use ClockStart as S;
use Duty::{DeleteAfter, KeepAtLeast};
use RecordKind as K;

const CONTACT: Rule = rule(K::ContactDetails, S::LastContact, 0, 12, DeleteAfter, "GDPR art. 5(1)(e)");
const SE_INVOICE: Rule =
    rule(K::Invoice, S::CalendarYearOfFinancialYearEnd, 7, 0, KeepAtLeast, "Bokföringslagen (1999:1078) 7 kap. 2 §");
const DK_INVOICE: Rule =
    rule(K::Invoice, S::FinancialYearEnd, 5, 0, KeepAtLeast, "Bogføringsloven (LOV nr. 700 af 24/05/2022) § 12");

const SE_LICENSED: &[Rule] = &[
    rule(K::Journal, S::LastEntry, 10, 0, KeepAtLeast, "Patientdatalagen (2008:355) 3 kap. 17 §"),
    rule(K::AccessLog, S::Written, 5, 0, KeepAtLeast, "HSLF-FS 2016:40 4 kap. 9 §"),
    CONTACT,
    SE_INVOICE,
];
const SE_OTHER: &[Rule] = &[
    rule(K::Journal, S::CourseEnd, 1, 0, DeleteAfter, "GDPR art. 5(1)(e)"),
    rule(K::AccessLog, S::Written, 5, 0, DeleteAfter, "GDPR art. 5(1)(e), 32"),
    CONTACT,
    SE_INVOICE,
];
const DK_PSYCHOLOGIST: &[Rule] = &[
    rule(K::Journal, S::LastEntry, 5, 0, KeepAtLeast, "BEK nr. 567 af 19/05/2017 § 6, stk. 1"),
    rule(K::AccessLog, S::Written, 5, 0, DeleteAfter, "GDPR art. 5(1)(e), 32"),
    CONTACT,
    DK_INVOICE,
];
const DK_THERAPIST_COACH: &[Rule] = &[
    rule(K::Journal, S::CourseEnd, 1, 0, DeleteAfter, "GDPR art. 5(1)(e)"),
    rule(K::AccessLog, S::Written, 5, 0, DeleteAfter, "GDPR art. 5(1)(e), 32"),
    CONTACT,
    DK_INVOICE,
];

/// The rules of a profile. `Custom` has none: nothing is kept or released by a rule.
pub fn rules(profile: Jurisdiction) -> &'static [Rule] {
    match profile {
        Jurisdiction::SeLicensed => SE_LICENSED,
        Jurisdiction::SeOther => SE_OTHER,
        Jurisdiction::DkPsychologist => DK_PSYCHOLOGIST,
        Jurisdiction::DkTherapistCoach => DK_THERAPIST_COACH,
        Jurisdiction::Custom => &[],
    }
}

/// The rule of `profile` for `kind`, if it has one.
pub fn rule_for(profile: Jurisdiction, kind: RecordKind) -> Option<&'static Rule> {
    rules(profile).iter().find(|r| r.kind == kind)
}

/// The events a clock may start from, as known for one record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// The last journal entry.
    pub last_entry: Option<NaiveDate>,
    /// The end of the course (`None` while it runs).
    pub course_end: Option<NaiveDate>,
    /// The last contact.
    pub last_contact: Option<NaiveDate>,
    /// When the row was written.
    pub written: Option<NaiveDate>,
    /// The end of the financial year the record belongs to.
    pub financial_year_end: Option<NaiveDate>,
    /// A legal hold on the client (complaint, supervisory case).
    pub legal_hold: bool,
}

/// Where a clock stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Clock {
    /// Its start event has not happened (a course still running).
    NotStarted,
    /// A legal hold stops it.
    Held,
    /// Running; the period ends on `ends` (a keep-at-least record may be deleted from then on,
    /// a delete-after record is due then).
    Running {
        /// The first day after the period.
        ends: NaiveDate,
    },
    /// The period is over since `since`.
    Over {
        /// The first day after the period.
        since: NaiveDate,
    },
}

/// `start` plus `years` and `months`; a day that does not exist in the target month (29
/// February, 31 April) rounds up to the first of the next month, so "at least" is never short.
pub fn add_period(start: NaiveDate, years: u32, months: u32) -> NaiveDate {
    let total = start.year() * 12 + start.month0() as i32 + (years * 12 + months) as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    NaiveDate::from_ymd_opt(year, month0 + 1, start.day()).unwrap_or_else(|| {
        let (ny, nm) = if month0 == 11 { (year + 1, 1) } else { (year, month0 + 2) };
        NaiveDate::from_ymd_opt(ny, nm, 1).unwrap_or(NaiveDate::MAX)
    })
}

fn start_day(rule: &Rule, f: &Facts) -> Option<NaiveDate> {
    match rule.start {
        ClockStart::LastEntry => f.last_entry,
        ClockStart::CourseEnd => f.course_end,
        ClockStart::LastContact => f.last_contact,
        ClockStart::Written => f.written,
        ClockStart::FinancialYearEnd => f.financial_year_end,
        ClockStart::CalendarYearOfFinancialYearEnd => {
            f.financial_year_end.and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 31))
        }
    }
}

/// Where `rule`'s clock stands on `today` for a record with `facts`. A period that starts at
/// the end of a day (a year's last day) ends on the day after its anniversary.
pub fn clock(rule: &Rule, facts: &Facts, today: NaiveDate) -> Clock {
    if facts.legal_hold {
        return Clock::Held;
    }
    let Some(start) = start_day(rule, facts) else { return Clock::NotStarted };
    let ends = add_period(start, rule.years, rule.months);
    // Year-end clocks run to the end of the anniversary day: "7 years after the end of 2025"
    // is the end of 2032, so the record is free on 1 January 2033.
    let ends = match rule.start {
        ClockStart::FinancialYearEnd | ClockStart::CalendarYearOfFinancialYearEnd => ends.succ_opt().unwrap_or(ends),
        _ => ends,
    };
    if today >= ends {
        Clock::Over { since: ends }
    } else {
        Clock::Running { ends }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_missing_anniversary_rounds_up_never_short() {
        assert_eq!(add_period(d(2024, 2, 29), 10, 0), d(2034, 3, 1));
        assert_eq!(add_period(d(2024, 2, 29), 4, 0), d(2028, 2, 29));
        assert_eq!(add_period(d(2025, 1, 31), 0, 3), d(2025, 5, 1));
        assert_eq!(add_period(d(2025, 12, 15), 0, 12), d(2026, 12, 15));
        assert_eq!(add_period(d(2025, 11, 30), 0, 2), d(2026, 1, 30));
    }

    #[test]
    fn se_licensed_journal_is_kept_ten_years_after_the_last_entry() {
        let r = rule_for(Jurisdiction::SeLicensed, RecordKind::Journal).unwrap();
        assert_eq!(r.duty, Duty::KeepAtLeast);
        assert!(r.source.contains("3 kap. 17 §"));
        let f = Facts { last_entry: Some(d(2016, 2, 29)), ..Default::default() };
        assert_eq!(clock(r, &f, d(2026, 2, 28)), Clock::Running { ends: d(2026, 3, 1) });
        assert_eq!(clock(r, &f, d(2026, 3, 1)), Clock::Over { since: d(2026, 3, 1) });
        // A later entry restarts it; a hold stops it.
        let later = Facts { last_entry: Some(d(2020, 6, 1)), ..f };
        assert_eq!(clock(r, &later, d(2026, 3, 1)), Clock::Running { ends: d(2030, 6, 1) });
        assert_eq!(clock(r, &Facts { legal_hold: true, ..f }, d(2040, 1, 1)), Clock::Held);
    }

    #[test]
    fn dk_psychologist_journal_is_kept_five_years() {
        let r = rule_for(Jurisdiction::DkPsychologist, RecordKind::Journal).unwrap();
        let f = Facts { last_entry: Some(d(2021, 7, 1)), ..Default::default() };
        assert_eq!(clock(r, &f, d(2026, 6, 30)), Clock::Running { ends: d(2026, 7, 1) });
        assert_eq!(clock(r, &f, d(2026, 7, 1)), Clock::Over { since: d(2026, 7, 1) });
    }

    #[test]
    fn a_coach_logbook_clock_starts_when_the_course_ends() {
        let r = rule_for(Jurisdiction::DkTherapistCoach, RecordKind::Journal).unwrap();
        assert_eq!(r.duty, Duty::DeleteAfter);
        let running = Facts { last_entry: Some(d(2020, 1, 1)), course_end: None, ..Default::default() };
        assert_eq!(clock(r, &running, d(2030, 1, 1)), Clock::NotStarted);
        let ended = Facts { course_end: Some(d(2025, 12, 1)), ..running };
        assert_eq!(clock(r, &ended, d(2026, 11, 30)), Clock::Running { ends: d(2026, 12, 1) });
        assert_eq!(clock(r, &ended, d(2026, 12, 1)), Clock::Over { since: d(2026, 12, 1) });
    }

    #[test]
    fn invoices_count_from_the_end_of_the_financial_year() {
        // SE: 7 years after the end of the calendar year in which the financial year ended.
        let se = rule_for(Jurisdiction::SeLicensed, RecordKind::Invoice).unwrap();
        let broken_year = Facts { financial_year_end: Some(d(2025, 6, 30)), ..Default::default() };
        assert_eq!(clock(se, &broken_year, d(2032, 12, 31)), Clock::Running { ends: d(2033, 1, 1) });
        assert_eq!(clock(se, &broken_year, d(2033, 1, 1)), Clock::Over { since: d(2033, 1, 1) });
        // DK: 5 years from the end of the financial year itself.
        let dk = rule_for(Jurisdiction::DkTherapistCoach, RecordKind::Invoice).unwrap();
        assert_eq!(clock(dk, &broken_year, d(2030, 6, 30)), Clock::Running { ends: d(2030, 7, 1) });
        assert_eq!(clock(dk, &broken_year, d(2030, 7, 1)), Clock::Over { since: d(2030, 7, 1) });
        let calendar_year = Facts { financial_year_end: Some(d(2025, 12, 31)), ..Default::default() };
        assert_eq!(clock(dk, &calendar_year, d(2030, 12, 31)), Clock::Running { ends: d(2031, 1, 1) });
    }

    #[test]
    fn every_profile_but_custom_has_one_rule_per_kind_with_a_source() {
        for p in [
            Jurisdiction::SeLicensed,
            Jurisdiction::SeOther,
            Jurisdiction::DkPsychologist,
            Jurisdiction::DkTherapistCoach,
        ] {
            for k in [RecordKind::Journal, RecordKind::ContactDetails, RecordKind::AccessLog, RecordKind::Invoice] {
                let n = rules(p).iter().filter(|r| r.kind == k).count();
                assert_eq!(n, 1, "{p:?} {k:?}");
            }
            assert!(rules(p).iter().all(|r| !r.source.is_empty() && r.years + r.months > 0));
        }
        assert!(rules(Jurisdiction::Custom).is_empty());
    }
}
