//! The built-in instruments as data: items, answer range, scoring rule, severity bands, flags
//! and reliable change, each with its source. Scoring is pure, so every rule is tested against
//! its manual's worked examples without a vault.

use serde::{Deserialize, Serialize};

use crate::{Error, Reason, Result};

/// How an instrument's score is made from its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Scoring {
    /// The sum of every item; every item must be answered.
    Sum,
    /// The sum of every item times a factor (WHO-5: × 4, a percentage).
    SumTimes(u32),
    /// CORE-10's clinical score: the mean item score (reversed items turned) × 10, rounded;
    /// one item may be left out.
    CoreClinical,
    /// Only the total is recorded (instruments whose items may not be shipped).
    TotalOnly,
}

/// A severity band: scores `from..=to` read as `label`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Band {
    /// Lowest score in the band.
    pub from: u32,
    /// Highest score in the band.
    pub to: u32,
    /// Stable name (`moderate`), translated by the UI.
    pub label: String,
}

/// An instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Instrument {
    /// Stable id (`phq9`).
    pub id: String,
    /// Its usual name ("PHQ-9").
    pub name: String,
    /// Number of items (0 for a total-only instrument).
    pub items: u32,
    /// Lowest answer of an item.
    pub min_answer: u32,
    /// Highest answer of an item.
    pub max_answer: u32,
    /// Items scored in reverse (1-based).
    pub reversed: Vec<u32>,
    /// How the score is made.
    pub scoring: Scoring,
    /// Highest possible score.
    pub max_score: u32,
    /// Whether a higher score means worse (PHQ-9) or better (WHO-5).
    pub higher_is_worse: bool,
    /// Severity bands, lowest scores first, covering `0..=max_score`.
    pub bands: Vec<Band>,
    /// The smallest change that counts as reliable (improvement or deterioration).
    pub reliable_change: u32,
    /// Items flagged whenever answered above 0 (1-based): PHQ-9's item 9, thoughts of self-harm.
    pub flag_items: Vec<u32>,
    /// Where the scoring, bands and reliable change come from.
    pub source: String,
    /// The texts to show, when the instrument's items may be shipped and a translation is
    /// known (see `docs/instrument-texts.md`): in the language asked, else in English. A custom
    /// instrument's are the therapist's own.
    pub texts: Option<Texts>,
    /// Defined by the therapist ([`super::custom`]): its band labels are shown as written.
    #[serde(default)]
    pub custom: bool,
    /// A custom instrument offered for no new result (its results stay).
    #[serde(default)]
    pub retired: bool,
}

/// An instrument's wording in one language, verbatim from its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Texts {
    /// The language of these texts (English when the language asked has no known translation).
    pub language: crate::domain::profile::Language,
    /// The instruction.
    pub intro: Option<String>,
    /// The items, in order.
    pub items: Vec<String>,
    /// The answer labels, from the lowest answer to the highest (WHO-5: from "at no time").
    pub options: Vec<String>,
    /// Where the wording comes from.
    pub source: String,
}

#[derive(Deserialize)]
struct Stored {
    intro: Option<String>,
    items: Vec<String>,
    options: Vec<String>,
    source: String,
}

/// The texts of instrument `id` in `lang`, else English; `None` when none are shipped.
pub fn texts(id: &str, lang: crate::domain::profile::Language) -> Option<Texts> {
    use crate::domain::profile::Language;
    let all: std::collections::HashMap<String, std::collections::HashMap<String, Stored>> =
        serde_json::from_str(include_str!("texts.json")).ok()?;
    let of = all.get(id)?;
    let code = |l: Language| crate::domain::profile::enum_to_str(&l);
    let (language, t) = of.get(&code(lang)).map(|t| (lang, t)).or_else(|| of.get("en").map(|t| (Language::En, t)))?;
    let mut options = t.options.clone();
    // Stored as the form prints them; WHO-5 prints the highest answer (5) first.
    if id == "who5" {
        options.reverse();
    }
    Some(Texts { language, intro: t.intro.clone(), items: t.items.clone(), options, source: t.source.clone() })
}

/// Every built-in instrument with its texts in `lang` (or English).
pub fn with_texts(lang: crate::domain::profile::Language) -> Vec<Instrument> {
    builtin()
        .into_iter()
        .map(|mut i| {
            i.texts = texts(&i.id, lang);
            i
        })
        .collect()
}

