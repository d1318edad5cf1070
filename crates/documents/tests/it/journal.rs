//! The journal extract, from tests/fixtures/journal.json (in Swedish; the labels follow `lang`).

use confidant_documents::Template;
use serde_json::{json, Value};

use crate::{assert_contains, fixture, page_count, pdf_text, render, render_lang, LANGS};

/// In the fixture's body of entry e-0001: proves note text reaches the page.
const BODY_CANARY: &str = "Kanariefågel-7731";
/// Only in the first version of the amended entry e-0002.
const EARLIER_TEXT: &str = "Ursprunglig-lydelse-4410";
/// In the body of the withheld entry e-0007, which must not be disclosed.
const WITHHELD_CANARY: &str = "Tredjepartsuppgift-9902";

#[test]
fn swedish_extract_has_its_labels_and_content() {
    let text = pdf_text(&render_lang(Template::Journal, "journal", "sv"));
    assert_contains(
        &text,
        &[
            "Journalutdrag",
            "Maja Berg",
            "Lindqvist Terapi",
            "Innehåll",
            "Kontaktuppgifter",
            "Personnummer",
            "19850314-1234",
            "Åsgatan 12 B",
            "Närstående att kontakta",
            "Behandlingar",
            "Anteckningar",
            "Signerad 2025-01-10 10:40 av Anna Lindqvist, leg. psykoterapeut",
            BODY_CANARY,
            "Ändringshistorik",
            EARLIER_TEXT,
            "Ändrad 2025-03-01 09:12 — skäl: Fel datum för nästa besök rättat.",
            "Undantaget från utlämnande",
            "Osignerad",
            "Samtycken",
            "Påminnelser via e-post",
            "Muntligt",
            "Bilagor",
            "1,5 MB",
            "Åtkomstlogg (utdrag)",
            "Exporterad",
            "Besök",
            "Sent avbokat",
            "Skattningar",
            "PHQ-9",
            "WHO-5",
            "Måttligt svår",
            "Fråga om självskada besvarad över 0",
            "17 av 27",
            "Fakturor",
            "2 200,00 SEK",
            "Sida 1 av",
        ],
    );
}

#[test]
fn danish_extract_has_its_labels_and_dates() {
    let text = pdf_text(&render_lang(Template::Journal, "journal", "da"));
    assert_contains(
        &text,
        &[
            "Journaludskrift",
            "Kontaktoplysninger",
            "CPR-nummer",
            "Forløb",
            "Notater",
            "Signeret 10. jan. 2025 kl. 10.40 af Anna Lindqvist, leg. psykoterapeut",
            "Ændringshistorik",
            "Undtaget fra udlevering",
            "Samtykker",
            "Adgangslog (uddrag)",
            "Konsultationer",
            "Effektmålinger",
            "Moderat svær",
            "Fakturaer",
            "Side 1 af",
            BODY_CANARY,
            EARLIER_TEXT,
        ],
    );
}

#[test]
fn english_extract_has_its_labels_and_dates() {
    let text = pdf_text(&render_lang(Template::Journal, "journal", "en"));
    assert_contains(
        &text,
        &[
            "Journal extract",
            "Contact details",
            "Courses of treatment",
            "Signed 10 Jan 2025, 10:40 by Anna Lindqvist, leg. psykoterapeut",
            "Amendment history",
            "Withheld from disclosure",
            "Page 1 of",
            BODY_CANARY,
            EARLIER_TEXT,
        ],
    );
}

#[test]
fn the_page_footer_counts_every_page() {
    let pdf = render_lang(Template::Journal, "journal", "sv");
    let pages = page_count(&pdf);
    assert!(pages >= 2, "the fixture spans pages");
    let text = pdf_text(&pdf);
    for page in 1..=pages {
        assert_contains(&text, &[&format!("Sida {page} av {pages}")]);
    }
}

#[test]
fn a_withheld_entry_discloses_neither_body_nor_title_nor_versions() {
    let mut data = fixture("journal");
    let entries = data["entries"].as_array_mut().expect("entries");
    let withheld = entries.iter_mut().find(|e| e["id"] == "e-0007").expect("e-0007");
    // Even if the app forgot to leave them out, they must not print.
    withheld["versions"] = json!([
        {"at": "2025-03-12T16:40", "reason": null, "title": "Versionstitel-5151", "body": "Versionstext-5151"},
        {"at": "2025-03-13T08:00", "reason": "x", "title": "Samtal med anhörig", "body": WITHHELD_CANARY}
    ]);
    withheld["tags"] = json!(["Tagg-5151"]);
    for lang in LANGS {
        data["lang"] = lang.into();
        let text = pdf_text(&render(Template::Journal, &data));
        for secret in [WITHHELD_CANARY, "Samtal med anhörig", "5151"] {
            assert!(!text.contains(secret), "{lang}: withheld {secret:?} was printed");
        }
        assert_contains(&text, &["Uppgifter om tredje man (artikel 15.4 GDPR, 25 kap. 6 § OSL)"]);
    }
}

#[test]
fn entries_print_oldest_first_whatever_their_order_in_the_data() {
    let text = pdf_text(&render_lang(Template::Journal, "journal", "sv"));
    // The last mention of the first visit is the entry itself, past the table of contents.
    let rest = &text[text.rfind("Bedömningssamtal").expect("first entry")..];
    let second = rest.find("Samtal 2: psykoedukation").expect("second entry after the first");
    let third = rest.find("Samtal 3: sömndagbok").expect("third entry after the first");
    assert!(second < third);
}

