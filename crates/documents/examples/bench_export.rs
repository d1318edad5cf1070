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
    let c =
        v.create_client(&ClientInput { given_name: "Maja".into(), family_name: "Berg".into(), ..Default::default() })?;
    let course = v.create_course(
        c.id,
        &CourseInput { title: "Samtal".into(), reason: String::new(), start_date: "2020-01-10".parse()? },
    )?;
    let sentence =
        "Maja beskriver veckan som lugnare än den förra, och insomningstiden ligger nu kring tjugo minuter. ";
    for i in 0..ENTRIES {
        let e = v.create_entry(
            course.id,
            &EntryInput {
                title: format!("Samtal {}", i + 1),
                body: format!("{}\n\n{}", sentence.repeat(9), sentence.repeat(6)),
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
