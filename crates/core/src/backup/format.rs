//! The payload inside the age file: a tar stream of `keys.json`, `settings.json`, `vault.db`
//! (an SQLCipher snapshot under the vault's own key) and, last, `manifest.json`, which lists
//! every file's size and SHA-256 and every table's row count (format 1 also a content hash per
//! table; format 2 relies on the SHA-256 of `vault.db`, which pins every byte, including every
//! row).

use crate::error::BackupCheck;
use std::cell::Cell;
use std::io::{Read, Write};
use std::path::Path;
use std::rc::Rc;

use chrono::{DateTime, Utc};
use rusqlite::types::ValueRef;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::paths::{DB_FILE, KEY_FILE};
use crate::settings::SETTINGS_FILE;
use crate::{Error, Result};

/// The manifest's file name inside the archive.
pub const MANIFEST_FILE: &str = "manifest.json";
const FORMAT: &str = "confidant-backup";
/// The payload format version this build writes. It reads 1 (per-table content hashes) and 2
/// (row counts only: the file's SHA-256 already covers the content).
pub const FORMAT_VERSION: u32 = 2;
/// Small members are capped when reading, so a hostile archive cannot fill a disk with them.
const SMALL_MAX: u64 = 1 << 20;

/// The archive's table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `confidant-backup`.
    pub format: String,
    /// Payload format version.
    pub version: u32,
    /// The vault's id.
    pub vault_id: Uuid,
    /// When the snapshot was taken.
    pub created_at: DateTime<Utc>,
    /// The Confidant version that wrote it.
    pub app_version: String,
    /// The database schema version of the snapshot.
    pub schema_version: i64,
    /// Per-table row counts (and, in format 1, content hashes) of the snapshot.
    pub tables: Vec<TableStat>,
    /// Every other member of the archive.
    pub files: Vec<FileEntry>,
}

/// One table's row count and, in format 1, a SHA-256 over its rows in a canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableStat {
    /// Table name (schema names only; no data).
    pub name: String,
    /// Number of rows.
    pub rows: u64,
    /// Hex SHA-256 over every row, in rowid (or full-column) order. Format 1 only: hashing
    /// every row through SQL cost more than the rest of a backup put together, and the file's
    /// own SHA-256 proves the same bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// One archive member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Member name.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Hex SHA-256.
    pub sha256: String,
}

impl Manifest {
    pub(crate) fn parse(bytes: &[u8]) -> Result<Manifest> {
        let m: Manifest = serde_json::from_slice(bytes).map_err(|_| Error::BackupCorrupt(BackupCheck::Manifest))?;
        if m.format != FORMAT {
            return Err(Error::BackupCorrupt(BackupCheck::Manifest));
        }
        if m.version == 0 {
            return Err(Error::BackupCorrupt(BackupCheck::Manifest));
        }
        if m.version > FORMAT_VERSION {
            return Err(Error::NewerVersion { found: i64::from(m.version), known: i64::from(FORMAT_VERSION) });
        }
        Ok(m)
    }
}

