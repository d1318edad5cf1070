//! Attachments (PDFs and images) on a client or an entry, stored encrypted inside the vault.
//! The original file name is kept as data only and never used as a path.

use crate::Reason;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, MAIN_DB};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{Action, Target};
use crate::kinds::ObjectKind;
use crate::{time, Error, Result, Vault};

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// An attachment's metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Attachment {
    /// Row id.
    pub id: i64,
    /// Client.
    pub client_id: i64,
    /// Entry, when attached to one.
    pub entry_id: Option<i64>,
    /// Original file name, as data.
    pub file_name: String,
    /// Detected media type.
    pub media_type: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// When added.
    pub added_at: DateTime<Utc>,
}

/// What an attachment hangs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum AttachTo {
    /// A client's record.
    Client(i64),
    /// A journal entry.
    Entry(i64),
}

/// Recognizes the allowed types by their first bytes, not by the file name.
fn sniff(head: &[u8]) -> Option<&'static str> {
    let starts = |p: &[u8]| head.starts_with(p);
    if starts(b"%PDF-") {
        Some("application/pdf")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else if head.len() >= 12
        && &head[4..8] == b"ftyp"
        && matches!(&head[8..12], b"heic" | b"heix" | b"mif1" | b"heif")
    {
        Some("image/heic")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("image/tiff")
    } else {
        None
    }
}

fn clean_name(name: &str) -> Result<String> {
    // Keep only the last path component and drop control characters: the name is shown to
    // people, and a later "save a copy" must never be steered by it.
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
    if cleaned.is_empty() {
        return Err(Error::invalid("file_name", Reason::Required));
    }
    Ok(cleaned.chars().take(255).collect())
}

impl Vault {
    /// Adds an attachment from a reader of `size` bytes (the caller's file length), streamed
    /// into the encrypted database. More than [`MAX_ATTACHMENT_BYTES`] is refused before
    /// anything is stored.
    pub fn attach_bytes(
        &mut self,
        to: AttachTo,
        file_name: &str,
        size: u64,
        mut reader: impl Read,
    ) -> Result<Attachment> {
        if size > MAX_ATTACHMENT_BYTES {
            return Err(Error::AttachmentTooLarge { max_mb: MAX_ATTACHMENT_BYTES / (1024 * 1024) });
        }
        let file_name = clean_name(file_name)?;
        let len = usize::try_from(size).map_err(|_| Error::Internal("size"))?;
        self.session()?.write(Action::AttachmentAdd, |tx| {
            let (client_id, entry_id) = match to {
                AttachTo::Client(c) => {
                    super::clients::exists(tx, c)?;
                    (c, None)
                }
                AttachTo::Entry(e) => (super::entries::load(tx, e)?.client_id, Some(e)),
            };
            tx.execute(
                "INSERT INTO attachment (client_id, entry_id, file_name, media_type, size, sha256, added_at)
                 VALUES (?1, ?2, ?3, '', ?4, '', ?5)",
                params![client_id, entry_id, file_name, size as i64, time::now_string()],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO attachment_content (attachment_id, data) VALUES (?1, zeroblob(?2))",
                params![id, size as i64],
            )?;
            let mut blob = tx.blob_open(MAIN_DB, "attachment_content", "data", id, false)?;
            let mut hasher = Sha256::new();
            let mut buf = vec![0u8; 256 * 1024];
            let mut written = 0usize;
            let mut head = Vec::with_capacity(16);
            loop {
                let n = reader.read(&mut buf).map_err(Error::io("read the attachment"))?;
                if n == 0 {
                    break;
                }
                if written + n > len {
                    return Err(Error::invalid("file", Reason::ChangedWhileReading));
                }
                if head.len() < 16 {
                    head.extend_from_slice(&buf[..n.min(16 - head.len())]);
                }
                hasher.update(&buf[..n]);
                blob.write_all(&buf[..n]).map_err(Error::io("store the attachment"))?;
                written += n;
            }
            if written != len {
                return Err(Error::invalid("file", Reason::ChangedWhileReading));
            }
            drop(blob);
            let media = sniff(&head).ok_or(Error::AttachmentType)?;
            tx.execute(
                "UPDATE attachment SET media_type = ?2, sha256 = ?3 WHERE id = ?1",
                params![id, media, hex::encode(hasher.finalize())],
            )?;
            let a = load(tx, id)?;
            Ok((a, Target::object(ObjectKind::Attachment, id, client_id)))
        })
    }

