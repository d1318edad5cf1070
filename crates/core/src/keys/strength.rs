//! The passphrase strength rule: zxcvbn score 3 or more. The verdict carries stable codes for
//! the warning and suggestions, so the UI can show them localized next to a live meter.

use serde::{Deserialize, Serialize};

/// The lowest zxcvbn score a new passphrase may have.
pub const MIN_SCORE: u8 = 3;

/// One piece of feedback: a stable code for the UI to translate, and English text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Hint {
    /// A snake_case code, e.g. `a_word_by_itself_is_easy_to_guess`.
    pub code: String,
    /// The checker's English sentence.
    pub text: String,
}

/// The strength of a candidate passphrase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Strength {
    /// 0 (trivial) to 4 (very strong).
    pub score: u8,
    /// Whether the score meets [`MIN_SCORE`].
    pub acceptable: bool,
    /// The main reason it is weak, if any.
    pub warning: Option<Hint>,
    /// How to make it stronger.
    pub suggestions: Vec<Hint>,
}

impl std::fmt::Display for Strength {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "score {} of 4, at least {MIN_SCORE} needed", self.score)?;
        if let Some(w) = &self.warning {
            write!(f, "; {}", w.text)?;
        }
        for s in &self.suggestions {
            write!(f, "; {}", s.text)?;
        }
        Ok(())
    }
}

/// The warning code of a passphrase that is mostly the therapist's or the practice's names.
pub const NAMES_HINT: &str = "names_of_you_or_your_practice_are_easy_to_guess";

/// Rates `passphrase`, penalising words the attacker would try first (`context`: the practice
/// and therapist names; the app's own words are always added).
///
/// On top of zxcvbn, one rule of our own: the names are the first thing anyone who knows the
/// practice tries, and zxcvbn barely penalises several of them joined with spaces ("Anna Lind
/// Terapi Lind" scores well). So the passphrase is rated again with every name taken out
/// (ignoring case, accents and separators); if what is left would not be acceptable on its
/// own, neither is the passphrase, and the warning says why.
pub fn check(passphrase: &str, context: &[&str]) -> Strength {
    let mut inputs: Vec<&str> = vec!["confidant", "journal", "vault", "terapi", "therapy"];
    inputs.extend_from_slice(context);
    let verdict = rate(passphrase, &inputs);
    if !verdict.acceptable {
        return verdict;
    }
    let Some(rest) = without_names(passphrase, context) else {
        return verdict;
    };
    let rest = rate(&rest, &inputs);
    if rest.acceptable {
        return verdict;
    }
    Strength {
        score: rest.score.min(verdict.score),
        acceptable: false,
        warning: Some(Hint {
            code: NAMES_HINT.to_owned(),
            text: "Your name and your practice's name are easy to guess.".to_owned(),
        }),
        suggestions: vec![Hint {
            code: "add_another_word_or_two".to_owned(),
            text: "Add another word or two. Uncommon words are better.".to_owned(),
        }],
    }
}

fn rate(passphrase: &str, inputs: &[&str]) -> Strength {
    let entropy = zxcvbn::zxcvbn(passphrase, inputs);
    let score = u8::from(entropy.score());
    let feedback = entropy.feedback();
    let warning =
        feedback.and_then(|f| f.warning()).map(|w| Hint { code: snake(&format!("{w:?}")), text: w.to_string() });
    let suggestions = feedback
        .map(|f| f.suggestions().iter().map(|s| Hint { code: snake(&format!("{s:?}")), text: s.to_string() }).collect())
        .unwrap_or_default();
    Strength { score, acceptable: score >= MIN_SCORE, warning, suggestions }
}

/// Lower case without accents, every run of other characters one space: "Ännå-LIND" and
/// "anna lind" fold alike. Letters that do not decompose get their usual plain spelling.
fn fold(text: &str) -> String {
    use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase) {
        match c {
            'ø' => out.push('o'),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ß' => out.push_str("ss"),
            'đ' | 'ð' => out.push('d'),
            'ł' => out.push('l'),
            'þ' => out.push_str("th"),
            c if c.is_alphanumeric() => out.push(c),
            _ if out.ends_with(' ') || out.is_empty() => {}
            _ => out.push(' '),
        }
    }
    out.trim_end().to_owned()
}

