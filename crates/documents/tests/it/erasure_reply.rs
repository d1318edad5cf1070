//! The reply to an erasure request, from tests/fixtures/erasure_reply.json.

use confidant_documents::Template;

use crate::{assert_contains, fixture, page_count, pdf_text, render, render_lang, LANGS};

#[test]
fn swedish_letter_says_what_was_erased_kept_and_where_to_complain() {
    let pdf = render_lang(Template::ErasureReply, "erasure_reply", "sv");
    assert!(page_count(&pdf) <= 2, "a one–two page letter");
    assert_contains(
        &pdf_text(&pdf),
        &[
            "Svar på din begäran om radering",
            "Hej Maja Berg!",
            "den 2026-11-20",
            "Det här har vi raderat",
            "Kontaktuppgifter (telefon, e-post)",
            "Det här sparar vi, och varför",
            "Journalen",
            "2035-06-01",
            "Patientdatalagen (2008:355) 3 kap. 17 §",
            "Äldre säkerhetskopior skrivs över inom 90 dagar",
            "Integritetsskyddsmyndigheten (IMY)",
            "Med vänliga hälsningar",
            "Anna Lindqvist",
            "leg. psykoterapeut",
            "Sida 1 av",
        ],
    );
}

#[test]
fn danish_letter_points_to_datatilsynet() {
    let text = pdf_text(&render_lang(Template::ErasureReply, "erasure_reply", "da"));
    assert_contains(
        &text,
        &["Svar på din anmodning om sletning", "Kære Maja Berg", "1. jun. 2035", "Datatilsynet", "Med venlig hilsen"],
    );
}

#[test]
fn english_letter_names_the_supervisory_authority() {
    let text = pdf_text(&render_lang(Template::ErasureReply, "erasure_reply", "en"));
    assert_contains(
        &text,
        &["Dear Maja Berg,", "1 Jun 2035", "the data protection supervisory authority", "Kind regards", "Page 1 of"],
    );
}

#[test]
fn legal_hold_and_default_backup_wording() {
    let mut data = fixture("erasure_reply");
    data["legal_hold"] = true.into();
    data.as_object_mut().expect("object").remove("backup_note");
    data["kept"] = serde_json::json!([]);
    let text = pdf_text(&render(Template::ErasureReply, &data));
    assert_contains(
        &text,
        &[
            "rättsligt krav på bevarande",
            "Raderade uppgifter kan finnas kvar i äldre säkerhetskopior tills de skrivs över.",
        ],
    );
    assert!(!text.contains("Det här sparar vi"), "no kept section when nothing is kept");
}

#[test]
fn a_letter_with_a_legal_hold_and_kept_records_fits_on_one_page() {
    // The longest letter the fixture makes: the hold paragraph and the kept table both print.
    // Danish ran onto a second page for the signature alone.
    let mut data = fixture("erasure_reply");
    data["legal_hold"] = true.into();
    for lang in LANGS {
        data["lang"] = lang.into();
        let pdf = render(Template::ErasureReply, &data);
        assert_eq!(page_count(&pdf), 1, "{lang}: the letter takes more than one page");
        assert_contains(&pdf_text(&pdf), &["Anna Lindqvist", "leg. psykoterapeut"]);
    }
}

#[test]
fn a_line_without_words_is_named_by_its_kind_in_the_letters_language() {
    // The core sends the parts of a record by kind; the letter names them.
    let mut d = fixture("erasure_reply");
    d["lang"] = "da".into();
    d["erased"] = serde_json::json!([{"kind": "contact_details", "what": ""}, {"kind": "identity"}]);
    d["kept"] =
        serde_json::json!([{"kind": "journal", "until": "2035-05-31", "rule": "BEK nr. 567 af 19/05/2017 § 6"}]);
    let text = pdf_text(&render(Template::ErasureReply, &d));
    assert_contains(&text, &["Kontaktoplysninger (adresse", "Navn, fødselsdato og CPR-nummer", "Journalen (forløb"]);
}
