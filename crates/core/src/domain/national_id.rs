//! Validation and normalization of client national identity numbers.
//!
//! Swedish personnummer and samordningsnummer, and Danish CPR numbers, are
//! checked for shape, a real birth date and (for Swedish numbers) the Luhn
//! check digit. Anything else can be stored as free text under
//! [`NationalIdKind::Other`] so clients from other countries are not blocked.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Which national identity scheme a client's ID follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NationalIdKind {
    /// Swedish personnummer, for people registered in Sweden.
    SePersonnummer,
    /// Swedish samordningsnummer, for people not registered in Sweden: a
    /// personnummer layout with 60 added to the day of birth.
    SeSamordningsnummer,
    /// Danish CPR number.
    DkCpr,
    /// Any other identifier, kept as free text without validation of its content.
    Other,
}

/// Why a national ID was rejected (a closed set, so the UI can localize it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum NationalIdError {
    /// The input was empty or only whitespace.
    #[error("national ID is empty")]
    Empty,
    /// The input has the wrong length or contains unexpected characters.
    #[error("national ID has an invalid format")]
    Format,
    /// The embedded birth date does not exist or lies in the future.
    #[error("national ID contains an invalid birth date")]
    Date,
    /// The check digit does not match the other digits.
    #[error("national ID check digit is wrong")]
    Checksum,
    /// The free-text identifier exceeds the allowed length.
    #[error("national ID is too long")]
    TooLong,
}

impl From<NationalIdError> for crate::Reason {
    fn from(e: crate::domain::national_id::NationalIdError) -> Self {
        use NationalIdError as N;
        match e {
            N::Empty => crate::Reason::Required,
            N::Format => crate::Reason::Format,
            N::Date => crate::Reason::Date,
            N::Checksum => crate::Reason::Checksum,
            N::TooLong => crate::Reason::TooLong,
        }
    }
}

/// A validated, normalized national ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NationalId {
    /// The scheme the ID was validated against.
    pub kind: NationalIdKind,
    /// The normalized form: `YYYYMMDD-NNNN` for Swedish numbers, `DDMMYY-SSSS`
    /// for Danish CPR, trimmed text for [`NationalIdKind::Other`].
    pub value: String,
    /// The birth date encoded in the ID, when the scheme encodes one.
    pub birth_date: Option<NaiveDate>,
}

/// Free-text IDs are capped so a pasted document cannot end up in the field.
const OTHER_MAX_CHARS: usize = 64;

/// Samordningsnummer mark themselves by adding this to the day of month.
const SAMORDNING_DAY_OFFSET: u32 = 60;

/// Parse with an explicit kind. `today` decides the century for 10-digit Swedish numbers.
///
/// # Errors
///
/// Returns the [`NationalIdError`] describing the first problem found; whitespace-only
/// input is always [`NationalIdError::Empty`].
pub fn parse_national_id(kind: NationalIdKind, input: &str, today: NaiveDate) -> Result<NationalId, NationalIdError> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(NationalIdError::Empty);
    }
    match kind {
        NationalIdKind::SePersonnummer => parse_swedish(trimmed, false, today),
        NationalIdKind::SeSamordningsnummer => parse_swedish(trimmed, true, today),
        NationalIdKind::DkCpr => parse_danish(trimmed, today),
        NationalIdKind::Other => parse_other(trimmed),
    }
}

/// Guess the kind: a valid Swedish personnummer/samordningsnummer first, then a valid Danish CPR, else Other.
///
/// # Errors
///
/// Fails only when the input is not acceptable even as [`NationalIdKind::Other`]:
/// empty, too long, or containing control characters.
pub fn detect_national_id(input: &str, today: NaiveDate) -> Result<NationalId, NationalIdError> {
    // The order is the tie-break: a 10-digit string can be valid both as a
    // Swedish number and as a CPR, and the Swedish reading is preferred.
    const STRUCTURED: [NationalIdKind; 3] =
        [NationalIdKind::SePersonnummer, NationalIdKind::SeSamordningsnummer, NationalIdKind::DkCpr];
    for kind in STRUCTURED {
        if let Ok(id) = parse_national_id(kind, input, today) {
            return Ok(id);
        }
    }
    parse_national_id(NationalIdKind::Other, input, today)
}

