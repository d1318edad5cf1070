//! Import: export packages read into this vault (GDPR art. 20, the receiving side).
//!
//! # What is read
//! The folder an export writes ([`crate::export`]): `manifest.json`, `data.json` (format
//! `confidant-client-export`, version 1, [`crate::export::data`]) and `attachments/…`
//! (`journal.pdf` is checked against the manifest but not read: `data.json` holds the same
//! records). Two uses: a client moving from another Confidant therapist brings their package,
//! and a therapist merging an old vault imports every client's package at once.
//!
//! # Checks, before anything is written
//! A package that fails one is refused with [`crate::Code::ImportRejected`] naming the check
//! ([`ImportCheck`]), and the vault is unchanged:
//! - `not_a_package`: no `manifest.json` or `data.json`;
//! - `manifest`: the manifest is not the export manifest, or names a path outside the package;
//! - `missing_file`, `file_hash`: a listed file is absent, or its size or SHA-256 differs;
//! - `format`, `newer_version`: `data.json` is another format, or a newer version of it;
//! - `schema`: `data.json` does not have the shape of its JSON Schema
//!   (`docs/schemas/confidant-export-v1.schema.json`), read strictly into typed records;
//! - `reference`: a record names a course, entry or attachment the package does not hold, an
//!   attachment differs from its manifest line, or a signed entry's history does not end in its
//!   current text;
//! - `already_imported`: this vault already holds that client from that vault (the client's
//!   URN); erasing the client first allows it again.
//!
//! Every field then passes the same rules as typing it in (names, national ids, lengths, tags,
//! attachment types and sizes): a failure is [`crate::Code::Validation`] naming the field.
//!
//! # Writing
//! All packages of one call go in one transaction: all of them or none. Records keep their
//! dates; signed entries stay signed, with their amendments, and keep who signed them in the
//! other vault ("Anna Lindqvist, leg. psykoterapeut"); drafts stay drafts. A withheld entry
//! (art. 15(4)) arrives as its date and kind without text. Ids are this vault's own. Every
//! record is indexed for search. The access log gets one `import` row per client received, in
//! the same transaction; `import_run` remembers the source (the client's URN, the practice, the
//! export time), never a file path. Progress counts clients; cancelling rolls everything back.

mod insert;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::appointments::Attendance;
use crate::export::data::{ExportData, FORMAT, VERSION};
use crate::export::ManifestFile;
use crate::job::{JobCtl, Phase, Progress};
use crate::{Error, Result, Vault};

pub use crate::error::ImportCheck;

fn rejected(c: ImportCheck) -> Error {
    Error::ImportRejected(c)
}

/// A checked package, ready to import: its records and the attachment files by path.
#[derive(Debug, Clone)]
pub struct Package {
    pub(crate) data: ExportData,
    pub(crate) files: HashMap<String, Vec<u8>>,
}

impl Package {
    /// A package made in memory (the benchmark's generator), checked like one read from disk.
    /// `files` maps each attachment's `path` to its bytes.
    pub fn from_parts(data: ExportData, files: HashMap<String, Vec<u8>>) -> Result<Package> {
        let p = Package { data, files };
        p.check()?;
        Ok(p)
    }

    /// How many journal entries it holds.
    pub fn entries(&self) -> usize {
        self.data.entries.len()
    }

