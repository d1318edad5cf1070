//! The one typesetting engine for every PDF Confidant makes.
//!
//! An [`Engine`] typesets a [`Template`] with the caller's data (JSON) into a PDF/A-2b file, using
//! [typst](https://typst.app) as a library. It is a closed box on purpose, because what goes in is
//! health data:
//!
//! - **Fonts are embedded** in the binary (Noto Sans, OFL-1.1, `fonts/`). No system font is looked
//!   up, so the same input prints the same on every machine.
//! - **Nothing is fetched.** Templates can read only the other embedded templates and one virtual
//!   file, `data.json`, holding the caller's bytes. There is no package support at all, so an
//!   `@preview` import fails instead of reaching the network.
//! - **Deterministic.** No clock is read: the PDF's creation date is the data's `generated_on`
//!   (the caller's date), and `datetime.today()` fails in a template. The same input gives the same
//!   bytes.
//! - **Data is never code.** The data reaches a template only through `json("data.json")`, as
//!   values; it is never spliced into typst source, so a note reading `#panic("x")` or `*bold*`
//!   prints exactly that.
//! - **Errors never quote data.** typst's diagnostics may quote the document (a client's note);
//!   they are dropped, and an [`Error`] says only which template failed and on which of *its*
//!   lines. Warnings are dropped for the same reason.
//! - **No cache keeps data.** typst memoises across compilations in process-wide caches; every
//!   render clears them when it is done, so one client's notes do not linger in memory for the
//!   life of the app.
//!
//! # Data contracts
//!
//! Dates are ISO `YYYY-MM-DD`, times `YYYY-MM-DDTHH:MM` (local time, 24-hour). `lang` is `"sv"`,
//! `"da"` or `"en"`; every fixed text of a template exists in those three. Free text in the data
//! (names, reasons, `what`, `rule`, `reason` of a withheld entry, …) is printed as given, so the
//! caller passes it in the client's language. A field marked "optional" may be `null` or absent.
//! The committed fixtures `tests/fixtures/journal.json` and `tests/fixtures/erasure_reply.json`
//! are complete examples.
//!
//! ## [`Template::Journal`]: a client's journal extract (GDPR Art. 15 access request)
//!
//! ```json
//! {
//!   "lang": "sv",
//!   "generated_on": "2026-12-02",
//!   "practice": {"name": "Lindqvist Terapi", "address": "Storgatan 1\n411 01 Göteborg",
//!                "therapist": "Anna Lindqvist", "title": "leg. psykoterapeut"},
//!   "client": {"name": "Maja Berg", "date_of_birth": "1985-03-14 (optional)",
//!              "national_id": "19850314-1234 (optional)", "address": "optional", "email": "optional",
//!              "phones": [{"label": "mobil", "number": "070-123 45 67"}],
//!              "emergency_contact": {"name": "…", "relation": "…", "phone": "…"} /* optional */},
//!   "courses": [{"title": "…", "reason": "…", "start": "2025-01-10", "end": "2025-06-01 (optional)"}],
//!   "entries": [{
//!     "id": "stable id", "course": "course title (optional)",
//!     "kind": "session | video | phone_call | no_show | message | administrative | note",
//!     "title": "…", "occurred_at": "2025-02-03T10:00", "duration_minutes": 50,
//!     "status": "signed | draft", "signed_at": "2025-02-03T11:02 (optional)",
//!     "signed_by": {"name": "Anna Lindqvist", "title": "leg. psykoterapeut"} /* optional */,
//!     "body": "plain text; a blank line separates paragraphs, a newline breaks a line",
//!     "tags": ["sömn"],
//!     "versions": [{"at": "2025-02-03T11:02", "reason": "optional", "title": "…", "body": "…"}],
//!     "withheld": {"reason": "third-party information (Art. 15(4))"} /* optional */,
//!     "attachments": ["scan.pdf"]
//!   }],
//!   "consents": [{"purpose": "treatment", "text_version": "v1", "given_on": "2025-01-10",
//!                 "how": "…", "withdrawn_on": "optional"}],
//!   "attachments": [{"file_name": "scan.pdf", "media_type": "application/pdf", "size": 12345,
//!                    "added_on": "2025-02-03"}],
//!   "sessions": [{"starts_at": "2025-02-03T10:00", "minutes": 50, "kind": "individual",
//!                 "attendance": "attended"}] /* optional */,
//!   "measures": [{"instrument": "PHQ-9", "max": 27, "higher_is_worse": true,
//!                 "bands": [{"from": 0, "to": 4, "label": "minimal"}],
//!                 "results": [{"on": "2025-02-03", "score": 17, "band": "moderately_severe",
//!                              "flagged": true}]}] /* optional */,
//!   "invoices": [{"number": 12, "kind": "invoice", "issued_on": "2025-02-17", "due_on": "2025-03-19",
//!                 "amount": "2 200,00", "paid": "2 200,00", "currency": "SEK"}] /* optional */,
//!   "access_log": [{"at": "2025-02-03T10:00", "action": "read", "what": "Session 3, 19 Oct"}] /* optional */,
//!   "identity_check": "photo ID seen (optional)"
//! }
//! ```
//!
//! - `entries` print oldest first, whatever their order in the data.
//! - `versions` lists every version of an amended entry, oldest (the original) first and the
//!   current text last; `reason` is why that version replaced the one before. Give it only when the
//!   entry was amended (two or more versions); the earlier texts print in a grey box.
//! - `withheld`: the entry is in the journal but not disclosed. Its date, kind, course and
//!   signature print with a boxed notice and the reason; its title, body, versions, tags and
//!   attachments do not print even if present.
//! - `kind`, consent `purpose` (`treatment`, `contact_email`, `contact_sms`, `share_with_gp`) and
//!   access-log `action` (`read`, `create`, `edit`, `sign`, `amend`, `export`, `print`, `delete`)
//!   are codes the template translates; an unknown code prints as given.
//! - `sessions`, `measures` and `invoices` print as sections of their own when not empty (not in
//!   a one-note printout). Each instrument of `measures` gets a plot drawn from its numbers: the
//!   scale 0..`max`, the `bands` shaded darker where the score is worse (`higher_is_worse`), the
//!   results as a line with a dot each (a `flagged` one in the warning colour), then a table.
//!   Session `kind`/`attendance`, band `label` and invoice `kind` are codes the template
//!   translates; amounts are preformatted text.
//! - A table of contents is added when there are more than ten entries.
//!
//! ## [`Template::ErasureReply`]: the reply to an erasure request (GDPR Art. 17)
//!
//! ```json
//! {
//!   "lang": "sv",
//!   "generated_on": "2026-12-02",
//!   "practice": {"name": "…", "address": "…", "therapist": "…", "title": "…"},
//!   "client": {"name": "Maja Berg", "address": "optional"},
//!   "request_received_on": "2026-11-20",
//!   "erased": [{"kind": "contact_details | journal | access_log | invoice | invoices", "what": "Kontaktuppgifter"}],
//!   "kept": [{"kind": "journal", "what": "Journalen", "until": "2035-06-01",
//!             "rule": "Patientdatalagen (2008:355) 3 kap. 17 §"}],
//!   "legal_hold": false,
//!   "backup_note": "optional: how long backups keep data, in words, e.g. \"Äldre säkerhetskopior skrivs över inom 90 dagar.\""
//! }
//! ```
//!
//! `legal_hold: true` adds a paragraph that erasure is paused by a legal hold. Without
//! `backup_note` the letter still says that backups keep data until they are overwritten.
//!
//! ## [`Template::BreachNotice`]: draft notification to the authority (GDPR Art. 33(3))
//!
//! `authority` is `imy`, `datatilsynet` or `other`; `nature` items are `confidentiality`,
//! `integrity`, `availability`; `data_categories` items `identity`, `national_id`,
//! `contact_details`, `health_notes`, `attachments`, `financial`; `risk` is `unlikely`, `risk`
//! or `high_risk`; `inform` is `required`, `informed`, `not_high_risk` or `encrypted`. Times are
//! local `YYYY-MM-DDTHH:MM`. See `tests/fixtures/breach_notice.json`.
//!
//! ## [`Template::BreachLetter`]: to a client affected by a breach (GDPR Art. 34(2))
//!
//! `client {name, address}`, `discovered_on`, `description`, `data_categories`, `consequences`,
//! `measures`; see `tests/fixtures/breach_letter.json`.
//!
//! ## [`Template::ProcessingRecord`]: the record of processing (GDPR Art. 30(1))
//!
//! `controller`, `purposes [{code, basis}]`, `subjects`, `categories`, `recipients` (codes),
//! `rules` (the core's `law::Rule`s) and `measures {auto_lock_minutes, backup,
//! backup_interval_hours}`; see `tests/fixtures/processing_record.json`.
//!
//! ## [`Template::Referral`]: a referral letter under the client's consent
//!
//! `recipient` (lines), `client {name, date_of_birth, national_id, address}`, `body` (plain
//! text), `consent_given_on`, `consent_version`; see `tests/fixtures/referral.json`.
//!
//! ## [`Template::Invoice`]: an invoice, a credit note, or a receipt
//!
//! `kind` (`invoice` or `credit_note`), `receipt` (true: the receipt of a paid invoice),
//! `number`, `issued_on`, `due_on`, `currency` (ISO 4217), `credits_number` and `note` (a credit
//! note's original and reason), `seller {name, address, therapist, org_number, vat_number,
//! f_skatt, bankgiro, plusgiro, iban, bic, account, exemption}`, `buyer {name, address}`,
//! `lines [{description, service_date, quantity, unit_price, vat, net}]` (`vat` is `exempt` or
//! `vat25`), `totals {net, vat, gross, per_rate [{vat, net, vat_amount}]}`, `payments [{paid_on,
//! amount, method}]`, `outstanding`. Amounts are whole minor units (öre, øre, cent); the
//! template formats them. See `tests/fixtures/invoice.json`.
#![forbid(unsafe_code)]

