//! A seeded generator of realistic export packages, imported through the product's own import
//! path ([`confidant_core::import`]), so the benchmark vault is written exactly as a real one is:
//! the same rows, the same search index, the same audit rows.
//!
//! # What it makes
//! - [`Shape::clients`] clients, one of them with exactly [`Shape::big_notes`] notes (the
//!   client whose page and scoped search are timed), the others sharing the rest of
//!   [`Shape::notes`] (10–90 each before scaling).
//! - Each client writes in one language (Swedish half, Danish 30 %, English 20 %). Note bodies
//!   are 1–5 KB of sentences whose words are drawn Zipf-distributed (s = 1) over that
//!   language's vocabulary (`text.rs`: about 1,300 real words in `words.txt`, then word forms
//!   and compounds; 7,000–14,000 distinct words per language, 34,000 in all).
//! - Dates run over 30 years ([`start`]..[`now`]); a client's notes come every 3–14 days from
//!   a random start, in 1–3 courses (all but the last closed).
//! - Most notes are signed (with `versions` running 0, 1, 2…; 8 % have one amendment and 2 %
//!   two, each appending a correction); about 3 % are drafts; 60 % carry 1–3 tags; one in
//!   [`Shape::attachment_every`] has an attachment of incompressible bytes (a JPEG header, then
//!   3–100 KB, log-uniform). Half the clients have a treatment consent, written ones with a
//!   scanned form as the client's own attachment.
//!
//! # Planted words
//! Benchmark queries need known answers, so a few words are placed on purpose and removed from
//! the vocabulary (no generated word starts with them, since search matches word prefixes):
//! [`COMMON`] in 30 % of notes, [`COMMON2`] in 20 % (independently, so both in ≈6 %),
//! [`UNCOMMON`] in 1 %, [`RARE`] in 1 of 2,000. [`Planted`] counts the notes holding each
//! (whole vault and the big client) and the newest and oldest such note, which the benchmark
//! checks search's answers against.
//!
//! Everything follows from the seed: the same seed gives the same vault content.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use confidant_core::domain::consent::{ConsentForm, ConsentPurpose};
use confidant_core::domain::entries::{EntryKind, EntryStatus, EntryVersion};
use confidant_core::export::data::{
    Disclosure, ExportAttachment, ExportClient, ExportConsent, ExportCourse, ExportData, ExportEntry, Practice, FORMAT,
    VERSION,
};
use confidant_core::import::Package;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::text::{text, vocabs, Rng, Vocab};

/// The word in ≈30 % of notes.
pub const COMMON: &str = "samtal";
/// A second common word, in ≈20 % of notes.
pub const COMMON2: &str = "angst";
/// A rare word, in ≈1 of 2,000 notes.
pub const RARE: &str = "kvarnsten";
/// An uncommon word, in ≈1 % of notes: enough to fill a page of 50 even in the quick vault.
pub const UNCOMMON: &str = "vindsnurra";
const PLANTED: [(&str, f64); 4] = [(COMMON, 0.30), (COMMON2, 0.20), (RARE, 0.0005), (UNCOMMON, 0.01)];

/// The oldest possible note.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(1996, 12, 1, 0, 0, 0).single().unwrap_or_default()
}
/// "Now" for the generated records (fixed, so the content depends on the seed only).
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default()
}

/// How big a vault to make.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Shape {
    /// Clients in all.
    pub clients: usize,
    /// Notes in all.
    pub notes: usize,
    /// Notes of the one big client.
    pub big_notes: usize,
    /// Clients per import call (one transaction each).
    pub batch: usize,
    /// One note in this many has an attachment.
    pub attachment_every: u64,
    /// The seed.
    pub seed: u64,
}

/// Notes holding one planted word (or, for `COMMON COMMON2`, both).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Planted {
    /// The query text.
    pub query: String,
    /// Notes holding it, whole vault.
    pub notes: u64,
    /// Notes holding it, the big client only.
    pub in_big: u64,
    /// The newest and oldest note holding it.
    pub newest: Option<DateTime<Utc>>,
    pub oldest: Option<DateTime<Utc>>,
}

