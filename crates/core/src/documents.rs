//! The seam between the core's flows and the one typesetting engine (`crates/documents`, typst
//! embedded with its fonts). The core decides what a document says and hands the engine its
//! data as JSON; the engine lays it out. The core builds and tests without the engine: a flow
//! that makes a document takes a [`Typesetter`], which the app and the CLI provide.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;

use crate::domain::profile::PracticeProfile;
use crate::{Error, Result};

/// The practice as every template's letterhead and signature read it (`practice`).
#[derive(Debug, Serialize)]
pub(crate) struct DocPractice {
    pub name: String,
    pub address: String,
    pub therapist: String,
    pub title: String,
}

impl DocPractice {
    pub(crate) fn of(p: &PracticeProfile) -> Self {
        DocPractice {
            name: p.practice_name.clone(),
            address: p.practice_address.clone(),
            therapist: p.therapist_name.clone(),
            title: p.therapist_title.clone(),
        }
    }
}

/// A moment as documents print it: the therapist's local time, to the minute.
pub(crate) fn local_minute(t: &DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%dT%H:%M").to_string()
}

/// A document the engine can lay out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A client's journal for an access request (`journal.pdf` of an export).
    Journal,
    /// The reply letter to an erasure request.
    ErasureReply,
    /// The draft notification of a personal-data breach to the supervisory authority.
    BreachNotice,
    /// The letter telling an affected client of a breach (GDPR art. 34).
    BreachLetter,
    /// The record of processing activities (GDPR art. 30).
    ProcessingRecord,
    /// A referral letter about a client, sent under the client's consent.
    Referral,
    /// An invoice, a credit note or a receipt.
    Invoice,
}

impl DocumentKind {
    /// The document's stable name, used in errors and file names.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Journal => "journal",
            DocumentKind::ErasureReply => "erasure-reply",
            DocumentKind::BreachNotice => "breach-notification",
            DocumentKind::BreachLetter => "breach-letter",
            DocumentKind::ProcessingRecord => "record-of-processing",
            DocumentKind::Referral => "referral",
            DocumentKind::Invoice => "invoice",
        }
    }
}

/// Lays out a document from its data (`data_json`, the contract documented in
/// `crates/documents`). Implementations must not put document text into their errors.
pub trait Typesetter: Send + Sync {
    /// The PDF (PDF/A-2b) bytes.
    fn render(&self, kind: DocumentKind, data_json: &[u8]) -> Result<Vec<u8>>;
}

/// Writes a PDF into `folder` as `{stem}-{today}.pdf` (or `-2`, `-3`… when taken), atomically,
/// and returns its path. Never overwrites.
pub(crate) fn write_pdf(folder: &Path, stem: &str, today: NaiveDate, pdf: &[u8]) -> Result<PathBuf> {
    write_file(folder, stem, "pdf", today, pdf)
}

/// [`write_pdf`] for any file the person asked for (a CSV for the accountant).
pub(crate) fn write_file(folder: &Path, stem: &str, ext: &str, today: NaiveDate, bytes: &[u8]) -> Result<PathBuf> {
    if !folder.is_dir() {
        return Err(Error::NotFound("document folder"));
    }
    for n in 1..1000 {
        let name = if n == 1 { format!("{stem}-{today}.{ext}") } else { format!("{stem}-{today}-{n}.{ext}") };
        let path = folder.join(name);
        if !path.exists() {
            crate::fsutil::atomic_write(&path, bytes)?;
            return Ok(path);
        }
    }
    Err(Error::ExportExists)
}
