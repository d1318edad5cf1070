//! Renders one document from a JSON file, to look at a template while working on it:
//!
//! ```text
//! cargo run -p confidant-documents --example render -- journal crates/documents/tests/fixtures/journal.json /tmp/journal.pdf [sv|da|en]
//! ```
//!
//! The optional last argument overrides the data's `lang`.

use std::process::ExitCode;

use confidant_documents::{Engine, Template};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(template), Some(input), Some(output)) = (args.first(), args.get(1), args.get(2)) else {
        eprintln!("usage: render <journal|erasure_reply|breach_notice|breach_letter|processing_record|referral|invoice> <data.json> <out.pdf> [lang]");
        return ExitCode::FAILURE;
    };
    let template = match template.as_str() {
        "journal" => Template::Journal,
        "erasure_reply" => Template::ErasureReply,
        "breach_notice" => Template::BreachNotice,
        "breach_letter" => Template::BreachLetter,
        "processing_record" => Template::ProcessingRecord,
        "referral" => Template::Referral,
        "invoice" => Template::Invoice,
        other => {
            eprintln!("unknown template {other}");
            return ExitCode::FAILURE;
        }
    };
    let result = (|| -> Result<(), Box<dyn std::error::Error>> {
        let mut data: serde_json::Value = serde_json::from_slice(&std::fs::read(input)?)?;
        if let Some(lang) = args.get(3) {
            data["lang"] = lang.as_str().into();
        }
        let pdf = Engine::new().render(template, &serde_json::to_vec(&data)?)?;
        std::fs::write(output, pdf)?;
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
