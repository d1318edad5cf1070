//! Reading one client's records out of the vault, and writing the package.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::{NaiveDate, Utc};
use rusqlite::{Connection, MAIN_DB};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::data::*;
use crate::domain::entries::{EntryInput, EntryKind, EntryStatus};
use crate::domain::profile::{Jurisdiction, PracticeProfile};
use crate::job::{JobCtl, Phase, Progress};
use crate::{Error, Result, Vault};

/// A file of the package, as listed in `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ManifestFile {
    /// Path inside the package (`attachments/01-remiss.pdf`).
    pub path: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    version: u32,
    files: &'a [ManifestFile],
}

/// The passphrase of an encrypted export: shown once to the therapist, who reads it to the
/// client. Not `Serialize`, redacted in `Debug`.
pub struct ExportPassphrase(Zeroizing<String>);

impl ExportPassphrase {
    fn generate() -> Result<Self> {
        // 24 characters from 32 that cannot be mistaken for each other when read aloud or
        // typed (no 0/o, no 1/l): 120 bits, in groups of four.
        const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
        let mut raw = Zeroizing::new([0u8; 24]);
        getrandom::getrandom(&mut raw[..]).map_err(|_| Error::Internal("randomness"))?;
        let mut s = Zeroizing::new(String::with_capacity(29));
        for (i, b) in raw.iter().enumerate() {
            if i > 0 && i % 4 == 0 {
                s.push('-');
            }
            s.push(ALPHABET[usize::from(b % 32)] as char);
        }
        Ok(ExportPassphrase(s))
    }

    /// The passphrase, to show once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ExportPassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExportPassphrase([REDACTED])")
    }
}

fn urn(vault: &Uuid, kind: &str, id: i64) -> String {
    format!("urn:confidant:{vault}:{kind}:{id}")
}

/// A file name that is safe in any file system and cannot leave its folder.
fn safe_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c })
        .collect::<String>()
        .trim_start_matches('.')
        .chars()
        .take(120)
        .collect();
    if cleaned.trim().is_empty() {
        "file".to_owned()
    } else {
        cleaned
    }
}