impl Planted {
    fn add(&mut self, at: DateTime<Utc>, big: bool) {
        self.notes += 1;
        self.in_big += u64::from(big);
        self.newest = Some(self.newest.map_or(at, |n| n.max(at)));
        self.oldest = Some(self.oldest.map_or(at, |o| o.min(at)));
    }
}

/// What the generator made, for the report and the checks.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Made {
    pub clients: u64,
    pub notes: u64,
    pub drafts: u64,
    pub amendments: u64,
    pub attachments: u64,
    pub attachment_bytes: u64,
    pub text_bytes: u64,
    pub consents: u64,
    pub courses: u64,
    /// One per planted query: `COMMON`, `COMMON2`, `RARE`, `UNCOMMON`, `COMMON COMMON2`.
    pub planted: Vec<Planted>,
}

fn urn(source: &str, what: &str, n: usize) -> String {
    format!("urn:confidant:{source}:{what}:{n}")
}

/// One import call's packages; `big` is the index of the big client among them, if there.
#[derive(Debug)]
pub struct Batch {
    pub packages: Vec<Package>,
    pub big: Option<usize>,
}

/// Incompressible bytes behind a JPEG signature (import sniffs the type from the first bytes).
fn jpeg(rng: &mut Rng, len: usize) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
    while b.len() < len {
        b.extend_from_slice(&rng.next().to_le_bytes());
    }
    b.truncate(len);
    b
}

fn attachment_size(rng: &mut Rng) -> usize {
    // Log-uniform 3 KB..100 KB: many small scans, a few large photos.
    (3_000.0 * (100.0f64 / 3.0).powf(rng.unit())) as usize
}

/// Notes per client: one client has exactly `big_notes`, the rest share the remainder.
fn note_counts(rng: &mut Rng, s: &Shape) -> (Vec<usize>, usize) {
    let big = s.clients / 3;
    let others = s.clients - 1;
    let rest = s.notes - s.big_notes;
    let w: Vec<u64> = (0..others).map(|_| rng.range(10, 90)).collect();
    let sum: u64 = w.iter().sum();
    let mut counts: Vec<usize> = w.iter().map(|x| (x * rest as u64 / sum) as usize).collect();
    let mut short = rest - counts.iter().sum::<usize>();
    let mut i = 0;
    while short > 0 {
        counts[i % others] += 1;
        short -= 1;
        i += 1;
    }
    counts.insert(big, s.big_notes);
    (counts, big)
}

/// The whole generator: yields batches of packages until every client is made.
#[derive(Debug)]
pub struct Generator {
    shape: Shape,
    rng: Rng,
    vocabs: Vec<Vocab>,
    counts: Vec<usize>,
    big: usize,
    next: usize,
    source: String,
    /// What has been made so far.
    pub made: Made,
}

/// A scanned image of incompressible bytes, added to the package's attachments and files
/// and counted; returns its id.
fn attachment(
    source: &str,
    made: &mut Made,
    r: &mut Rng,
    entry_id: Option<String>,
    file_name: String,
    added_at: DateTime<Utc>,
    attachments: &mut Vec<ExportAttachment>,
    files: &mut HashMap<String, Vec<u8>>,
) -> String {
    let size = attachment_size(r);
    let bytes = jpeg(r, size);
    let aid = urn(source, "attachment", made.attachments as usize);
    let path = format!("attachments/{}.jpg", made.attachments);
    attachments.push(ExportAttachment {
        id: aid.clone(),
        entry_id,
        file_name,
        media_type: "image/jpeg".to_owned(),
        size: bytes.len() as u64,
        sha256: hex::encode(Sha256::digest(&bytes)),
        added_at,
        path: path.clone(),
    });
    made.attachments += 1;
    made.attachment_bytes += bytes.len() as u64;
    files.insert(path, bytes);
    aid
}