/// The passphrase, folded, with every name word taken out; `None` when it contains none.
/// Names of three letters or more are taken out wherever they occur (also glued together:
/// "AnnaLind"); shorter ones ("Bo", "AB") only as whole words, so they do not eat into others.
fn without_names(passphrase: &str, context: &[&str]) -> Option<String> {
    let mut names: Vec<String> =
        context.iter().flat_map(|c| fold(c).split(' ').map(str::to_owned).collect::<Vec<_>>()).collect();
    names.retain(|n| n.chars().count() >= 2);
    // Longest first, so "lindqvist" goes before "lind" can split it (then alphabetical, so
    // the same name given twice sits together and is dropped once).
    names.sort_by(|a, b| b.chars().count().cmp(&a.chars().count()).then_with(|| a.cmp(b)));
    names.dedup();
    let folded = fold(passphrase);
    let mut words: Vec<String> = folded.split(' ').map(str::to_owned).collect();
    for name in &names {
        for w in &mut words {
            if w == name {
                w.clear();
            } else if name.chars().count() >= 3 && w.contains(name.as_str()) {
                *w = w.replace(name.as_str(), " ");
            }
        }
    }
    let rest = words.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    let untouched = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    (rest != untouched).then_some(rest)
}

fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 8);
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passphrases_are_rejected_with_a_reason() {
        for weak in ["password", "confidant2024", "qwertyuiop", "Anna1980"] {
            let s = check(weak, &[]);
            assert!(!s.acceptable, "{weak} should be weak");
            assert!(s.warning.is_some() || !s.suggestions.is_empty(), "{weak} needs a reason");
        }
    }

    #[test]
    fn long_unusual_passphrases_pass() {
        let s = check("lingon tavla regnbåge sextiosju", &[]);
        assert!(s.acceptable, "{s}");
        assert!(s.score >= MIN_SCORE);
    }

    #[test]
    fn context_words_count_against_the_passphrase() {
        let plain = check("Mottagning Lindqvist", &[]);
        let ctx = check("Mottagning Lindqvist", &["Lindqvist", "Mottagning"]);
        assert!(ctx.score <= plain.score);
    }

    const NAMES: [&str; 2] = ["Anna Lind", "Lind Terapi & Samtal AB"];

    #[test]
    fn a_passphrase_made_of_the_names_is_refused_with_its_own_reason() {
        // zxcvbn alone accepts it: that is the gap this rule closes.
        assert!(rate("Anna Lind Terapi Lind", &["confidant"]).acceptable);
        for weak in [
            "Anna Lind Terapi Lind",
            "anna lind samtal lind",
            "ANNA-LIND_terapi.samtal",
            "AnnaLindTerapiSamtal",
            "Ånna Lïnd Terapí Samtal 2024",
            "lind anna lind anna lind",
        ] {
            let s = check(weak, &NAMES);
            assert!(!s.acceptable, "{weak} should be refused: {s}");
            assert_eq!(s.warning.as_ref().map(|h| h.code.as_str()), Some(NAMES_HINT), "{weak}");
            assert!(s.score < MIN_SCORE, "the meter must not show {weak} as strong");
        }
    }

    #[test]
    fn names_with_enough_else_around_them_are_fine() {
        let s = check("Anna lingon tavla regnbåge sextiosju", &NAMES);
        assert!(s.acceptable, "{s}");
        // No names given (the first-run form knows none yet): the rule does nothing.
        assert!(check("Anna Lind Terapi Lind", &[]).acceptable);
        // Short names are words, not substrings: "Bo" does not eat into "bord".
        assert!(check("bordslampa fiskgjuse molnbank", &["Bo Ek"]).acceptable);
    }

    #[test]
    fn folding_ignores_case_accents_and_separators() {
        assert_eq!(fold("  Ännå--LÏND__Ørsted, Æble "), "anna lind orsted aeble");
        assert_eq!(without_names("Anna.Lind+regn", &["anna lind"]).as_deref(), Some("regn"));
        assert_eq!(without_names("lingon tavla", &["Anna Lind"]), None);
    }

    #[test]
    fn codes_are_snake_case() {
        assert_eq!(snake("AWordByItselfIsEasyToGuess"), "a_word_by_itself_is_easy_to_guess");
    }
}
