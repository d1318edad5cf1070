//! Text folding and snippet building for the search index.
//!
//! The FTS table is contentless and only ever sees folded text, so queries must be folded the same
//! way, and snippets have to be rebuilt here from the original (decrypted) text.

use serde::{Deserialize, Serialize};
use unicode_normalization::char::is_combining_mark;

/// Upper bound on query tokens, so a pasted paragraph cannot produce a huge MATCH expression.
const MAX_TOKENS: usize = 16;
/// Upper bound on a token's length in chars; a longer prefix adds no selectivity.
const MAX_TOKEN_CHARS: usize = 64;
const ELLIPSIS: &str = "…";

/// Letters NFKD leaves alone because Unicode treats them as distinct letters, not accented ones.
/// Only lowercase forms are needed: folding lowercases first.
fn fold_letter(c: char) -> Option<&'static str> {
    #[rustfmt::skip]
    const MAP: [(char, &str); 8] = [
        ('ø', "o"), ('æ', "ae"), ('œ', "oe"), ('ß', "ss"),
        ('đ', "d"), ('ł', "l"), ('þ', "th"), ('ð', "d"),
    ];
    MAP.iter().find(|(k, _)| *k == c).map(|(_, v)| *v)
}

/// Folds text for indexing and querying: lowercase, Unicode NFKD with combining marks removed,
/// plus letters that have no decomposition: ø→o, æ→ae, œ→oe, ß→ss, đ→d, ł→l, þ→th, ð→d (and uppercase forms).
/// Non-alphanumeric characters become a single space (so words stay separated); result trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut push = |c: char, out: &mut String| {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    };
    // Lowercasing can itself produce combining marks (İ → i + U+0307) and NFKD can produce
    // uppercase (ℌ → H), so marks are filtered both before and after lowercasing. Character by
    // character, NFKD gives the same letters as over the whole string (it only reorders the
    // marks, which go), and ASCII, most of any note, skips it: indexing a note folds all of it.
    for c in text.chars() {
        if c.is_ascii() {
            push(c.to_ascii_lowercase(), &mut out);
            continue;
        }
        unicode_normalization::char::decompose_compatible(c, |d| {
            if is_combining_mark(d) {
                return;
            }
            for l in d.to_lowercase().filter(|l| !is_combining_mark(*l)) {
                match fold_letter(l) {
                    Some(s) => s.chars().for_each(|f| push(f, &mut out)),
                    None => push(l, &mut out),
                }
            }
        });
    }
    out
}

/// Splits a user's query into folded tokens (alphanumeric runs after folding), at most 16 tokens, each at most 64 chars.
pub fn query_tokens(query: &str) -> Vec<String> {
    fold(query)
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(MAX_TOKENS)
        .map(|t| t.chars().take(MAX_TOKEN_CHARS).collect())
        .collect()
}

/// One piece of a snippet; `hit` pieces are the matched words, to be highlighted by the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SnippetPart {
    /// Text in the original spelling.
    pub text: String,
    /// Whether this piece is a matched word.
    pub hit: bool,
}

/// Combining marks count as word characters so that text stored in NFD (e.g. pasted from macOS)
/// keeps "Söder" as one word instead of splitting it at the diaeresis.
fn is_word_char(c: char) -> bool {
    // Most of a note is ASCII, and a space or a comma is no combining mark: no table lookups.
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    // Latin-1 and Latin Extended-A/B (å, ä, ö, æ, ø, é…) are letters but for two signs; the
    // general lookup is a binary search per character.
    if ('\u{C0}'..='\u{24F}').contains(&c) {
        return c != '×' && c != '÷';
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Byte ranges of the words of `text`.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                spans.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        spans.push((s, text.len()));
    }
    spans
}

fn word_matches(word: &str, tokens: &[&String]) -> bool {
    // Most words are ASCII, whose folding is lowercasing: compared in place, since snippets test
    // every word of up to fifty notes per search.
    if word.is_ascii() {
        return tokens
            .iter()
            .any(|t| word.len() >= t.len() && word.as_bytes()[..t.len()].eq_ignore_ascii_case(t.as_bytes()));
    }
    // Most words match no token: their first letter, folded alone, already tells.
    let first = word.chars().next().map_or(0, char::len_utf8);
    let head = fold(&word[..first]);
    if !head.is_empty() && !tokens.iter().any(|t| t.starts_with(head.as_str()) || head.starts_with(t.as_str())) {
        return false;
    }
    let folded = fold(word);
    tokens.iter().any(|t| folded.starts_with(t.as_str()))
}

/// Empty tokens would match every word, so they are ignored.
fn usable_tokens(tokens: &[String]) -> Vec<&String> {
    tokens.iter().filter(|t| !t.is_empty()).collect()
}

