//! The reply letter to an erasure request (GDPR art. 12(3), 17): what was erased, what the law
//! keeps and until when, in the client's language (the practice profile's), laid out by the
//! engine. Its data is read before the erasure, while the client's name and address exist.

use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use super::{ErasurePlan, Part};
use crate::documents::{DocPractice, DocumentKind, Typesetter};
use crate::domain::profile::PracticeProfile;
use crate::{Error, Result};

/// Where the reply letter goes, and who lays it out.
#[derive(Clone, Copy)]
pub struct LetterTo<'a> {
    /// An existing folder.
    pub folder: &'a Path,
    /// The typesetting engine.
    pub engine: &'a dyn Typesetter,
}

impl std::fmt::Debug for LetterTo<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LetterTo").finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Party {
    name: String,
    address: String,
}

#[derive(Serialize)]
struct Line {
    kind: Part,
    /// Empty: the template names the part in the letter's language.
    what: String,
    /// The last day it is kept ("till och med"), when a clock says so.
    until: Option<String>,
    rule: Option<String>,
}

#[derive(Serialize)]
struct LetterData {
    lang: crate::domain::profile::Language,
    generated_on: String,
    practice: DocPractice,
    client: Party,
    request_received_on: String,
    erased: Vec<Line>,
    kept: Vec<Line>,
    legal_hold: bool,
}

/// Lays out the letter for `plan` (read before anything is erased).
pub(crate) fn render(
    conn: &Connection,
    profile: &PracticeProfile,
    plan: &ErasurePlan,
    received_on: NaiveDate,
    today: NaiveDate,
    engine: &dyn Typesetter,
) -> Result<Vec<u8>> {
    let c = crate::domain::clients::load(conn, plan.client_id)?;
    let line = |i: &super::PlanItem| Line {
        kind: i.part,
        what: String::new(),
        until: i.until.and_then(|d| d.checked_sub_days(Days::new(1))).map(|d| d.to_string()),
        rule: i.source.clone(),
    };
    let data = LetterData {
        lang: profile.language,
        generated_on: today.to_string(),
        practice: DocPractice::of(profile),
        client: Party { name: format!("{} {}", c.given_name, c.family_name).trim().to_owned(), address: c.address },
        request_received_on: received_on.to_string(),
        erased: plan.items.iter().filter(|i| i.erase).map(line).collect(),
        kept: plan.items.iter().filter(|i| !i.erase).map(line).collect(),
        legal_hold: plan.items.iter().any(|i| i.keep == Some(super::KeepReason::LegalHold)),
    };
    let json = serde_json::to_vec(&data).map_err(|_| Error::Internal("letter data"))?;
    engine.render(DocumentKind::ErasureReply, &json)
}

/// Writes the letter into `folder` under a free name, atomically.
pub(crate) fn write(folder: &Path, today: NaiveDate, pdf: &[u8]) -> Result<PathBuf> {
    crate::documents::write_pdf(folder, "erasure-reply", today, pdf)
}