impl Generator {
    /// A generator for `shape`, seeded by `shape.seed`.
    pub fn new(shape: Shape) -> Generator {
        let mut rng = Rng::new(shape.seed);
        let vocabs = vocabs(&mut rng, &PLANTED.map(|(w, _)| w));
        let (counts, big) = note_counts(&mut rng, &shape);
        let source = format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            rng.next() as u32,
            rng.below(1 << 16),
            rng.below(1 << 12),
            rng.below(1 << 12),
            rng.below(1 << 48)
        );
        let mut made = Made::default();
        for q in PLANTED.iter().map(|(w, _)| (*w).to_owned()).chain([format!("{COMMON} {COMMON2}")]) {
            made.planted.push(Planted { query: q, ..Planted::default() });
        }
        Generator { shape, rng, vocabs, counts, big, next: 0, source, made }
    }

    /// Distinct words per language (for the report).
    pub fn vocabulary_sizes(&self) -> Vec<(String, usize)> {
        self.vocabs.iter().map(|v| (format!("{:?}", v.lang), v.words.len())).collect()
    }

    /// The next batch, or `None` when every client is made.
    pub fn batch(&mut self) -> Option<Batch> {
        if self.next >= self.shape.clients {
            return None;
        }
        let end = (self.next + self.shape.batch).min(self.shape.clients);
        let mut packages = Vec::with_capacity(end - self.next);
        let mut big = None;
        for i in self.next..end {
            if i == self.big {
                big = Some(packages.len());
            }
            packages.push(self.client(i));
        }
        self.next = end;
        Some(Batch { packages, big })
    }

    /// One client's package.
    fn client(&mut self, i: usize) -> Package {
        // Taken out and put back, so the rest of `self` stays borrowable while drawing.
        let mut rng = std::mem::replace(&mut self.rng, Rng::new(0));
        let r = &mut rng;
        let lang = match r.below(10) {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        };
        let v = &self.vocabs[lang];
        let n = self.counts[i];
        let is_big = i == self.big;
        // Notes every 3–14 days (8.5 on average) from a start that leaves room before `now`.
        let total = now() - start();
        let span = Duration::days(n as i64 * 17 / 2).min(total - Duration::days(30));
        let room = (total - span).num_seconds().max(1) as u64;
        let first = start() + Duration::seconds(r.below(room) as i64);
        let squeeze = span.num_days() < n as i64 * 17 / 2;
        let mut at = first;
        let mut dates = Vec::with_capacity(n);
        for _ in 0..n {
            let step = if squeeze { span.num_seconds() / n as i64 } else { r.range(3, 14) as i64 * 86_400 };
            at = (at + Duration::seconds(step)).min(now() - Duration::days(1));
            let day = at.date_naive().and_hms_opt(8, 0, 0).map(|d| d.and_utc()).unwrap_or(at);
            dates.push(day + Duration::seconds(r.below(10 * 3600) as i64));
        }
        let ncourses = (r.range(1, 3) as usize).min(n.max(1));
        let per = n.div_ceil(ncourses).max(1);
        let recent = dates.last().is_some_and(|d| now() - *d < Duration::days(365));
        let given = (*r.pick(v.given)).to_owned();
        let family = (*r.pick(v.family)).to_owned();
        let mut files = HashMap::new();
        let mut attachments = Vec::new();
        let mut courses = Vec::new();
        for k in 0..ncourses {
            let lo = (k * per).min(n.saturating_sub(1));
            let hi = ((k + 1) * per).min(n).saturating_sub(1);
            let start_date = dates.get(lo).map_or(first.date_naive(), DateTime::date_naive);
            let closed = k + 1 < ncourses || !recent;
            courses.push(ExportCourse {
                id: urn(&self.source, "course", i * 10 + k),
                title: format!("{} {}", v.words[r.zipf(200)], k + 1),
                reason: text(r, v, 80, &[]),
                start_date,
                end_date: closed.then(|| dates.get(hi).map_or(start_date, DateTime::date_naive)),
            });
        }
        let mut entries = Vec::with_capacity(n);
        for (j, &occurred) in dates.iter().enumerate() {
            let plant: Vec<&str> = PLANTED.iter().filter(|(_, p)| r.chance(*p)).map(|(w, _)| *w).collect();
            for (q, (w, _)) in self.made.planted.iter_mut().zip(PLANTED) {
                if plant.contains(&w) {
                    q.add(occurred, is_big);
                }
            }
            if plant.contains(&COMMON) && plant.contains(&COMMON2) {
                self.made.planted[PLANTED.len()].add(occurred, is_big);
            }
            let kind = match r.below(100) {
                0..=79 => EntryKind::Session,
                80..=87 => EntryKind::PhoneCall,
                88..=92 => EntryKind::Message,
                93..=96 => EntryKind::Administrative,
                _ => EntryKind::Note,
            };
            let len = r.range(1000, 5000) as usize;
            let body = text(r, v, len, &plant);
            self.made.text_bytes += body.len() as u64;
            let title = format!("{} {} {}", j + 1, v.words[r.zipf(300)], v.words[r.zipf(300)]);
            let tags: Vec<String> = if r.chance(0.6) {
                // Sorted, not a set: a set's order would differ between runs of the same seed.
                let mut t: Vec<String> = (0..r.range(1, 3)).map(|_| (*r.pick(v.tags)).to_owned()).collect();
                t.sort();
                t.dedup();
                t
            } else {
                Vec::new()
            };
            let recorded = occurred + Duration::minutes(r.range(30, 180) as i64);
            let draft = r.chance(0.02) || (recent && j + 1 == n && r.chance(0.3));
            let id = urn(&self.source, "entry", self.made.notes as usize);
            let mut e = ExportEntry {
                id: id.clone(),
                course_id: courses[(j / per).min(ncourses - 1)].id.clone(),
                kind,
                occurred_at: occurred,
                recorded_at: recorded,
                duration_minutes: (kind == EntryKind::Session).then(|| *r.pick(&[45, 50, 60, 90])),
                status: EntryStatus::Draft,
                signed_at: None,
                signed_by: None,
                title,
                body,
                tags,
                versions: Vec::new(),
                withheld: None,
                attachment_ids: Vec::new(),
            };
            self.made.notes += 1;
            if draft {
                self.made.drafts += 1;
            } else {
                let signed = recorded + Duration::minutes(r.range(5, 120) as i64);
                e.status = EntryStatus::Signed;
                e.signed_at = Some(signed);
                e.signed_by = Some("Anna Lindqvist, leg. psykoterapeut".to_owned());
                let mut v0 = EntryVersion {
                    number: 0,
                    at: signed,
                    reason: None,
                    title: e.title.clone(),
                    body: e.body.clone(),
                    tags: e.tags.clone(),
                };
                e.versions.push(v0.clone());
                let amendments = match r.below(100) {
                    0..=7 => 1,
                    8..=9 => 2,
                    _ => 0,
                };
                for a in 1..=amendments {
                    v0.number = a;
                    v0.at += Duration::days(r.range(1, 30) as i64);
                    v0.reason = Some((*r.pick(v.reasons)).to_owned());
                    let len = r.range(80, 400) as usize;
                    v0.body = format!("{}\n\n{}", v0.body, text(r, v, len, &[]));
                    e.versions.push(v0.clone());
                    self.made.amendments += 1;
                }
                let last = v0;
                e.title = last.title;
                e.body = last.body;
                e.tags = last.tags;
            }
            if r.below(self.shape.attachment_every) == 0 {
                let aid = attachment(
                    &self.source,
                    &mut self.made,
                    r,
                    Some(id),
                    format!("skanning-{j}.jpg"),
                    recorded,
                    &mut attachments,
                    &mut files,
                );
                e.attachment_ids.push(aid);
            }
            entries.push(e);
        }
        let mut consents = Vec::new();
        if r.chance(0.5) {
            let given_on = courses[0].start_date;
            let written = r.chance(0.5);
            let at = given_on.and_hms_opt(12, 0, 0).map_or(first, |d| d.and_utc());
            let evidence = written.then(|| {
                attachment(
                    &self.source,
                    &mut self.made,
                    r,
                    None,
                    "samtycke.jpg".to_owned(),
                    at,
                    &mut attachments,
                    &mut files,
                )
            });
            consents.push(ExportConsent {
                id: urn(&self.source, "consent", i),
                purpose: ConsentPurpose::Treatment,
                text: "Behandling och journalföring enligt gällande regler.".to_owned(),
                text_version: "2024-1".to_owned(),
                given_on,
                given_how: if written { ConsentForm::Written } else { ConsentForm::Verbal },
                withdrawn_on: None,
                evidence_attachment_id: evidence,
            });
            self.made.consents += 1;
        }
        self.made.clients += 1;
        self.made.courses += courses.len() as u64;
        let birth = NaiveDate::from_ymd_opt(1940 + r.below(68) as i32, 1 + r.below(12) as u32, 1 + r.below(28) as u32);
        let data = ExportData {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: now(),
            language: v.lang,
            practice: Practice {
                name: "Mottagningen Lingon".to_owned(),
                address: "Storgatan 1, 111 22 Stockholm".to_owned(),
                therapist_name: "Anna Lindqvist".to_owned(),
                therapist_title: "leg. psykoterapeut".to_owned(),
            },
            client: ExportClient {
                id: format!("urn:confidant:{}:client:c{i:06}", self.source),
                given_name: given,
                family_name: family,
                birth_date: birth,
                identifiers: Vec::new(),
                address: format!("Exempelvägen {}, 123 45 Exempelstad", i % 200 + 1),
                email: format!("klient{i}@example.org"),
                phones: Vec::new(),
                emergency_contact: None,
                custom_fields: Vec::new(),
                status: if recent { "active" } else { "archived" }.to_owned(),
                created_at: first,
                history: Vec::new(),
            },
            courses,
            entries,
            consents,
            attachments,
            sessions: Vec::new(),
            invoices: Vec::new(),
            measures: Vec::new(),
            instruments: Vec::new(),
            access_log: None,
            disclosure: Disclosure { identity_check: "Legitimation visad".to_owned(), withheld_entries: 0 },
        };
        self.rng = rng;
        // A generator bug, not a runtime condition: the package must pass the import's checks.
        Package::from_parts(data, files).expect("a generated package passes the import checks")
    }
}

