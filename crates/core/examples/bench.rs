//! Prints the numbers the issue asks for: unlock time, time to save an entry, global and
//! client-scoped search, on the demo vault and on a vault with 20,000 generated entries, and the
//! time to re-key that vault.
//!
//! `cargo run --release -p confidant-core --example bench [ENTRIES]`

use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use confidant_core::domain::clients::ClientInput;
use confidant_core::domain::courses::CourseInput;
use confidant_core::domain::entries::EntryInput;
use confidant_core::rekey::{RekeyReason, RekeyRequest};
use confidant_core::search::SearchQuery;
use confidant_core::{demo, Credential, JobCtl, KdfChoice, Passphrase, Vault};

const WORDS: &[&str] = &[
    "sömn",
    "ångest",
    "oro",
    "arbete",
    "familj",
    "stress",
    "samtal",
    "känslor",
    "mål",
    "hemuppgift",
    "søvn",
    "angst",
    "bænk",
    "arbejde",
    "følelser",
    "øvelse",
    "værdier",
    "anxiety",
    "sleep",
    "values",
    "career",
    "exposure",
    "grief",
    "relation",
    "partner",
    "barn",
    "skola",
    "mindfulness",
    "andning",
    "KBT",
    "beteende",
    "tankar",
    "vardag",
    "motivation",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn text(&mut self, words: usize) -> String {
        (0..words).map(|_| WORDS[self.next() % WORDS.len()]).collect::<Vec<_>>().join(" ")
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn measure(v: &mut Vault, label: &str, course: i64, client: i64) {
    let pass = Credential::Passphrase(Passphrase::from(demo::DEMO_PASSPHRASE));
    let mut unlocks = Vec::new();
    for _ in 0..3 {
        v.lock();
        let t = Instant::now();
        v.unlock(&pass).expect("unlock");
        unlocks.push(t.elapsed());
    }
    let draft = v.create_entry(course, &EntryInput { body: "start".into(), ..Default::default() }).expect("draft");
    let mut saves = Vec::new();
    let mut rng = Lcg(7);
    for i in 0..50 {
        let input = EntryInput { title: format!("Autosave {i}"), body: rng.text(300), ..Default::default() };
        let t = Instant::now();
        v.update_draft(draft.id, &input).expect("save");
        saves.push(t.elapsed());
    }
    let mut global = Vec::new();
    let mut scoped = Vec::new();
    let mut prefix = Vec::new();
    for q in ["angest", "sömn arbete", "baenk", "exposure", "familj oro"] {
        let t = Instant::now();
        let hits =
            v.search(&SearchQuery { text: q.into(), client_id: None, limit: 20, oldest_first: false }).expect("search");
        global.push(t.elapsed());
        std::hint::black_box(hits);
        let t = Instant::now();
        let hits = v
            .search(&SearchQuery { text: q.into(), client_id: Some(client), limit: 20, oldest_first: false })
            .expect("search");
        scoped.push(t.elapsed());
        std::hint::black_box(hits);
    }
    for q in ["å", "ån", "ång", "ånge", "ånges"] {
        let t = Instant::now();
        std::hint::black_box(
            v.search(&SearchQuery { text: q.into(), client_id: None, limit: 20, oldest_first: false }).expect("search"),
        );
        prefix.push(t.elapsed());
    }
    println!("{label}");
    println!("  unlock with passphrase (median of 3): {}", ms(median(unlocks)));
    println!("  save an entry / autosave (median of 50): {}", ms(median(saves)));
    println!("  global search, top 20 (median of 5 queries): {}", ms(median(global)));
    println!("  client-scoped search (median of 5 queries): {}", ms(median(scoped)));
    println!("  as-you-type prefix search (median of 5): {}", ms(median(prefix)));
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let tmp = tempfile::tempdir().expect("tempdir");
    let pass = Passphrase::from(demo::DEMO_PASSPHRASE);

    let (mut v, _) = Vault::create(&tmp.path().join("demo"), &pass, KdfChoice::Calibrate).expect("create");
    demo::populate(&mut v).expect("demo");
    let client = v.list_clients(&Default::default()).expect("list")[0].id;
    let course = v.list_courses(client).expect("courses")[0].id;
    measure(&mut v, "demo vault", course, client);
    drop(v);

    let (mut v, _) = Vault::create(&tmp.path().join("big"), &pass, KdfChoice::Calibrate).expect("create");
    let clients = 200;
    let mut rng = Lcg(42);
    let t = Instant::now();
    let mut first = (0, 0);
    for c in 0..clients {
        let cl = v
            .create_client(&ClientInput {
                given_name: format!("Klient{c}"),
                family_name: format!("Efternamn{c}"),
                ..Default::default()
            })
            .expect("client");
        let co = v
            .create_course(
                cl.id,
                &CourseInput {
                    title: "Forløb".into(),
                    reason: String::new(),
                    start_date: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
                },
            )
            .expect("course");
        if c == 0 {
            first = (cl.id, co.id);
        }
        for _ in 0..n / clients {
            let e = v
                .create_entry(
                    co.id,
                    &EntryInput {
                        title: rng.text(4),
                        body: rng.text(250),
                        tags: vec![rng.text(1)],
                        occurred_at: Some(Utc::now()),
                        ..Default::default()
                    },
                )
                .expect("entry");
            v.sign_entry(e.id).expect("sign");
        }
    }
    println!("generated {n} signed entries for {clients} clients in {:.1} s", t.elapsed().as_secs_f64());
    let size: u64 = std::fs::read_dir(tmp.path().join("big"))
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!("vault size on disk: {:.1} MiB", size as f64 / 1048576.0);
    measure(&mut v, &format!("vault with {n} entries"), first.1, first.0);

    // Re-key: re-encrypt the whole vault under a new key, check it, anchor the log, commit.
    let current = Credential::Passphrase(Passphrase::from(demo::DEMO_PASSPHRASE));
    let req = RekeyRequest {
        reason: RekeyReason::RecoveryLost,
        current: &current,
        new_passphrase: None,
        kdf: KdfChoice::Calibrate,
    };
    let rows = v.verify_access_log().expect("log").rows;
    let t = Instant::now();
    let out = v.rekey(&req, &mut JobCtl::quiet()).expect("rekey");
    println!(
        "  re-key ({rows} log rows anchored as {}; includes one passphrase check): {}",
        out.log_rows_anchored,
        ms(t.elapsed())
    );
}
