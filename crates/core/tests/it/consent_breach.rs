//! Consents, the breach register, printouts and the record of processing through the public
//! API: what each promises, the refusals that leave nothing changed, and the documents' data
//! (a stand-in typesetter hands back the JSON the engine would lay out).

use std::sync::Mutex;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use confidant_core::breach::{BreachInput, BreachNature, BreachRisk, DataCategory, InformClients, NotifyClock};
use confidant_core::documents::{DocumentKind, Typesetter};
use confidant_core::domain::attachments::AttachTo;
use confidant_core::domain::consent::{ConsentForm, ConsentInput, ConsentPurpose};
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::{Code, Reason, Vault};

use crate::util::{client_with_course, draft, new_vault};

/// A "PDF" that is the document's data; remembers the kinds laid out.
#[derive(Default)]
struct Echo(Mutex<Vec<DocumentKind>>);
impl Typesetter for Echo {
    fn render(&self, kind: DocumentKind, data: &[u8]) -> confidant_core::Result<Vec<u8>> {
        self.0.lock().unwrap().push(kind);
        Ok(data.to_vec())
    }
}

fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn profile(v: &mut Vault, j: Jurisdiction) {
    v.set_profile(&PracticeProfile {
        therapist_name: "Anna Lindqvist".into(),
        therapist_title: "leg. psykoterapeut".into(),
        practice_name: "Lindqvist Terapi".into(),
        practice_address: "Storgatan 1\n111 22 Stockholm".into(),
        language: Language::Sv,
        jurisdiction: j,
    })
    .unwrap();
}

fn consent(purpose: ConsentPurpose, version: &str, body: &str, given: &str) -> ConsentInput {
    ConsentInput {
        purpose,
        body: body.into(),
        text_version: version.into(),
        given_on: d(given),
        given_how: ConsentForm::Written,
        evidence_id: None,
    }
}

#[test]
fn a_consent_is_in_force_until_withdrawn_and_withdrawal_stops_what_it_covered() {
    let mut f = new_vault();
    let (c, _) = client_with_course(&mut f.vault, "Eva", "Berg");
    let today = d("2026-12-02");
    assert_eq!(f.vault.require_consent(c.id, ConsentPurpose::Referral, today).unwrap_err().code(), Code::NoConsent);
    let given = f
        .vault
        .record_consent(
            c.id,
            &consent(ConsentPurpose::Referral, "1", "Jag samtycker till remiss.", "2026-11-01"),
            today,
        )
        .unwrap();
    assert_eq!(f.vault.require_consent(c.id, ConsentPurpose::Referral, today).unwrap().id, given.id);
    let o = f.vault.consents(c.id, today).unwrap();
    assert_eq!(o.in_force, vec![ConsentPurpose::Referral]);

    // Withdrawal: not before it was given, not in the future, once.
    let err = f.vault.withdraw_consent(given.id, d("2026-10-31"), today).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::BeforeStart));
    let err = f.vault.withdraw_consent(given.id, d("2026-12-03"), today).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::InFuture));
    let w = f.vault.withdraw_consent(given.id, today, today).unwrap();
    assert_eq!(w.withdrawn_on, Some(today));
    let err = f.vault.withdraw_consent(given.id, today, today).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::AlreadyDone));
    assert_eq!(f.vault.require_consent(c.id, ConsentPurpose::Referral, today).unwrap_err().code(), Code::NoConsent);
    // Still in force the day before the withdrawal; the record stays.
    assert!(f.vault.require_consent(c.id, ConsentPurpose::Referral, d("2026-12-01")).is_ok());
    let o = f.vault.consents(c.id, today).unwrap();
    assert!(o.in_force.is_empty());
    assert_eq!(o.consents.len(), 1);
    // The log names the consent by its purpose and day.
    let log = f.vault.access_log(Some(c.id), 20).unwrap();
    let row = log.iter().find(|r| r.action.as_str() == "consent").unwrap();
    assert_eq!(row.what.as_deref(), Some("referral"));
    assert_eq!(row.what_on, Some(d("2026-11-01")));
}

