//! `kill -9` of `confidant invoice issue` at random moments: after every kill the issued
//! invoices are numbered 1, 2, 3… with neither a gap nor a duplicate, every numbered invoice is
//! issued and frozen, every other one is a draft without a number, and the access log verifies.
//! The seed is printed (CONFIDANT_TEST_SEED repeats a sequence).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Local;
use confidant_core::invoicing::{InvoiceInput, InvoiceState, LineInput, VatRate};
use confidant_core::{Credential, Passphrase, Vault};

use crate::backup::fast_vault;
use crate::backup_kill::{seed, xorshift};
use crate::support::{Env, PASS};

fn open(dir: &Path) -> Vault {
    let mut v = Vault::open(dir).unwrap_or_else(|e| panic!("the vault does not open: {e}"));
    v.unlock(&Credential::Passphrase(Passphrase::from(PASS))).unwrap_or_else(|e| panic!("it does not unlock: {e}"));
    v
}

/// Runs `confidant invoice issue ID`, killing it after `after` (`None`: let it finish).
fn issue(vault: &Path, id: i64, after: Option<Duration>) -> bool {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("confidant"))
        .arg("--vault")
        .arg(vault)
        .args(["--passphrase-stdin", "invoice", "issue", &id.to_string()])
        .env("CONFIDANT_KEYRING_NAMESPACE", "confidant-cli-test-invoice-kill")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the confidant binary runs");
    let _ = c.stdin.take().unwrap().write_all(format!("{PASS}\n").as_bytes());
    match after {
        None => c.wait().unwrap().success(),
        Some(d) => {
            std::thread::sleep(d);
            let _ = c.kill();
            c.wait().unwrap();
            false
        }
    }
}

/// (numbers of issued invoices, sorted; ids of drafts). Panics on any broken promise.
fn numbering(dir: &Path) -> (Vec<i64>, Vec<i64>) {
    let mut v = open(dir);
    v.verify_access_log().unwrap_or_else(|e| panic!("the access log fails: {e}"));
    let today = Local::now().date_naive();
    let mut numbers = Vec::new();
    let mut drafts = Vec::new();
    for i in v.invoices(None, today).unwrap() {
        match (i.state, i.number) {
            (InvoiceState::Draft, None) => drafts.push(i.id),
            (InvoiceState::Open, Some(n)) => {
                assert!(i.seller.is_some() && i.issued_on.is_some(), "an issued invoice is frozen whole");
                numbers.push(n);
            }
            other => panic!("invoice {} is half issued: {other:?}", i.id),
        }
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "a gap or a duplicate");
    (numbers, drafts)
}

#[test]
fn kill_9_while_issuing_never_leaves_a_gap_or_a_duplicate_number() {
    let env = Env::new();
    fast_vault(&env);
    const DRAFTS: usize = 40;
    {
        let mut v = open(&env.vault);
        v.set_billing(&confidant_core::invoicing::Billing { org_number: "556677-8899".into(), ..Default::default() })
            .unwrap();
        let client = v.list_clients(&Default::default()).unwrap()[0].id;
        let today = Local::now().date_naive();
        for n in 0..DRAFTS {
            let d = v.create_invoice(client, &[], today).unwrap();
            let line = LineInput {
                description: format!("Samtal {n}"),
                service_date: None,
                quantity: 1,
                unit_price: 110_000,
                vat: VatRate::Exempt,
                appointment_id: None,
            };
            let input = InvoiceInput {
                buyer_name: "Astrid Lindqvist".into(),
                buyer_address: "Sveavägen 12".into(),
                lines: vec![line],
            };
            v.save_invoice_draft(d.id, &input, today).unwrap();
        }
    }
    let (_, mut drafts) = numbering(&env.vault);
    assert_eq!(drafts.len(), DRAFTS);
    drafts.sort_unstable();

    let t0 = Instant::now();
    assert!(issue(&env.vault, drafts.remove(0), None), "an issue that runs to its end succeeds");
    let full = t0.elapsed();
    eprintln!("invoice kill -9: one run takes {full:?}");
    let mut x = seed();
    let (mut killed, mut issued_anyway) = (0, 0);
    while let Some(&id) = drafts.first() {
        let before = numbering(&env.vault).0.len();
        let after = Duration::from_micros(xorshift(&mut x) % (full.as_micros() as u64 + 1));
        issue(&env.vault, id, Some(after));
        killed += 1;
        let (numbers, left) = numbering(&env.vault);
        if !left.contains(&id) {
            issued_anyway += 1;
            assert_eq!(numbers.len(), before + 1, "the killed run issued exactly one");
            drafts.remove(0);
        } else {
            assert_eq!(numbers.len(), before, "the killed run issued nothing");
            if killed % 4 == 0 {
                // Let some finish, so the series keeps growing through the kills.
                assert!(issue(&env.vault, id, None));
                drafts.remove(0);
            }
        }
    }
    let (numbers, left) = numbering(&env.vault);
    assert!(left.is_empty());
    assert_eq!(numbers.len(), DRAFTS);
    eprintln!(
        "invoice kill -9: {killed} runs killed, {issued_anyway} had issued before the kill, no gap, no duplicate"
    );
    assert!(killed >= 20, "enough kills to mean something: {killed}");
}