mod world;

mod seam;

use std::fmt;

use typst::diag::{SourceDiagnostic, Warned};
use typst::foundations::{Datetime, Smart};
use typst::WorldExt;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::world::{RenderWorld, Shared};

/// The result of rendering.
pub type Result<T> = std::result::Result<T, Error>;

/// A document the engine can typeset.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Template {
    /// A client's journal extract, for an access request (GDPR Art. 15).
    Journal,
    /// The letter answering an erasure request (GDPR Art. 17).
    ErasureReply,
    /// The draft notification of a breach to the supervisory authority (GDPR Art. 33(3)).
    BreachNotice,
    /// The letter to a client affected by a breach (GDPR Art. 34(2)).
    BreachLetter,
    /// The record of processing activities (GDPR Art. 30(1)).
    ProcessingRecord,
    /// A referral letter, under the client's consent.
    Referral,
    /// An invoice, a credit note, or the receipt of a paid invoice.
    Invoice,
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Template::Journal => "journal",
            Template::ErasureReply => "erasure reply",
            Template::BreachNotice => "breach notification",
            Template::BreachLetter => "breach letter",
            Template::ProcessingRecord => "record of processing",
            Template::Referral => "referral",
            Template::Invoice => "invoice",
        })
    }
}

/// Why a document could not be made. Never carries text from the data.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The data is not what the template's contract asks for at the level the engine checks
    /// before typesetting (JSON, `lang`, `generated_on`). `reason` is a fixed text of this crate.
    #[error("the data for the {template} template is not usable: {reason}")]
    Data {
        /// The template the data was for.
        template: Template,
        /// What is wrong, as a fixed sentence (never the data itself).
        reason: &'static str,
    },
    /// typst could not typeset the template with this data, typically because a field the
    /// template reads is missing or of the wrong type.
    #[error("the {template} template could not be typeset{}", at.map(|at| format!(" (at {at})")).unwrap_or_default())]
    Template {
        /// The template that failed.
        template: Template,
        /// Where in our template files it failed, when typst says.
        at: Option<Location>,
    },
    /// The typeset document could not be written as PDF/A-2b.
    #[error("the {template} document could not be written as PDF/A-2b")]
    Pdf {
        /// The template that failed.
        template: Template,
    },
}

