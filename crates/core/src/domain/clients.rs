//! Clients and their contact details.

use crate::Reason;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::national_id::{detect_national_id, parse_national_id, NationalId, NationalIdKind};
use super::profile::{enum_to_str, parse_enum};
use super::validate;
use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
use crate::kinds::ObjectKind;
use crate::{search, time, Error, Result, Vault};

/// Whether a client is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ClientStatus {
    /// In the active list.
    #[default]
    Active,
    /// Kept for the retention period, out of the way.
    Archived,
}

/// A phone number with a free label ("mobile", "work").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Phone {
    /// Free label.
    pub label: String,
    /// The number as typed.
    pub number: String,
}

/// Who to call in an emergency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EmergencyContact {
    /// Name.
    pub name: String,
    /// Relation to the client.
    pub relation: String,
    /// Phone number.
    pub phone: String,
}

/// A free field the therapist adds ("GP", "Referred by").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CustomField {
    /// Field name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// A national ID as entered: the kind may be left for the core to detect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NationalIdInput {
    /// The scheme, or `None` to detect it.
    pub kind: Option<NationalIdKind>,
    /// The number as typed.
    pub value: String,
}

/// The editable details of a client (for create and update).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientInput {
    /// Given name (required).
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth; filled from a Swedish or Danish ID when left empty.
    pub date_of_birth: Option<NaiveDate>,
    /// National identity number.
    pub national_id: Option<NationalIdInput>,
    /// Postal address.
    pub address: String,
    /// Email address.
    pub email: String,
    /// Phone numbers.
    pub phones: Vec<Phone>,
    /// Emergency contact.
    pub emergency_contact: Option<EmergencyContact>,
    /// Free fields.
    pub custom_fields: Vec<CustomField>,
}

/// A client record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Client {
    /// Row id.
    pub id: i64,
    /// Stable id for exports.
    pub uid: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Validated national ID.
    pub national_id: Option<NationalId>,
    /// Postal address.
    pub address: String,
    /// Email.
    pub email: String,
    /// Phones.
    pub phones: Vec<Phone>,
    /// Emergency contact.
    pub emergency_contact: Option<EmergencyContact>,
    /// Free fields.
    pub custom_fields: Vec<CustomField>,
    /// Active or archived.
    pub status: ClientStatus,
    /// Since when processing is restricted (GDPR art. 18); nothing of the client can change.
    pub restricted_at: Option<DateTime<Utc>>,
    /// A legal hold is in force: retention clocks stop, nothing can be erased.
    pub legal_hold: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A line of the client list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientSummary {
    /// Row id.
    pub id: i64,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Active or archived.
    pub status: ClientStatus,
    /// Processing is restricted (GDPR art. 18).
    pub restricted: bool,
    /// A legal hold is in force.
    pub legal_hold: bool,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// Which clients to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ClientFilter {
    /// Only this status (all when `None`).
    pub status: Option<ClientStatus>,
    /// Name filter, matched as folded word prefixes ("so" finds "Søren").
    pub query: Option<String>,
}

pub(crate) struct Clean {
    given: String,
    family: String,
    dob: Option<NaiveDate>,
    nid: Option<NationalId>,
    address: String,
    email: String,
    phones: String,
    emergency: Option<String>,
    custom: String,
}

fn json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| Error::Internal("encoding"))
}

/// Detects the kind, but a number shaped like a Swedish or Danish one that fails every check is
/// a typo to report, not free text to store.
fn detect(value: &str, today: NaiveDate) -> std::result::Result<NationalId, super::national_id::NationalIdError> {
    let id = detect_national_id(value, today)?;
    let v = value.trim();
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let shaped = v.chars().all(|c| c.is_ascii_digit() || c == '-' || c == '+') && (digits == 10 || digits == 12);
    if id.kind == NationalIdKind::Other && shaped {
        return parse_national_id(NationalIdKind::SePersonnummer, v, today);
    }
    Ok(id)
}