fn band(from: u32, to: u32, label: &str) -> Band {
    Band { from, to, label: label.to_owned() }
}

/// Every built-in instrument, in the order the app offers them.
pub fn builtin() -> Vec<Instrument> {
    vec![
        Instrument {
            id: "phq9".into(),
            name: "PHQ-9".into(),
            items: 9,
            min_answer: 0,
            max_answer: 3,
            reversed: vec![],
            scoring: Scoring::Sum,
            max_score: 27,
            higher_is_worse: true,
            bands: vec![
                band(0, 4, "minimal"),
                band(5, 9, "mild"),
                band(10, 14, "moderate"),
                band(15, 19, "moderately_severe"),
                band(20, 27, "severe"),
            ],
            reliable_change: 6,
            flag_items: vec![9],
            texts: None,
            custom: false,
            retired: false,
            source: "Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606–613 (bands); reliable change ≥ 6: NHS Talking Therapies Manual (2024)".into(),
        },
        Instrument {
            id: "gad7".into(),
            name: "GAD-7".into(),
            items: 7,
            min_answer: 0,
            max_answer: 3,
            reversed: vec![],
            scoring: Scoring::Sum,
            max_score: 21,
            higher_is_worse: true,
            bands: vec![band(0, 4, "minimal"), band(5, 9, "mild"), band(10, 14, "moderate"), band(15, 21, "severe")],
            reliable_change: 4,
            flag_items: vec![],
            texts: None,
            custom: false,
            retired: false,
            source: "Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092–1097 (bands, cut-off 10); reliable change ≥ 4: NHS Talking Therapies Manual (2024)".into(),
        },
        Instrument {
            id: "who5".into(),
            name: "WHO-5".into(),
            items: 5,
            min_answer: 0,
            max_answer: 5,
            reversed: vec![],
            scoring: Scoring::SumTimes(4),
            max_score: 100,
            higher_is_worse: false,
            bands: vec![band(0, 28, "likely_depression"), band(29, 50, "poor_wellbeing"), band(51, 100, "good_wellbeing")],
            reliable_change: 10,
            flag_items: vec![],
            texts: None,
            custom: false,
            retired: false,
            source: "Topp, Østergaard, Søndergaard & Bech (2015), Psychother Psychosom 84:167–176; Psychiatric Research Unit, Region Hovedstaden (≤ 50 poor, ≤ 28 likely depression, 10 points a meaningful change)".into(),
        },
        Instrument {
            id: "core10".into(),
            name: "CORE-10".into(),
            items: 10,
            min_answer: 0,
            max_answer: 4,
            reversed: vec![2, 3],
            scoring: Scoring::CoreClinical,
            max_score: 40,
            higher_is_worse: true,
            bands: vec![
                band(0, 5, "healthy"),
                band(6, 10, "low"),
                band(11, 14, "mild"),
                band(15, 19, "moderate"),
                band(20, 24, "moderately_severe"),
                band(25, 40, "severe"),
            ],
            reliable_change: 6,
            flag_items: vec![6],
            texts: None,
            custom: false,
            retired: false,
            source: "Barkham et al. (2013), Counselling and Psychotherapy Research 13:3–13 (clinical score, bands, cut-off 11, reliable change 6); CORE-10 item 6 asks about plans to end one's life".into(),
        },
        Instrument {
            id: "madrs_s".into(),
            name: "MADRS-S".into(),
            items: 0,
            min_answer: 0,
            max_answer: 0,
            reversed: vec![],
            scoring: Scoring::TotalOnly,
            max_score: 54,
            higher_is_worse: true,
            bands: vec![],
            reliable_change: 0,
            flag_items: vec![],
            texts: None,
            custom: false,
            retired: false,
            source: "Svanborg & Åsberg (1994); items not shipped (copyright): the total only".into(),
        },
        Instrument {
            id: "ors".into(),
            name: "ORS".into(),
            items: 0,
            min_answer: 0,
            max_answer: 0,
            reversed: vec![],
            scoring: Scoring::TotalOnly,
            max_score: 40,
            higher_is_worse: false,
            bands: vec![],
            reliable_change: 0,
            flag_items: vec![],
            texts: None,
            custom: false,
            retired: false,
            source: "Miller & Duncan (2000); items not shipped (copyright): the total only".into(),
        },
    ]
}

