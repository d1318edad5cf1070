//! Writes the UI's TypeScript bindings without starting the GUI.
//!
//! `export-bindings` rewrites `ui/src/lib/bindings.ts`; `export-bindings --check` regenerates
//! into a temporary file and fails (exit 1) when the committed file differs, for CI.

use std::path::Path;
use std::process::ExitCode;

use confidant_app::app::{export_bindings, BINDINGS_PATH};

fn main() -> anyhow::Result<ExitCode> {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(BINDINGS_PATH);
    if !std::env::args().skip(1).any(|a| a == "--check") {
        export_bindings(&committed)?;
        println!("wrote {}", committed.display());
        return Ok(ExitCode::SUCCESS);
    }
    let tmp = tempfile::tempdir()?;
    let fresh = tmp.path().join("bindings.ts");
    export_bindings(&fresh)?;
    let (want, have) = (std::fs::read_to_string(&fresh)?, std::fs::read_to_string(&committed).unwrap_or_default());
    if want == have {
        println!("bindings are up to date");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} is out of date: run `cargo run -p confidant-app --bin export-bindings` and commit it",
            committed.display()
        );
        Ok(ExitCode::FAILURE)
    }
}
