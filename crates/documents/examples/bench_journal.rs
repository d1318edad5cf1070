//! Times the journal template on a large journal: 500 entries with ~1.5 KB bodies.
//!
//! ```text
//! cargo run --release -p confidant-documents --example bench_journal
//! ```
//!
//! Prints the engine's start-up, the first render and the median of a few more, in milliseconds.

use std::time::Instant;

use confidant_documents::{Engine, Template};
use serde_json::Value;

const ENTRIES: usize = 500;
const RUNS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/journal.json");
    let mut data: Value = serde_json::from_str(&std::fs::read_to_string(fixture)?)?;
    let sentence =
        "Maja beskriver veckan som lugnare än den förra, och insomningstiden ligger nu kring tjugo minuter. ";
    let body = format!("{}\n\n{}", sentence.repeat(9), sentence.repeat(6));
    let template_entry = data["entries"][0].clone();
    let entries: Vec<Value> = (0..ENTRIES)
        .map(|i| {
            let mut entry = template_entry.clone();
            entry["id"] = format!("e-{i:05}").into();
            entry["title"] = format!("Samtal {}", i + 1).into();
            entry["occurred_at"] =
                format!("{}-{:02}-{:02}T10:00", 2010 + i / 300, 1 + (i / 25) % 12, 1 + i % 25).into();
            entry["body"] = body.clone().into();
            entry
        })
        .collect();
    data["entries"] = Value::Array(entries);
    let bytes = serde_json::to_vec(&data)?;

    let started = Instant::now();
    let engine = Engine::new();
    let startup = started.elapsed();

    let mut times = Vec::with_capacity(RUNS);
    let mut size = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        size = engine.render(Template::Journal, &bytes)?.len();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let first = times[0];
    times.sort_by(f64::total_cmp);
    println!(
        "{ENTRIES} entries (~{} B each): engine start {:.1} ms, first render {first:.0} ms, median of {RUNS} {:.0} ms, PDF {} KiB",
        body.len(),
        startup.as_secs_f64() * 1000.0,
        times[RUNS / 2],
        size / 1024
    );
    Ok(())
}