/// A line in one of this crate's template files: where typesetting failed. Ours, not the data's,
/// so it is safe to log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The template file, e.g. `journal.typ` or the shared `common.typ`.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Typesets documents. Build one and keep it: the fonts and typst's standard library are loaded
/// once. It is `Send + Sync`; renders on several threads are safe (each clears typst's caches
/// when done, which only costs the others some speed).
pub struct Engine {
    shared: Option<Shared>,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Engine").finish_non_exhaustive()
    }
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

impl Engine {
    /// Loads the embedded fonts and typst's standard library.
    pub fn new() -> Self {
        Self { shared: Shared::new() }
    }

    /// Typesets `template` with `data_json` (see the crate docs for each template's contract) and
    /// returns the bytes of a PDF/A-2b file.
    pub fn render(&self, template: Template, data_json: &[u8]) -> Result<Vec<u8>> {
        let generated_on = check_data(template, data_json)?;
        let shared = self.shared.as_ref().ok_or(Error::Template { template, at: None })?;
        let _evict = EvictCaches;
        let world = RenderWorld::new(shared, template, data_json);
        // Warnings are dropped unread: they can quote the data, and they change nothing in the PDF.
        let Warned { output, warnings: _ } = typst::compile::<PagedDocument>(&world);
        match output {
            Ok(document) => write_pdf(template, &document, generated_on),
            Err(diagnostics) => Err(Error::Template { template, at: failure_location(&world, &diagnostics) }),
        }
    }
}