/// A result as scored: the score, its band and its flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// The score.
    pub score: u32,
    /// The band's label, when the instrument has bands.
    pub band: Option<String>,
    /// Flagged items (1-based), answered above the lowest answer.
    pub flags: Vec<u32>,
}

impl Instrument {
    /// Scores `answers` (one per item, `None` where left out) or, for a total-only instrument,
    /// `total`. Refuses answers out of range, a wrong count, or too many left out.
    pub fn score(&self, answers: &[Option<u32>], total: Option<u32>) -> Result<Scored> {
        if self.scoring == Scoring::TotalOnly {
            let t = total.ok_or(Error::invalid("score", Reason::Required))?;
            if t > self.max_score || !answers.is_empty() {
                return Err(Error::invalid("score", Reason::OutOfRange));
            }
            return Ok(Scored { score: t, band: self.band_of(t), flags: vec![] });
        }
        if answers.len() != self.items as usize {
            return Err(Error::invalid("answers", Reason::TooMany));
        }
        if answers.iter().flatten().any(|a| !(self.min_answer..=self.max_answer).contains(a)) {
            return Err(Error::invalid("answers", Reason::OutOfRange));
        }
        let missing = answers.iter().filter(|a| a.is_none()).count();
        let allowed = if self.scoring == Scoring::CoreClinical { 1 } else { 0 };
        if missing > allowed {
            return Err(Error::invalid("answers", Reason::Required));
        }
        let turned = |i: usize, a: u32| {
            if self.reversed.contains(&(i as u32 + 1)) {
                self.max_answer + self.min_answer - a
            } else {
                a
            }
        };
        let sum: u32 = answers.iter().enumerate().filter_map(|(i, a)| a.map(|a| turned(i, a))).sum();
        let score = match self.scoring {
            Scoring::Sum => sum,
            Scoring::SumTimes(k) => sum * k,
            Scoring::CoreClinical => {
                let answered = (answers.len() - missing) as u32;
                // 10 × mean, rounded half up, in whole numbers only.
                (sum * 100 / answered + 5) / 10
            }
            Scoring::TotalOnly => unreachable!("handled above"),
        };
        let flags = self
            .flag_items
            .iter()
            .copied()
            .filter(|&i| answers.get(i as usize - 1).copied().flatten().is_some_and(|a| a > self.min_answer))
            .collect();
        Ok(Scored { score, band: self.band_of(score), flags })
    }

    fn band_of(&self, score: u32) -> Option<String> {
        self.bands.iter().find(|b| (b.from..=b.to).contains(&score)).map(|b| b.label.clone())
    }
}

