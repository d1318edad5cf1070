//! Times a whole export on request through the core: a vault with one client and 500 signed
//! entries of ~1.5 KB, exported as `journal.pdf` + `data.json` + `manifest.json`.
//!
//! ```text
//! cargo run --release -p confidant-documents --example bench_export
//! ```
//!
//! Prints the median of a few runs in milliseconds, and how the time splits between laying out
//! the PDF and everything else (reading the vault, data.json, writing the package).

use std::time::Instant;

use confidant_core::documents::{DocumentKind, Typesetter};
use confidant_core::domain::clients::ClientInput;
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::domain::profile::{Jurisdiction, Language, PracticeProfile};
use confidant_core::export::ExportRequest;
use confidant_core::{Argon2Params, JobCtl, KdfChoice, Passphrase, Vault};
use confidant_documents::Engine;

const ENTRIES: usize = 500;
const RUNS: usize = 5;

/// The engine, timing its own share (the last render's milliseconds).
struct Timed<'a>(&'a Engine, std::sync::Mutex<u128>);

impl Typesetter for Timed<'_> {
    fn render(&self, kind: DocumentKind, data: &[u8]) -> confidant_core::Result<Vec<u8>> {
        let t = Instant::now();
        let out = Typesetter::render(self.0, kind, data);
        *self.1.lock().unwrap_or_else(|e| e.into_inner()) = t.elapsed().as_millis();
        out
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = tempfile::tempdir()?;
    let (mut v, _) = Vault::create(
        &tmp.path().join("vault"),
        &Passphrase::from("lingon tavla regnbåge sextiosju"),
        KdfChoice::Fixed(Argon2Params::MINIMUM),
    )?;
    v.set_profile(&PracticeProfile {
        therapist_name: "Anna Lindqvist".into(),
        therapist_title: "leg. psykoterapeut".into(),
        practice_name: "Lindqvist Terapi".into(),
        practice_address: "Storgatan 1\n411 01 Göteborg".into(),
        language: Language::Sv,
        jurisdiction: Jurisdiction::SeLicensed,
    })?;
    let c =
        v.create_client(&ClientInput { given_name: "Maja".into(), family_name: "Berg".into(), ..Default::default() })?;
    let course = v.create_course(
        c.id,
        &CourseInput { title: "Samtal".into(), reason: String::new(), start_date: "2020-01-10".parse()? },
    )?;
    // Realistic notes: each on its own day, ~1.5 KB of varied sentences, so typst's caches are
    // not flattered by 500 identical paragraphs.
    let sentences = [
        "Maja beskriver veckan som lugnare än den förra, och insomningstiden ligger nu kring tjugo minuter.",
        "Vi gick igenom sömndagboken; uppvaknandena har minskat från fyra till två per natt.",
        "Hon berättar om en konflikt på arbetet som väckte gamla tankar om att inte räcka till.",
        "Vi övade på att skriva ner oron tidigt på kvällen och lägga den åt sidan till nästa dag.",
        "Kroppsliga spänningar i nacke och axlar; vi provade progressiv avslappning under tio minuter.",
        "Till nästa gång: fortsätta med fasta tider för att gå upp, även under helgen.",
        "Stämningsläget är stabilt, inga tankar på att skada sig själv framkommer vid direkt fråga.",
    ];
    let start: chrono::NaiveDateTime = "2020-01-10T09:00:00".parse()?;
    for i in 0..ENTRIES {
        let body: Vec<&str> = (0..15).map(|k| sentences[(i * 3 + k * 5) % sentences.len()]).collect();
        let at = (start + chrono::Duration::days(i as i64 * 3)).and_utc();
        let e = v.create_entry(
            course.id,
            &EntryInput {
                title: format!("Samtal {}", i + 1),
                occurred_at: Some(at),
                body: format!("{}\n\n{}", body[..9].join(" "), body[9..].join(" ")),
                ..Default::default()
            },
        )?;
        v.sign_entry(e.id)?;
    }
    let engine = Engine::new();
    let timed = Timed(&engine, std::sync::Mutex::new(0));
    let req = ExportRequest { client_id: c.id, identity_check: "Körkort".into(), withheld: vec![], encrypt: false };
    let mut totals = Vec::new();
    let mut pdfs = Vec::new();
    for _ in 0..RUNS {
        let out = tempfile::tempdir()?;
        let t = Instant::now();
        v.export_client(&req, out.path(), &timed, &mut JobCtl::quiet())?;
        totals.push(t.elapsed().as_millis());
        pdfs.push(*timed.1.lock().unwrap_or_else(|e| e.into_inner()));
    }
    totals.sort_unstable();
    pdfs.sort_unstable();
    let (total, pdf) = (totals[RUNS / 2], pdfs[RUNS / 2]);
    println!(
        "export of {ENTRIES} entries: median {total} ms (PDF {pdf} ms, the rest {} ms)",
        total.saturating_sub(pdf)
    );
    Ok(())
}
