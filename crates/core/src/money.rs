//! Amounts of money: always whole minor units (öre, øre, cent) in an `i64`, never floats, so
//! sums and VAT round exactly once, where the rule says.

use crate::{Error, Reason, Result};

/// Reads an amount as a person types it, in major units with up to two decimals, either
/// decimal mark, spaces (or a dot before a comma) between thousands: `950`, `950,50`,
/// `1 100.5`, `1.100,50`. Returns minor units. `field` names the field in the error.
pub fn parse_amount(field: &str, s: &str) -> Result<i64> {
    let bad = || Error::invalid(field, Reason::Format);
    let t: String = s.trim().chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if t.is_empty() {
        return Err(Error::invalid(field, Reason::Required));
    }
    if t.ends_with([',', '.']) {
        return Err(bad());
    }
    // The last mark followed by one or two digits is the decimal mark; any other is grouping.
    let split = t.rfind([',', '.']).filter(|&i| (1..=2).contains(&(t.len() - i - 1)));
    let (whole, frac) = match split {
        Some(i) => (&t[..i], &t[i + 1..]),
        None => (t.as_str(), ""),
    };
    let whole: String = whole.chars().filter(|c| *c != '.' && *c != ',').collect();
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let major: i64 = whole.parse().map_err(|_| Error::invalid(field, Reason::OutOfRange))?;
    let minor: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    major.checked_mul(100).and_then(|m| m.checked_add(minor)).ok_or(Error::invalid(field, Reason::OutOfRange))
}

/// Minor units as major units with two decimals and a comma (`95000` → `950,00`), the form
/// Swedish and Danish documents use.
pub fn format_amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    format!("{sign}{},{:02}", m / 100, m % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_read_as_typed_in_either_convention() {
        for (s, minor) in [
            ("950", 95_000),
            ("950,5", 95_050),
            ("950.50", 95_050),
            ("1 100,50", 110_050),
            ("1.100,50", 110_050),
            ("1,100.50", 110_050),
            ("1.100", 110_000),
            ("0", 0),
            (" 12 ", 1_200),
        ] {
            assert_eq!(parse_amount("fee", s).unwrap(), minor, "{s}");
        }
        for s in ["abc", "-5", "1,2,3x", ",5", "5,"] {
            assert!(matches!(parse_amount("fee", s), Err(Error::Validation(f)) if f.field == "fee"), "{s}");
        }
        assert!(matches!(parse_amount("fee", " "), Err(Error::Validation(f)) if f.reason == Reason::Required));
        assert_eq!(format_amount(95_050), "950,50");
        assert_eq!(format_amount(-5), "-0,05");
    }
}
