//! The breach register's documents, the record of processing and the referral letter, from
//! their fixtures, read back as text in each language.

use confidant_documents::Template;

use crate::{assert_contains, fixture, page_count, pdf_text, render, render_lang, LANGS};

#[test]
fn the_breach_notification_draft_has_the_fields_the_authority_asks_for() {
    let text = pdf_text(&render_lang(Template::BreachNotice, "breach_notice", "sv"));
    assert_contains(
        &text,
        &[
            "Till Integritetsskyddsmyndigheten (IMY)",
            "senast 2026-12-02 08:15",
            "Personuppgiftsansvarig",
            "Lindqvist Terapi",
            "2026-11-29 08:15",
            "Obehörigt röjande eller åtkomst",
            "Personnummer",
            "42",
            "1350",
            "Sannolika konsekvenser",
            "Åtgärder som vidtagits eller planeras",
            "risken bedöms inte som hög",
        ],
    );
    let da = pdf_text(&render_lang(Template::BreachNotice, "breach_notice", "da"));
    assert_contains(&da, &["Dataansvarlig", "CPR-nummer", "2. dec. 2026 kl. 08.15"]);
}

#[test]
fn a_late_notification_gives_its_reason_and_encryption_spares_the_letters() {
    let mut data = fixture("breach_notice");
    data["lang"] = "en".into();
    data["authority"] = "datatilsynet".into();
    data["late"] = true.into();
    data["delay_reason"] = "The theft was only found after the weekend.".into();
    data["inform"] = "encrypted".into();
    data["risk"] = "high_risk".into();
    let text = pdf_text(&render(Template::BreachNotice, &data));
    assert_contains(
        &text,
        &[
            "To Datatilsynet",
            "after 72 hours",
            "The theft was only found after the weekend.",
            "the key was not compromised (Art. 34(3)(a))",
            "high risk",
        ],
    );
}

#[test]
fn the_letter_to_a_client_says_what_happened_and_whom_to_ask() {
    for lang in LANGS {
        let pdf = render_lang(Template::BreachLetter, "breach_letter", lang);
        assert_eq!(page_count(&pdf), 1, "{lang}: one page");
        let text = pdf_text(&pdf);
        assert_contains(&text, &["Maja Berg", "Åsgatan 12 B", "Anna Lindqvist", "leg. psykoterapeut"]);
    }
    let sv = pdf_text(&render_lang(Template::BreachLetter, "breach_letter", "sv"));
    assert_contains(&sv, &["Information om en personuppgiftsincident", "den 2026-11-29", "Kontaktuppgifter", "imy.se"]);
    let da = pdf_text(&render_lang(Template::BreachLetter, "breach_letter", "da"));
    assert_contains(&da, &["Kære Maja Berg", "29. nov. 2026", "datatilsynet.dk"]);
}

#[test]
fn the_record_of_processing_lists_purposes_rules_and_measures() {
    let text = pdf_text(&render_lang(Template::ProcessingRecord, "processing_record", "sv"));
    assert_contains(
        &text,
        &[
            "Register över behandling av personuppgifter",
            "Personuppgiftsansvarig",
            "sjukvård (art. 9.2 h)",
            "Mottagare av remisser, endast med klientens samtycke",
            "de lämnar inte EU/EES",
            "sparas minst 10 år efter senaste",
            "Patientdatalagen (2008:355) 3 kap. 17 §",
            "raderas efter 12 månader",
            "låses efter 10 minuter",
            "var 24:e timme",
        ],
    );
    let mut data = fixture("processing_record");
    data["lang"] = "en".into();
    data["rules"] = serde_json::json!([]);
    data["measures"]["backup"] = false.into();
    let en = pdf_text(&render(Template::ProcessingRecord, &data));
    assert_contains(&en, &["Record of processing activities", "no statutory retention rules", "not set up yet"]);
}

#[test]
fn the_referral_names_the_client_the_recipient_and_the_consent() {
    let text = pdf_text(&render_lang(Template::Referral, "referral", "sv"));
    assert_contains(
        &text,
        &["Vårdcentralen Majorna", "Remiss", "19880412-1234", "sömnapné", "samtycke lämnat 2026-11-20, textversion 2"],
    );
    let en = pdf_text(&render_lang(Template::Referral, "referral", "en"));
    assert_contains(&en, &["Referral", "Regarding", "12 Apr 1988", "consent given on 20 Nov 2026"]);
}

#[test]
fn an_invoice_its_credit_note_and_its_receipt_say_what_the_law_asks() {
    let sv = pdf_text(&render_lang(Template::Invoice, "invoice", "sv"));
    assert_contains(
        &sv,
        &[
            "Faktura",
            "Fakturanummer",
            "2027-01-02",
            "Maja Berg",
            "Samtal, 50 min (uteblivet besök)",
            "Momsfri",
            "Moms 25 % på 800,00",
            "3 200,00 SEK",
            "10 kap. 6 § mervärdesskattelagen (2023:200)",
            "Momsregistreringsnummer: SE556677889901",
            "Godkänd för F-skatt",
            "Ange fakturanummer 17 vid betalning.",
            "Kvar att betala: 2 200,00 SEK",
        ],
    );
    let da = pdf_text(&render_lang(Template::Invoice, "invoice", "da"));
    assert_contains(&da, &["Forfaldsdato", "2. jan. 2027", "3.200,00 SEK", "CVR-nummer: 556677-8899", "Restbeløb"]);

    // The credit note: its own title, what it credits and why, negative amounts, no payment slip.
    let mut credit = fixture("invoice");
    credit["lang"] = "sv".into();
    credit["kind"] = "credit_note".into();
    credit["credits_number"] = 16.into();
    credit["note"] = "Fel mottagare".into();
    credit["payments"] = serde_json::json!([]);
    credit["totals"]["gross"] = (-320_000).into();
    for l in credit["lines"].as_array_mut().unwrap() {
        l["net"] = (-l["net"].as_i64().unwrap()).into();
    }
    let text = pdf_text(&render(Template::Invoice, &credit));
    assert_contains(
        &text,
        &["Kreditfaktura", "Krediterar faktura 16", "Anledning: Fel mottagare", "-1 100,00", "Att återbetala"],
    );
    assert!(!text.contains("Ange fakturanummer"), "a credit note asks for no payment");

    let mut receipt = fixture("invoice");
    receipt["lang"] = "en".into();
    receipt["receipt"] = true.into();
    receipt["outstanding"] = 0.into();
    let text = pdf_text(&render(Template::Invoice, &receipt));
    assert_contains(&text, &["Receipt", "Receipt for invoice 17", "Swish", "This invoice is paid in full."]);
}