#[test]
fn a_text_version_names_one_wording_and_evidence_must_be_the_clients_own() {
    let mut f = new_vault();
    let today = d("2026-12-02");
    let (a, _) = client_with_course(&mut f.vault, "Eva", "Berg");
    let (b, _) = client_with_course(&mut f.vault, "Olle", "Ek");
    f.vault
        .record_consent(a.id, &consent(ConsentPurpose::RemindersSms, "2", "Sms-påminnelser.", "2026-11-01"), today)
        .unwrap();
    // The same version with other words is refused, for any client; a new version is fine.
    let err = f
        .vault
        .record_consent(b.id, &consent(ConsentPurpose::RemindersSms, "2", "Andra ord.", "2026-11-01"), today)
        .unwrap_err();
    assert!(
        matches!(err, confidant_core::Error::Validation(ref e) if e.field == "text_version" && e.reason == Reason::OtherText)
    );
    f.vault
        .record_consent(b.id, &consent(ConsentPurpose::RemindersSms, "3", "Andra ord.", "2026-11-01"), today)
        .unwrap();
    // The same consent twice while in force is refused.
    let err = f
        .vault
        .record_consent(a.id, &consent(ConsentPurpose::RemindersSms, "2", "Sms-påminnelser.", "2026-11-02"), today)
        .unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::Duplicate));
    // Evidence from another client's record is refused; a future day too.
    let scan = f.vault.attach_bytes(AttachTo::Client(b.id), "samtycke.pdf", 9, &b"%PDF-1.4\n"[..]).unwrap();
    let mut with_evidence = consent(ConsentPurpose::Treatment, "1", "Behandling.", "2026-11-01");
    with_evidence.evidence_id = Some(scan.id);
    let err = f.vault.record_consent(a.id, &with_evidence, today).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::NotThisClient));
    let err = f
        .vault
        .record_consent(a.id, &consent(ConsentPurpose::Treatment, "1", "Behandling.", "2026-12-03"), today)
        .unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.reason == Reason::InFuture));
    // Nothing of the refusals was written; the evidence of b's own consent is accepted.
    assert_eq!(f.vault.consents(a.id, today).unwrap().consents.len(), 1);
    f.vault.record_consent(b.id, &with_evidence, today).unwrap();
    assert_eq!(
        f.vault.last_consent_text(ConsentPurpose::RemindersSms).unwrap(),
        Some(("Andra ord.".to_owned(), "3".to_owned()))
    );
}

#[test]
fn restriction_stops_new_consents_but_not_a_withdrawal() {
    let mut f = new_vault();
    let today = d("2026-12-02");
    let (c, _) = client_with_course(&mut f.vault, "Eva", "Berg");
    let m = f
        .vault
        .record_consent(c.id, &consent(ConsentPurpose::Marketing, "1", "Nyhetsbrev.", "2026-11-01"), today)
        .unwrap();
    f.vault.set_restriction(c.id, true).unwrap();
    let err = f
        .vault
        .record_consent(c.id, &consent(ConsentPurpose::Referral, "1", "Remiss.", "2026-11-01"), today)
        .unwrap_err();
    assert_eq!(err.code(), Code::Restricted);
    f.vault.withdraw_consent(m.id, today, today).unwrap();
    assert!(f.vault.consents(c.id, today).unwrap().in_force.is_empty());
}

fn facts(clients: Vec<i64>, discovered: DateTime<Utc>, risk: BreachRisk, encrypted: bool) -> BreachInput {
    BreachInput {
        discovered_at: discovered,
        occurred_from: Some(d("2026-11-26")),
        occurred_to: None,
        nature: vec![BreachNature::Confidentiality, BreachNature::Availability],
        description: "The backup disk was left on the train.".into(),
        data_categories: vec![DataCategory::HealthNotes, DataCategory::Identity],
        subjects_estimate: clients.len() as u32 + 3,
        records_estimate: Some(120),
        consequences: "Notes could be read by a stranger.".into(),
        measures: "Reported to the police; the disk's key was renewed.".into(),
        risk,
        encrypted,
        client_ids: clients,
    }
}

