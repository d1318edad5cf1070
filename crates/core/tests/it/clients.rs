//! Clients: validation naming the field, national IDs, archiving, the name filter, and the
//! practice profile.

use confidant_core::domain::clients::{ClientFilter, ClientInput, ClientStatus, NationalIdInput, Phone};
use confidant_core::domain::national_id::NationalIdKind;
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::{Error, Vault};

use crate::util::{new_vault, pass, person, PASS};

fn field_of<T: std::fmt::Debug>(r: confidant_core::Result<T>) -> (String, String) {
    match r {
        Err(Error::Validation(fe)) => (fe.field, fe.reason.as_str().to_owned()),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

fn with_id(kind: Option<NationalIdKind>, value: &str) -> ClientInput {
    ClientInput { national_id: Some(NationalIdInput { kind, value: value.into() }), ..person("Test", "Person") }
}

fn all(v: &mut Vault) -> usize {
    v.list_clients(&ClientFilter::default()).unwrap().len()
}

#[test]
fn validation_errors_name_the_field() {
    let mut f = new_vault();
    let v = &mut f.vault;
    assert_eq!(field_of(v.create_client(&person("", "Berg"))), ("given_name".into(), "required".into()));
    assert_eq!(field_of(v.create_client(&person("   ", "Berg"))).0, "given_name");
    assert_eq!(field_of(v.create_client(&person("Anna\nBerg", ""))).0, "given_name");
    for email in ["anna@", "anna", "anna@example", "an na@example.se", "@example.se"] {
        let input = ClientInput { email: email.into(), ..person("Anna", "Berg") };
        assert_eq!(field_of(v.create_client(&input)), ("email".into(), "format".into()), "{email}");
    }
    let r = v.create_client(&with_id(Some(NationalIdKind::SePersonnummer), "811218-9875"));
    assert_eq!(field_of(r), ("national_id".into(), "checksum".into()));
    let r = v.create_client(&with_id(Some(NationalIdKind::SePersonnummer), "811318-9876"));
    assert_eq!(field_of(r).0, "national_id");
    let bad_phone =
        ClientInput { phones: vec![Phone { label: "mobil".into(), number: "ring mig".into() }], ..person("A", "B") };
    assert_eq!(field_of(v.create_client(&bad_phone)).0, "phones");
    let future = ClientInput { date_of_birth: Some("2999-01-01".parse().unwrap()), ..person("A", "B") };
    assert_eq!(field_of(v.create_client(&future)), ("date_of_birth".into(), "out_of_range".into()));
    assert_eq!(all(v), 0, "nothing invalid is stored");

    // The same rules apply to an update, and the stored record is left as it was.
    let c = v.create_client(&person("Anna", "Berg")).unwrap();
    let bad = ClientInput { email: "anna@".into(), ..person("Anna", "Berg") };
    assert_eq!(field_of(v.update_client(c.id, &bad)).0, "email");
    assert_eq!(v.get_client(c.id).unwrap(), c);
}

#[test]
fn personnummer_is_normalized_and_fills_date_of_birth() {
    let mut f = new_vault();
    for typed in ["19811218-9876", "811218-9876", " 8112189876 "] {
        let c = f.vault.create_client(&with_id(Some(NationalIdKind::SePersonnummer), typed)).unwrap();
        let nid = c.national_id.clone().expect("national id stored");
        assert_eq!(nid.kind, NationalIdKind::SePersonnummer, "{typed}");
        assert_eq!(nid.value, "19811218-9876", "{typed}");
        assert_eq!(c.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1981-12-18"), "{typed}");
        assert_eq!(f.vault.get_client(c.id).unwrap(), c, "{typed}: round trip");
    }
    // Detected without a kind, too.
    let c = f.vault.create_client(&with_id(None, "811218-9876")).unwrap();
    assert_eq!(c.national_id.unwrap().kind, NationalIdKind::SePersonnummer);

    // A date of birth that contradicts the number is refused.
    let clash = ClientInput { date_of_birth: Some("1981-12-19".parse().unwrap()), ..with_id(None, "811218-9876") };
    assert_eq!(field_of(f.vault.create_client(&clash)), ("national_id".into(), "date_of_birth_mismatch".into()));
}

#[test]
fn danish_cpr_is_detected() {
    let mut f = new_vault();
    // The Swedish reading of these digits has day 45, so only CPR fits.
    let c = f.vault.create_client(&with_id(None, "0101451234")).unwrap();
    let nid = c.national_id.expect("national id stored");
    assert_eq!(nid.kind, NationalIdKind::DkCpr);
    assert_eq!(nid.value, "010145-1234");
    assert_eq!(c.date_of_birth.map(|d| d.to_string()).as_deref(), Some("1945-01-01"));

    // A mistyped Swedish number is reported as such, not stored as free text.
    let r = f.vault.create_client(&with_id(None, "811218-9875"));
    assert_eq!(field_of(r), ("national_id".into(), "checksum".into()));

    // Anything else that is not a structured ID is kept as free text.
    let other = f.vault.create_client(&with_id(None, "P1234567 (NO)")).unwrap();
    assert_eq!(other.national_id.unwrap().kind, NationalIdKind::Other);
    assert_eq!(other.date_of_birth, None);
}

#[test]
fn archived_clients_are_filtered_by_status() {
    let mut f = new_vault();
    let v = &mut f.vault;
    let a = v.create_client(&person("Anna", "Andersson")).unwrap();
    let b = v.create_client(&person("Bertil", "Berg")).unwrap();
    let c = v.create_client(&person("Cecilia", "Carlsson")).unwrap();
    assert_eq!(a.status, ClientStatus::Active);
    let archived = v.set_client_status(b.id, ClientStatus::Archived).unwrap();
    assert_eq!(archived.status, ClientStatus::Archived);
    assert_eq!(v.get_client(b.id).unwrap().status, ClientStatus::Archived);

    let ids = |v: &mut Vault, status| -> Vec<i64> {
        v.list_clients(&ClientFilter { status, query: None }).unwrap().into_iter().map(|c| c.id).collect()
    };
    assert_eq!(ids(v, Some(ClientStatus::Active)), vec![a.id, c.id]);
    assert_eq!(ids(v, Some(ClientStatus::Archived)), vec![b.id]);
    assert_eq!(ids(v, None), vec![a.id, b.id, c.id], "sorted by family name");

    v.set_client_status(b.id, ClientStatus::Active).unwrap();
    assert!(ids(v, Some(ClientStatus::Archived)).is_empty());
    assert!(matches!(v.set_client_status(9999, ClientStatus::Archived), Err(Error::NotFound(_))));
}

#[test]
fn name_filter_matches_folded_word_prefixes() {
    let mut f = new_vault();
    let v = &mut f.vault;
    let soren = v.create_client(&person("Søren", "Kierkegaard")).unwrap();
    let asa = v.create_client(&person("Åsa", "Öberg")).unwrap();
    v.create_client(&person("Anna", "Lindqvist")).unwrap();
    let q = |v: &mut Vault, text: &str| -> Vec<i64> {
        v.list_clients(&ClientFilter { status: None, query: Some(text.into()) })
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(q(v, "sor"), vec![soren.id]);
    assert_eq!(q(v, "Sø"), vec![soren.id]);
    assert_eq!(q(v, "SOREN kierk"), vec![soren.id]);
    assert_eq!(q(v, "asa"), vec![asa.id]);
    assert_eq!(q(v, "ober"), vec![asa.id]);
    assert!(q(v, "ren").is_empty(), "prefixes only");
    assert!(q(v, "soren lind").is_empty(), "every word must match");
    assert_eq!(q(v, "").len(), 3);
}

#[test]
fn client_update_round_trips() {
    let mut f = new_vault();
    let c = f.vault.create_client(&person("Karl", "Ek")).unwrap();
    let input = ClientInput {
        address: "Storgatan 1\n111 22 Stockholm".into(),
        email: " karl@example.se ".into(),
        phones: vec![Phone { label: "mobil".into(), number: "+46 70-123 45 67".into() }],
        ..person("Karl", "Eklund")
    };
    let u = f.vault.update_client(c.id, &input).unwrap();
    assert_eq!(u.family_name, "Eklund");
    assert_eq!(u.email, "karl@example.se");
    assert_eq!(u.uid, c.uid);
    assert_eq!(u.created_at, c.created_at);
    assert_eq!(f.vault.get_client(c.id).unwrap(), u);
    assert!(matches!(f.vault.get_client(9999), Err(Error::NotFound(_))));
}

#[test]
fn profile_round_trips_and_persists() {
    let mut f = new_vault();
    assert_eq!(f.vault.profile().unwrap(), PracticeProfile::default());
    let p = PracticeProfile {
        therapist_name: "Ingrid Sjöström".into(),
        therapist_title: "Leg. psykoterapeut".into(),
        practice_name: "Mottagning Söder".into(),
        practice_address: "Götgatan 5\n116 46 Stockholm".into(),
        language: Language::Sv,
        jurisdiction: Jurisdiction::SeLicensed,
    };
    assert_eq!(f.vault.set_profile(&p).unwrap(), p);
    assert_eq!(f.vault.profile().unwrap(), p);

    let mut p2 = p.clone();
    p2.language = Language::Da;
    p2.jurisdiction = Jurisdiction::DkPsychologist;
    p2.practice_name = "  Klinik Ærø  ".into();
    let saved = f.vault.set_profile(&p2).unwrap();
    assert_eq!(saved.practice_name, "Klinik Ærø", "trimmed");
    f.vault.lock();
    f.vault.unlock(&pass(PASS)).unwrap();
    assert_eq!(f.vault.profile().unwrap(), saved);

    let bad = PracticeProfile { practice_name: "två\nrader".into(), ..p };
    assert_eq!(field_of(f.vault.set_profile(&bad)).0, "practice_name");
    assert_eq!(f.vault.profile().unwrap(), saved);
}