/// A file of the package: path and bytes.
pub(crate) struct PackFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Reads everything the export holds of `client_id`, with the attachments' bytes.
pub(crate) fn collect(
    conn: &Connection,
    vault: &Uuid,
    profile: &PracticeProfile,
    client_id: i64,
    identity_check: &str,
    withheld: &[(i64, String)],
) -> Result<(ExportData, Vec<PackFile>)> {
    let c = crate::domain::clients::load(conn, client_id)?;
    let mut courses = Vec::new();
    {
        let mut st = conn.prepare("SELECT id FROM course WHERE client_id = ?1 ORDER BY start_date, id")?;
        for id in st.query_map([client_id], |r| r.get::<_, i64>(0))? {
            let x = crate::domain::courses::load(conn, id?)?;
            courses.push(ExportCourse {
                id: urn(vault, "course", x.id),
                title: x.title,
                reason: x.reason,
                start_date: x.start_date,
                end_date: x.end_date,
            });
        }
    }
    for (entry, _) in withheld {
        let owner: Option<i64> = conn
            .query_row("SELECT client_id FROM entry WHERE id = ?1", [entry], |r| r.get(0))
            .map(Some)
            .or_else(|e| if matches!(e, rusqlite::Error::QueryReturnedNoRows) { Ok(None) } else { Err(e) })?;
        if owner != Some(client_id) {
            return Err(Error::NotFound("entry"));
        }
    }
    let signer = format!("{}, {}", profile.therapist_name, profile.therapist_title);
    let signer = signer.trim_matches([',', ' ']).to_owned();
    let mut attachments = Vec::new();
    let mut files = Vec::new();
    {
        let mut st = conn.prepare(
            "SELECT id, entry_id, file_name, media_type, size, sha256, added_at FROM attachment WHERE client_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([client_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, i64>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (n, (id, entry, name, media, size, sha, added)) in rows.into_iter().enumerate() {
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            conn.blob_open(MAIN_DB, "attachment_content", "data", id, true)?
                .read_to_end(&mut bytes)
                .map_err(Error::io("read an attachment"))?;
            if hex::encode(Sha256::digest(&bytes)) != sha {
                return Err(Error::Internal("attachment content does not match its recorded hash"));
            }
            let path = format!("attachments/{:02}-{}", n + 1, safe_name(&name));
            attachments.push(ExportAttachment {
                id: urn(vault, "attachment", id),
                entry_id: entry.map(|e| urn(vault, "entry", e)),
                file_name: name,
                media_type: media,
                size: size as u64,
                sha256: sha,
                added_at: crate::time::parse_ts(&added),
                path: path.clone(),
            });
            files.push(PackFile { path, bytes });
        }
    }
    let mut entries = Vec::new();
    {
        let mut st = conn.prepare("SELECT id FROM entry WHERE client_id = ?1 ORDER BY occurred_at, id")?;
        let ids = st.query_map([client_id], |r| r.get::<_, i64>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        for id in ids {
            let e = crate::domain::entries::load(conn, id)?;
            let hold = withheld.iter().find(|(w, _)| *w == id).map(|(_, r)| Withheld { reason: r.clone() });
            let shown = hold.is_none();
            let attachment_ids = attachments
                .iter()
                .filter(|a| a.entry_id.as_deref() == Some(urn(vault, "entry", id).as_str()))
                .map(|a| a.id.clone())
                .collect();
            entries.push(ExportEntry {
                id: urn(vault, "entry", id),
                course_id: urn(vault, "course", e.course_id),
                kind: e.kind,
                occurred_at: e.occurred_at,
                recorded_at: e.recorded_at,
                duration_minutes: e.duration_minutes,
                status: e.status,
                signed_at: e.signed_at,
                signed_by: (e.status == EntryStatus::Signed)
                    .then(|| e.signed_by.clone().unwrap_or_else(|| signer.clone())),
                title: if shown { e.title } else { String::new() },
                body: if shown { e.body } else { String::new() },
                tags: if shown { e.tags } else { Vec::new() },
                versions: if shown { e.history } else { Vec::new() },
                withheld: hold,
                attachment_ids,
            });
        }
    }
    let mut consents: Vec<ExportConsent> = crate::domain::consent::list(conn, client_id)?
        .into_iter()
        .map(|x| ExportConsent {
            id: urn(vault, "consent", x.id),
            purpose: x.purpose,
            text: x.body,
            text_version: x.text_version,
            given_on: x.given_on,
            given_how: x.given_how,
            withdrawn_on: x.withdrawn_on,
            evidence_attachment_id: x.evidence_id.map(|a| urn(vault, "attachment", a)),
        })
        .collect();
    consents.reverse();
    let sessions = crate::domain::appointments::of_client(conn, client_id)?
        .into_iter()
        .rev()
        .map(|a| ExportSession {
            id: urn(vault, "appointment", a.id),
            course_id: a.course_id.map(|c| urn(vault, "course", c)),
            starts_at: a.starts_at,
            minutes: a.minutes,
            kind: a.kind,
            attendance: a.attendance,
            fee: a.fee,
            currency: profile.jurisdiction.currency().to_owned(),
            entry_id: a.entry_id.map(|e| urn(vault, "entry", e)),
        })
        .collect();
    let invoices = crate::invoicing::issued_of_client(conn, client_id)?
        .into_iter()
        .filter_map(|i| {
            Some(ExportInvoice {
                id: urn(vault, "invoice", i.id),
                kind: i.kind,
                number: i.number?,
                credits_id: i.credits_id.map(|c| urn(vault, "invoice", c)),
                issued_on: i.issued_on?,
                due_on: i.due_on?,
                currency: i.currency,
                buyer_name: i.buyer_name,
                buyer_address: i.buyer_address,
                net: i.totals.net,
                vat: i.totals.vat,
                gross: i.totals.gross,
                lines: i
                    .lines
                    .into_iter()
                    .map(|l| ExportInvoiceLine {
                        description: l.description,
                        service_date: l.service_date,
                        quantity: l.quantity,
                        unit_price: l.unit_price,
                        vat: l.vat,
                        session_id: l.appointment_id.map(|a| urn(vault, "appointment", a)),
                        net: l.net,
                    })
                    .collect(),
                payments: i.payments,
            })
        })
        .collect();
    let measures: Vec<ExportMeasure> = crate::measures::of_client(conn, client_id)?
        .into_iter()
        .map(|m| ExportMeasure {
            id: urn(vault, "measure", m.id),
            instrument: m.instrument,
            taken_on: m.taken_on,
            answers: m.answers,
            score: m.score,
            band: m.band,
            flags: m.flags,
        })
        .collect();
    let instruments = crate::measures::custom::all(conn)?
        .into_iter()
        .filter(|i| measures.iter().any(|m| m.instrument == i.id))
        .collect();
    let access_log =
        (profile.jurisdiction == Jurisdiction::SeLicensed).then(|| log_extract(conn, client_id)).transpose()?;
    let data = ExportData {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: Utc::now(),
        language: profile.language,
        practice: Practice {
            name: profile.practice_name.clone(),
            address: profile.practice_address.clone(),
            therapist_name: profile.therapist_name.clone(),
            therapist_title: profile.therapist_title.clone(),
        },
        client: ExportClient {
            id: format!("urn:confidant:{vault}:client:{}", c.uid),
            given_name: c.given_name,
            family_name: c.family_name,
            birth_date: c.date_of_birth,
            identifiers: c.national_id.map(|n| vec![Identifier { system: n.kind, value: n.value }]).unwrap_or_default(),
            address: c.address,
            email: c.email,
            phones: c.phones,
            emergency_contact: c.emergency_contact,
            custom_fields: c.custom_fields,
            status: crate::domain::profile::enum_to_str(&c.status),
            created_at: c.created_at,
            history: crate::domain::client_history::load(conn, client_id)?,
        },
        courses,
        entries,
        consents,
        attachments,
        sessions,
        invoices,
        measures,
        instruments,
        access_log,
        disclosure: Disclosure { identity_check: identity_check.to_owned(), withheld_entries: withheld.len() as u32 },
    };
    Ok((data, files))
}

/// The client's access-log rows, each naming what was touched as the therapist would.
fn log_extract(conn: &Connection, client_id: i64) -> Result<Vec<ExportLogRow>> {
    let sql = format!(
        "SELECT l.at, l.action, {} FROM access_log l WHERE l.client_id = ?1 ORDER BY l.seq",
        crate::domain::access_log::SUBJECT_SQL
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st
        .query_map([client_id], |r| {
            let title: Option<String> = r.get(2)?;
            let day: Option<String> = r.get(3)?;
            let what = match (title.filter(|t| !t.is_empty()), day) {
                (Some(t), Some(d)) => format!("{t}, {d}"),
                (Some(t), None) => t,
                (None, Some(d)) => d,
                (None, None) => String::new(),
            };
            Ok(ExportLogRow { at: crate::time::parse_ts(&r.get::<_, String>(0)?), action: r.get(1)?, what })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// What was written.
pub(crate) struct Written {
    pub path: PathBuf,
    pub files: Vec<ManifestFile>,
    pub passphrase: Option<ExportPassphrase>,
}

fn free_name(dest: &Path, today: NaiveDate, ext: &str) -> Result<PathBuf> {
    for n in 1..1000 {
        let name = if n == 1 {
            format!("confidant-export-{today}{ext}")
        } else {
            format!("confidant-export-{today}-{n}{ext}")
        };
        let p = dest.join(name);
        if !p.exists() {
            return Ok(p);
        }
    }
    Err(Error::ExportExists)
}

/// Writes the package into `dest` (see the module docs).
pub(crate) fn write(
    dest: &Path,
    today: NaiveDate,
    pdf: Vec<u8>,
    json: Vec<u8>,
    attachments: Vec<PackFile>,
    encrypt: bool,
    ctl: &mut JobCtl<'_>,
) -> Result<Written> {
    if !dest.is_dir() {
        return Err(Error::NotFound("export folder"));
    }
    let mut all =
        vec![PackFile { path: "journal.pdf".into(), bytes: pdf }, PackFile { path: "data.json".into(), bytes: json }];
    all.extend(attachments);
    let files: Vec<ManifestFile> = all
        .iter()
        .map(|f| ManifestFile {
            path: f.path.clone(),
            size: f.bytes.len() as u64,
            sha256: hex::encode(Sha256::digest(&f.bytes)),
        })
        .collect();
    let manifest =
        serde_json::to_vec_pretty(&Manifest { format: "confidant-export-manifest", version: 1, files: &files })
            .map_err(|_| Error::Internal("manifest"))?;
    all.push(PackFile { path: "manifest.json".into(), bytes: manifest });
    ctl.check()?;
    if encrypt {
        let path = free_name(dest, today, ".tar.age")?;
        let pass = ExportPassphrase::generate()?;
        let secret = age::secrecy::SecretString::from(pass.expose().to_owned());
        let folder =
            path.file_name().and_then(|n| n.to_str()).unwrap_or("export").trim_end_matches(".tar.age").to_owned();
        crate::fsutil::atomic_write_with(&path, |w| {
            let enc = age::Encryptor::with_user_passphrase(secret);
            let aged = enc.wrap_output(w).map_err(Error::io("encrypt the export"))?;
            let mut tar = tar::Builder::new(aged);
            for f in &all {
                ctl.report(Progress { phase: Phase::Encrypt, done: 0, total: 1 })?;
                let mut h = tar::Header::new_gnu();
                h.set_size(f.bytes.len() as u64);
                h.set_mode(0o600);
                h.set_mtime(Utc::now().timestamp().max(0) as u64);
                h.set_cksum();
                tar.append_data(&mut h, format!("{folder}/{}", f.path), f.bytes.as_slice())
                    .map_err(Error::io("write the export"))?;
            }
            let aged = tar.into_inner().map_err(Error::io("write the export"))?;
            aged.finish().map_err(Error::io("encrypt the export"))?;
            Ok(())
        })?;
        return Ok(Written { path, files, passphrase: Some(pass) });
    }
    let path = free_name(dest, today, "")?;
    let staging = dest.join(format!(".{}.partial", path.file_name().and_then(|n| n.to_str()).unwrap_or("export")));
    let _ = std::fs::remove_dir_all(&staging);
    let out = (|| -> Result<()> {
        crate::fsutil::create_private_dir(&staging)?;
        crate::fsutil::create_private_dir(&staging.join("attachments"))?;
        for f in &all {
            ctl.check()?;
            let target = staging.join(&f.path);
            let mut file = crate::fsutil::private_create_new(&target)?;
            file.write_all(&f.bytes).map_err(Error::io("write the export"))?;
            file.sync_all().map_err(Error::io("write the export"))?;
        }
        crate::fsutil::sync_dir(&staging.join("attachments"))?;
        crate::fsutil::sync_dir(&staging)?;
        std::fs::rename(&staging, &path).map_err(Error::io("put the export in place"))?;
        crate::fsutil::sync_dir(dest)
    })();
    if let Err(e) = out {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    Ok(Written { path, files, passphrase: None })
}

/// Under a Danish profile: the disclosure as a signed administrative note in the client's
/// newest course (a course is opened for it if there is none). `None` when the client's
/// processing is restricted (the journal cannot change; the access log records it).
pub(crate) fn journal_note(
    v: &mut Vault,
    client_id: i64,
    identity_check: &str,
    withheld: usize,
) -> Result<Option<i64>> {
    let body = format!(
        "Journaloplysninger udleveret til klienten {}.\n\nIdentitet kontrolleret: {identity_check}.\n\nNotater undtaget fra udlevering (art. 15, stk. 4): {withheld}.",
        crate::time::today()
    );
    disclosure_note(v, client_id, "Udlevering af journaloplysninger", body)
}

/// Writes a signed administrative note recording a disclosure into the client's newest course
/// (one named "Administration" is opened if there is none), as Danish journal rules ask. Not
/// under restriction: nothing of the client may change then. Returns the note's id.
pub(crate) fn disclosure_note(v: &mut Vault, client_id: i64, title: &str, body: String) -> Result<Option<i64>> {
    let (restricted, course): (bool, Option<i64>) = {
        let s = v.session()?;
        s.reader().query_row(
            "SELECT c.restricted_at IS NOT NULL,
               (SELECT id FROM course WHERE client_id = c.id ORDER BY start_date DESC, id DESC LIMIT 1)
             FROM client c WHERE c.id = ?1",
            [client_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
    };
    if restricted {
        return Ok(None);
    }
    let course = match course {
        Some(c) => c,
        None => {
            v.create_course(
                client_id,
                &crate::domain::courses::CourseInput {
                    title: "Administration".into(),
                    reason: String::new(),
                    start_date: crate::time::today(),
                },
            )?
            .id
        }
    };
    let e = v.create_entry(
        course,
        &EntryInput { kind: EntryKind::Administrative, title: title.to_owned(), body, ..Default::default() },
    )?;
    v.sign_entry(e.id)?;
    Ok(Some(e.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_cannot_leave_their_folder() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("..\\..\\x.pdf"), "x.pdf");
        assert_eq!(safe_name(".hidden"), "hidden");
        assert_eq!(safe_name("a<b>:c.pdf"), "a_b__c.pdf");
        assert_eq!(safe_name("/"), "file");
        assert_eq!(safe_name("remiss vårdcentralen.pdf"), "remiss vårdcentralen.pdf");
    }

    #[test]
    fn a_generated_passphrase_is_long_and_readable() {
        let p = ExportPassphrase::generate().unwrap();
        assert_eq!(p.expose().len(), 29);
        assert_eq!(p.expose().split('-').count(), 6);
        assert!(!p.expose().contains(['0', 'o', '1', 'l']));
        assert_ne!(p.expose(), ExportPassphrase::generate().unwrap().expose());
        assert_eq!(format!("{p:?}"), "ExportPassphrase([REDACTED])");
    }
}