/// Every real table, by name (virtual tables are skipped: their contents live in their
/// shadow tables, which are listed).
fn real_tables(conn: &Connection) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT name, coalesce(sql, '') FROM sqlite_schema WHERE type = 'table' ORDER BY name COLLATE BINARY",
    )?;
    let tables: Vec<(String, String)> =
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    Ok(tables
        .into_iter()
        .filter(|(_, sql)| !sql.trim_start().to_ascii_uppercase().starts_with("CREATE VIRTUAL"))
        .map(|(name, _)| name)
        .collect())
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Row counts and content hashes of every real table (format 1's manifest; the re-key's
/// before/after comparison).
pub(crate) fn table_stats(conn: &Connection) -> Result<Vec<TableStat>> {
    real_tables(conn)?.iter().map(|name| table_stat(conn, name)).collect()
}

/// Row counts of every real table (format 2's manifest). `count(*)` walks the smallest index,
/// so this reads a small part of the file (measured: `examples/bench_backup.rs`).
pub(crate) fn row_counts(conn: &Connection) -> Result<Vec<TableStat>> {
    real_tables(conn)?
        .into_iter()
        .map(|name| {
            let rows: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", quoted(&name)), [], |r| r.get(0))?;
            Ok(TableStat { name, rows: rows as u64, sha256: None })
        })
        .collect()
}

fn table_stat(conn: &Connection, name: &str) -> Result<TableStat> {
    let quoted = quoted(name);
    let by_rowid = format!("SELECT * FROM {quoted} ORDER BY rowid");
    let mut st = match conn.prepare(&by_rowid) {
        Ok(st) => st,
        Err(_) => {
            // WITHOUT ROWID: order by every column.
            let n = conn.prepare(&format!("SELECT * FROM {quoted} LIMIT 0"))?.column_count();
            let cols: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            conn.prepare(&format!("SELECT * FROM {quoted} ORDER BY {}", cols.join(", ")))?
        }
    };
    let n = st.column_count();
    let mut h = Sha256::new();
    let mut rows = 0u64;
    let mut q = st.query([])?;
    while let Some(r) = q.next()? {
        rows += 1;
        h.update(b"R");
        for i in 0..n {
            match r.get_ref(i)? {
                ValueRef::Null => h.update(b"N"),
                ValueRef::Integer(v) => {
                    h.update(b"I");
                    h.update(v.to_le_bytes());
                }
                ValueRef::Real(v) => {
                    h.update(b"F");
                    h.update(v.to_bits().to_le_bytes());
                }
                ValueRef::Text(t) => {
                    h.update(b"T");
                    h.update((t.len() as u64).to_le_bytes());
                    h.update(t);
                }
                ValueRef::Blob(b) => {
                    h.update(b"B");
                    h.update((b.len() as u64).to_le_bytes());
                    h.update(b);
                }
            }
        }
    }
    Ok(TableStat { name: name.to_owned(), rows, sha256: Some(hex::encode(h.finalize())) })
}

/// A reader that hashes and counts what passes through and reports progress.
pub(crate) struct HashingReader<'p, R> {
    inner: R,
    hash: Sha256,
    count: u64,
    progress: &'p mut dyn FnMut(u64),
}

impl<'p, R: Read> HashingReader<'p, R> {
    pub(crate) fn new(inner: R, progress: &'p mut dyn FnMut(u64)) -> Self {
        HashingReader { inner, hash: Sha256::new(), count: 0, progress }
    }
    pub(crate) fn finish(self) -> (u64, String) {
        (self.count, hex::encode(self.hash.finalize()))
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.count += n as u64;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// Reads a file on a second thread in large chunks, hashing them there: SHA-256 then runs
/// beside age's encryption on the other core instead of before it on one, so the backup goes at
/// the speed of the slower of the two (docs/performance.md).
pub(crate) struct Prefetch<'p> {
    chunks: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    current: Vec<u8>,
    pos: usize,
    worker: Option<std::thread::JoinHandle<(u64, String)>>,
    progress: &'p mut dyn FnMut(u64),
}

impl<'p> Prefetch<'p> {
    const CHUNK: usize = 1 << 20;

    pub(crate) fn start(mut inner: impl Read + Send + 'static, progress: &'p mut dyn FnMut(u64)) -> Self {
        // Four chunks ahead is enough to keep both cores busy and bounds the memory to a few MB.
        let (tx, chunks) = std::sync::mpsc::sync_channel(4);
        let worker = std::thread::spawn(move || {
            let (mut hash, mut count) = (Sha256::new(), 0u64);
            loop {
                let mut buf = vec![0u8; Self::CHUNK];
                let mut filled = 0;
                let read = loop {
                    match inner.read(&mut buf[filled..]) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == buf.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                if let Err(e) = read {
                    let _ = tx.send(Err(e));
                    break;
                }
                if filled == 0 {
                    break;
                }
                buf.truncate(filled);
                hash.update(&buf);
                count += filled as u64;
                // The reader went away (cancelled or failed): stop reading.
                if tx.send(Ok(buf)).is_err() {
                    break;
                }
            }
            (count, hex::encode(hash.finalize()))
        });
        Prefetch { chunks, current: Vec::new(), pos: 0, worker: Some(worker), progress }
    }

    /// The bytes read and their SHA-256, once the reader has reached the end.
    pub(crate) fn finish(mut self) -> std::io::Result<(u64, String)> {
        let worker = self.worker.take().ok_or_else(|| std::io::Error::other("finished twice"))?;
        worker.join().map_err(|_| std::io::Error::other("the reading thread failed"))
    }
}

impl Read for Prefetch<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.current.len() {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    self.current = chunk;
                    self.pos = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len() - self.pos);
        buf[..n].copy_from_slice(&self.current[self.pos..self.pos + n]);
        self.pos += n;
        (self.progress)(n as u64);
        Ok(n)
    }
}