/// Converts ASCII digits to their values; `None` if any byte is not a digit.
fn digit_values(bytes: &[u8]) -> Option<Vec<u32>> {
    bytes.iter().map(|b| b.is_ascii_digit().then(|| u32::from(b - b'0'))).collect()
}

/// Reads consecutive digit values as one decimal number.
fn number(digits: &[u32]) -> u32 {
    digits.iter().fold(0, |acc, d| acc * 10 + d)
}

/// The shape of a Swedish number once separators are stripped.
struct SwedishParts {
    /// Century digits (e.g. 19) when the input had 12 digits.
    century: Option<u32>,
    /// The 10-digit core `YYMMDDNNNC`, which is what the Luhn check covers.
    core: Vec<u32>,
    /// A `+` separator means the holder has turned 100.
    centenarian: bool,
}

fn split_swedish(input: &str) -> Result<SwedishParts, NationalIdError> {
    let bytes = input.as_bytes();
    let (century_bytes, core_bytes, centenarian): (&[u8], Vec<u8>, bool) = match bytes.len() {
        10 => (&[], bytes.to_vec(), false),
        11 => {
            let centenarian = match bytes[6] {
                b'-' => false,
                b'+' => true,
                _ => return Err(NationalIdError::Format),
            };
            let core = [&bytes[..6], &bytes[7..]].concat();
            (&[], core, centenarian)
        }
        12 => (&bytes[..2], bytes[2..].to_vec(), false),
        // A '+' is meaningless once the century is spelled out, so only '-'.
        13 if bytes[8] == b'-' => {
            let core = [&bytes[2..8], &bytes[9..]].concat();
            (&bytes[..2], core, false)
        }
        _ => return Err(NationalIdError::Format),
    };
    let century = digit_values(century_bytes).ok_or(NationalIdError::Format)?;
    let core = digit_values(&core_bytes).ok_or(NationalIdError::Format)?;
    Ok(SwedishParts { century: (!century.is_empty()).then(|| number(&century)), core, centenarian })
}

/// Luhn with weights 2,1,2,1,… from the left, as Skatteverket specifies.
fn luhn_valid(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let product = if i % 2 == 0 { d * 2 } else { *d };
            product / 10 + product % 10
        })
        .sum();
    sum % 10 == 0
}

/// Picks the birth year for a 10-digit Swedish number, where only the
/// separator tells a 5-year-old from a 105-year-old.
fn swedish_year(yy: u32, month: u32, day: u32, centenarian: bool, today: NaiveDate) -> i32 {
    // `yy` is below 100, so the conversion cannot fail; 0 keeps this total.
    let yy = i32::try_from(yy).unwrap_or(0);
    let mut year = today.year() - today.year().rem_euclid(100) + yy;
    if year > today.year() || (year == today.year() && (month, day) > (today.month(), today.day())) {
        year -= 100;
    }
    if centenarian {
        year -= 100;
    }
    year
}

fn parse_swedish(input: &str, samordning: bool, today: NaiveDate) -> Result<NationalId, NationalIdError> {
    let parts = split_swedish(input)?;
    let core = &parts.core;
    let yy = number(&core[0..2]);
    let month = number(&core[2..4]);
    let coded_day = number(&core[4..6]);

    // The day range is what distinguishes the two Swedish kinds, so a number
    // of the other kind is reported as a date problem.
    let is_samordning_day = (SAMORDNING_DAY_OFFSET + 1..=SAMORDNING_DAY_OFFSET + 31).contains(&coded_day);
    if samordning != is_samordning_day {
        return Err(NationalIdError::Date);
    }
    let day = if samordning { coded_day - SAMORDNING_DAY_OFFSET } else { coded_day };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(NationalIdError::Date);
    }

    let year = match parts.century {
        Some(century) => i32::try_from(century * 100 + yy).map_err(|_| NationalIdError::Date)?,
        None => swedish_year(yy, month, day, parts.centenarian, today),
    };
    // Keeps the normalized value four digits wide even for absurd `today`s.
    if !(0..=9999).contains(&year) {
        return Err(NationalIdError::Date);
    }
    let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or(NationalIdError::Date)?;
    if birth_date > today {
        return Err(NationalIdError::Date);
    }
    if !luhn_valid(core) {
        return Err(NationalIdError::Checksum);
    }

    let core_text: String = core.iter().filter_map(|d| char::from_digit(*d, 10)).collect();
    Ok(NationalId {
        kind: if samordning { NationalIdKind::SeSamordningsnummer } else { NationalIdKind::SePersonnummer },
        value: format!("{:02}{}-{}", year / 100, &core_text[..6], &core_text[6..]),
        birth_date: Some(birth_date),
    })
}

