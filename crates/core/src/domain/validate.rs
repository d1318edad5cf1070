//! Small validators shared by the domain modules; each error names its field.

use crate::Reason;
use crate::{Error, Result};

pub(crate) fn text(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let v = value.trim();
    if required && v.is_empty() {
        return Err(Error::invalid(field, Reason::Required));
    }
    if v.chars().count() > max {
        return Err(Error::invalid(field, Reason::TooLong));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') {
        return Err(Error::invalid(field, Reason::ControlCharacters));
    }
    Ok(v.to_owned())
}

pub(crate) fn one_line(field: &str, value: &str, max: usize, required: bool) -> Result<String> {
    let v = text(field, value, max, required)?;
    if v.contains('\n') || v.contains('\r') {
        return Err(Error::invalid(field, Reason::MultipleLines));
    }
    Ok(v)
}

pub(crate) fn email(value: &str) -> Result<String> {
    let v = one_line("email", value, 254, false)?;
    if v.is_empty() {
        return Ok(v);
    }
    let ok = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Ok(v)
    } else {
        Err(Error::invalid("email", Reason::Format))
    }
}

pub(crate) fn phone(field: &str, value: &str) -> Result<String> {
    let v = one_line(field, value, 40, true)?;
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let allowed = v.chars().all(|c| c.is_ascii_digit() || " +-()./".contains(c));
    if !allowed || digits < 5 {
        return Err(Error::invalid(field, Reason::Format));
    }
    Ok(v)
}

pub(crate) fn tags(values: &[String]) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for t in values {
        let t = one_line("tags", t, 40, false)?;
        if !t.is_empty() && !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t);
        }
    }
    if out.len() > 20 {
        return Err(Error::invalid("tags", Reason::TooMany));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validators_name_the_field() {
        assert!(
            matches!(text("given_name", "  ", 10, true), Err(Error::Validation(f)) if f.field == "given_name" && f.reason == Reason::Required)
        );
        assert!(matches!(email("anna@"), Err(Error::Validation(f)) if f.field == "email"));
        assert_eq!(email(" anna@example.se ").unwrap(), "anna@example.se");
        assert!(email("").is_ok());
        assert!(matches!(phone("phones", "abc"), Err(Error::Validation(f)) if f.reason == Reason::Format));
        assert_eq!(phone("phones", "+46 70-123 45 67").unwrap(), "+46 70-123 45 67");
        assert_eq!(tags(&["Sömn".into(), "sömn".into(), " ".into()]).unwrap(), vec!["Sömn"]);
    }
}