#[test]
fn the_breach_register_keeps_the_72_hour_clock_until_the_notification_is_sent() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::SeLicensed);
    let (a, _) = client_with_course(&mut f.vault, "Eva", "Berg");
    let (b, _) = client_with_course(&mut f.vault, "Olle", "Ek");
    let now = Utc::now();
    let discovered = now - Duration::hours(80);
    let v = f.vault.record_breach(&facts(vec![a.id, b.id], discovered, BreachRisk::HighRisk, false), now).unwrap();
    assert!(
        matches!(v.duties.clock, NotifyClock::Overdue { minutes_over } if (7 * 60..=8 * 60).contains(&minutes_over))
    );
    assert_eq!(v.duties.inform, InformClients::Required);
    assert_eq!(f.vault.breach_clocks(now).unwrap().len(), 1);

    // Late without a reason is refused and changes nothing; with a reason it is recorded late.
    let id = v.breach.id;
    let err = f.vault.mark_breach_notified(id, now, "IMY-2026-1", "", now).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.field == "delay_reason"));
    assert_eq!(f.vault.breach_clocks(now).unwrap().len(), 1);
    let v = f
        .vault
        .mark_breach_notified(id, now, "IMY-2026-1", "The theft was reported late by the train company.", now)
        .unwrap();
    assert_eq!(v.duties.clock, NotifyClock::Notified { late: true });
    assert!(f.vault.breach_clocks(now).unwrap().is_empty());
    assert!(f.vault.mark_breach_notified(id, now, "x", "y", now).is_err(), "only once");

    // The draft notification and the letters, one per affected client, in a folder.
    let out = tempfile::tempdir().unwrap();
    let echo = Echo::default();
    let notice = json(&f.vault.breach_notice(id, out.path(), &echo, now).unwrap());
    assert_eq!(notice["authority"], "imy");
    assert_eq!(notice["late"], true);
    assert_eq!(notice["subjects_estimate"], 5);
    assert_eq!(notice["nature"], serde_json::json!(["confidentiality", "availability"]));
    assert!(notice["delay_reason"].as_str().unwrap().contains("train company"));
    assert!(!notice.to_string().contains("Berg"), "the notice names no client");
    let letters = f.vault.breach_letters(id, out.path(), &echo, d("2026-12-02")).unwrap();
    assert_eq!(letters.paths.len(), 2);
    let first = json(std::path::Path::new(&letters.paths[0]));
    assert_eq!(first["client"]["name"], "Eva Berg");
    assert_eq!(first["lang"], "sv");
    assert_eq!(
        *echo.0.lock().unwrap(),
        [DocumentKind::BreachNotice, DocumentKind::BreachLetter, DocumentKind::BreachLetter]
    );
    let log = f.vault.access_log(Some(b.id), 10).unwrap();
    assert_eq!(log[0].action.as_str(), "breach");

    let v = f.vault.mark_breach_clients_informed(id, now, now).unwrap();
    assert_eq!(v.duties.inform, InformClients::Informed);

    // A notified breach keeps its moment of discovery: moving it could hide the lateness.
    let mut moved = v.breach.facts.clone();
    moved.discovered_at = now - Duration::hours(10);
    let err = f.vault.update_breach(id, &moved, now).unwrap_err();
    assert!(matches!(err, confidant_core::Error::Validation(ref e) if e.field == "discovered_at"));
    let mut completed = v.breach.facts.clone();
    completed.measures = "All passwords changed.".into();
    assert_eq!(f.vault.update_breach(id, &completed, now).unwrap().duties.clock, NotifyClock::Notified { late: true });
}

#[test]
fn an_encrypted_or_unlikely_breach_asks_less_and_bad_facts_change_nothing() {
    let mut f = new_vault();
    let now = Utc::now();
    let v = f.vault.record_breach(&facts(vec![], now - Duration::hours(1), BreachRisk::HighRisk, true), now).unwrap();
    assert_eq!(v.duties.inform, InformClients::Encrypted);
    assert!(
        matches!(v.duties.clock, NotifyClock::Running { minutes_left } if (71 * 60 - 1..=71 * 60).contains(&minutes_left))
    );
    let u = f.vault.record_breach(&facts(vec![], now, BreachRisk::Unlikely, false), now).unwrap();
    assert_eq!(u.duties.clock, NotifyClock::NotRequired);
    assert_eq!(f.vault.breach_clocks(now).unwrap().len(), 1);
    // A client that does not exist, a discovery in the future: refused, the register unchanged.
    assert_eq!(
        f.vault.record_breach(&facts(vec![999], now, BreachRisk::Risk, false), now).unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        f.vault
            .record_breach(&facts(vec![], now + Duration::hours(1), BreachRisk::Risk, false), now)
            .unwrap_err()
            .code(),
        Code::Validation
    );
    assert_eq!(f.vault.breaches(now).unwrap().len(), 2);
    // Facts can be completed later (art. 33(4)).
    let mut more = facts(vec![], now - Duration::hours(1), BreachRisk::Risk, true);
    more.measures = "The disk was found and its key renewed.".into();
    let v2 = f.vault.update_breach(v.breach.id, &more, now).unwrap();
    assert_eq!(v2.breach.facts.measures, more.measures);
    assert_eq!(v2.duties.inform, InformClients::NotHighRisk);
    // Letters need affected clients.
    let out = tempfile::tempdir().unwrap();
    assert_eq!(
        f.vault.breach_letters(v.breach.id, out.path(), &Echo::default(), d("2026-12-02")).unwrap_err().code(),
        Code::NotFound
    );
}