/// The century rule CPR encodes in the first serial digit.
fn danish_year(yy: u32, first_serial: u32) -> u32 {
    let century = match first_serial {
        0..=3 => 1900,
        4 | 9 if yy <= 36 => 2000,
        4 | 9 => 1900,
        _ if yy <= 57 => 2000,
        _ => 1800,
    };
    century + yy
}

fn parse_danish(input: &str, today: NaiveDate) -> Result<NationalId, NationalIdError> {
    let bytes = input.as_bytes();
    let digit_bytes = match bytes.len() {
        10 => bytes.to_vec(),
        11 if bytes[6] == b'-' => [&bytes[..6], &bytes[7..]].concat(),
        _ => return Err(NationalIdError::Format),
    };
    let digits = digit_values(&digit_bytes).ok_or(NationalIdError::Format)?;

    let day = number(&digits[0..2]);
    let month = number(&digits[2..4]);
    let yy = number(&digits[4..6]);
    let year = i32::try_from(danish_year(yy, digits[6])).map_err(|_| NationalIdError::Date)?;
    let birth_date = NaiveDate::from_ymd_opt(year, month, day).ok_or(NationalIdError::Date)?;
    if birth_date > today {
        return Err(NationalIdError::Date);
    }

    // Digits only from here on, so byte slicing cannot split a character.
    let text = String::from_utf8_lossy(&digit_bytes);
    Ok(NationalId {
        kind: NationalIdKind::DkCpr,
        value: format!("{}-{}", &text[..6], &text[6..]),
        birth_date: Some(birth_date),
    })
}

