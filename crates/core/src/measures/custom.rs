//! The therapist's own instruments: items, answer scale, scoring, bands, flags and reliable
//! change as data, the same [`Instrument`] a built-in one is, so recording, series, the plot,
//! the export and the import treat both alike. A result names one as `custom-<id>`.
//!
//! # Rules
//! - A name (one line, ≤ 80 characters) and either items — 1 to 60 lines of text (≤ 300
//!   characters each) answered on one scale from `min_answer` to `max_answer` (at most 0–10),
//!   with one label per answer or none — or no items and a total only, whose highest score is
//!   given (1–1000).
//! - The score is the sum of the answers, a reversed item counting `max_answer − answer +
//!   min_answer`; every item must be answered. The highest score follows from the items.
//! - Reversed and flagged items name items that exist, each once. A flag is raised whenever a
//!   flagged item is answered above the scale's lowest answer.
//! - Bands, when given, run from 0 to the highest score in order, without gap or overlap, each
//!   with a label (≤ 60 characters, the therapist's own words, shown as written).
//! - Reliable change is at most the highest score; 0 shows none.
//! - A definition may be changed until a result has been recorded with it. From then on it is
//!   kept as it was (the database refuses a change), so every past result keeps the rule that
//!   scored it. An instrument is never deleted: it is retired (offered for no new result) and
//!   its results stay in the client's series, plot and export.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::instruments::{self, Band, Instrument, Scoring, Texts};
use crate::audit::{Action, Target};
use crate::domain::profile::Language;
use crate::domain::validate;
use crate::kinds::ObjectKind;
use crate::{time, Error, Reason, Result, Vault};

/// The prefix of a custom instrument's id.
pub const PREFIX: &str = "custom-";

/// The therapist's definition of an instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct InstrumentInput {
    /// Its name ("Sömndagbok, 5 frågor").
    pub name: String,
    /// The instruction shown above the items.
    pub intro: Option<String>,
    /// The items, in order; empty for a total-only instrument.
    pub items: Vec<String>,
    /// One label per answer from the lowest to the highest, or none (the numbers are shown).
    pub options: Vec<String>,
    /// Lowest answer of an item.
    pub min_answer: u32,
    /// Highest answer of an item (at most 10).
    pub max_answer: u32,
    /// Items scored in reverse (1-based).
    pub reversed: Vec<u32>,
    /// `sum` (items answered) or `total_only` (the total is entered).
    pub scoring: Scoring,
    /// The highest total of a total-only instrument (ignored otherwise: it follows from the items).
    pub max_score: Option<u32>,
    /// Whether a higher score means worse.
    pub higher_is_worse: bool,
    /// Severity bands, lowest first, covering 0 to the highest score; may be empty.
    pub bands: Vec<Band>,
    /// The smallest change that counts as reliable; 0 for none.
    pub reliable_change: u32,
    /// Items flagged whenever answered above the lowest answer (1-based).
    pub flag_items: Vec<u32>,
}

fn numbers(field: &str, v: &[u32], items: usize) -> Result<Vec<u32>> {
    let mut out = v.to_vec();
    out.sort_unstable();
    if out.iter().any(|&i| i == 0 || i as usize > items) {
        return Err(Error::invalid(field, Reason::OutOfRange));
    }
    if out.windows(2).any(|w| w[0] == w[1]) {
        return Err(Error::invalid(field, Reason::Duplicate));
    }
    Ok(out)
}