#[test]
fn a_printout_shows_the_whole_journal_or_one_note_with_its_signer() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::SeLicensed);
    let (c, course) = client_with_course(&mut f.vault, "Eva", "Berg");
    let e1 = draft(&mut f.vault, &course, "Första samtalet", "Bakgrund.");
    f.vault.sign_entry(e1.id).unwrap();
    let e2 = draft(&mut f.vault, &course, "Andra samtalet", "Uppföljning.");
    f.vault.sign_entry(e2.id).unwrap();
    f.vault
        .record_consent(c.id, &consent(ConsentPurpose::Treatment, "1", "Behandling.", "2026-11-01"), d("2026-12-02"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let echo = Echo::default();

    let whole = f.vault.print_journal(c.id, None, out.path(), &echo).unwrap();
    assert!(whole.file_name().unwrap().to_str().unwrap().starts_with("journal-"));
    let doc = json(&whole);
    assert_eq!(doc["purpose"], "print");
    assert_eq!(doc["entries"].as_array().unwrap().len(), 2);
    assert_eq!(doc["entries"][0]["signed_by"]["title"], "leg. psykoterapeut");
    assert_eq!(doc["consents"][0]["purpose"], "treatment");
    assert!(doc["access_log"].is_null() && doc["identity_check"].is_null(), "a printout is no disclosure");

    let one = json(&f.vault.print_journal(c.id, Some(e2.id), out.path(), &echo).unwrap());
    assert_eq!(one["purpose"], "print_note");
    assert_eq!(one["entries"].as_array().unwrap().len(), 1);
    assert_eq!(one["entries"][0]["title"], "Andra samtalet");
    assert_eq!(one["entries"][0]["signed_by"]["name"], "Anna Lindqvist");

    // Another client's note is not printed under this client.
    let (other, oc) = client_with_course(&mut f.vault, "Olle", "Ek");
    let e3 = draft(&mut f.vault, &oc, "Hans", "Text.");
    assert_eq!(f.vault.print_journal(c.id, Some(e3.id), out.path(), &echo).unwrap_err().code(), Code::NotFound);
    assert!(f.vault.print_journal(other.id, Some(e3.id), out.path(), &echo).is_ok());
    let log = f.vault.access_log(Some(c.id), 5).unwrap();
    assert_eq!(log[0].action.as_str(), "print");
    assert_eq!(log[0].what.as_deref(), Some("Andra samtalet"));
}

#[test]
fn the_record_of_processing_follows_the_profile() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::DkPsychologist);
    let out = tempfile::tempdir().unwrap();
    let r = json(&f.vault.processing_record(out.path(), &Echo::default(), d("2026-12-02")).unwrap());
    assert_eq!(r["jurisdiction"], "dk_psychologist");
    assert_eq!(r["controller"]["name"], "Lindqvist Terapi");
    assert_eq!(r["purposes"][0]["basis"], "6_1_c_9_2_h");
    let journal = r["rules"].as_array().unwrap().iter().find(|x| x["kind"] == "journal").unwrap();
    assert_eq!(journal["years"], 5);
    assert!(journal["source"].as_str().unwrap().contains("BEK nr. 567"));
    assert_eq!(r["measures"]["auto_lock_minutes"], 10);
}

#[test]
fn a_referral_needs_a_consent_and_a_danish_journal_records_it() {
    let mut f = new_vault();
    profile(&mut f.vault, Jurisdiction::DkPsychologist);
    let (c, _) = client_with_course(&mut f.vault, "Søren", "Holm");
    let today = Utc::now().date_naive();
    let out = tempfile::tempdir().unwrap();
    let letter = confidant_core::referral::ReferralInput {
        recipient: "Egen læge\nNørregade 1".into(),
        body: "Henvises til vurdering.".into(),
    };
    let echo = Echo::default();
    let err = f.vault.referral_letter(c.id, &letter, out.path(), &echo, today).unwrap_err();
    assert_eq!(err.code(), Code::NoConsent);
    assert!(std::fs::read_dir(out.path()).unwrap().next().is_none(), "nothing written without consent");

    let given = consent(ConsentPurpose::Referral, "1", "Jeg giver samtykke til henvisning.", &today.to_string());
    f.vault.record_consent(c.id, &given, today).unwrap();
    let path = f.vault.referral_letter(c.id, &letter, out.path(), &echo, today).unwrap();
    let data = json(&path);
    assert_eq!(data["recipient"], "Egen læge\nNørregade 1");
    assert_eq!(data["client"]["name"], "Søren Holm");
    assert_eq!(data["consent_version"], "1");
    let entries = f.vault.list_entries(c.id).unwrap();
    let note = entries.iter().find(|e| e.title == "Henvisning").expect("the disclosure is in the journal");
    assert!(note.status == confidant_core::domain::entries::EntryStatus::Signed);
    let log = f.vault.access_log(Some(c.id), 20).unwrap();
    assert!(log.iter().any(|r| r.action.as_str() == "referral"));
}
