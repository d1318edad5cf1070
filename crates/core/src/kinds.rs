//! One vocabulary for the kinds of record the vault holds. The access log, the search index
//! and (next) export and retention name records with [`ObjectKind`]; the database stores its
//! snake_case name, and reading an unknown name back is an error, never a silent default.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

closed_enum! {
    /// A kind of record.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum ObjectKind {
        /// A client (contact details).
        Client,
        /// A course of treatment.
        Course,
        /// A journal entry (draft or signed, with its amendments).
        Entry,
        /// An attachment.
        Attachment,
        /// A user template.
        Template,
        /// The practice profile.
        Profile,
        /// A backup run.
        Backup,
        /// A legal hold on a client.
        LegalHold,
        /// The record of an erasure (no personal data).
        Erasure,
        /// A consent of a client.
        Consent,
        /// A personal-data breach in the register.
        Breach,
        /// A document made from the journal (a printout, a referral letter).
        Document,
        /// A session in the calendar (planned, attended, cancelled…).
        Appointment,
        /// An invoice or credit note.
        Invoice,
        /// An outcome measure's result.
        Measure,
        /// An instrument of the therapist's own.
        Instrument,
    }
}

impl ObjectKind {
    /// The stored name (`entry`).
    pub fn as_str(self) -> &'static str {
        serde_name(&self)
    }
}

impl FromStr for ObjectKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        parse_closed(s)
    }
}

/// A stored name that is not one of a closed enum's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown name of a closed enum")]
pub struct UnknownName;

impl rusqlite::ToSql for ObjectKind {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for ObjectKind {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        from_sql_closed(v)
    }
}

/// The serde name of a unit enum variant (`"snake_case"`), as `&'static str`.
///
/// Every closed enum of the core serializes to a fixed string; this reads it from serde so the
/// stored and the IPC spelling can never disagree.
pub(crate) fn serde_name<T: Serialize + Copy>(v: &T) -> &'static str {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    // Variant names are few and fixed; interning keeps `&'static str` without leaking per call.
    static NAMES: OnceLock<Mutex<HashMap<String, &'static str>>> = OnceLock::new();
    let s = match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => return "",
    };
    let mut m = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = m.get(&s) {
        return n;
    }
    let leaked: &'static str = Box::leak(s.clone().into_boxed_str());
    m.insert(s, leaked);
    leaked
}

/// Parses the serde name of a closed enum; an unknown name is an error.
pub(crate) fn parse_closed<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, UnknownName> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| UnknownName)
}

/// `FromSql` for a closed enum stored as its serde name.
pub(crate) fn from_sql_closed<T: serde::de::DeserializeOwned>(
    v: rusqlite::types::ValueRef<'_>,
) -> rusqlite::types::FromSqlResult<T> {
    parse_closed(v.as_str()?).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_names_fail() {
        for k in ObjectKind::ALL {
            assert_eq!(k.as_str().parse::<ObjectKind>().unwrap(), *k);
        }
        assert!("clients".parse::<ObjectKind>().is_err());
        assert!("".parse::<ObjectKind>().is_err());
        assert_eq!(ObjectKind::Entry.as_str(), "entry");
    }
}