pub(crate) fn clean(input: &ClientInput) -> Result<Clean> {
    let today = time::today();
    let given = validate::one_line("given_name", &input.given_name, 100, true)?;
    let family = validate::one_line("family_name", &input.family_name, 100, false)?;
    let nid = match &input.national_id {
        Some(n) if !n.value.trim().is_empty() => Some(
            match n.kind {
                Some(k) => parse_national_id(k, &n.value, today),
                None => detect(&n.value, today),
            }
            .map_err(|e| Error::invalid("national_id", Reason::from(e)))?,
        ),
        _ => None,
    };
    let mut dob = input.date_of_birth;
    if let Some(d) = dob {
        if d > today || d < NaiveDate::from_ymd_opt(1880, 1, 1).unwrap_or_default() {
            return Err(Error::invalid("date_of_birth", Reason::OutOfRange));
        }
    }
    if let Some(born) = nid.as_ref().and_then(|n| n.birth_date) {
        match dob {
            None => dob = Some(born),
            Some(d) if d != born => return Err(Error::invalid("national_id", Reason::DateOfBirthMismatch)),
            _ => {}
        }
    }
    let mut phones = Vec::new();
    for p in &input.phones {
        phones.push(Phone {
            label: validate::one_line("phones", &p.label, 40, false)?,
            number: validate::phone("phones", &p.number)?,
        });
    }
    if phones.len() > 10 {
        return Err(Error::invalid("phones", Reason::TooMany));
    }
    let emergency = match &input.emergency_contact {
        Some(e) if !(e.name.trim().is_empty() && e.phone.trim().is_empty()) => Some(json(&EmergencyContact {
            name: validate::one_line("emergency_contact", &e.name, 200, true)?,
            relation: validate::one_line("emergency_contact", &e.relation, 100, false)?,
            phone: validate::phone("emergency_contact", &e.phone)?,
        })?),
        _ => None,
    };
    let mut custom = Vec::new();
    for f in &input.custom_fields {
        custom.push(CustomField {
            name: validate::one_line("custom_fields", &f.name, 100, true)?,
            value: validate::text("custom_fields", &f.value, 2000, false)?,
        });
    }
    if custom.len() > 50 {
        return Err(Error::invalid("custom_fields", Reason::TooMany));
    }
    Ok(Clean {
        given,
        family,
        dob,
        nid,
        address: validate::text("address", &input.address, 500, false)?,
        email: validate::email(&input.email)?,
        phones: json(&phones)?,
        emergency,
        custom: json(&custom)?,
    })
}

const COLUMNS: &str = "id, uid, given_name, family_name, date_of_birth, national_id_kind, national_id, address, email,
    phones, emergency_contact, custom_fields, status, created_at, updated_at, restricted_at,
    EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = client.id AND h.released_at IS NULL)";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    let nid_kind: Option<String> = r.get(5)?;
    let nid_value: Option<String> = r.get(6)?;
    let dob = r.get::<_, Option<String>>(4)?.and_then(|s| time::parse_date(&s));
    let national_id = match (nid_kind, nid_value) {
        (Some(k), Some(v)) => {
            let kind: NationalIdKind =
                serde_json::from_value(serde_json::Value::String(k)).unwrap_or(NationalIdKind::Other);
            Some(NationalId {
                birth_date: parse_national_id(kind, &v, time::today()).ok().and_then(|n| n.birth_date),
                kind,
                value: v,
            })
        }
        _ => None,
    };
    Ok(Client {
        id: r.get(0)?,
        uid: r.get(1)?,
        given_name: r.get(2)?,
        family_name: r.get(3)?,
        date_of_birth: dob,
        national_id,
        address: r.get(7)?,
        email: r.get(8)?,
        phones: serde_json::from_str(&r.get::<_, String>(9)?).unwrap_or_default(),
        emergency_contact: r.get::<_, Option<String>>(10)?.and_then(|s| serde_json::from_str(&s).ok()),
        custom_fields: serde_json::from_str(&r.get::<_, String>(11)?).unwrap_or_default(),
        status: parse_enum(&r.get::<_, String>(12)?)?,
        restricted_at: r.get::<_, Option<String>>(15)?.map(|s| time::parse_ts(&s)),
        legal_hold: r.get(16)?,
        created_at: time::parse_ts(&r.get::<_, String>(13)?),
        updated_at: time::parse_ts(&r.get::<_, String>(14)?),
    })
}

pub(crate) fn load(conn: &Connection, id: i64) -> Result<Client> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM client WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("client"))
}

pub(crate) fn exists(conn: &Connection, id: i64) -> Result<()> {
    let found: Option<i64> = conn.query_row("SELECT id FROM client WHERE id = ?1", [id], |r| r.get(0)).optional()?;
    found.map(|_| ()).ok_or(Error::NotFound("client"))
}

/// What search finds a client by: the name.
pub(crate) fn search_document(conn: &Connection, id: i64) -> Result<search::Document> {
    let (given, family): (String, String) =
        conn.query_row("SELECT given_name, family_name FROM client WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    Ok(search::Document {
        kind: ObjectKind::Client,
        object_id: id,
        client_id: id,
        title: format!("{given} {family}"),
        body: String::new(),
        tags: String::new(),
        at: None,
    })
}