/// `n` Swedish note texts of about `bytes` each from `seed`, with no planted word (the bodies
/// of the timed saves).
pub fn note_texts(seed: u64, bytes: usize, n: usize) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let v = vocabs(&mut rng, &PLANTED.map(|(w, _)| w)).swap_remove(0);
    (0..n).map(|_| text(&mut rng, &v, bytes, &[])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold;

    #[test]
    fn same_seed_same_text_and_planted_words_are_not_in_the_vocabulary() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        let planted = PLANTED.map(|(w, _)| w);
        let va = vocabs(&mut a, &planted);
        let vb = vocabs(&mut b, &planted);
        assert_eq!(text(&mut a, &va[0], 2000, &[COMMON]), text(&mut b, &vb[0], 2000, &[COMMON]));
        for v in &va {
            assert!(v.words.len() > 4000, "{:?}: {}", v.lang, v.words.len());
            assert!(v.words.iter().all(|w| !PLANTED.iter().any(|(p, _)| fold(w).starts_with(p))));
        }
        let t = text(&mut a, &va[1], 1500, &[RARE, COMMON2]);
        assert!(t.len() >= 1500 && t.trim() == t && t.to_lowercase().contains(RARE));
    }

    #[test]
    fn a_small_vault_is_the_same_for_the_same_seed_and_passes_the_import_checks() {
        let s = Shape { clients: 6, notes: 120, big_notes: 40, batch: 4, attachment_every: 10, seed: 3 };
        let run = || {
            let mut g = Generator::new(s);
            let (mut batches, mut entries) = (Vec::new(), 0);
            while let Some(b) = g.batch() {
                entries += b.packages.iter().map(Package::entries).sum::<usize>();
                batches.push((b.packages.len(), b.big));
            }
            (serde_json::to_string(&g.made).unwrap_or_default(), batches, entries)
        };
        let first = run();
        assert_eq!(first, run());
        assert_eq!((first.1, first.2), (vec![(4, Some(2)), (2, None)], 120));
    }

    #[test]
    fn counts_add_up_and_one_client_is_big() {
        let s = Shape { clients: 150, notes: 6000, big_notes: 200, batch: 50, attachment_every: 25, seed: 1 };
        let (c, big) = note_counts(&mut Rng::new(1), &s);
        assert_eq!((c.len(), c.iter().sum::<usize>(), c[big]), (150, 6000, 200));
        assert_eq!(c.iter().filter(|&&n| n == 200).count(), 1);
    }
}
