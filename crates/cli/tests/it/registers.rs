//! Consents, the breach register, printouts, referral letters and the record of processing
//! from the command line, with real PDFs read back by pdftotext.

use std::path::Path;
use std::process::Command;

use crate::support::{Env, PASS};

fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext").arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn saved(out: &str, label: &str) -> std::path::PathBuf {
    let line = out.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no {label} in {out}"));
    line[label.len()..].trim().into()
}

fn client_with_signed_note(env: &Env) {
    env.ok(&["client", "add", "--given", "Maja", "--family", "Berg", "--email", "maja@example.se"]);
    env.ok(&["course", "add", "--client", "1", "--title", "Samtal", "--start", "2026-01-10"]);
    env.ok(&[
        "entry",
        "add",
        "--course",
        "1",
        "--title",
        "Första",
        "--body",
        "Sömnen är bättre.",
        "--at",
        "2026-01-10 09:00",
    ]);
    env.ok(&["entry", "sign", "1"]);
}

#[test]
fn a_referral_needs_a_consent_in_force_and_withdrawal_stops_it() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "se_licensed", "--language", "sv"]);
    client_with_signed_note(&env);
    let out_dir = tempfile::tempdir().unwrap();
    let to = out_dir.path().to_str().unwrap();
    let body = out_dir.path().join("body.txt");
    std::fs::write(&body, "Remitteras för sömnutredning.").unwrap();
    let referral = [
        "referral",
        "--client",
        "1",
        "--recipient",
        "Vårdcentralen\\nBox 1",
        "--body-file",
        body.to_str().unwrap(),
        "--to",
        to,
    ];

    let err = env.fails(&referral, Some(&pass));
    assert!(err.contains("consent"), "{err}");
    let out = env.ok(&[
        "consent",
        "give",
        "--client",
        "1",
        "--purpose",
        "referral",
        "--text",
        "Jag samtycker.",
        "--version",
        "1",
        "--given",
        "2026-11-01",
    ]);
    assert!(out.contains("Consent 1 recorded"), "{out}");
    let out = env.ok(&["consent", "list", "--client", "1"]);
    assert!(out.contains("referral") && out.contains("In force today: referral"), "{out}");
    let letter = saved(&env.ok(&referral), "Referral letter:");
    let text = pdf_text(&letter);
    assert!(text.contains("Remiss") && text.contains("Vårdcentralen") && text.contains("Maja Berg"), "{text}");
    assert!(text.contains("samtycke lämnat 2026-11-01"), "{text}");

    env.ok(&["consent", "withdraw", "1"]);
    let err = env.fails(&referral, Some(&pass));
    assert!(err.contains("consent"), "{err}");
    let err = env.fails(
        &["consent", "give", "--client", "1", "--purpose", "referral", "--text", "Andra ord.", "--version", "1"],
        Some(&pass),
    );
    assert!(err.contains("text_version"), "{err}");
}

#[test]
fn a_breach_runs_its_clock_until_notified_and_its_documents_are_written() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "dk_psychologist"]);
    client_with_signed_note(&env);
    let out = env.ok(&[
        "breach",
        "record",
        "--nature",
        "confidentiality",
        "--description",
        "A letter went to the wrong address.",
        "--data",
        "contact_details,identity",
        "--client",
        "1",
        "--people",
        "1",
        "--risk",
        "high_risk",
    ]);
    assert!(out.contains("Breach 1 recorded") && out.contains("notify within 7"), "{out}");
    assert!(out.contains("clients must be told"), "{out}");

    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().to_str().unwrap();
    let notice = saved(&env.ok(&["breach", "notice", "1", "--to", to]), "Draft notification:");
    let text = pdf_text(&notice);
    assert!(text.contains("Datatilsynet") && text.contains("A letter went to the wrong address."), "{text}");
    let letters = env.ok(&["breach", "letters", "1", "--to", to]);
    let letter = saved(&letters, "Letter:");
    assert!(pdf_text(&letter).contains("Maja Berg"));

    // Late without a reason is refused; then notified, the clock stops.
    let err = env.fails(&["breach", "notified", "1", "--at", "2099-01-01 10:00"], Some(&pass));
    assert!(err.contains("authority_notified_at"), "{err}");
    let out = env.ok(&["breach", "notified", "1", "--reference", "DT-1"]);
    assert!(out.contains("notified in time"), "{out}");
    let out = env.ok(&["breach", "informed", "1"]);
    assert!(out.contains("clients told"), "{out}");
    assert!(env.ok(&["breach", "list"]).contains("notified in time"));
}

#[test]
fn print_and_the_record_of_processing_are_pdfs_with_no_name_in_the_file_name() {
    let env = Env::new();
    env.init();
    env.ok(&[
        "profile",
        "set",
        "--jurisdiction",
        "se_licensed",
        "--language",
        "sv",
        "--name",
        "Anna Lindqvist",
        "--title",
        "leg. psykoterapeut",
    ]);
    client_with_signed_note(&env);
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().to_str().unwrap();
    let note = saved(&env.ok(&["print", "--client", "1", "--entry", "1", "--to", to]), "Saved:");
    assert!(!note.to_str().unwrap().contains("Berg"));
    let text = pdf_text(&note);
    assert!(text.contains("Första") && text.contains("Sömnen är bättre.") && text.contains("Anna Lindqvist"), "{text}");
    let whole = saved(&env.ok(&["print", "--client", "1", "--to", to]), "Saved:");
    assert!(pdf_text(&whole).contains("Maja Berg"));
    let record = saved(&env.ok(&["processing-record", "--to", to]), "Record of processing:");
    let text = pdf_text(&record);
    assert!(
        text.contains("Register över behandling av personuppgifter") && text.contains("Patientdatalagen"),
        "{text}"
    );
}

#[test]
fn the_access_log_keeps_its_rows_until_the_period_is_over() {
    let env = Env::new();
    let pass = format!("{PASS}\n");
    env.init();
    env.ok(&["profile", "set", "--jurisdiction", "se_other"]);
    client_with_signed_note(&env);
    let out = env.ok(&["log", "prune"]);
    assert!(out.contains("No access-log rows are past 5 years"), "{out}");
    let later = (chrono::Local::now().date_naive() + chrono::Months::new(60)).to_string();
    let err = env.fails(&["log", "prune", "--date", &later], Some(&pass));
    assert!(err.contains("confirm with --yes"), "{err}");
    let out = env.ok(&["log", "prune", "--date", &later, "--yes"]);
    assert!(out.contains("Deleted") && out.contains("rows"), "{out}");
    assert!(env.ok(&["log", "verify"]).contains("chain intact"));
}