/// Writes a new client row: the one insert of a client, whether created here or received by an
/// import (which keeps the original time and status). The caller indexes it for search (an
/// import does that after all its rows, see `crate::import`).
pub(crate) fn insert(tx: &Connection, c: &Clean, status: ClientStatus, created_at: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO client (id, uid, given_name, family_name, date_of_birth, national_id_kind, national_id, address, email,
           phones, emergency_contact, custom_fields, status, created_at, updated_at)
         VALUES (?13, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?14, ?12, ?12)",
        params![
            uuid::Uuid::new_v4().to_string(), c.given, c.family, c.dob.map(|d| d.to_string()),
            c.nid.as_ref().map(|n| enum_to_str(&n.kind)), c.nid.as_ref().map(|n| n.value.clone()),
            c.address, c.email, c.phones, c.emergency, c.custom, created_at,
            ids::next(tx, IdTable::Client)?, enum_to_str(&status)
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

impl Vault {
    /// Adds a client. Validation errors name the field.
    pub fn create_client(&mut self, input: &ClientInput) -> Result<Client> {
        let c = clean(input)?;
        self.session()?.write(Action::ClientCreate, |tx| {
            let id = insert(tx, &c, ClientStatus::Active, &time::now_string())?;
            search::index(tx, &search_document(tx, id)?)?;
            Ok((load(tx, id)?, Target::client(id)))
        })
    }

    /// Replaces a client's details.
    pub fn update_client(&mut self, id: i64, input: &ClientInput) -> Result<Client> {
        let c = clean(input)?;
        self.session()?.write(Action::ClientUpdate, |tx| {
            exists(tx, id)?;
            tx.execute(
                "UPDATE client SET given_name = ?2, family_name = ?3, date_of_birth = ?4, national_id_kind = ?5, national_id = ?6,
                   address = ?7, email = ?8, phones = ?9, emergency_contact = ?10, custom_fields = ?11, updated_at = ?12
                 WHERE id = ?1",
                params![
                    id, c.given, c.family, c.dob.map(|d| d.to_string()),
                    c.nid.as_ref().map(|n| enum_to_str(&n.kind)), c.nid.as_ref().map(|n| n.value.clone()),
                    c.address, c.email, c.phones, c.emergency, c.custom, time::now_string()
                ],
            )?;
            search::index(tx, &search_document(tx, id)?)?;
            Ok((load(tx, id)?, Target::client(id)))
        })
    }

    /// Reads a client's record (logged).
    pub fn get_client(&mut self, id: i64) -> Result<Client> {
        let s = self.session()?;
        let c = load(s.reader(), id)?;
        s.log(Action::ClientRead, Target::client(id))?;
        Ok(c)
    }

    /// Archives or reactivates a client. Nothing is deleted.
    pub fn set_client_status(&mut self, id: i64, status: ClientStatus) -> Result<Client> {
        self.session()?.write(Action::ClientStatus, |tx| {
            exists(tx, id)?;
            tx.execute(
                "UPDATE client SET status = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, enum_to_str(&status), time::now_string()],
            )?;
            Ok((load(tx, id)?, Target::client(id)))
        })
    }

    /// Lists clients by family then given name.
    pub fn list_clients(&mut self, filter: &ClientFilter) -> Result<Vec<ClientSummary>> {
        let s = self.session()?;
        let tokens = filter.query.as_deref().map(search::text::query_tokens).unwrap_or_default();
        let mut st = s.reader().prepare(
            "SELECT id, given_name, family_name, status, updated_at, restricted_at IS NOT NULL,
               EXISTS (SELECT 1 FROM legal_hold h WHERE h.client_id = client.id AND h.released_at IS NULL)
             FROM client
             WHERE ?1 IS NULL OR status = ?1
             ORDER BY family_name COLLATE NOCASE, given_name COLLATE NOCASE, id",
        )?;
        let status = filter.status.map(|s| enum_to_str(&s));
        let rows = st
            .query_map([status], |r| {
                Ok(ClientSummary {
                    id: r.get(0)?,
                    given_name: r.get(1)?,
                    family_name: r.get(2)?,
                    status: parse_enum(&r.get::<_, String>(3)?)?,
                    restricted: r.get(5)?,
                    legal_hold: r.get(6)?,
                    updated_at: time::parse_ts(&r.get::<_, String>(4)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        // Every token must prefix some name word; names are few enough to filter in memory.
        let rows = rows
            .into_iter()
            .filter(|c| {
                let name = format!("{} {}", c.given_name, c.family_name);
                tokens.iter().all(|t| search::text::matches(&name, std::slice::from_ref(t)))
            })
            .collect();
        s.log(Action::ClientList, Target::none())?;
        Ok(rows)
    }
}
