//! The raw material of the generator: a seeded random source and, per language, a vocabulary
//! ranked for a Zipf draw and the sentences made from it.
//!
//! The vocabulary is about 1,300 real words in `words.txt` (function words first, then a
//! therapist's words), then word forms (suffixes; `un`/`re` prefixes in English) and, for
//! Swedish and Danish, 14,000 compounds of two real words drawn by rank: 7,000–14,000 distinct
//! words per language, so the index has a realistic term dictionary and long posting lists
//! only for the common words.

use std::collections::HashSet;

use confidant_core::domain::profile::Language;

/// splitmix64 to spread the seed, then xorshift64*: tiny, fast and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value, 0 included).
    pub fn new(seed: u64) -> Rng {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// A rank in `0..n` with probability ∝ 1/(rank+1) (Zipf, s = 1, continuous approximation).
    pub fn zipf(&mut self, n: usize) -> usize {
        ((n as f64).powf(self.unit()) as usize).saturating_sub(1).min(n - 1)
    }
    /// One of `v`, uniformly.
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

pub(crate) struct Vocab {
    pub lang: Language,
    pub words: Vec<String>,
    pub tags: &'static [&'static str],
    pub given: &'static [&'static str],
    pub family: &'static [&'static str],
    pub reasons: &'static [&'static str],
}

impl std::fmt::Debug for Vocab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vocab({:?}, {} words)", self.lang, self.words.len())
    }
}

const WORDS: &str = include_str!("words.txt");

/// Lowercase with the diacritics search folds away, enough to test a planted prefix.
pub(crate) fn fold(w: &str) -> String {
    w.to_lowercase()
        .chars()
        .map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        })
        .collect()
}

fn real_words(lang: &str) -> Vec<&'static str> {
    let mut on = false;
    let mut out = Vec::new();
    for line in WORDS.lines() {
        if let Some(h) = line.strip_prefix("# ") {
            on = h.trim() == lang;
        } else if on && !line.starts_with('#') {
            out.extend(line.split_whitespace());
        }
    }
    out
}

/// Real words, then their forms, then compounds: a vocabulary ranked for the Zipf draw.
fn vocabulary(lang: &str, rng: &mut Rng, exclude: &[&str]) -> Vec<String> {
    let real = real_words(lang);
    let suffixes: &[&str] = match lang {
        "sv" => &["en", "et", "er", "ar", "or", "na", "erna", "arna", "ade", "ande", "ning", "het", "lig", "liga"],
        "da" => &["en", "et", "er", "e", "ne", "erne", "ene", "ede", "ende", "hed", "lig", "lige", "ning"],
        _ => &["s", "ed", "ing", "er", "ness", "ful", "less", "ly", "ment", "ism", "able", "ish"],
    };
    let mut words: Vec<String> = real.iter().map(|w| (*w).to_owned()).collect();
    for w in &real {
        for s in suffixes {
            words.push(format!("{w}{s}"));
        }
        if lang == "en" {
            words.push(format!("un{w}"));
            words.push(format!("re{w}"));
        }
    }
    if lang != "en" {
        let long: Vec<&str> = real.iter().copied().filter(|w| w.chars().count() >= 4).collect();
        for _ in 0..14_000 {
            let (a, b) = (long[rng.zipf(long.len())], long[rng.zipf(long.len())]);
            words.push(format!("{a}{b}"));
        }
    }
    let mut seen = HashSet::new();
    words.retain(|w| {
        let f = fold(w);
        !exclude.iter().any(|p| f.starts_with(p)) && seen.insert(f)
    });
    words
}

/// The three languages' vocabularies, without any word that starts with one in `exclude`.
pub(crate) fn vocabs(rng: &mut Rng, exclude: &[&str]) -> Vec<Vocab> {
    vec![
        Vocab {
            lang: Language::Sv,
            words: vocabulary("sv", rng, exclude),
            tags: &[
                "KBT",
                "sömn",
                "ångest",
                "familj",
                "arbete",
                "relation",
                "exponering",
                "uppföljning",
                "kris",
                "sorg",
            ],
            given: &[
                "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Anders", "Elin", "Mikael", "Ida", "Oskar",
            ],
            family: &[
                "Lindqvist",
                "Andersson",
                "Johansson",
                "Karlsson",
                "Nilsson",
                "Eriksson",
                "Berg",
                "Holm",
                "Sjöberg",
            ],
            reasons: &["Rättelse av datum", "Kompletterande uppgift", "Felskrivning", "Klienten bad om tillägg"],
        },
        Vocab {
            lang: Language::Da,
            words: vocabulary("da", rng, exclude),
            tags: &["KAT", "søvn", "familie", "arbejde", "eksponering", "opfølgning", "krise", "sorg", "stress"],
            given: &["Mette", "Søren", "Louise", "Rasmus", "Camilla", "Mads", "Line", "Jesper", "Signe", "Anders"],
            family: &["Nielsen", "Jensen", "Hansen", "Pedersen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen"],
            reasons: &["Rettelse af dato", "Supplerende oplysning", "Skrivefejl", "Klienten bad om tilføjelse"],
        },
        Vocab {
            lang: Language::En,
            words: vocabulary("en", rng, exclude),
            tags: &["CBT", "sleep", "family", "work", "exposure", "follow-up", "crisis", "grief", "worry"],
            given: &["Emma", "James", "Olivia", "Thomas", "Sophie", "Daniel", "Grace", "Samuel", "Hannah", "Peter"],
            family: &["Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Hughes", "Clarke"],
            reasons: &["Date corrected", "Additional information", "Typing error", "Added at the client's request"],
        },
    ]
}

/// Sentences of Zipf-drawn words, at least `bytes` long, with `plant` words placed somewhere
/// in the first half. Never starts or ends with whitespace (import trims, and a signed note's
/// history must end in exactly its current text).
pub(crate) fn text(rng: &mut Rng, v: &Vocab, bytes: usize, plant: &[&str]) -> String {
    let mut s = String::with_capacity(bytes + 64);
    let approx_words = (bytes / 7).max(2) as u64;
    let mut at: Vec<(u64, &str)> = plant.iter().map(|p| (rng.below(approx_words / 2), *p)).collect();
    at.sort_unstable();
    let (mut n, mut in_sentence, mut sentences) = (0u64, 0u64, 0u64);
    let mut sentence_len = rng.range(6, 18);
    while s.len() < bytes || !at.is_empty() {
        let w: &str = match at.first() {
            Some(&(k, p)) if k <= n => {
                at.remove(0);
                p
            }
            _ => &v.words[rng.zipf(v.words.len())],
        };
        if in_sentence == 0 {
            let mut c = w.chars();
            if let Some(f) = c.next() {
                s.extend(f.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
        n += 1;
        in_sentence += 1;
        if in_sentence >= sentence_len {
            s.push('.');
            sentences += 1;
            in_sentence = 0;
            sentence_len = rng.range(6, 18);
            s.push_str(if sentences % rng.range(3, 6) == 0 { "\n\n" } else { " " });
        }
    }
    let mut out = s.trim_end().to_owned();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