#[test]
fn the_contents_give_the_page_each_entry_is_on() {
    let pdf = render_lang(Template::Journal, "journal", "sv");
    let page_text = |page: usize, layout: bool| {
        let n = page.to_string();
        let mut args = vec!["-enc", "UTF-8", "-f", &n, "-l", &n];
        if layout {
            args.push("-layout");
        }
        crate::poppler("pdftotext", &args, &pdf)
    };
    // The fixture's contents fit on page 1; -layout keeps each row on one line.
    let contents = page_text(1, true);
    let data = fixture("journal");
    for entry in data["entries"].as_array().expect("entries") {
        if !entry["withheld"].is_null() {
            continue;
        }
        let title = entry["title"].as_str().expect("title");
        let row =
            contents.lines().find(|l| l.contains(title)).unwrap_or_else(|| panic!("{title:?} not in the contents"));
        let page: usize = row
            .split_whitespace()
            .last()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page number ends the row {row:?}"));
        let on_page = page_text(page, false).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(on_page.contains(title), "the contents put {title:?} on page {page}, but it is not there");
    }
}

#[test]
fn no_table_of_contents_for_a_short_journal() {
    let mut data = fixture("journal");
    data["entries"].as_array_mut().expect("entries").truncate(5);
    let text = pdf_text(&render(Template::Journal, &data));
    assert!(!text.contains("Innehåll"));
}

#[test]
fn optional_fields_may_be_null_or_absent() {
    let data = json!({
        "lang": "en",
        "generated_on": "2026-12-02",
        "practice": {"name": "P", "address": null, "therapist": "T", "title": null},
        "client": {"name": "C", "date_of_birth": null, "national_id": null, "phones": [], "emergency_contact": null},
        "courses": [],
        "entries": [{"id": "e", "kind": "note", "title": "N", "occurred_at": "2025-01-01T09:00",
                     "status": "draft", "body": ""}],
        "consents": [],
        "attachments": [],
        "access_log": null
    });
    let text = pdf_text(&render(Template::Journal, &data));
    assert_contains(&text, &["Unsigned", "Page 1 of 1"]);
    assert!(!text.contains("Access log"));
    // No sessions, results or invoices: no empty sections for them.
    for absent in ["Sessions", "Outcome measures", "Invoices"] {
        assert!(!text.contains(absent), "{absent} printed without data");
    }
}

/// Each body about 1.5 KB, as a long clinical note.
pub fn large_journal(entries: usize) -> Value {
    let mut data = fixture("journal");
    let paragraph = "Maja beskriver veckan som lugnare än den förra. Hon har hållit sin uppstigningstid alla dagar utom en, \
        och insomningstiden ligger nu kring tjugo minuter. Vi gick igenom sömndagboken tillsammans och såg att de nätter \
        hon vaknade tidigt föregicks av kvällar med arbetsmejl efter klockan nio. ";
    let body = [paragraph; 3].concat() + "\n\n" + &[paragraph; 2].concat();
    let template = data["entries"][0].clone();
    let list: Vec<Value> = (0..entries)
        .map(|i| {
            let mut e = template.clone();
            e["id"] = format!("e-{i:05}").into();
            e["title"] = format!("Samtal {}", i + 1).into();
            e["occurred_at"] = format!("20{:02}-{:02}-{:02}T10:00", 10 + i / 300, 1 + (i / 25) % 12, 1 + i % 25).into();
            e["body"] = body.clone().into();
            e
        })
        .collect();
    data["entries"] = Value::Array(list);
    data
}

#[test]
fn a_500_entry_journal_renders() {
    let pdf = render(Template::Journal, &large_journal(500));
    assert!(page_count(&pdf) > 150, "500 long notes take well over 150 pages");
}

/// The therapist's printout is a copy of the record, not an extract for the client.
#[test]
fn a_printout_is_titled_as_the_journal_and_one_note_leaves_out_the_lists() {
    let mut data = fixture("journal");
    data["purpose"] = "print".into();
    data["identity_check"] = serde_json::Value::Null;
    data["access_log"] = serde_json::Value::Null;
    let text = pdf_text(&render(Template::Journal, &data));
    assert_contains(&text, &["Utskrift ur journalen hos Lindqvist Terapi", "Utskrift 20", "Samtycken", "Bilagor"]);
    assert!(!text.contains("Journalutdrag") && !text.contains("på din begäran"), "{text}");

    let mut one = data.clone();
    one["purpose"] = "print_note".into();
    let first = one["entries"][0].clone();
    one["entries"] = serde_json::json!([first]);
    for lang in LANGS {
        one["lang"] = lang.into();
        let pdf = render(Template::Journal, &one);
        let text = pdf_text(&pdf);
        let title = match lang {
            "sv" => "Journalanteckning",
            "da" => "Journalnotat",
            _ => "Journal note",
        };
        assert_contains(&text, &[title, "Maja Berg", "Anna Lindqvist"]);
        for absent in [
            "Samtycken",
            "Samtykker",
            "Consents",
            "Bilagor",
            "Bilag ",
            "Attachments",
            "Skattningar",
            "Effektmålinger",
            "Outcome measures",
            "Fakturor",
            "Fakturaer",
            "Invoices",
        ] {
            assert!(!text.contains(absent), "{lang}: {absent} in a one-note printout");
        }
    }
}
