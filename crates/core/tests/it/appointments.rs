//! Sessions in the calendar through the public API: plan, move, record attendance once, start
//! the note, the week and the list not yet invoiced; every refusal leaves the vault as it was,
//! and the database itself keeps a recorded session.

use chrono::{DateTime, Datelike, Duration, Utc};
use confidant_core::domain::appointments::{AppointmentInput, AppointmentKind, Attendance};
use confidant_core::domain::entries::{EntryKind, EntryStatus};
use confidant_core::domain::profile::Language;
use confidant_core::{Code, Reason, Vault};

use crate::util::{client_with_course, dump_db, new_vault};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn session(starts_at: &str, fee: Option<i64>) -> AppointmentInput {
    AppointmentInput { course_id: None, starts_at: at(starts_at), minutes: 50, kind: AppointmentKind::Individual, fee }
}

fn refused_field(r: confidant_core::Result<impl std::fmt::Debug>) -> (String, Reason) {
    match r.unwrap_err() {
        confidant_core::Error::Validation(f) => (f.field, f.reason),
        other => panic!("not a field error: {other:?}"),
    }
}

/// The tables a refused session change could have touched.
fn sessions_and_entries(dir: &std::path::Path, v: &mut Vault) -> Vec<Vec<String>> {
    let d = dump_db(&dir.join("vault.db"), &v.database_key().unwrap());
    ["appointment", "entry", "search_fts_data"].iter().map(|t| d[*t].clone()).collect()
}

#[test]
fn a_session_is_planned_moved_attended_and_starts_its_note_once() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Maja", "Ek");
    let mut planned = f.vault.plan_appointment(c.id, &session("2026-11-30T09:00:00Z", Some(95_000))).unwrap();
    assert_eq!(planned.attendance, Attendance::Planned);
    assert_eq!(planned.course_id, None);

    // Moved while planned: new time, length, kind and course.
    let moved = AppointmentInput {
        course_id: Some(course.id),
        minutes: 80,
        kind: AppointmentKind::Phone,
        ..session("2026-11-30T13:00:00Z", Some(110_000))
    };
    planned = f.vault.update_appointment(planned.id, &moved).unwrap();
    assert_eq!(
        (planned.starts_at, planned.minutes, planned.course_id),
        (at("2026-11-30T13:00:00Z"), 80, Some(course.id))
    );

    // Not attended yet: no note.
    assert_eq!(
        refused_field(f.vault.start_appointment_note(planned.id, None, Language::Sv)),
        ("attendance".into(), Reason::Required)
    );
    let now = at("2026-11-30T14:30:00Z");
    let attended = f.vault.record_attendance(planned.id, Attendance::Attended, now).unwrap();
    assert_eq!(attended.attendance, Attendance::Attended);

    let before = sessions_and_entries(&f.dir, &mut f.vault);
    // The first recording stands; a recorded session is neither moved nor removed.
    assert_eq!(
        refused_field(f.vault.record_attendance(planned.id, Attendance::NoShow, now)),
        ("attendance".into(), Reason::AlreadyDone)
    );
    assert_eq!(
        refused_field(f.vault.update_appointment(planned.id, &moved)),
        ("attendance".into(), Reason::AlreadyDone)
    );
    assert_eq!(refused_field(f.vault.remove_appointment(planned.id)), ("attendance".into(), Reason::AlreadyDone));
    assert_eq!(sessions_and_entries(&f.dir, &mut f.vault), before, "a refusal changed something");

    // The note: a draft at the session's time, with its length, kind and template.
    let note = f.vault.start_appointment_note(planned.id, Some("builtin:soap"), Language::Sv).unwrap();
    assert_eq!(note.status, EntryStatus::Draft);
    assert_eq!(
        (note.occurred_at, note.duration_minutes, note.kind),
        (attended.starts_at, Some(80), EntryKind::PhoneCall)
    );
    assert_eq!(note.course_id, course.id);
    assert_eq!(note.template_id.as_deref(), Some("builtin:soap"));
    assert!(note.body.contains("## Bedömning"), "{}", note.body);
    let listed = f.vault.appointments(c.id, now).unwrap();
    assert_eq!(listed[0].appointment.entry_id, Some(note.id));
    assert!(listed[0].may_record.is_empty(), "recorded: nothing more to record");
    // Once.
    assert_eq!(
        refused_field(f.vault.start_appointment_note(planned.id, None, Language::Sv)),
        ("entry_id".into(), Reason::AlreadyDone)
    );
    let log = f.vault.access_log(Some(c.id), 50).unwrap();
    let kinds: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    assert!(kinds.contains(&"appointment") && kinds.contains(&"appointment_read"), "{kinds:?}");
    // The log names the session by its kind and day, never by a number alone.
    let row = log.iter().find(|r| r.action.as_str() == "appointment").unwrap();
    assert_eq!((row.what.as_deref(), row.what_on), (Some("phone"), Some("2026-11-30".parse().unwrap())));
}

