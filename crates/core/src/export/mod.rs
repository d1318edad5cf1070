//! Export on request (GDPR art. 15 and 20; Patientdatalagen 8 kap.): one client's records as a
//! package the client can read and a program can import.
//!
//! # The package
//! A folder `confidant-export-YYYY-MM-DD` (or `…-2`, `…-3` on the same day) holding
//! - `journal.pdf` — the journal in the client's language, laid out by the typesetting engine
//!   ([`crate::documents`]): contact details, courses, every entry with who signed it and its
//!   whole amendment history, attachments, and the access-log extract where the profile gives
//!   the client that right (SE licensed: Patientdatalagen 8 kap. 1 §);
//! - `data.json` — the same records, machine-readable ([`data`], with a committed JSON Schema);
//! - `attachments/NN-name.ext` — the attached files as they were added;
//! - `manifest.json` — the SHA-256 and size of every other file.
//!
//! With `encrypt`, the package is instead one file `confidant-export-YYYY-MM-DD.tar.age`,
//! encrypted with a generated passphrase that the therapist reads to the client by phone; the
//! plaintext never touches the disk.
//!
//! # Rules
//! - How the requester's identity was checked is required and recorded.
//! - An entry whose text would reveal someone else can be withheld with a recorded reason
//!   (art. 15(4)): its date, kind and signature stay, its text and history do not appear in
//!   any file.
//! - The disclosure is logged (`export`); under a Danish profile it is also written into the
//!   journal as a signed administrative note (journalføringsbekendtgørelsen: disclosures are
//!   journal information). A restricted client's journal cannot change, so then only the log
//!   records it.
//! - The package is written to a hidden staging folder (or temp file) and renamed into place
//!   when complete: a failure or a cancellation leaves nothing under the chosen name.

pub mod data;
mod journal_doc;
pub(crate) mod package;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::documents::{DocumentKind, Typesetter};
use crate::domain::validate;
use crate::job::{JobCtl, Phase, Progress};
use crate::{Error, Result, Vault};

pub use package::{ExportPassphrase, ManifestFile};

/// One entry to withhold, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct WithholdEntry {
    /// The entry.
    pub entry_id: i64,
    /// Why ("third-party information", recorded in the export).
    pub reason: String,
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExportRequest {
    /// The client.
    pub client_id: i64,
    /// How the requester's identity was checked ("photo ID seen").
    pub identity_check: String,
    /// Entries whose text is not disclosed.
    pub withheld: Vec<WithholdEntry>,
    /// One passphrase-encrypted file instead of a folder.
    pub encrypt: bool,
}

/// What an export wrote.
#[derive(Debug)]
pub struct ExportOutcome {
    /// The folder (or the `.tar.age` file).
    pub path: PathBuf,
    /// Every file of the package with its size and SHA-256 (as in `manifest.json`).
    pub files: Vec<ManifestFile>,
    /// The generated passphrase of an encrypted export, to be read to the client once.
    pub passphrase: Option<ExportPassphrase>,
    /// The journal note that records the disclosure (Danish profiles).
    pub journal_note: Option<i64>,
}

impl Vault {
    /// Exports one client's records into `dest` (an existing folder); see the module docs.
    pub fn export_client(
        &mut self,
        req: &ExportRequest,
        dest: &Path,
        engine: &dyn Typesetter,
        ctl: &mut JobCtl<'_>,
    ) -> Result<ExportOutcome> {
        const STEPS: u64 = 4;
        let identity_check = validate::one_line("identity_check", &req.identity_check, 300, true)?;
        let mut withheld = Vec::new();
        for w in &req.withheld {
            withheld.push((w.entry_id, validate::text("withheld", &w.reason, 1000, true)?));
        }
        ctl.report(Progress { phase: Phase::Snapshot, done: 0, total: STEPS })?;
        let today: NaiveDate = crate::time::today();
        let profile = self.profile()?;
        let vault_id = self.keys.vault_id;
        let (data, files) = {
            let s = self.session()?;
            package::collect(s.reader(), &vault_id, &profile, req.client_id, &identity_check, &withheld)?
        };
        ctl.report(Progress { phase: Phase::Typeset, done: 1, total: STEPS })?;
        let doc = serde_json::to_vec(&journal_doc::JournalDoc::from_export(&data))
            .map_err(|_| Error::Internal("journal document data"))?;
        let pdf = engine.render(DocumentKind::Journal, &doc)?;
        ctl.report(Progress { phase: Phase::Write, done: 2, total: STEPS })?;
        let json = serde_json::to_vec_pretty(&data).map_err(|_| Error::Internal("export data"))?;
        let written = package::write(dest, today, pdf, json, files, req.encrypt, ctl)?;
        ctl.report(Progress { phase: Phase::Write, done: 3, total: STEPS })?;

        // Only a package that exists is a disclosure.
        let journal_note = if profile.jurisdiction.is_danish() {
            package::journal_note(self, req.client_id, &identity_check, withheld.len())?
        } else {
            None
        };
        self.session()?.log(Action::Export, Target::client(req.client_id))?;
        let _ = ctl.report(Progress { phase: Phase::Write, done: STEPS, total: STEPS });
        Ok(ExportOutcome { path: written.path, files: written.files, passphrase: written.passphrase, journal_note })
    }

    /// Lays out the therapist's printout of a client's journal — or of one note, `entry_id` —
    /// with who signed each note, and writes it into `folder` as a PDF (`journal-…` or
    /// `note-…`; file names never carry a name). Printing is logged as a `print` of the client
    /// or the note.
    pub fn print_journal(
        &mut self,
        client_id: i64,
        entry_id: Option<i64>,
        folder: &Path,
        engine: &dyn Typesetter,
    ) -> Result<PathBuf> {
        let today: NaiveDate = crate::time::today();
        let profile = self.profile()?;
        let vault_id = self.keys.vault_id;
        let (data, _) = {
            let s = self.session()?;
            if let Some(e) = entry_id {
                let owner: i64 = s
                    .reader()
                    .query_row("SELECT client_id FROM entry WHERE id = ?1", [e], |r| r.get(0))
                    .map_err(|_| Error::NotFound("entry"))?;
                if owner != client_id {
                    return Err(Error::NotFound("entry"));
                }
            }
            package::collect(s.reader(), &vault_id, &profile, client_id, "", &[])?
        };
        let note = entry_id.map(|e| format!("urn:confidant:{vault_id}:entry:{e}"));
        let doc = serde_json::to_vec(&journal_doc::JournalDoc::printout(&data, note.as_deref()))
            .map_err(|_| Error::Internal("journal document data"))?;
        let pdf = engine.render(DocumentKind::Journal, &doc)?;
        let stem = if entry_id.is_some() { "note" } else { "journal" };
        let path = crate::documents::write_pdf(folder, stem, today, &pdf)?;
        let target = match entry_id {
            Some(e) => Target::object(crate::kinds::ObjectKind::Entry, e, client_id),
            None => Target::client(client_id),
        };
        self.session()?.log(Action::Print, target)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests;