/// Checks a definition against the module's rules and makes the instrument it defines, with
/// its texts in `lang` (the language the therapist writes in). Pure.
pub fn clean(input: &InstrumentInput, lang: Language) -> Result<Instrument> {
    let name = validate::one_line("name", &input.name, 80, true)?;
    let intro = match &input.intro {
        Some(t) => Some(validate::text("intro", t, 1000, false)?).filter(|t| !t.is_empty()),
        None => None,
    };
    let total_only = match input.scoring {
        Scoring::Sum => false,
        Scoring::TotalOnly => true,
        _ => return Err(Error::invalid("scoring", Reason::NotAllowed)),
    };
    let items: Vec<String> = if total_only {
        if !input.items.is_empty() {
            return Err(Error::invalid("items", Reason::NotAllowed));
        }
        vec![]
    } else {
        if input.items.is_empty() {
            return Err(Error::invalid("items", Reason::Required));
        }
        if input.items.len() > 60 {
            return Err(Error::invalid("items", Reason::TooMany));
        }
        input.items.iter().map(|t| validate::one_line("items", t, 300, true)).collect::<Result<_>>()?
    };
    let (min_answer, max_answer) = if total_only { (0, 0) } else { (input.min_answer, input.max_answer) };
    if !total_only && (max_answer > 10 || min_answer >= max_answer) {
        return Err(Error::invalid("max_answer", Reason::OutOfRange));
    }
    let options: Vec<String> = if total_only { vec![] } else { input.options.clone() };
    if !options.is_empty() && options.len() as u32 != max_answer - min_answer + 1 {
        return Err(Error::invalid("options", Reason::TooMany));
    }
    let options = options.iter().map(|t| validate::one_line("options", t, 60, true)).collect::<Result<Vec<_>>>()?;
    let max_score = if total_only {
        match input.max_score {
            Some(m @ 1..=1000) => m,
            Some(_) => return Err(Error::invalid("max_score", Reason::OutOfRange)),
            None => return Err(Error::invalid("max_score", Reason::Required)),
        }
    } else {
        items.len() as u32 * max_answer
    };
    let reversed = numbers("reversed", &input.reversed, items.len())?;
    let flag_items = numbers("flag_items", &input.flag_items, items.len())?;
    let mut bands = Vec::with_capacity(input.bands.len());
    for b in &input.bands {
        let label = validate::one_line("bands", &b.label, 60, true)?;
        bands.push(Band { from: b.from, to: b.to, label });
    }
    if let (Some(first), Some(last)) = (bands.first(), bands.last()) {
        let ordered = bands.iter().all(|b| b.from <= b.to) && bands.windows(2).all(|w| w[1].from == w[0].to + 1);
        if first.from != 0 || last.to != max_score || !ordered {
            return Err(Error::invalid("bands", Reason::Range));
        }
    }
    if input.reliable_change > max_score {
        return Err(Error::invalid("reliable_change", Reason::OutOfRange));
    }
    let texts =
        (!total_only).then(|| Texts { language: lang, intro, items: items.clone(), options, source: String::new() });
    Ok(Instrument {
        id: String::new(),
        name,
        items: items.len() as u32,
        min_answer,
        max_answer,
        reversed,
        scoring: input.scoring,
        max_score,
        higher_is_worse: input.higher_is_worse,
        bands,
        reliable_change: input.reliable_change,
        flag_items,
        source: String::new(),
        texts,
        custom: true,
        retired: false,
    })
}

/// The row id in `custom-<id>`, when `id` names a custom instrument.
pub(crate) fn row_id(id: &str) -> Option<i64> {
    id.strip_prefix(PREFIX)?.parse().ok().filter(|n| *n > 0)
}

fn from_row(id: i64, definition: &str, retired: bool) -> Result<Instrument> {
    let mut i: Instrument = serde_json::from_str(definition).map_err(|_| Error::Internal("instrument definition"))?;
    i.id = format!("{PREFIX}{id}");
    i.custom = true;
    i.retired = retired;
    Ok(i)
}

/// Every custom instrument, retired ones included, in the order they were defined.
pub(crate) fn all(conn: &Connection) -> Result<Vec<Instrument>> {
    let mut st = conn.prepare("SELECT id, definition, retired_at IS NOT NULL FROM instrument ORDER BY id")?;
    let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?)))?;
    rows.map(|r| {
        let (id, d, retired) = r?;
        from_row(id, &d, retired)
    })
    .collect()
}

/// Every instrument: the built-in ones (texts in `lang`), then the therapist's, retired included.
pub(crate) fn every(conn: &Connection, lang: Language) -> Result<Vec<Instrument>> {
    let mut out = instruments::with_texts(lang);
    out.extend(all(conn)?);
    Ok(out)
}

/// A built-in or custom instrument by id.
pub(crate) fn find(conn: &Connection, id: &str) -> Result<Instrument> {
    let Some(n) = row_id(id) else { return instruments::find(id) };
    conn.query_row("SELECT definition, retired_at IS NOT NULL FROM instrument WHERE id = ?1", [n], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
    })
    .optional()?
    .ok_or(Error::invalid("instrument", Reason::Format))
    .and_then(|(d, retired)| from_row(n, &d, retired))
}

/// What is stored of a definition: the instrument without its id and state.
fn definition(i: &Instrument) -> Result<String> {
    let mut d = i.clone();
    d.id = String::new();
    d.retired = false;
    serde_json::to_string(&d).map_err(|_| Error::Internal("encoding"))
}