/// typst memoises layouts and evaluated values in process-wide caches, and those hold the
/// client's text; this clears them when a render ends, however it ends (a panic included).
struct EvictCaches;

impl Drop for EvictCaches {
    fn drop(&mut self) {
        typst::comemo::evict(0);
    }
}

fn write_pdf(template: Template, document: &PagedDocument, generated_on: Datetime) -> Result<Vec<u8>> {
    let standards = PdfStandards::new(&[PdfStandard::A_2b]).map_err(|_| Error::Pdf { template })?;
    let options = PdfOptions {
        // A fixed creator instead of typst's "Typst <version>" keeps the bytes stable across
        // compiler upgrades that do not change layout, and names the app that made the file.
        creator: Smart::Custom(Some("Confidant".to_owned())),
        timestamp: Some(Timestamp::new_utc(generated_on)),
        standards,
        ..PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|_| Error::Pdf { template })
}

/// The checks worth doing before typst: they give a precise error where typst would give only a
/// line number, and they read `generated_on`, which becomes the PDF's creation date.
fn check_data(template: Template, data_json: &[u8]) -> Result<Datetime> {
    let data_error = |reason| Error::Data { template, reason };
    // serde_json's own messages quote the offending value, so only the fact of failure is kept.
    let value: serde_json::Value = serde_json::from_slice(data_json).map_err(|_| data_error("not valid JSON"))?;
    let object = value.as_object().ok_or_else(|| data_error("not a JSON object"))?;
    match object.get("lang").and_then(|l| l.as_str()) {
        Some("sv" | "da" | "en") => {}
        _ => return Err(data_error("`lang` must be \"sv\", \"da\" or \"en\"")),
    }
    object
        .get("generated_on")
        .and_then(|d| d.as_str())
        .and_then(parse_iso_date)
        .ok_or_else(|| data_error("`generated_on` must be a date, YYYY-MM-DD"))
}

fn parse_iso_date(text: &str) -> Option<Datetime> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    let month = u8::try_from(number(5..7)?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    Datetime::from_ymd(year, month, day)
}

