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

/// Rates `passphrase`, penalising words the attacker would try first (`context`: the practice
/// and therapist names, the app's name).
pub fn check(passphrase: &str, context: &[&str]) -> Strength {
    let mut inputs: Vec<&str> = vec!["confidant", "journal", "vault", "terapi", "therapy"];
    inputs.extend_from_slice(context);
    let entropy = zxcvbn::zxcvbn(passphrase, &inputs);
    let score = u8::from(entropy.score());
    let feedback = entropy.feedback();
    let warning =
        feedback.and_then(|f| f.warning()).map(|w| Hint { code: snake(&format!("{w:?}")), text: w.to_string() });
    let suggestions = feedback
        .map(|f| f.suggestions().iter().map(|s| Hint { code: snake(&format!("{s:?}")), text: s.to_string() }).collect())
        .unwrap_or_default();
    Strength { score, acceptable: score >= MIN_SCORE, warning, suggestions }
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

    #[test]
    fn codes_are_snake_case() {
        assert_eq!(snake("AWordByItselfIsEasyToGuess"), "a_word_by_itself_is_easy_to_guess");
    }
}
