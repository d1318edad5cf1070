//! Renders every template in every language from the committed fixtures and reads the PDFs back
//! with poppler (`pdftotext`, `pdfinfo`; scripts/install-system-deps.sh installs poppler-utils).

mod erasure_reply;
mod journal;
mod registers;
mod safety;

use std::process::Command;
use std::sync::OnceLock;

use confidant_documents::{Engine, Template};
use serde_json::Value;

pub const LANGS: [&str; 3] = ["sv", "da", "en"];

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture exists")).expect("fixture is JSON")
}

pub fn render(template: Template, data: &Value) -> Vec<u8> {
    let bytes = serde_json::to_vec(data).expect("serialises");
    engine().render(template, &bytes).unwrap_or_else(|err| panic!("render failed: {err}"))
}

pub fn render_lang(template: Template, fixture_name: &str, lang: &str) -> Vec<u8> {
    let mut data = fixture(fixture_name);
    data["lang"] = lang.into();
    render(template, &data)
}

fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let mut command = Command::new(tool);
    command.args(args).arg(&path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    let output = command.output().unwrap_or_else(|err| {
        panic!("cannot run {tool} ({err}): install poppler-utils (scripts/install-system-deps.sh does)")
    });
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("poppler prints UTF-8")
}

/// The PDF's text with every run of whitespace made one space, so a phrase matches even where the
/// layout broke its line.
pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-enc", "UTF-8"], pdf).split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn page_count(pdf: &[u8]) -> usize {
    let info = poppler("pdfinfo", &[], pdf);
    info.lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo reports Pages")
}

#[track_caller]
pub fn assert_contains(text: &str, needles: &[&str]) {
    for needle in needles {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
}

#[test]
fn poppler_is_installed() {
    for tool in ["pdftotext", "pdfinfo"] {
        let found = Command::new(tool).arg("-v").output().is_ok();
        assert!(found, "{tool} is missing: install poppler-utils (scripts/install-system-deps.sh does)");
    }
}

#[test]
fn same_input_gives_the_same_bytes() {
    for (template, name) in [(Template::Journal, "journal"), (Template::ErasureReply, "erasure_reply")] {
        let data = fixture(name);
        let first = render(template, &data);
        let second = render(template, &data);
        assert!(first == second, "{template}: two renders differ");
        // A fresh engine too: nothing in an engine's state may leak into the bytes.
        let bytes = serde_json::to_vec(&data).expect("serialises");
        let third = Engine::new().render(template, &bytes).expect("renders");
        assert!(first == third, "{template}: a fresh engine renders different bytes");
    }
}

#[test]
fn renders_on_several_threads_agree() {
    // Each render clears typst's process-wide caches when it ends, possibly under another.
    let data = fixture("erasure_reply");
    let expected = render(Template::ErasureReply, &data);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..3).map(|_| scope.spawn(|| render(Template::ErasureReply, &data))).collect();
        for handle in handles {
            assert!(handle.join().expect("render thread") == expected, "a concurrent render differs");
        }
    });
}

#[test]
fn the_creation_date_is_the_callers_generated_on() {
    let mut data = fixture("erasure_reply");
    let first = render(Template::ErasureReply, &data);
    data["generated_on"] = "2027-01-15".into();
    let later = render(Template::ErasureReply, &data);
    assert_ne!(first, later);
    let xmp = String::from_utf8_lossy(&later);
    assert!(xmp.contains("2027-01-15"), "the XMP creation date is generated_on");
}

#[test]
fn output_declares_pdf_a_2b() {
    for (template, name) in [(Template::Journal, "journal"), (Template::ErasureReply, "erasure_reply")] {
        let pdf = render(template, &fixture(name));
        assert!(pdf.starts_with(b"%PDF-1.7"), "PDF/A-2 is based on PDF 1.7");
        // The XMP packet is an uncompressed stream (PDF/A asks it to be readable as is).
        let raw = String::from_utf8_lossy(&pdf);
        let part = raw.contains("<pdfaid:part>2</pdfaid:part>") || raw.contains("pdfaid:part=\"2\"");
        let conformance =
            raw.contains("<pdfaid:conformance>B</pdfaid:conformance>") || raw.contains("pdfaid:conformance=\"B\"");
        assert!(part && conformance, "{template}: no PDF/A-2b identification in the XMP metadata");
    }
}