    /// The references inside `data.json`, and the attachments against their files.
    fn check(&self) -> Result<()> {
        let d = &self.data;
        if d.format != FORMAT {
            return Err(rejected(ImportCheck::Format));
        }
        if d.version > VERSION {
            return Err(rejected(ImportCheck::NewerVersion));
        }
        let bad = || rejected(ImportCheck::Reference);
        let unique = |ids: Vec<&str>| ids.iter().collect::<HashSet<_>>().len() == ids.len();
        let courses: HashSet<&str> = d.courses.iter().map(|c| c.id.as_str()).collect();
        let entries: HashSet<&str> = d.entries.iter().map(|e| e.id.as_str()).collect();
        let attachments: HashSet<&str> = d.attachments.iter().map(|a| a.id.as_str()).collect();
        if !unique(d.courses.iter().map(|c| c.id.as_str()).collect())
            || !unique(d.entries.iter().map(|e| e.id.as_str()).collect())
            || !unique(d.attachments.iter().map(|a| a.id.as_str()).collect())
        {
            return Err(bad());
        }
        for e in &d.entries {
            if !courses.contains(e.course_id.as_str())
                || e.attachment_ids.iter().any(|a| !attachments.contains(a.as_str()))
                || !insert::history_is_whole(e)
            {
                return Err(bad());
            }
        }
        for a in &d.attachments {
            let bytes = self.files.get(&a.path).ok_or_else(bad)?;
            if a.entry_id.as_deref().is_some_and(|e| !entries.contains(e))
                || bytes.len() as u64 != a.size
                || hex::encode(Sha256::digest(bytes)) != a.sha256
            {
                return Err(bad());
            }
        }
        if d.consents.iter().any(|c| c.evidence_attachment_id.as_deref().is_some_and(|a| !attachments.contains(a))) {
            return Err(bad());
        }
        // A session names its course and note in the package, a note belongs to one session,
        // and only an attended session has one.
        let mut notes = HashSet::new();
        if !unique(d.sessions.iter().map(|s| s.id.as_str()).collect())
            || d.sessions.iter().any(|s| {
                s.course_id.as_deref().is_some_and(|c| !courses.contains(c))
                    || s.entry_id.as_deref().is_some_and(|e| {
                        !entries.contains(e) || !notes.insert(e) || s.attendance != Attendance::Attended
                    })
            })
        {
            return Err(bad());
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    format: String,
    version: u32,
    files: Vec<ManifestFile>,
}

/// A path the manifest may name: `data.json`, `journal.pdf` or one file under `attachments/`.
fn safe_path(p: &str) -> bool {
    match p.strip_prefix("attachments/") {
        Some(name) => {
            !name.is_empty() && !name.contains(['/', '\\']) && name != ".." && name != "." && !name.starts_with('.')
        }
        None => p == "data.json" || p == "journal.pdf",
    }
}

/// Reads and checks the package in folder `dir` (every check above but `already_imported`).
pub fn read_package(dir: &Path) -> Result<Package> {
    let read = |name: &str| std::fs::read(dir.join(name));
    let manifest = read("manifest.json").map_err(|_| rejected(ImportCheck::NotAPackage))?;
    let m: Manifest = serde_json::from_slice(&manifest).map_err(|_| rejected(ImportCheck::Manifest))?;
    if m.format != "confidant-export-manifest" || m.version != 1 || !m.files.iter().all(|f| safe_path(&f.path)) {
        return Err(rejected(ImportCheck::Manifest));
    }
    if !m.files.iter().any(|f| f.path == "data.json") {
        return Err(rejected(ImportCheck::NotAPackage));
    }
    let mut files = HashMap::new();
    let mut json = Vec::new();
    for f in &m.files {
        let bytes = read(&f.path).map_err(|_| rejected(ImportCheck::MissingFile))?;
        if bytes.len() as u64 != f.size || hex::encode(Sha256::digest(&bytes)) != f.sha256 {
            return Err(rejected(ImportCheck::FileHash));
        }
        match f.path.as_str() {
            "data.json" => json = bytes,
            "journal.pdf" => {}
            p => {
                files.insert(p.to_owned(), bytes);
            }
        }
    }
    // The format and version first, so a newer package is named as such, not as a bad shape.
    #[derive(Deserialize)]
    struct Head {
        format: String,
        version: u32,
    }
    let head: Head = serde_json::from_slice(&json).map_err(|_| rejected(ImportCheck::Schema))?;
    if head.format != FORMAT {
        return Err(rejected(ImportCheck::Format));
    }
    if head.version > VERSION {
        return Err(rejected(ImportCheck::NewerVersion));
    }
    let data: ExportData = serde_json::from_slice(&json).map_err(|_| rejected(ImportCheck::Schema))?;
    let p = Package { data, files };
    p.check()?;
    Ok(p)
}

/// The packages in `dir`: `dir` itself when it is one (it holds `manifest.json`), else every
/// folder directly inside it that is one, by name (the exports of a whole practice, side by
/// side). A folder with neither is [`ImportCheck::NotAPackage`].
pub fn package_dirs(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    if dir.join("manifest.json").is_file() {
        return Ok(vec![dir.to_owned()]);
    }
    let list = std::fs::read_dir(dir).map_err(|_| rejected(ImportCheck::NotAPackage))?;
    let mut found: Vec<_> =
        list.flatten().map(|e| e.path()).filter(|p| p.is_dir() && p.join("manifest.json").is_file()).collect();
    if found.is_empty() {
        return Err(rejected(ImportCheck::NotAPackage));
    }
    found.sort();
    Ok(found)
}

/// What an import added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ImportReport {
    /// This vault's ids of the clients received, in the order of the packages.
    pub client_ids: Vec<i64>,
    /// Courses added.
    pub courses: u32,
    /// Journal entries added.
    pub entries: u32,
    /// Amendments added.
    pub amendments: u32,
    /// Attachments added.
    pub attachments: u32,
    /// Consents added.
    pub consents: u32,
    /// Sessions added.
    pub sessions: u32,
    /// Questionnaire results added.
    pub measures: u32,
}

impl Vault {
    /// Reads the package folders `dirs`, checks each completely, then imports them all in one
    /// transaction (see the module docs). A failure or a cancellation leaves the vault as it was.
    pub fn import_packages(&mut self, dirs: &[&Path], ctl: &mut JobCtl<'_>) -> Result<ImportReport> {
        self.session()?;
        let mut packages = Vec::with_capacity(dirs.len());
        for d in dirs {
            ctl.check()?;
            packages.push(read_package(d)?);
        }
        self.import(&packages, ctl)
    }

