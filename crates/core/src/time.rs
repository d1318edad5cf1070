//! Timestamps are stored as RFC 3339 UTC strings with milliseconds: sortable as text, readable
//! by any SQLite tool decades from now.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub(crate) fn to_string(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub(crate) fn now_string() -> String {
    to_string(&Utc::now())
}

/// Stored timestamps are always written by [`to_string`]; an unreadable one falls back to the
/// epoch rather than failing a whole listing.
pub(crate) fn parse_ts(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