fn header(size: u64, mtime: u64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o600);
    h.set_mtime(mtime);
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// Writes the archive. `small` are (name, bytes) written first; then `size` bytes of the
/// snapshot as `vault.db`; then the manifest (completed with every file's hash). Returns the
/// manifest.
pub(crate) fn write_archive<W: Write>(
    out: W,
    mut manifest: Manifest,
    small: &[(&str, &[u8])],
    snapshot: impl Read + Send + 'static,
    size: u64,
    progress: &mut dyn FnMut(u64),
) -> std::io::Result<(W, Manifest)> {
    let mtime = manifest.created_at.timestamp().max(0) as u64;
    // A buffer in front of age: `io::copy` then moves the snapshot in 1 MiB steps (it fills a
    // `BufWriter` directly) instead of 8 KiB ones.
    let mut b = tar::Builder::new(std::io::BufWriter::with_capacity(1 << 20, out));
    b.mode(tar::HeaderMode::Deterministic);
    for (name, bytes) in small {
        let mut h = header(bytes.len() as u64, mtime);
        b.append_data(&mut h, name, *bytes)?;
        manifest.files.push(FileEntry {
            name: (*name).to_owned(),
            size: bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(bytes)),
        });
        progress(bytes.len() as u64);
    }
    let mut h = header(size, mtime);
    let mut r = Prefetch::start(snapshot.take(size), progress);
    b.append_data(&mut h, DB_FILE, &mut r)?;
    let (n, sha) = r.finish()?;
    if n != size {
        return Err(std::io::Error::other("snapshot changed while it was archived"));
    }
    manifest.files.push(FileEntry { name: DB_FILE.to_owned(), size, sha256: sha });
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::other)?;
    let mut h = header(json.len() as u64, mtime);
    b.append_data(&mut h, MANIFEST_FILE, json.as_slice())?;
    b.finish()?;
    let out = b.into_inner()?.into_inner().map_err(|e| e.into_error())?;
    Ok((out, manifest))
}

/// The members as read back: name → (size, sha256), and the manifest.
pub(crate) struct Unpacked {
    pub manifest: Manifest,
    pub found: Vec<FileEntry>,
    /// Every page of `vault.db` carried its HMAC under the key (`cipher_integrity_check`).
    pub pages_ok: bool,
}

/// Wraps the decrypting reader so a failure of the age layer (authentication, truncation) is
/// told apart from a malformed archive, even after tar rewraps the error.
pub(crate) struct Watch<R> {
    pub inner: R,
    pub failed: Rc<Cell<bool>>,
}

impl<R: Read> Read for Watch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).inspect_err(|_| self.failed.set(true))
    }
}