    /// [`Vault::import_packages`] of every package in `folders` ([`package_dirs`]: each is one
    /// package, or a folder of them), all in one transaction. The app and the CLI both call this.
    pub fn import_folders(&mut self, folders: &[&Path], ctl: &mut JobCtl<'_>) -> Result<ImportReport> {
        self.session()?;
        let mut dirs = Vec::new();
        for f in folders {
            dirs.extend(package_dirs(f)?);
        }
        let dirs: Vec<&Path> = dirs.iter().map(|d| d.as_path()).collect();
        self.import_packages(&dirs, ctl)
    }

    /// Imports checked packages in one transaction: all of them or none.
    ///
    /// The rows of every package go in first and the search index after them. FTS5 writes what
    /// it holds in memory to disk at every statement savepoint, and SQLite opens one for any
    /// statement that fires a trigger (every entry, amendment and attachment insert does, for
    /// the rules on signed and restricted records); indexing as the rows went in therefore wrote
    /// a small index segment per note and spent most of an import merging them. Progress counts
    /// each package twice: its rows, then its index.
    pub fn import(&mut self, packages: &[Package], ctl: &mut JobCtl<'_>) -> Result<ImportReport> {
        let n_packages = packages.len() as u64;
        let total = 2 * n_packages;
        self.session()?.write_logged(|tx| {
            crate::db::with_bulk_cache(tx, || {
                let mut report = ImportReport::default();
                let mut rows = Vec::with_capacity(packages.len());
                let mut seen = HashSet::new();
                for (n, p) in packages.iter().enumerate() {
                    ctl.report(Progress { phase: Phase::Import, done: n as u64, total })?;
                    if !seen.insert(p.data.client.id.as_str()) {
                        return Err(rejected(ImportCheck::AlreadyImported));
                    }
                    let client = insert::package(tx, p, &mut report)?;
                    report.client_ids.push(client);
                    rows.push((crate::audit::Action::Import, crate::audit::Target::client(client)));
                }
                for (n, &client) in report.client_ids.iter().enumerate() {
                    ctl.report(Progress { phase: Phase::Import, done: n_packages + n as u64, total })?;
                    insert::index_client(tx, client)?;
                }
                ctl.report(Progress { phase: Phase::Import, done: total, total })?;
                Ok((report, rows))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_package_paths_are_read() {
        for ok in ["data.json", "journal.pdf", "attachments/01-remiss.pdf", "attachments/x y.png"] {
            assert!(safe_path(ok), "{ok}");
        }
        for bad in [
            "../data.json",
            "/etc/passwd",
            "attachments/../../x",
            "attachments/",
            "attachments/a/b",
            "attachments/..",
            "attachments/.hidden",
            "other.txt",
            "attachments\\x",
        ] {
            assert!(!safe_path(bad), "{bad}");
        }
    }
}
