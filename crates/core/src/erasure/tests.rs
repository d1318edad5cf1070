use super::*;
use crate::law::Facts;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn facts(last_entry: Option<NaiveDate>, course_end: Option<NaiveDate>, held: bool) -> ClientFacts {
    let last_contact = [last_entry, course_end].into_iter().flatten().max().filter(|_| course_end.is_some());
    ClientFacts {
        journal: Facts { last_entry, course_end, legal_hold: held, ..Facts::default() },
        contact: Facts { last_contact, legal_hold: held, ..Facts::default() },
        has_journal: true,
        has_contact: true,
        invoices: Facts::default(),
        has_invoices: false,
    }
}

fn item(items: &[PlanItem], part: Part) -> &PlanItem {
    items.iter().find(|i| i.part == part).unwrap()
}

const REQUEST: ErasureCause = ErasureCause::Request { received_on: NaiveDate::MIN };

#[test]
fn a_licensed_journal_is_kept_ten_years_and_keeps_the_name_with_it() {
    let f = facts(Some(d(2020, 6, 1)), Some(d(2020, 6, 1)), false);
    let items = plan_parts(Jurisdiction::SeLicensed, &f, REQUEST, d(2026, 12, 2));
    let j = item(&items, Part::Journal);
    assert!(!j.erase);
    assert_eq!((j.keep, j.until), (Some(KeepReason::Rule), Some(d(2030, 6, 1))));
    assert!(j.source.as_deref().unwrap().contains("3 kap. 17 §"));
    assert!(item(&items, Part::ContactDetails).erase, "contact details go on request");
    let id = item(&items, Part::Identity);
    assert_eq!((id.erase, id.keep, id.until), (false, Some(KeepReason::IdentifiesJournal), Some(d(2030, 6, 1))));
    let log = item(&items, Part::AccessLog);
    assert!(!log.erase && log.source.as_deref().unwrap().contains("HSLF-FS 2016:40"));
}

#[test]
fn the_day_the_clock_runs_out_everything_but_the_log_goes() {
    // Last entry on a leap day: ten years on there is no 29 February, so the clock runs to 1 March.
    let f = facts(Some(d(2016, 2, 29)), Some(d(2016, 2, 29)), false);
    let before = plan_parts(Jurisdiction::SeLicensed, &f, REQUEST, d(2026, 2, 28));
    assert_eq!(item(&before, Part::Journal).until, Some(d(2026, 3, 1)));
    assert_eq!(
        plan_parts(Jurisdiction::SeLicensed, &f, REQUEST, d(2026, 3, 1))
            .iter()
            .filter(|i| i.erase)
            .map(|i| i.part)
            .collect::<Vec<_>>(),
        vec![Part::Journal, Part::ContactDetails, Part::Identity]
    );
}

#[test]
fn a_legal_hold_keeps_every_part_whatever_the_clocks_say() {
    let f = facts(Some(d(2000, 1, 1)), Some(d(2000, 1, 1)), true);
    for cause in [REQUEST, ErasureCause::Retention] {
        let items = plan_parts(Jurisdiction::DkTherapistCoach, &f, cause, d(2026, 12, 2));
        assert!(items.iter().all(|i| !i.erase), "{cause:?}");
        assert_eq!(item(&items, Part::Journal).keep, Some(KeepReason::LegalHold));
        assert_eq!(item(&items, Part::Identity).keep, Some(KeepReason::LegalHold));
    }
}

#[test]
fn a_coach_erases_on_request_even_while_the_course_runs() {
    let f = facts(Some(d(2026, 11, 1)), None, false);
    let items = plan_parts(Jurisdiction::DkTherapistCoach, &f, REQUEST, d(2026, 12, 2));
    assert!(item(&items, Part::Journal).erase && item(&items, Part::Identity).erase);
    // By retention nothing is due while the course runs.
    let items = plan_parts(Jurisdiction::DkTherapistCoach, &f, ErasureCause::Retention, d(2026, 12, 2));
    assert!(items.iter().all(|i| !i.erase));
    assert_eq!(item(&items, Part::Journal).keep, Some(KeepReason::NotDue));
}

#[test]
fn by_retention_a_coach_logbook_goes_one_year_after_the_course_ends() {
    let f = facts(Some(d(2025, 11, 20)), Some(d(2025, 12, 1)), false);
    let day_before = plan_parts(Jurisdiction::DkTherapistCoach, &f, ErasureCause::Retention, d(2026, 11, 30));
    assert!(day_before.iter().all(|i| !i.erase));
    assert_eq!(item(&day_before, Part::Journal).until, Some(d(2026, 12, 1)));
    let due = plan_parts(Jurisdiction::DkTherapistCoach, &f, ErasureCause::Retention, d(2026, 12, 1));
    assert!(item(&due, Part::Journal).erase && item(&due, Part::ContactDetails).erase);
    assert!(item(&due, Part::Identity).erase);
}

#[test]
fn by_retention_contact_details_go_while_a_licensed_journal_stays() {
    let f = facts(Some(d(2024, 5, 1)), Some(d(2024, 5, 1)), false);
    let items = plan_parts(Jurisdiction::SeLicensed, &f, ErasureCause::Retention, d(2026, 12, 2));
    assert!(!item(&items, Part::Journal).erase);
    assert!(item(&items, Part::ContactDetails).erase);
    assert_eq!(item(&items, Part::Identity).keep, Some(KeepReason::IdentifiesJournal));
}

#[test]
fn a_custom_profile_erases_on_request_and_never_by_retention() {
    let f = facts(Some(d(2000, 1, 1)), Some(d(2000, 1, 1)), false);
    assert!(plan_parts(Jurisdiction::Custom, &f, REQUEST, d(2026, 12, 2))
        .iter()
        .filter(|i| i.part != Part::AccessLog)
        .all(|i| i.erase));
    assert!(plan_parts(Jurisdiction::Custom, &f, ErasureCause::Retention, d(2026, 12, 2)).iter().all(|i| !i.erase));
}

#[test]
fn a_client_without_a_journal_goes_whole_on_request() {
    let f = ClientFacts { has_journal: false, ..facts(None, None, false) };
    let items = plan_parts(Jurisdiction::SeLicensed, &f, REQUEST, d(2026, 12, 2));
    assert!(items.iter().all(|i| i.part != Part::Journal));
    assert!(item(&items, Part::Identity).erase);
}

#[test]
fn backups_keep_data_until_their_longest_bucket_has_passed() {
    let r = Retention { daily: 7, weekly: 4, monthly: 12 };
    assert_eq!(backups_kept_until(&r, d(2026, 12, 2)), d(2028, 1, 2));
    let r = Retention { daily: 7, weekly: 0, monthly: 0 };
    assert_eq!(backups_kept_until(&r, d(2026, 12, 2)), d(2026, 12, 10));
    let r = Retention { daily: 60, weekly: 0, monthly: 0 };
    assert_eq!(backups_kept_until(&r, d(2026, 12, 2)), d(2027, 2, 1));
}