fn parse_other(input: &str) -> Result<NationalId, NationalIdError> {
    if input.chars().count() > OTHER_MAX_CHARS {
        return Err(NationalIdError::TooLong);
    }
    // Control characters would corrupt exports and could hide text on screen.
    if input.chars().any(char::is_control) {
        return Err(NationalIdError::Format);
    }
    Ok(NationalId { kind: NationalIdKind::Other, value: input.to_owned(), birth_date: None })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// Independent Luhn: doubles every digit at an even index (0-based) of the
    /// nine-digit body and returns the digit that makes the total a multiple of 10.
    fn check_digit(body9: &str) -> char {
        assert_eq!(body9.len(), 9);
        let mut total = 0;
        for (i, c) in body9.chars().enumerate() {
            let d = c.to_digit(10).unwrap();
            let p = if i % 2 == 0 { d * 2 } else { d };
            total += if p > 9 { p - 9 } else { p };
        }
        char::from_digit((10 - total % 10) % 10, 10).unwrap()
    }

    /// Builds a Luhn-valid 10-digit core `YYMMDDNNNC` from `YYMMDDNNN`.
    fn with_check(body9: &str) -> String {
        format!("{body9}{}", check_digit(body9))
    }

    fn se(input: &str) -> Result<NationalId, NationalIdError> {
        parse_national_id(NationalIdKind::SePersonnummer, input, today())
    }

    fn samordning(input: &str) -> Result<NationalId, NationalIdError> {
        parse_national_id(NationalIdKind::SeSamordningsnummer, input, today())
    }

    fn dk(input: &str) -> Result<NationalId, NationalIdError> {
        parse_national_id(NationalIdKind::DkCpr, input, today())
    }

    fn other(input: &str) -> Result<NationalId, NationalIdError> {
        parse_national_id(NationalIdKind::Other, input, today())
    }

    #[test]
    fn helper_agrees_with_published_examples() {
        assert_eq!(check_digit("811218987"), '6');
        assert_eq!(check_digit("121212121"), '2');
    }

    #[test]
    fn personnummer_accepted_in_every_form() {
        for input in ["811218-9876", "8112189876", "198112189876", "19811218-9876", "  811218-9876\t\n"] {
            let id = se(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(id.kind, NationalIdKind::SePersonnummer);
            assert_eq!(id.value, "19811218-9876");
            assert_eq!(id.birth_date, Some(date(1981, 12, 18)));
        }
    }

    #[test]
    fn ten_digit_century_follows_separator() {
        let young = se("121212-1212").unwrap();
        assert_eq!(young.value, "20121212-1212");
        assert_eq!(young.birth_date, Some(date(2012, 12, 12)));

        let old = se("121212+1212").unwrap();
        assert_eq!(old.value, "19121212-1212");
        assert_eq!(old.birth_date, Some(date(1912, 12, 12)));

        assert_eq!(se("1212121212").unwrap().value, "20121212-1212");
        assert_eq!(se("191212121212").unwrap().value, "19121212-1212");
    }

    #[test]
    fn ten_digit_century_around_today() {
        // Born today: age 0, this century.
        let born_today = with_check("261123123");
        let id = se(&born_today).unwrap();
        assert_eq!(id.birth_date, Some(today()));

        // Birthday tomorrow in the current year would be in the future, so the
        // holder must be 99 and born last century.
        let tomorrow = with_check("261124123");
        let id = se(&tomorrow).unwrap();
        assert_eq!(id.birth_date, Some(date(1926, 11, 24)));

        let plus = format!("{}+{}", &tomorrow[..6], &tomorrow[6..]);
        assert_eq!(se(&plus).unwrap().birth_date, Some(date(1826, 11, 24)));
    }

    #[test]
    fn centenarian_with_plus() {
        let core = with_check("201005345");
        let input = format!("{}+{}", &core[..6], &core[6..]);
        let id = se(&input).unwrap();
        assert_eq!(id.birth_date, Some(date(1920, 10, 5)));
        assert_eq!(id.value, format!("19{}-{}", &core[..6], &core[6..]));

        // Without '+' the same digits mean a child born in 2020.
        assert_eq!(se(&core).unwrap().birth_date, Some(date(2020, 10, 5)));
    }

    #[test]
    fn bad_checksum_rejected() {
        assert_eq!(se("811218-9875"), Err(NationalIdError::Checksum));
        assert_eq!(se("19811218-9877"), Err(NationalIdError::Checksum));
        assert_eq!(se("1212121213"), Err(NationalIdError::Checksum));
    }

    #[test]
    fn impossible_dates_rejected() {
        let feb30 = with_check("230230123");
        assert_eq!(se(&format!("20{feb30}")), Err(NationalIdError::Date));
        let month13 = with_check("811318987");
        assert_eq!(se(&month13), Err(NationalIdError::Date));
        let day0 = with_check("811200987");
        assert_eq!(se(&day0), Err(NationalIdError::Date));
        let day32 = with_check("811232987");
        assert_eq!(se(&day32), Err(NationalIdError::Date));
    }

    #[test]
    fn leap_days() {
        let core = with_check("000229123");
        let id = se(&format!("20{core}")).unwrap();
        assert_eq!(id.birth_date, Some(date(2000, 2, 29)));
        assert_eq!(se(&core).unwrap().birth_date, Some(date(2000, 2, 29)));

        assert_eq!(se(&format!("19{core}")), Err(NationalIdError::Date));
        let plus = format!("{}+{}", &core[..6], &core[6..]);
        assert_eq!(se(&plus), Err(NationalIdError::Date));

        let core_2023 = with_check("230229123");
        assert_eq!(se(&core_2023), Err(NationalIdError::Date));
        let core_2024 = with_check("240229123");
        assert_eq!(se(&core_2024).unwrap().birth_date, Some(date(2024, 2, 29)));
    }

    #[test]
    fn future_birth_date_rejected() {
        let core = with_check("261124123");
        assert_eq!(se(&format!("20{core}")), Err(NationalIdError::Date));
        let core = with_check("300101123");
        assert_eq!(se(&format!("20{core}")), Err(NationalIdError::Date));
    }

    #[test]
    fn personnummer_format_errors() {
        for input in [
            "811218/9876",
            "811218 9876",
            "81121898",
            "81121898766",
            "811218--9876",
            "8112189876a",
            "a811218-9876",
            "19811218+9876",
            "1981121-89876",
            "198112189-876",
            "８１１２１８-９８７６",
            "8112189876\u{0}",
        ] {
            assert_eq!(se(input), Err(NationalIdError::Format), "{input:?}");
        }
    }

    #[test]
    fn empty_for_every_kind() {
        for kind in [
            NationalIdKind::SePersonnummer,
            NationalIdKind::SeSamordningsnummer,
            NationalIdKind::DkCpr,
            NationalIdKind::Other,
        ] {
            for input in ["", "   ", "\t\n "] {
                assert_eq!(parse_national_id(kind, input, today()), Err(NationalIdError::Empty));
            }
        }
        assert_eq!(detect_national_id(" ", today()), Err(NationalIdError::Empty));
    }

    #[test]
    fn samordningsnummer_valid() {
        // Day 63 means the 3rd.
        let core = with_check("701063239");
        let dashed = format!("{}-{}", &core[..6], &core[6..]);
        for input in [dashed.clone(), core.clone(), format!("19{core}")] {
            let id = samordning(&input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(id.kind, NationalIdKind::SeSamordningsnummer);
            assert_eq!(id.value, format!("19{}-{}", &core[..6], &core[6..]));
            assert_eq!(id.birth_date, Some(date(1970, 10, 3)));
        }

        let last_day = with_check("811291987");
        let id = samordning(&last_day).unwrap();
        assert_eq!(id.birth_date, Some(date(1981, 12, 31)));
        assert_eq!(id.value, format!("19{}-{}", &last_day[..6], &last_day[6..]));
    }

    #[test]
    fn samordningsnummer_invalid() {
        // An ordinary day is a personnummer, not a samordningsnummer.
        assert_eq!(samordning("811218-9876"), Err(NationalIdError::Date));
        // Day 60 would be day 0; day 92 would be the 32nd.
        assert_eq!(samordning(&with_check("811260987")), Err(NationalIdError::Date));
        assert_eq!(samordning(&with_check("811292987")), Err(NationalIdError::Date));
        // February 30th written as day 90.
        assert_eq!(samordning(&with_check("810290987")), Err(NationalIdError::Date));
        let core = with_check("701063239");
        let wrong = format!("{}{}", &core[..9], (core.as_bytes()[9] - b'0' + 1) % 10);
        assert_eq!(samordning(&wrong), Err(NationalIdError::Checksum));
        assert_eq!(samordning("701063-23"), Err(NationalIdError::Format));
    }

    #[test]
    fn personnummer_kind_rejects_samordningsnummer() {
        let core = with_check("701063239");
        assert_eq!(se(&core), Err(NationalIdError::Date));
        assert_eq!(se(&format!("19{core}")), Err(NationalIdError::Date));
    }

    #[test]
    fn cpr_century_rules() {
        let cases = [
            // 7th digit 0-3: always 1900s.
            ("010190-1234", date(1990, 1, 1)),
            ("0101000000", date(1900, 1, 1)),
            ("311299-3999", date(1999, 12, 31)),
            // 4 or 9: 2000s up to YY 36, else 1900s.
            ("010120-4000", date(2020, 1, 1)),
            ("010137-4000", date(1937, 1, 1)),
            ("010110-9000", date(2010, 1, 1)),
            ("010199-9000", date(1999, 1, 1)),
            // 5-8: 2000s up to YY 57, else 1800s.
            ("010120-5000", date(2020, 1, 1)),
            ("010158-5000", date(1858, 1, 1)),
            ("0101998999", date(1899, 1, 1)),
            ("150625-7123", date(2025, 6, 15)),
        ];
        for (input, birth) in cases {
            let id = dk(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(id.kind, NationalIdKind::DkCpr);
            assert_eq!(id.birth_date, Some(birth), "{input:?}");
            let digits: String = input.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(id.value, format!("{}-{}", &digits[..6], &digits[6..]));
        }
    }

    #[test]
    fn cpr_without_modulus_11_accepted() {
        // Weights 4,3,2,7,6,5,4,3,2,1 give 84, which is not a multiple of 11.
        assert!(dk("010190-1234").is_ok());
    }

    #[test]
    fn cpr_bad_dates() {
        assert_eq!(dk("310299-1234"), Err(NationalIdError::Date));
        assert_eq!(dk("320190-1234"), Err(NationalIdError::Date));
        assert_eq!(dk("011390-1234"), Err(NationalIdError::Date));
        assert_eq!(dk("000190-1234"), Err(NationalIdError::Date));
        // Leap day valid only in the century the serial digit selects.
        assert_eq!(dk("290200-4000").unwrap().birth_date, Some(date(2000, 2, 29)));
        assert_eq!(dk("290200-1000"), Err(NationalIdError::Date));
        // Future: 2057 via the 5-8 rule, and tomorrow.
        assert_eq!(dk("010157-8000"), Err(NationalIdError::Date));
        assert_eq!(dk("241126-4000"), Err(NationalIdError::Date));
        assert!(dk("231126-4000").is_ok());
    }

    #[test]
    fn cpr_format_errors() {
        for input in
            ["010190+1234", "010190 1234", "01019012345", "010190123", "19900101-1234", "0101901234x", "01o190-1234"]
        {
            assert_eq!(dk(input), Err(NationalIdError::Format), "{input:?}");
        }
    }

    #[test]
    fn other_limits() {
        let id = other("  P1234567 (NO passport) ").unwrap();
        assert_eq!(id.kind, NationalIdKind::Other);
        assert_eq!(id.value, "P1234567 (NO passport)");
        assert_eq!(id.birth_date, None);

        let max = "x".repeat(64);
        assert_eq!(other(&max).unwrap().value, max);
        assert_eq!(other(&"x".repeat(65)), Err(NationalIdError::TooLong));
        // The limit counts characters, not bytes.
        let max_wide = "ø".repeat(64);
        assert_eq!(other(&max_wide).unwrap().value, max_wide);
        assert_eq!(other(&"ø".repeat(65)), Err(NationalIdError::TooLong));

        assert_eq!(other("ab\u{7}cd"), Err(NationalIdError::Format));
        assert_eq!(other("ab\ncd"), Err(NationalIdError::Format));
        assert_eq!(other("ab\u{9b}cd"), Err(NationalIdError::Format));
    }

    #[test]
    fn detect_picks_the_right_kind() {
        let today = today();
        let id = detect_national_id(" 811218-9876 ", today).unwrap();
        assert_eq!(id.kind, NationalIdKind::SePersonnummer);
        assert_eq!(id.value, "19811218-9876");

        let core = with_check("701063239");
        let id = detect_national_id(&core, today).unwrap();
        assert_eq!(id.kind, NationalIdKind::SeSamordningsnummer);
        assert_eq!(id.birth_date, Some(date(1970, 10, 3)));

        // Valid under both schemes: Swedish wins.
        let id = detect_national_id("121212-1212", today).unwrap();
        assert_eq!(id.kind, NationalIdKind::SePersonnummer);
        assert!(dk("121212-1212").is_ok());

        // Day 99 is impossible in Sweden, so only the CPR reading is left.
        let id = detect_national_id("311299-1234", today).unwrap();
        assert_eq!(id.kind, NationalIdKind::DkCpr);
        assert_eq!(id.birth_date, Some(date(1999, 12, 31)));

        // Swedish-looking with a bad check digit and no valid CPR reading.
        let id = detect_national_id("811218-9875", today).unwrap();
        assert_eq!(id.kind, NationalIdKind::Other);
        assert_eq!(id.value, "811218-9875");

        let id = detect_national_id("X 99 ABC", today).unwrap();
        assert_eq!(id.kind, NationalIdKind::Other);
        assert_eq!(id.birth_date, None);

        assert_eq!(detect_national_id(&"9".repeat(65), today), Err(NationalIdError::TooLong));
        assert_eq!(detect_national_id("a\u{1b}b", today), Err(NationalIdError::Format));
    }

    #[test]
    fn errors_have_messages() {
        assert_eq!(NationalIdError::Checksum.to_string(), "national ID check digit is wrong");
        assert_eq!(NationalIdError::TooLong.to_string(), "national ID is too long");
    }
}