    /// Adds the file at `path` as an attachment (its name is kept as data only). Used by every
    /// front end that attaches by path: the CLI, the desktop app's dialog and drag-and-drop.
    pub fn attach_file(&mut self, to: AttachTo, path: &Path) -> Result<Attachment> {
        self.session()?;
        let file = File::open(path).map_err(Error::io("open the file to attach"))?;
        let meta = file.metadata().map_err(Error::io("read the file to attach"))?;
        if !meta.is_file() {
            return Err(Error::invalid("file", Reason::NotAFile));
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        self.attach_bytes(to, &name, meta.len(), BufReader::new(file))
    }

    /// Writes a copy of attachment `id` to `dest`, replacing it atomically (private temp file
    /// next to it, fsync, rename, fsync the folder): a failure never leaves a partial file
    /// under `dest`. The copy is readable only by the user.
    pub fn save_attachment_copy(&mut self, id: i64, dest: &Path) -> Result<Attachment> {
        self.session()?;
        crate::fsutil::atomic_write_with(dest, |w| self.read_attachment(id, w))
    }

    /// Attachments of a client (all) or of one entry.
    pub fn list_attachments(&mut self, to: AttachTo) -> Result<Vec<Attachment>> {
        let s = self.session()?;
        let (sql, id) = match to {
            AttachTo::Client(c) => ("WHERE client_id = ?1", c),
            AttachTo::Entry(e) => ("WHERE entry_id = ?1", e),
        };
        let mut st = s.conn.prepare(&format!("SELECT {COLUMNS} FROM attachment {sql} ORDER BY id"))?;
        let rows = st.query_map([id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let client = match to {
            AttachTo::Client(c) => Some(c),
            AttachTo::Entry(e) => {
                s.conn.query_row("SELECT client_id FROM entry WHERE id = ?1", [e], |r| r.get(0)).optional()?
            }
        };
        s.log(Action::ClientRead, client.map_or(Target::none(), Target::client))?;
        Ok(rows)
    }

    /// Streams an attachment's content into `out` (logged), verifying its SHA-256.
    pub fn read_attachment(&mut self, id: i64, mut out: impl Write) -> Result<Attachment> {
        let s = self.session()?;
        let a = load(&s.conn, id)?;
        let mut blob = s.conn.blob_open(MAIN_DB, "attachment_content", "data", id, true)?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = blob.read(&mut buf).map_err(Error::io("read the attachment"))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(Error::io("write the attachment copy"))?;
        }
        drop(blob);
        if hex::encode(hasher.finalize()) != a.sha256 {
            return Err(Error::Internal("attachment content does not match its recorded hash"));
        }
        s.log(Action::AttachmentRead, Target::object(ObjectKind::Attachment, id, a.client_id))?;
        Ok(a)
    }
}

const COLUMNS: &str = "id, client_id, entry_id, file_name, media_type, size, sha256, added_at";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attachment> {
    Ok(Attachment {
        id: r.get(0)?,
        client_id: r.get(1)?,
        entry_id: r.get(2)?,
        file_name: r.get(3)?,
        media_type: r.get(4)?,
        size: r.get::<_, i64>(5)?.max(0) as u64,
        sha256: r.get(6)?,
        added_at: time::parse_ts(&r.get::<_, String>(7)?),
    })
}

fn load(conn: &rusqlite::Connection, id: i64) -> Result<Attachment> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM attachment WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing_and_names() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\remiss.pdf").unwrap(), "remiss.pdf");
        assert!(clean_name("dir/").is_err());
    }
}