#[test]
fn attendance_of_a_session_not_begun_and_a_course_of_another_client_are_refused_and_nothing_changes() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let (_, other_course) = client_with_course(&mut f.vault, "Erik", "Berg");
    let now = at("2026-12-03T09:00:00Z");
    let later = f.vault.plan_appointment(c.id, &session("2026-12-03T10:30:00Z", None)).unwrap();
    let before = sessions_and_entries(&f.dir, &mut f.vault);
    assert_eq!(
        refused_field(f.vault.record_attendance(later.id, Attendance::Attended, now)),
        ("attendance".into(), Reason::InFuture)
    );
    assert_eq!(
        refused_field(f.vault.plan_appointment(
            c.id,
            &AppointmentInput { course_id: Some(other_course.id), ..session("2026-12-04T10:00:00Z", None) }
        )),
        ("course_id".into(), Reason::NotThisClient)
    );
    assert_eq!(
        refused_field(
            f.vault.plan_appointment(c.id, &AppointmentInput { minutes: 0, ..session("2026-12-04T10:00:00Z", None) })
        ),
        ("minutes".into(), Reason::OutOfRange)
    );
    assert_eq!(
        f.vault.plan_appointment(999, &session("2026-12-04T10:00:00Z", None)).unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(sessions_and_entries(&f.dir, &mut f.vault), before, "a refusal changed something");

    // A cancellation can be recorded ahead; a planned session can be removed.
    assert_eq!(
        f.vault.record_attendance(later.id, Attendance::LateCancellation, now).unwrap().attendance,
        Attendance::LateCancellation
    );
    let mistake = f.vault.plan_appointment(c.id, &session("2026-12-05T10:00:00Z", None)).unwrap();
    f.vault.remove_appointment(mistake.id).unwrap();
    let rows = f.vault.appointments(c.id, now).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(rows[0].may_record.is_empty());
    // What the screen offers is what the core accepts: before a session begins only the
    // cancellations, once it has begun every outcome.
    let ahead = f.vault.plan_appointment(c.id, &session("2026-12-03T10:30:00Z", None)).unwrap();
    let offered = |v: &mut Vault, at| {
        v.appointments(c.id, at).unwrap().into_iter().find(|r| r.appointment.id == ahead.id).unwrap().may_record
    };
    assert_eq!(offered(&mut f.vault, now), [Attendance::CancelledInTime, Attendance::LateCancellation]);
    assert_eq!(
        offered(&mut f.vault, at("2026-12-03T10:31:00Z")),
        [Attendance::Attended, Attendance::CancelledInTime, Attendance::LateCancellation, Attendance::NoShow]
    );
}

#[test]
fn the_week_shows_sessions_in_range_with_names_and_chargeable_ones_await_an_invoice() {
    let mut f = new_vault();
    let (maja, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let (erik, _) = client_with_course(&mut f.vault, "Erik", "Berg");
    let now = at("2026-12-03T18:00:00Z");
    let mon = f.vault.plan_appointment(maja.id, &session("2026-11-30T09:00:00Z", Some(95_000))).unwrap();
    let tue = f.vault.plan_appointment(erik.id, &session("2026-12-01T08:00:00Z", Some(95_000))).unwrap();
    let wed = f.vault.plan_appointment(maja.id, &session("2026-12-02T15:00:00Z", Some(95_000))).unwrap();
    let free = f.vault.plan_appointment(erik.id, &session("2026-12-03T10:00:00Z", None)).unwrap();
    f.vault.plan_appointment(maja.id, &session("2026-12-07T09:00:00Z", Some(95_000))).unwrap(); // next week
    f.vault.plan_appointment(maja.id, &session("2026-11-29T22:59:00Z", Some(95_000))).unwrap(); // the week before

    let week = f.vault.calendar(at("2026-11-30T00:00:00Z"), at("2026-12-07T00:00:00Z")).unwrap();
    let shown: Vec<(i64, &str)> = week.iter().map(|i| (i.appointment.id, i.client_name.as_str())).collect();
    assert_eq!(shown, [(mon.id, "Maja Ek"), (tue.id, "Erik Berg"), (wed.id, "Maja Ek"), (free.id, "Erik Berg")]);

    f.vault.record_attendance(mon.id, Attendance::Attended, now).unwrap();
    f.vault.record_attendance(tue.id, Attendance::CancelledInTime, now).unwrap();
    f.vault.record_attendance(wed.id, Attendance::NoShow, now).unwrap();
    f.vault.record_attendance(free.id, Attendance::Attended, now).unwrap();
    let due: Vec<i64> = f.vault.uninvoiced_appointments().unwrap().iter().map(|i| i.appointment.id).collect();
    assert_eq!(
        due,
        [mon.id, wed.id],
        "attended and no-show with a fee; not the one cancelled in time, not the free one"
    );

    assert_eq!(
        refused_field(f.vault.calendar(at("2026-12-07T00:00:00Z"), at("2026-11-30T00:00:00Z"))),
        ("to".into(), Reason::BeforeStart)
    );
    assert_eq!(
        refused_field(f.vault.calendar(at("2026-11-01T00:00:00Z"), at("2026-11-01T00:00:00Z") + Duration::days(43))),
        ("to".into(), Reason::OutOfRange)
    );
}

#[test]
fn the_database_keeps_a_recorded_session_and_restriction_stops_new_ones() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Maja", "Ek");
    let a = f.vault.plan_appointment(c.id, &session("2026-11-30T09:00:00Z", Some(95_000))).unwrap();
    f.vault.record_attendance(a.id, Attendance::Attended, at("2026-12-01T00:00:00Z")).unwrap();
    let b = f.vault.plan_appointment(c.id, &session("2026-12-09T09:00:00Z", None)).unwrap();

    f.vault.set_restriction(c.id, true).unwrap();
    assert_eq!(
        f.vault.plan_appointment(c.id, &session("2026-12-10T09:00:00Z", None)).unwrap_err().code(),
        Code::Restricted
    );
    assert_eq!(
        f.vault.update_appointment(b.id, &session("2026-12-11T09:00:00Z", None)).unwrap_err().code(),
        Code::Restricted
    );
    assert_eq!(f.vault.appointments(c.id, Utc::now()).unwrap().len(), 2, "reading stays possible");
    f.vault.set_restriction(c.id, false).unwrap();

    let key = f.vault.database_key().unwrap();
    f.vault.lock();
    let conn = rusqlite::Connection::open(f.dir.join("vault.db")).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.to_hex().as_str())).unwrap();
    for sql in [
        "UPDATE appointment SET attendance = 'no_show' WHERE attendance = 'attended'",
        "UPDATE appointment SET starts_at = '2026-12-01T09:00:00.000Z' WHERE attendance = 'attended'",
        "DELETE FROM appointment WHERE attendance = 'attended'",
    ] {
        let e = conn.execute(sql, []).unwrap_err().to_string();
        assert!(e.contains("recorded appointment is kept"), "{sql}: {e}");
    }
    // The fee of a recorded session may still be set (it is often agreed afterwards).
    assert_eq!(conn.execute("UPDATE appointment SET fee = 100000 WHERE attendance = 'attended'", []).unwrap(), 1);
}