/// The definition `i` was made from (the inverse of [`clean`]).
fn input_of(i: &Instrument) -> InstrumentInput {
    let t = i.texts.clone();
    InstrumentInput {
        name: i.name.clone(),
        intro: t.as_ref().and_then(|t| t.intro.clone()),
        items: t.as_ref().map(|t| t.items.clone()).unwrap_or_default(),
        options: t.map(|t| t.options).unwrap_or_default(),
        min_answer: i.min_answer,
        max_answer: i.max_answer,
        reversed: i.reversed.clone(),
        scoring: i.scoring,
        max_score: Some(i.max_score),
        higher_is_worse: i.higher_is_worse,
        bands: i.bands.clone(),
        reliable_change: i.reliable_change,
        flag_items: i.flag_items.clone(),
    }
}

/// Stores a received custom instrument (an import): the one already here with the same
/// definition, else a new one. Returns its id here. A definition the rules here would not
/// accept from the therapist is refused (`None`), whatever the package says of it.
pub(crate) fn receive(tx: &Connection, received: &Instrument) -> Result<Option<String>> {
    let lang = received.texts.as_ref().map_or(Language::En, |t| t.language);
    let Ok(mut wanted) = clean(&input_of(received), lang) else { return Ok(None) };
    if wanted.items != received.items || wanted.max_score != received.max_score {
        return Ok(None);
    }
    wanted.retired = false;
    let wanted_def = definition(&wanted)?;
    for i in all(tx)? {
        if definition(&i)? == wanted_def {
            return Ok(Some(i.id));
        }
    }
    let now = time::now_string();
    tx.execute(
        "INSERT INTO instrument (definition, created_at, updated_at) VALUES (?1, ?2, ?2)",
        params![wanted_def, now],
    )?;
    Ok(Some(format!("{PREFIX}{}", tx.last_insert_rowid())))
}

fn used(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM measure WHERE instrument = ?1)", [id], |r| r.get(0))?)
}

impl Vault {
    /// Defines an instrument of the therapist's own (see the module's rules), its texts in the
    /// practice's language.
    pub fn define_instrument(&mut self, input: &InstrumentInput) -> Result<Instrument> {
        let lang = self.profile()?.language;
        let mut i = clean(input, lang)?;
        self.session()?.write(Action::Instrument, |tx| {
            let now = time::now_string();
            tx.execute(
                "INSERT INTO instrument (definition, created_at, updated_at) VALUES (?1, ?2, ?2)",
                params![definition(&i)?, now],
            )?;
            let n = tx.last_insert_rowid();
            i.id = format!("{PREFIX}{n}");
            Ok((i, Target::record(ObjectKind::Instrument, n)))
        })
    }

    /// Changes a custom instrument's definition; refused once a result was recorded with it.
    pub fn update_instrument(&mut self, id: &str, input: &InstrumentInput) -> Result<Instrument> {
        let n = row_id(id).ok_or(Error::NotFound("instrument"))?;
        let lang = self.profile()?.language;
        let mut i = clean(input, lang)?;
        self.session()?.write(Action::Instrument, |tx| {
            let before = find(tx, id).map_err(|_| Error::NotFound("instrument"))?;
            if used(tx, id)? {
                return Err(Error::invalid("instrument", Reason::NotAllowed));
            }
            tx.execute(
                "UPDATE instrument SET definition = ?2, updated_at = ?3 WHERE id = ?1",
                params![n, definition(&i)?, time::now_string()],
            )?;
            i.id = id.to_owned();
            i.retired = before.retired;
            Ok((i, Target::record(ObjectKind::Instrument, n)))
        })
    }