/// Where in our templates typesetting failed: the error's own span if it points into a template,
/// else the innermost call in a template that led there.
fn failure_location(world: &RenderWorld<'_>, diagnostics: &[SourceDiagnostic]) -> Option<Location> {
    let diagnostic = diagnostics.first()?;
    let spans = std::iter::once(diagnostic.span).chain(diagnostic.trace.iter().map(|point| point.span.into()));
    spans
        .filter_map(|span| {
            let file = world.template_file(span.id()?)?;
            let range = world.range(span)?;
            let source = typst::World::source(world, span.id()?).ok()?;
            let line = source.lines().byte_to_line(range.start)? + 1;
            Some(Location { file, line })
        })
        .next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Engine>();
    }

    #[test]
    fn all_embedded_fonts_load() {
        let shared = Shared::new().expect("constant paths are valid");
        assert_eq!(shared.font_count(), 4);
    }

    /// A long journal's contents take their page numbers from the layout. typst stops after five
    /// passes with a warning if the numbers never settle; they must settle without one.
    #[test]
    fn a_long_journal_settles_without_warnings() {
        let shared = Shared::new().expect("constant paths are valid");
        let mut data: serde_json::Value =
            serde_json::from_str(include_str!("../tests/fixtures/journal.json")).expect("fixture is JSON");
        let first = data["entries"][0].clone();
        let entries: Vec<serde_json::Value> = (0..60)
            .map(|i| {
                let mut entry = first.clone();
                entry["id"] = format!("x-{i}").into();
                entry["occurred_at"] = format!("2025-{:02}-{:02}T10:00", 1 + i % 12, 1 + i % 28).into();
                entry
            })
            .collect();
        data["entries"] = entries.into();
        data["lang"] = "da".into();
        let bytes = serde_json::to_vec(&data).expect("serialises");
        let world = RenderWorld::new(&shared, Template::Journal, &bytes);
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
        let document = output.unwrap_or_else(|_| panic!("the long journal did not typeset"));
        assert!(document.pages().len() > 5, "60 entries take several pages");
        let messages: Vec<_> = warnings.iter().map(|w| w.message.to_string()).collect();
        assert!(messages.is_empty(), "{messages:?}");
    }

    #[test]
    fn iso_dates_parse_strictly() {
        assert!(parse_iso_date("2026-12-02").is_some());
        for bad in ["2026-13-02", "2026-02-30", "2026-1-02", "26-12-02xx", "2026/12/02", "+026-12-02", ""] {
            assert!(parse_iso_date(bad).is_none(), "{bad}");
        }
    }

    /// Warnings are dropped in `render` (they may quote data), so a missing glyph or an unknown
    /// font in a template would go unseen there: check here that the fixtures typeset cleanly.
    #[test]
    fn fixtures_typeset_without_warnings() {
        let shared = Shared::new().expect("constant paths are valid");
        for (template, json) in [
            (Template::Journal, include_str!("../tests/fixtures/journal.json")),
            (Template::ErasureReply, include_str!("../tests/fixtures/erasure_reply.json")),
            (Template::BreachNotice, include_str!("../tests/fixtures/breach_notice.json")),
            (Template::BreachLetter, include_str!("../tests/fixtures/breach_letter.json")),
            (Template::ProcessingRecord, include_str!("../tests/fixtures/processing_record.json")),
            (Template::Referral, include_str!("../tests/fixtures/referral.json")),
            (Template::Invoice, include_str!("../tests/fixtures/invoice.json")),
        ] {
            for lang in ["sv", "da", "en"] {
                let mut data: serde_json::Value = serde_json::from_str(json).expect("fixture is JSON");
                data["lang"] = lang.into();
                let bytes = serde_json::to_vec(&data).expect("serialises");
                let world = RenderWorld::new(&shared, template, &bytes);
                let Warned { output, warnings } = typst::compile::<PagedDocument>(&world);
                let messages: Vec<_> = warnings.iter().map(|w| w.message.to_string()).collect();
                if let Err(errors) = &output {
                    let lines = failure_location(&world, errors);
                    let messages: Vec<_> = errors.iter().map(|e| (e.message.to_string(), e.hints.clone())).collect();
                    panic!("{template} {lang} failed at {lines:?}: {messages:?}");
                }
                assert!(messages.is_empty(), "{template} {lang}: {messages:?}");
            }
        }
    }
}