#[test]
fn the_demo_has_a_week_of_sessions_and_two_await_an_invoice() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut v, _) = confidant_core::demo::create(&tmp.path().join("demo"), crate::util::kdf()).unwrap();
    let now = Utc::now();
    let around = v.calendar(now - Duration::days(14), now + Duration::days(14)).unwrap();
    assert_eq!(around.len(), 8, "three recorded last week, five planned from today");
    for s in &around {
        assert!(s.appointment.starts_at.weekday().number_from_monday() <= 5, "on a weekday");
    }
    let due: Vec<Attendance> = v.uninvoiced_appointments().unwrap().iter().map(|i| i.appointment.attendance).collect();
    assert_eq!(due, [Attendance::Attended, Attendance::NoShow]);
}

#[test]
fn a_booking_that_never_took_place_goes_with_the_client_and_one_that_did_keeps_the_journal() {
    use confidant_core::domain::profile::{Jurisdiction, PracticeProfile};
    use confidant_core::erasure::{ErasureCause, Part};
    let mut f = new_vault();
    f.vault.set_profile(&PracticeProfile { jurisdiction: Jurisdiction::SeLicensed, ..Default::default() }).unwrap();
    let today: chrono::NaiveDate = "2026-12-03".parse().unwrap();
    let cause = ErasureCause::Request { received_on: today };
    let now = at("2026-12-03T12:00:00Z");

    // An intake booked and cancelled in time, another still planned: no record of care.
    let intake = f.vault.create_client(&crate::util::person("Ida", "Ny")).unwrap();
    let a = f.vault.plan_appointment(intake.id, &session("2026-12-10T09:00:00Z", None)).unwrap();
    f.vault.record_attendance(a.id, Attendance::CancelledInTime, now).unwrap();
    f.vault.plan_appointment(intake.id, &session("2026-12-17T09:00:00Z", None)).unwrap();
    let plan = f.vault.erasure_plan(intake.id, cause, today).unwrap();
    assert!(plan.erased().contains(&Part::Identity), "{plan:?}");
    f.vault.erase(intake.id, cause, &plan.erased(), today, None, &mut confidant_core::JobCtl::quiet()).unwrap();
    assert_eq!(f.vault.get_client(intake.id).unwrap_err().code(), Code::NotFound);

    // A session that took place, without a note: the journal is kept, its clock running from it.
    let seen = f.vault.create_client(&crate::util::person("Ola", "Sedd")).unwrap();
    let b = f.vault.plan_appointment(seen.id, &session("2026-11-02T09:00:00Z", None)).unwrap();
    f.vault.record_attendance(b.id, Attendance::Attended, now).unwrap();
    let plan = f.vault.erasure_plan(seen.id, cause, today).unwrap();
    let journal = plan.items.iter().find(|i| i.part == Part::Journal).expect("a journal part");
    assert!(!journal.erase);
    assert_eq!(journal.until, Some("2036-11-02".parse().unwrap()), "10 years after the session (Patientdatalagen)");
}