    /// Retires a custom instrument: no new results; the recorded ones stay.
    pub fn retire_instrument(&mut self, id: &str) -> Result<()> {
        let n = row_id(id).ok_or(Error::NotFound("instrument"))?;
        self.session()?.write(Action::Instrument, |tx| {
            let changed = tx.execute(
                "UPDATE instrument SET retired_at = coalesce(retired_at, ?2) WHERE id = ?1",
                params![n, time::now_string()],
            )?;
            if changed == 0 {
                return Err(Error::NotFound("instrument"));
            }
            Ok(((), Target::record(ObjectKind::Instrument, n)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sleep() -> InstrumentInput {
        InstrumentInput {
            name: "Sömn".into(),
            intro: Some("Senaste veckan".into()),
            items: vec!["Somnade lätt".into(), "Vaknade ofta".into(), "Utvilad".into()],
            options: vec!["Aldrig".into(), "Ibland".into(), "Ofta".into(), "Alltid".into()],
            min_answer: 0,
            max_answer: 3,
            reversed: vec![1, 3],
            scoring: Scoring::Sum,
            max_score: None,
            higher_is_worse: true,
            bands: vec![Band { from: 0, to: 3, label: "Lite".into() }, Band { from: 4, to: 9, label: "Mycket".into() }],
            reliable_change: 3,
            flag_items: vec![2],
        }
    }

    #[test]
    fn a_definition_scores_like_a_builtin_one() {
        let i = clean(&sleep(), Language::Sv).unwrap();
        assert_eq!((i.items, i.max_score), (3, 9));
        // Items 1 and 3 turn: 3 − 3 = 0, 3 − 0 = 3; item 2 as answered.
        let s = i.score(&[Some(3), Some(0), Some(0)], None).unwrap();
        assert_eq!((s.score, s.band.as_deref(), s.flags.as_slice()), (3, Some("Lite"), &[][..]));
        let s = i.score(&[Some(0), Some(2), Some(3)], None).unwrap();
        assert_eq!((s.score, s.band.as_deref(), s.flags.as_slice()), (5, Some("Mycket"), &[2][..]));
        assert!(i.score(&[Some(4), Some(0), Some(0)], None).is_err(), "above the scale");
        assert!(i.score(&[Some(1), None, Some(0)], None).is_err(), "every item answered");
        assert_eq!(i.texts.as_ref().unwrap().options.len(), 4);
    }

    #[test]
    fn a_scale_from_one_turns_within_the_scale() {
        let mut d = sleep();
        (d.min_answer, d.max_answer, d.options, d.bands) = (1, 5, vec![], vec![]);
        let i = clean(&d, Language::Sv).unwrap();
        assert_eq!(i.max_score, 15);
        // Item 1 answered 5 turns to 1; item 3 answered 1 turns to 5.
        assert_eq!(i.score(&[Some(5), Some(2), Some(1)], None).unwrap().score, 8);
        assert_eq!(
            i.score(&[Some(1), Some(1), Some(5)], None).unwrap().flags,
            Vec::<u32>::new(),
            "1 is the lowest answer"
        );
    }

    #[test]
    fn every_bad_definition_names_its_field() {
        let bad = |f: fn(&mut InstrumentInput), field: &str, reason: Reason| {
            let mut d = sleep();
            f(&mut d);
            match clean(&d, Language::Sv) {
                Err(Error::Validation(e)) => assert_eq!((e.field.as_str(), e.reason), (field, reason)),
                other => panic!("{field}: {other:?}"),
            }
        };
        bad(|d| d.name = " ".into(), "name", Reason::Required);
        bad(|d| d.items.clear(), "items", Reason::Required);
        bad(|d| d.items = vec!["x".into(); 61], "items", Reason::TooMany);
        bad(|d| d.items[1] = "två\nrader".into(), "items", Reason::MultipleLines);
        bad(|d| d.max_answer = 11, "max_answer", Reason::OutOfRange);
        bad(|d| d.min_answer = 3, "max_answer", Reason::OutOfRange);
        bad(|d| d.options.pop().map(drop).unwrap_or(()), "options", Reason::TooMany);
        bad(|d| d.reversed = vec![4], "reversed", Reason::OutOfRange);
        bad(|d| d.flag_items = vec![2, 2], "flag_items", Reason::Duplicate);
        bad(|d| d.bands[1].to = 8, "bands", Reason::Range);
        bad(|d| d.bands[1].from = 5, "bands", Reason::Range);
        bad(|d| d.bands[0].label = String::new(), "bands", Reason::Required);
        bad(|d| d.reliable_change = 10, "reliable_change", Reason::OutOfRange);
        bad(|d| d.scoring = Scoring::CoreClinical, "scoring", Reason::NotAllowed);
        bad(|d| d.scoring = Scoring::TotalOnly, "items", Reason::NotAllowed);
        bad(
            |d| {
                (d.scoring, d.items, d.bands, d.reversed, d.flag_items) =
                    (Scoring::TotalOnly, vec![], vec![], vec![], vec![])
            },
            "max_score",
            Reason::Required,
        );
    }

    #[test]
    fn a_total_only_instrument_takes_its_total() {
        let d = InstrumentInput {
            items: vec![],
            options: vec![],
            reversed: vec![],
            flag_items: vec![],
            bands: vec![],
            scoring: Scoring::TotalOnly,
            max_score: Some(40),
            reliable_change: 5,
            ..sleep()
        };
        let i = clean(&d, Language::Da).unwrap();
        assert_eq!((i.items, i.max_score, i.texts.is_none()), (0, 40, true));
        assert_eq!(i.score(&[], Some(31)).unwrap().score, 31);
        assert!(i.score(&[], Some(41)).is_err());
        assert_eq!(row_id("custom-12"), Some(12));
        assert_eq!((row_id("phq9"), row_id("custom-0"), row_id("custom-x")), (None, None, None));
    }
}