/// Unpacks the archive into `staging` (an existing private folder), hashing as it goes, then
/// reads the rest of the stream to its authenticated end. Every failure names its check.
/// `durable`: fsync each file (a restore keeps them; a verification deletes them right after).
/// `key`: the database key, with which every page of `vault.db` has its HMAC checked as it
/// streams past (`db::pages`), on a second thread.
pub(crate) fn unpack<R: Read>(
    input: R,
    staging: &Path,
    durable: bool,
    key: &crate::DatabaseKey,
    progress: &mut dyn FnMut(u64),
) -> Result<Unpacked> {
    let failed = Rc::new(Cell::new(false));
    let watch = Watch { inner: input, failed: failed.clone() };
    let check = |what: BackupCheck| {
        let failed = failed.clone();
        move |e: std::io::Error| {
            if let Some(r) = crate::error::cancelled_in(&e) {
                Error::Cancelled(r)
            } else if failed.get() {
                Error::BackupCorrupt(BackupCheck::Payload)
            } else {
                Error::BackupCorrupt(what)
            }
        }
    };
    let mut archive = tar::Archive::new(watch);
    let mut found: Vec<FileEntry> = Vec::new();
    let mut manifest_bytes: Option<Vec<u8>> = None;
    let mut pages_ok = false;
    for entry in archive.entries().map_err(check(BackupCheck::Archive))? {
        let mut entry = entry.map_err(check(BackupCheck::Archive))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(Error::BackupCorrupt(BackupCheck::Archive));
        }
        let name = entry.path().map_err(check(BackupCheck::Archive))?.to_string_lossy().into_owned();
        let allowed = [KEY_FILE, SETTINGS_FILE, DB_FILE, MANIFEST_FILE];
        let Some(&name) = allowed.iter().find(|a| **a == name) else {
            return Err(Error::BackupCorrupt(BackupCheck::Archive));
        };
        if found.iter().any(|f| f.name == name) || (name == MANIFEST_FILE && manifest_bytes.is_some()) {
            return Err(Error::BackupCorrupt(BackupCheck::Archive));
        }
        let size = entry.size();
        if name != DB_FILE && size > SMALL_MAX {
            return Err(Error::BackupCorrupt(BackupCheck::Archive));
        }
        if name == MANIFEST_FILE {
            let mut buf = Vec::with_capacity(size as usize);
            entry.read_to_end(&mut buf).map_err(check(BackupCheck::Archive))?;
            manifest_bytes = Some(buf);
            continue;
        }
        let file = crate::fsutil::private_create_new(&staging.join(name))?;
        let is_db = name == DB_FILE;
        // The database's hash is taken by the page-checking thread, beside the decryption.
        let mut out = PagesTee { file, pages: is_db.then(|| crate::db::pages::PageCheck::start(key)) };
        let copied = if is_db {
            let mut r = Progressed { inner: &mut entry, progress: &mut *progress };
            std::io::copy(&mut r, &mut out).map(|_| None)
        } else {
            let mut r = HashingReader::new(&mut entry, &mut *progress);
            std::io::copy(&mut r, &mut out).map(|_| Some(r.finish()))
        };
        let hashed = copied.map_err(|e| {
            if failed.get() {
                Error::BackupCorrupt(BackupCheck::Payload)
            } else {
                Error::io("write the staging copy")(e)
            }
        })?;
        let (n, sha256) = match (hashed, out.pages.take()) {
            (Some(h), _) => h,
            (None, Some(p)) => {
                let p = p.finish()?;
                pages_ok = p.whole;
                (p.size, p.sha256)
            }
            (None, None) => return Err(Error::Internal("a database copy without its page check")),
        };
        if durable {
            out.file.sync_all().map_err(Error::io("write the staging copy"))?;
        }
        found.push(FileEntry { name: name.to_owned(), size: n, sha256 });
    }
    // Tar stops at its end marker; the age stream's last chunk is only authenticated once
    // read, so read to the end. Only zero padding may follow the archive.
    let mut rest = archive.into_inner();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = rest.read(&mut buf).map_err(|_| Error::BackupCorrupt(BackupCheck::Payload))?;
        if n == 0 {
            break;
        }
        if buf[..n].iter().any(|b| *b != 0) {
            return Err(Error::BackupCorrupt(BackupCheck::Archive));
        }
    }
    let manifest = Manifest::parse(&manifest_bytes.ok_or(Error::BackupCorrupt(BackupCheck::Manifest))?)?;
    Ok(Unpacked { manifest, found, pages_ok })
}

/// Reports the bytes read, for a member whose hash is taken elsewhere.
struct Progressed<'p, R> {
    inner: R,
    progress: &'p mut dyn FnMut(u64),
}

impl<R: Read> Read for Progressed<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        (self.progress)(n as u64);
        Ok(n)
    }
}

/// The staging file, with `vault.db`'s bytes also handed to the page check.
struct PagesTee {
    file: std::fs::File,
    pages: Option<crate::db::pages::PageCheck>,
}

impl Write for PagesTee {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        if let Some(p) = &mut self.pages {
            p.feed(&buf[..n]);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

/// Checks the members against the manifest: the same names, sizes and hashes.
pub(crate) fn check_files(u: &Unpacked) -> Result<()> {
    for name in [KEY_FILE, DB_FILE] {
        if !u.found.iter().any(|f| f.name == name) {
            return Err(Error::BackupCorrupt(BackupCheck::MissingFile));
        }
    }
    if u.manifest.files.len() != u.found.len() {
        return Err(Error::BackupCorrupt(BackupCheck::MissingFile));
    }
    for f in &u.found {
        let listed =
            u.manifest.files.iter().find(|m| m.name == f.name).ok_or(Error::BackupCorrupt(BackupCheck::MissingFile))?;
        if listed.size != f.size || listed.sha256 != f.sha256 {
            return Err(Error::BackupCorrupt(BackupCheck::FileHash));
        }
    }
    Ok(())
}

/// The file name prefix of this vault's backups: `confidant-<first 8 hex of the vault id>-`.
pub(crate) fn prefix(vault_id: &Uuid) -> String {
    format!("confidant-{}-", &vault_id.simple().to_string()[..8])
}
