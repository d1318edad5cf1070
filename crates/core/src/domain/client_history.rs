//! Rectification keeps the history (GDPR art. 16): every change of a client's identity or
//! contact details keeps the version it replaced (a database trigger writes it, so no path can
//! skip it). Only erasure changes the history: contact details blanked, or all of it with the
//! client.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

use super::clients::{CustomField, EmergencyContact, Phone};
use crate::audit::{Action, Target};
use crate::{time, Result, Vault};

/// A version of a client's details that a change replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientVersion {
    /// When this version was replaced.
    pub replaced_at: DateTime<Utc>,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// National ID as written.
    pub national_id: Option<String>,
    /// Postal address.
    pub address: String,
    /// E-mail.
    pub email: String,
    /// Phones.
    pub phones: Vec<Phone>,
    /// Emergency contact.
    pub emergency_contact: Option<EmergencyContact>,
    /// Free fields.
    pub custom_fields: Vec<CustomField>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<ClientVersion> {
    Ok(ClientVersion {
        replaced_at: time::parse_ts(&r.get::<_, String>(0)?),
        given_name: r.get(1)?,
        family_name: r.get(2)?,
        date_of_birth: r.get::<_, Option<String>>(3)?.and_then(|s| time::parse_date(&s)),
        national_id: r.get(4)?,
        address: r.get(5)?,
        email: r.get(6)?,
        phones: serde_json::from_str(&r.get::<_, String>(7)?).unwrap_or_default(),
        emergency_contact: r.get::<_, Option<String>>(8)?.and_then(|s| serde_json::from_str(&s).ok()),
        custom_fields: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
    })
}

/// A client's earlier versions, oldest first.
pub(crate) fn load(conn: &Connection, client_id: i64) -> Result<Vec<ClientVersion>> {
    let mut st = conn.prepare(
        "SELECT replaced_at, given_name, family_name, date_of_birth, national_id, address, email, phones,
           emergency_contact, custom_fields
         FROM client_history WHERE client_id = ?1 ORDER BY id",
    )?;
    let rows = st.query_map([client_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Vault {
    /// The versions of a client's details that changes replaced, oldest first (logged as a
    /// read of the client).
    pub fn client_history(&mut self, client_id: i64) -> Result<Vec<ClientVersion>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let out = load(s.reader(), client_id)?;
        s.log(Action::ClientRead, Target::client(client_id))?;
        Ok(out)
    }
}
