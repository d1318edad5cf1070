//! Two brakes on a client's record:
//!
//! - **Legal hold** (a complaint, a supervisory case, a legal claim): stops every retention
//!   clock of the client and forbids erasure while in force ([`crate::retention`],
//!   [`crate::erasure`]). Holds are released, never deleted, so their history stays — until the
//!   client's record itself is erased.
//! - **Restriction of processing** (GDPR art. 18): while set, nothing of the client may be
//!   created or changed — contact details, courses, entries, amendments, attachments. The
//!   database refuses every such write (triggers), so no code path can forget the check; the
//!   core maps the refusal to [`Error::Restricted`]. Reading, exporting and erasure stay
//!   possible: storage is what restriction allows, and the client keeps their rights.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::profile::{enum_to_str, parse_enum};
use super::validate;
use crate::audit::{Action, Target};
use crate::kinds::ObjectKind;
use crate::{time, Error, Result, Vault};

closed_enum! {
    /// Why a hold is placed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "specta", derive(specta::Type))]
    #[serde(rename_all = "snake_case")]
    pub enum HoldReason {
        /// A complaint about the care (to the practice, IVO, Styrelsen for Patientklager).
        Complaint,
        /// A case at a supervisory authority (IVO, Psykolognævnet, IMY, Datatilsynet).
        SupervisoryCase,
        /// A legal claim is expected or under way (GDPR art. 17(3)(e)).
        LegalClaim,
        /// Another reason, described in the note.
        Other,
    }
}

/// A legal hold on a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LegalHold {
    /// Row id.
    pub id: i64,
    /// The client.
    pub client_id: i64,
    /// Why.
    pub reason: HoldReason,
    /// The therapist's note (case number, authority).
    pub note: String,
    /// Placed.
    pub placed_at: DateTime<Utc>,
    /// Released (`None` while in force).
    pub released_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, client_id, reason, note, placed_at, released_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<LegalHold> {
    Ok(LegalHold {
        id: r.get(0)?,
        client_id: r.get(1)?,
        reason: parse_enum(&r.get::<_, String>(2)?)?,
        note: r.get(3)?,
        placed_at: time::parse_ts(&r.get::<_, String>(4)?),
        released_at: r.get::<_, Option<String>>(5)?.map(|s| time::parse_ts(&s)),
    })
}

fn load(conn: &Connection, id: i64) -> Result<LegalHold> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM legal_hold WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("legal hold"))
}

/// Whether a hold is in force on the client.
pub(crate) fn held(conn: &Connection, client_id: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM legal_hold WHERE client_id = ?1 AND released_at IS NULL)",
        [client_id],
        |r| r.get(0),
    )?)
}

/// A client's holds, in force first, then newest first.
pub(crate) fn list(conn: &Connection, client_id: i64) -> Result<Vec<LegalHold>> {
    let mut st = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM legal_hold WHERE client_id = ?1
         ORDER BY released_at IS NOT NULL, placed_at DESC, id DESC"
    ))?;
    let rows = st.query_map([client_id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

impl Vault {
    /// Places a legal hold on a client: every retention clock of the client stops and nothing
    /// of the client can be erased until it is released.
    pub fn place_legal_hold(&mut self, client_id: i64, reason: HoldReason, note: &str) -> Result<LegalHold> {
        let note = validate::text("note", note, 1000, reason == HoldReason::Other)?;
        self.session()?.write(Action::LegalHold, |tx| {
            super::clients::exists(tx, client_id)?;
            tx.execute(
                "INSERT INTO legal_hold (client_id, reason, note, placed_at) VALUES (?1, ?2, ?3, ?4)",
                params![client_id, enum_to_str(&reason), note, time::now_string()],
            )?;
            let id = tx.last_insert_rowid();
            Ok((load(tx, id)?, Target::object(ObjectKind::LegalHold, id, client_id)))
        })
    }

    /// Releases a hold; its history stays.
    pub fn release_legal_hold(&mut self, hold_id: i64) -> Result<LegalHold> {
        self.session()?.write(Action::LegalHold, |tx| {
            let h = load(tx, hold_id)?;
            if h.released_at.is_none() {
                tx.execute(
                    "UPDATE legal_hold SET released_at = ?2 WHERE id = ?1",
                    params![hold_id, time::now_string()],
                )?;
            }
            Ok((load(tx, hold_id)?, Target::object(ObjectKind::LegalHold, hold_id, h.client_id)))
        })
    }

    /// A client's legal holds (in force first). Reading them is a read of the client.
    pub fn legal_holds(&mut self, client_id: i64) -> Result<Vec<LegalHold>> {
        let s = self.session()?;
        super::clients::exists(s.reader(), client_id)?;
        let out = list(s.reader(), client_id)?;
        s.log(Action::ClientRead, Target::client(client_id))?;
        Ok(out)
    }

    /// Restricts processing of a client's record (GDPR art. 18), or lifts the restriction.
    /// Restricting a restricted client (or lifting a lifted one) changes nothing.
    pub fn set_restriction(&mut self, client_id: i64, restricted: bool) -> Result<super::clients::Client> {
        self.session()?.write(Action::Restriction, |tx| {
            super::clients::exists(tx, client_id)?;
            let now = time::now_string();
            if restricted {
                tx.execute(
                    "UPDATE client SET restricted_at = ?2 WHERE id = ?1 AND restricted_at IS NULL",
                    params![client_id, now],
                )?;
            } else {
                tx.execute("UPDATE client SET restricted_at = NULL WHERE id = ?1", [client_id])?;
            }
            Ok((super::clients::load(tx, client_id)?, Target::client(client_id)))
        })
    }
}
