//! Attachments (PDFs and images) on a client or an entry, stored encrypted inside the vault.
//! The original file name is kept as data only and never used as a path.

use crate::Reason;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, MAIN_DB};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::audit::{Action, Target};
use crate::db::ids::{self, IdTable};
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
pub(crate) fn sniff(head: &[u8]) -> Option<&'static str> {
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

pub(crate) fn clean_name(name: &str) -> Result<String> {
    // Keep only the last path component and drop control characters: the name is shown to
    // people, and a later "save a copy" must never be steered by it.
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned();
    if cleaned.is_empty() {
        return Err(Error::invalid("file_name", Reason::Required));
    }
    Ok(cleaned.chars().take(255).collect())
}

/// The metadata row of a new attachment (type and hash are filled in once the bytes are in).
fn insert_row(tx: &Connection, client_id: i64, entry_id: Option<i64>, name: &str, size: u64, at: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO attachment (id, client_id, entry_id, file_name, media_type, size, sha256, added_at)
         VALUES (?6, ?1, ?2, ?3, '', ?4, '', ?5)",
        params![client_id, entry_id, name, size as i64, at, ids::next(tx, IdTable::Attachment)?],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Stores a whole file received by an import, under the rules of [`Vault::attach_bytes`] (size,
/// name, type), with its original time. Returns the new id.
pub(crate) fn insert_received(
    tx: &Connection,
    client_id: i64,
    entry_id: Option<i64>,
    name: &str,
    bytes: &[u8],
    added_at: &str,
) -> Result<i64> {
    if bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
        return Err(Error::AttachmentTooLarge { max_mb: MAX_ATTACHMENT_BYTES / (1024 * 1024) });
    }
    let media = sniff(&bytes[..bytes.len().min(16)]).ok_or(Error::AttachmentType)?;
    let id = insert_row(tx, client_id, entry_id, &clean_name(name)?, bytes.len() as u64, added_at)?;
    tx.execute("INSERT INTO attachment_content (attachment_id, data) VALUES (?1, ?2)", params![id, bytes])?;
    tx.execute(
        "UPDATE attachment SET media_type = ?2, sha256 = ?3 WHERE id = ?1",
        params![id, media, hex::encode(Sha256::digest(bytes))],
    )?;
    Ok(id)
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
            let id = insert_row(tx, client_id, entry_id, &file_name, size, &time::now_string())?;
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
        let mut st = s.reader().prepare(&format!("SELECT {COLUMNS} FROM attachment {sql} ORDER BY id"))?;
        let rows = st.query_map([id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        drop(st);
        let client = match to {
            AttachTo::Client(c) => Some(c),
            AttachTo::Entry(e) => {
                s.reader().query_row("SELECT client_id FROM entry WHERE id = ?1", [e], |r| r.get(0)).optional()?
            }
        };
        s.log(Action::ClientRead, client.map_or(Target::none(), Target::client))?;
        Ok(rows)
    }

    /// Streams an attachment's content into `out` (logged), verifying its SHA-256.
    pub fn read_attachment(&mut self, id: i64, mut out: impl Write) -> Result<Attachment> {
        let s = self.session()?;
        let a = load(s.reader(), id)?;
        let mut blob = s.reader().blob_open(MAIN_DB, "attachment_content", "data", id, true)?;
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
    use crate::testing::{client, unlocked_vault};

    #[test]
    fn names() {
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\remiss.pdf").unwrap(), "remiss.pdf");
        assert!(clean_name("dir/").is_err());
    }

    /// Real, minimal files of every accepted type (each a complete, valid file of its format,
    /// or at least its real header), with the media type the content must be stored as.
    fn accepted() -> Vec<(&'static str, &'static str, Vec<u8>)> {
        let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\
            \0\0\0\x0dIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82";
        let jpeg: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
        let exif: &[u8] = b"\xff\xd8\xff\xe1\x00\x16Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00\xff\xd9";
        let gif89: &[u8] = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00\
            ,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        let gif87: &[u8] = b"GIF87a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00\
            ,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;";
        // RIFF size = 4 ("WEBP") + 8 + 13 (the VP8L chunk of a 1x1 image, padded).
        let webp: &[u8] =
            b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00";
        let heif = |brand: &[u8; 4]| {
            let mut b = b"\x00\x00\x00\x18ftyp".to_vec();
            b.extend_from_slice(brand);
            b.extend_from_slice(b"\x00\x00\x00\x00mif1heic");
            b.extend_from_slice(b"\x00\x00\x00\x08free");
            b
        };
        let pdf: &[u8] =
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
        let tiff_le: &[u8] = b"II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00";
        let tiff_be: &[u8] = b"MM\x00*\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00";
        vec![
            ("remiss.pdf", "application/pdf", pdf.to_vec()),
            ("bild.png", "image/png", png.to_vec()),
            ("foto.jpg", "image/jpeg", jpeg.to_vec()),
            ("kamera.jpeg", "image/jpeg", exif.to_vec()),
            ("anim.gif", "image/gif", gif89.to_vec()),
            ("gammal.gif", "image/gif", gif87.to_vec()),
            ("bild.webp", "image/webp", webp.to_vec()),
            ("iphone.heic", "image/heic", heif(b"heic")),
            ("iphone2.heic", "image/heic", heif(b"heix")),
            ("bild.heif", "image/heic", heif(b"mif1")),
            ("bild2.heif", "image/heic", heif(b"heif")),
            ("skanning.tif", "image/tiff", tiff_le.to_vec()),
            ("skanning2.tiff", "image/tiff", tiff_be.to_vec()),
        ]
    }

    /// Content that is none of the accepted types, whatever its name says.
    fn refused() -> Vec<(&'static str, Vec<u8>)> {
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
        exe.extend_from_slice(&[0u8; 48]);
        exe.extend_from_slice(b"This program cannot be run in DOS mode.");
        vec![
            ("remiss.pdf", exe.clone()),
            ("bild.png", exe),
            ("remiss.pdf", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec()),
            ("remiss.pdf", b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec()),
            ("remiss.pdf", b"#!/bin/sh\nrm -rf ~\n".to_vec()),
            ("remiss.pdf", b"<html><script>alert(1)</script></html>".to_vec()),
            ("remiss.pdf", Vec::new()),
            // Truncated or near-miss headers.
            ("remiss.pdf", b"%PDF".to_vec()),
            ("bild.png", b"\x89PNG\r\n\x1a".to_vec()),
            ("foto.jpg", b"\xff\xd8".to_vec()),
            ("anim.gif", b"GIF88a\x01\x00\x01\x00".to_vec()),
            ("film.webp", b"RIFF\x1a\x00\x00\x00AVI LIST".to_vec()),
            ("film.heic", b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec()),
            ("bild.tif", b"II+\x00\x10\x00\x00\x00".to_vec()),
        ]
    }

    fn counts(v: &mut Vault) -> (i64, i64, i64) {
        let c = v.session().unwrap().reader();
        let n = |t: &str| c.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap();
        (n("attachment"), n("attachment_content"), n("access_log"))
    }

    #[test]
    fn every_accepted_type_is_stored_with_the_type_of_its_content() {
        let (_d, mut v) = unlocked_vault();
        let c = v.create_client(&client("Bild", "Test")).unwrap();
        for (name, media, bytes) in accepted() {
            assert_eq!(sniff(&bytes), Some(media), "{name}");
            let a = v.attach_bytes(AttachTo::Client(c.id), name, bytes.len() as u64, bytes.as_slice()).unwrap();
            assert_eq!((a.file_name.as_str(), a.media_type.as_str()), (name, media));
            let mut back = Vec::new();
            v.read_attachment(a.id, &mut back).unwrap();
            assert_eq!(back, bytes, "{name} reads back byte for byte");
        }
        assert_eq!(v.list_attachments(AttachTo::Client(c.id)).unwrap().len(), accepted().len());
    }

    #[test]
    fn the_content_decides_not_the_extension() {
        let (_d, mut v) = unlocked_vault();
        let c = v.create_client(&client("Bild", "Test")).unwrap();
        let all = accepted();
        let png = &all.iter().find(|a| a.1 == "image/png").unwrap().2;
        let pdf = &all.iter().find(|a| a.1 == "application/pdf").unwrap().2;
        // A PNG named .pdf is stored as the PNG it is (the name is kept as data only).
        let a = v.attach_bytes(AttachTo::Client(c.id), "remiss.pdf", png.len() as u64, png.as_slice()).unwrap();
        assert_eq!((a.file_name.as_str(), a.media_type.as_str()), ("remiss.pdf", "image/png"));
        let a = v.attach_bytes(AttachTo::Client(c.id), "foto.jpg", pdf.len() as u64, pdf.as_slice()).unwrap();
        assert_eq!(a.media_type, "application/pdf");
        // The same through a real file on disk.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("skanning.pdf");
        std::fs::write(&path, png).unwrap();
        let a = v.attach_file(AttachTo::Client(c.id), &path).unwrap();
        assert_eq!((a.file_name.as_str(), a.media_type.as_str()), ("skanning.pdf", "image/png"));
    }

    #[test]
    fn anything_else_is_refused_and_nothing_is_stored() {
        let (_d, mut v) = unlocked_vault();
        let c = v.create_client(&client("Bild", "Test")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (i, (name, bytes)) in refused().into_iter().enumerate() {
            assert_eq!(sniff(&bytes), None, "{name} {bytes:?}");
            let before = counts(&mut v);
            let r = v.attach_bytes(AttachTo::Client(c.id), name, bytes.len() as u64, bytes.as_slice());
            assert!(matches!(r, Err(Error::AttachmentType)), "{name} ({i}): {r:?}");
            assert_eq!(counts(&mut v), before, "{name} ({i}): nothing stored, nothing logged");
            // And through a file on disk, as every front end attaches.
            let path = dir.path().join(format!("{i}-{name}"));
            std::fs::write(&path, &bytes).unwrap();
            let r = v.attach_file(AttachTo::Client(c.id), &path);
            assert!(matches!(r, Err(Error::AttachmentType)), "{name} ({i}) from disk: {r:?}");
            assert_eq!(counts(&mut v), before, "{name} ({i}) from disk: nothing stored");
        }
        assert!(v.list_attachments(AttachTo::Client(c.id)).unwrap().is_empty());
    }
}