/// A built-in instrument by id.
pub fn find(id: &str) -> Result<Instrument> {
    builtin().into_iter().find(|i| i.id == id).ok_or(Error::invalid("instrument", Reason::Format))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(answers: &[u32]) -> Vec<Option<u32>> {
        answers.iter().map(|a| Some(*a)).collect()
    }

    #[test]
    fn phq9_sums_bands_at_every_boundary_and_flags_item_9() {
        let phq = find("phq9").unwrap();
        // Kroenke et al. 2001: 5, 10, 15, 20 are the lower bounds of mild … severe.
        for (score, band) in [
            (0, "minimal"),
            (4, "minimal"),
            (5, "mild"),
            (9, "mild"),
            (10, "moderate"),
            (14, "moderate"),
            (15, "moderately_severe"),
            (19, "moderately_severe"),
            (20, "severe"),
            (27, "severe"),
        ] {
            let mut a = vec![0; 9];
            let mut left = score;
            for x in a.iter_mut().take(8) {
                *x = left.min(3);
                left -= *x;
            }
            a[8] = left;
            let s = phq.score(&all(&a), None).unwrap();
            assert_eq!((s.score, s.band.as_deref()), (score, Some(band)), "{a:?}");
        }
        let s = phq.score(&all(&[0, 0, 0, 0, 0, 0, 0, 0, 1]), None).unwrap();
        assert_eq!(s.flags, [9], "any answer above 0 on item 9 is flagged");
        assert!(phq.score(&all(&[1, 1, 1, 1, 1, 1, 1, 1, 0]), None).unwrap().flags.is_empty());
        assert!(
            matches!(phq.score(&all(&[4, 0, 0, 0, 0, 0, 0, 0, 0]), None), Err(Error::Validation(f)) if f.reason == Reason::OutOfRange)
        );
        let mut gap = all(&[1; 9]);
        gap[3] = None;
        assert!(matches!(phq.score(&gap, None), Err(Error::Validation(f)) if f.reason == Reason::Required));
        assert!(phq.score(&all(&[1; 8]), None).is_err());
    }

    #[test]
    fn gad7_and_who5_score_as_their_manuals_say() {
        let gad = find("gad7").unwrap();
        assert_eq!(gad.score(&all(&[1, 2, 1, 2, 1, 2, 1]), None).unwrap().band.as_deref(), Some("moderate"));
        assert_eq!(gad.score(&all(&[3; 7]), None).unwrap().score, 21);
        // WHO-5: raw 0–25 × 4. Raw 7 → 28 (likely depression), 12 → 48 (poor), 13 → 52.
        let who = find("who5").unwrap();
        for (raw, score, band) in [
            ([1, 1, 2, 1, 2], 28, "likely_depression"),
            ([2, 2, 3, 2, 3], 48, "poor_wellbeing"),
            ([3, 2, 3, 2, 3], 52, "good_wellbeing"),
        ] {
            let s = who.score(&all(&raw), None).unwrap();
            assert_eq!((s.score, s.band.as_deref()), (score, Some(band)), "{raw:?}");
        }
        assert!(!who.higher_is_worse);
    }

    #[test]
    fn core10_turns_items_2_and_3_and_prorates_one_missing_item() {
        let core = find("core10").unwrap();
        // All "not at all" (0): items 2 and 3 (positively worded) turn to 4 each → 8 of 40.
        assert_eq!(core.score(&all(&[0; 10]), None).unwrap().score, 8);
        // Worst on every item (items 2 and 3 answered 0, turned to 4): 40.
        let worst = all(&[4, 0, 0, 4, 4, 4, 4, 4, 4, 4]);
        assert_eq!(core.score(&worst, None).unwrap().score, 40);
        // One item left out: 10 × mean of the nine. Nine answers summing to 13 → 14.4 → 14.
        let mut nine = all(&[2, 3, 3, 1, 2, 1, 1, 2, 2, 1]);
        nine[9] = None;
        let s = core.score(&nine, None).unwrap();
        assert_eq!((s.score, s.band.as_deref()), (14, Some("mild")));
        let mut eight = nine.clone();
        eight[8] = None;
        assert!(core.score(&eight, None).is_err(), "two left out: no score");
        assert_eq!(core.score(&all(&[0, 4, 4, 0, 0, 1, 0, 0, 0, 0]), None).unwrap().flags, [6]);
    }

    #[test]
    fn texts_match_their_instruments_and_fall_back_to_english() {
        use crate::domain::profile::Language;
        for lang in [Language::Sv, Language::Da, Language::En] {
            for i in with_texts(lang) {
                if let Some(t) = &i.texts {
                    assert_eq!(t.items.len(), i.items as usize, "{} {lang:?}", i.id);
                    assert_eq!(t.options.len() as u32, i.max_answer - i.min_answer + 1, "{} {lang:?}", i.id);
                }
            }
        }
        let sv = texts("phq9", Language::Sv).unwrap();
        assert_eq!((sv.language, sv.options[0].as_str()), (Language::Sv, "Inte alls"));
        let gad_sv = texts("gad7", Language::Sv).unwrap();
        assert_eq!(gad_sv.language, Language::En, "no verified Swedish GAD-7: English, said so");
        let who = texts("who5", Language::Da).unwrap();
        assert_eq!((who.options[0].as_str(), who.options[5].as_str()), ("På intet tidspunkt", "Hele tiden"));
        assert!(texts("madrs_s", Language::Sv).is_none(), "copyright: no items shipped");
    }

    #[test]
    fn total_only_instruments_take_the_total_within_range() {
        let madrs = find("madrs_s").unwrap();
        assert_eq!(madrs.score(&[], Some(23)).unwrap().score, 23);
        assert!(madrs.score(&[], Some(55)).is_err());
        assert!(madrs.score(&[], None).is_err());
        assert!(find("unknown").is_err());
        for i in builtin() {
            if !i.bands.is_empty() {
                assert_eq!(i.bands[0].from, 0, "{}", i.id);
                assert_eq!(i.bands.last().unwrap().to, i.max_score, "{}", i.id);
                assert!(i.bands.windows(2).all(|w| w[1].from == w[0].to + 1), "{}: bands leave no gap", i.id);
            }
        }
    }
}