fn push_part(parts: &mut Vec<SnippetPart>, text: &str, hit: bool) {
    if !hit {
        if let Some(last) = parts.last_mut().filter(|p| !p.hit) {
            last.text.push_str(text);
            return;
        }
    }
    parts.push(SnippetPart { text: text.to_owned(), hit });
}

fn collapse_whitespace(gap: &str) -> String {
    let mut out = String::with_capacity(gap.len());
    for c in gap.chars().map(|c| if c.is_whitespace() { ' ' } else { c }) {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// Finds the window of about `max_words` words of `original` with the most words whose folded form starts with
/// one of the (already folded) `tokens`, and returns it as parts in original spelling, with "…" text parts
/// at a cut start/end. If nothing matches, returns the first `max_words` words (no hit parts) — empty vec for empty text.
/// Whitespace/newlines inside the window collapse to single spaces. Markdown markers (#, *, _, `, >) at word edges are
/// not part of a word.
pub fn snippet(original: &str, tokens: &[String], max_words: usize) -> Vec<SnippetPart> {
    let spans = word_spans(original);
    if spans.is_empty() {
        return Vec::new();
    }
    let tokens = usable_tokens(tokens);
    let hits: Vec<bool> = spans.iter().map(|&(s, e)| word_matches(&original[s..e], &tokens)).collect();
    window(original, &spans, &hits, max_words)
}

/// The excerpt of the first of `candidates` in which a word matches (see [`snippet`]), each
/// text read once; `None` when none matches. A search hit's current text, then its older
/// versions.
pub fn first_match_snippet<'a>(
    candidates: impl IntoIterator<Item = &'a str>,
    tokens: &[String],
    max_words: usize,
) -> Option<Vec<SnippetPart>> {
    let tokens = usable_tokens(tokens);
    if tokens.is_empty() {
        return None;
    }
    candidates.into_iter().find_map(|original| {
        let spans = word_spans(original);
        let hits: Vec<bool> = spans.iter().map(|&(s, e)| word_matches(&original[s..e], &tokens)).collect();
        hits.contains(&true).then(|| window(original, &spans, &hits, max_words))
    })
}

/// The run of at most `max_words` words with the most hits, hits centred, as parts.
fn window(original: &str, spans: &[(usize, usize)], hits: &[bool], max_words: usize) -> Vec<SnippetPart> {
    let n = spans.len();
    let width = max_words.clamp(1, n);

    // Sliding window count; the first window with the most hits wins.
    let mut count = hits[..width].iter().filter(|h| **h).count();
    let (mut best_start, mut best_count) = (0, count);
    for start in 1..=n - width {
        count = count + usize::from(hits[start + width - 1]) - usize::from(hits[start - 1]);
        if count > best_count {
            (best_start, best_count) = (start, count);
        }
    }

    // The first best window ends on a hit; re-centre its hits so they get context on both sides.
    // Any window containing the same first..last hits has at least as many hits, so it stays optimal.
    let mut start = best_start;
    if best_count > 0 {
        let window = best_start..best_start + width;
        let first = window.clone().find(|&i| hits[i]).unwrap_or(best_start);
        let last = window.rev().find(|&i| hits[i]).unwrap_or(first);
        let slack = width - (last - first + 1);
        start = first.saturating_sub(slack / 2).min(n - width);
    }
    let end = start + width;

    let mut parts = Vec::new();
    if start > 0 {
        push_part(&mut parts, ELLIPSIS, false);
    }
    for i in start..end {
        if i > start {
            let gap = &original[spans[i - 1].1..spans[i].0];
            push_part(&mut parts, &collapse_whitespace(gap), false);
        }
        push_part(&mut parts, &original[spans[i].0..spans[i].1], hits[i]);
    }
    if end < n {
        push_part(&mut parts, ELLIPSIS, false);
    }
    parts
}

/// True when any word of `original` folds to something starting with one of `tokens`.
pub fn matches(original: &str, tokens: &[String]) -> bool {
    let tokens = usable_tokens(tokens);
    !tokens.is_empty() && word_spans(original).into_iter().any(|(s, e)| word_matches(&original[s..e], &tokens))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(parts: &[SnippetPart]) -> String {
        parts.iter().map(|p| p.text.as_str()).collect()
    }

    fn hit_words(parts: &[SnippetPart]) -> Vec<&str> {
        parts.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn folds_swedish_and_danish() {
        assert_eq!(fold("Åsa Öberg"), "asa oberg");
        assert_eq!(fold("kärlek"), "karlek");
        assert_eq!(fold("Søren Kierkegaard"), "soren kierkegaard");
        assert_eq!(fold("æble"), "aeble");
        assert_eq!(fold("Ærø"), "aero");
        assert_eq!(fold("soren"), fold("Søren"));
        assert_eq!(fold("ØRESUND"), "oresund");
    }

    #[test]
    fn folds_other_languages_separators_and_nfd() {
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("ẞ"), "ss");
        assert_eq!(fold("Crème brûlée, déjà vu"), "creme brulee deja vu");
        assert_eq!(fold("Mañana señor, ¿qué tal?"), "manana senor que tal");
        assert_eq!(fold("Œuvre Łódź Þór Đakovo ð"), "oeuvre lodz thor dakovo d");
        assert_eq!(fold("İstanbul"), "istanbul");
        assert_eq!(fold("ﬁle"), "file");
        assert_eq!(fold("  **hej** -- du!\n\n> ok  "), "hej du ok");
        assert_eq!(fold("So\u{308}der"), "soder");
        assert_eq!(fold("!!!"), "");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn query_tokens_split_and_limit() {
        assert_eq!(query_tokens("  \"Åsa\"!!Öberg...(kärlek)*  OR -x "), vec!["asa", "oberg", "karlek", "or", "x"]);
        assert!(query_tokens("*** \"\" ()").is_empty());
        let many = (0..40).map(|i| format!("w{i}")).collect::<Vec<_>>().join(" ");
        let toks = query_tokens(&many);
        assert_eq!(toks.len(), 16);
        assert_eq!(toks[15], "w15");
        let long = "å".repeat(100);
        assert_eq!(query_tokens(&long), vec!["a".repeat(64)]);
    }

    #[test]
    fn snippet_centres_hit_with_ellipses() {
        let mut text = (0..30).map(|i| format!("ord{i}")).collect::<Vec<_>>();
        text[15] = "Kierkegaard".to_owned();
        let text = text.join(" \n ");
        let parts = snippet(&text, &query_tokens("kierke"), 7);
        assert_eq!(hit_words(&parts), vec!["Kierkegaard"]);
        assert_eq!(joined(&parts), "…ord12 ord13 ord14 Kierkegaard ord16 ord17 ord18…");
        assert_eq!(parts.len(), 3);
    }

    #[test]
    fn snippet_matches_across_diacritics() {
        let parts = snippet("Idag träffade jag Åsa Öberg.", &query_tokens("oberg"), 10);
        assert_eq!(hit_words(&parts), vec!["Öberg"]);
        assert_eq!(joined(&parts), "Idag träffade jag Åsa Öberg");

        let parts = snippet("Samtal med Anna Oberg idag", &query_tokens("Öberg"), 10);
        assert_eq!(hit_words(&parts), vec!["Oberg"]);

        let parts = snippet("Hej *Søren*, hur mår du?", &query_tokens("sor"), 10);
        assert_eq!(hit_words(&parts), vec!["Søren"]);
        assert_eq!(joined(&parts), "Hej *Søren*, hur mår du");

        let parts = snippet("Vi åt ett Æble", &query_tokens("æb"), 10);
        assert_eq!(hit_words(&parts), vec!["Æble"]);
    }

    #[test]
    fn snippet_prefers_window_with_most_hits() {
        let text = "kärlek a b c d e f g h i j k l m n o kärlek och sorg p kärlek";
        let parts = snippet(text, &query_tokens("karlek sorg"), 5);
        assert_eq!(hit_words(&parts), vec!["kärlek", "sorg", "kärlek"]);
        assert_eq!(joined(&parts), "…kärlek och sorg p kärlek");
        assert_eq!(parts.iter().filter(|p| !p.hit).count(), 3);
    }

    #[test]
    fn snippet_fallback_and_empty() {
        let parts = snippet("Ett  två\ttre fyra", &query_tokens("xyz"), 3);
        assert_eq!(parts, vec![SnippetPart { text: "Ett två tre…".to_owned(), hit: false }]);
        let parts = snippet("kort text", &[], 10);
        assert_eq!(joined(&parts), "kort text");
        assert!(snippet("", &query_tokens("a"), 10).is_empty());
        assert!(snippet(" # > ** ", &query_tokens("a"), 10).is_empty());
        assert_eq!(joined(&snippet("a b c", &query_tokens("b"), 0)), "…b…");
    }

    #[test]
    fn matches_words_by_folded_prefix() {
        assert!(matches("Möte med Søren", &query_tokens("soren")));
        assert!(matches("Möte med Soren", &query_tokens("Sø")));
        assert!(matches("So\u{308}dermalm", &query_tokens("söder")));
        assert!(!matches("Möte med Søren", &query_tokens("ren")));
        assert!(!matches("Möte", &[]));
        assert!(!matches("Möte", &[String::new()]));
    }
}
