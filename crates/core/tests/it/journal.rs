//! Journal entries (drafts, signing, amendments, the timeline), templates and attachments.

use std::io::{Cursor, Read};

use confidant_core::domain::attachments::{AttachTo, MAX_ATTACHMENT_BYTES};
use confidant_core::domain::entries::{EntryInput, EntryKind, EntryStatus};
use confidant_core::domain::profile::Language;
use confidant_core::Error;

use crate::util::{client_with_course, draft, new_vault, noise, sha256_hex};

fn input(title: &str, body: &str) -> EntryInput {
    EntryInput { title: title.into(), body: body.into(), ..Default::default() }
}

#[test]
fn drafts_are_created_and_updated() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Anna", "Berg");
    let e = f
        .vault
        .create_entry(
            course.id,
            &EntryInput {
                kind: EntryKind::PhoneCall,
                occurred_at: Some("2026-03-02T09:30:00Z".parse().unwrap()),
                duration_minutes: Some(20),
                title: "Telefonsamtal".into(),
                body: "Första utkast".into(),
                tags: vec!["sömn".into(), "Sömn".into(), "stress".into()],
                template_id: Some("builtin:soap".into()),
            },
        )
        .unwrap();
    assert_eq!(e.status, EntryStatus::Draft);
    assert_eq!((e.client_id, e.course_id), (c.id, course.id));
    assert_eq!(e.kind, EntryKind::PhoneCall);
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-03-02T09:30:00+00:00");
    assert_eq!(e.tags, vec!["sömn", "stress"], "tags are de-duplicated case-insensitively");
    assert!(e.history.is_empty() && e.signed_at.is_none() && e.content_sha256.is_none());

    let updated = f.vault.update_draft(e.id, &input("Telefonsamtal", "Andra utkast")).unwrap();
    assert_eq!(updated.body, "Andra utkast");
    assert_eq!(updated.status, EntryStatus::Draft);
    assert_eq!(updated.occurred_at, e.occurred_at, "an absent time keeps the old one");
    let read = f.vault.get_entry(e.id).unwrap();
    assert_eq!(read.body, "Andra utkast");
    assert_eq!(read, updated);

    let bad = EntryInput { duration_minutes: Some(2000), ..input("x", "y") };
    assert!(matches!(f.vault.update_draft(e.id, &bad), Err(Error::Validation(fe)) if fe.field == "duration_minutes"));
    assert_eq!(f.vault.get_entry(e.id).unwrap().body, "Andra utkast");
}

#[test]
fn signed_entries_are_fixed() {
    let mut f = new_vault();
    let (_, course) = client_with_course(&mut f.vault, "Bo", "Ek");
    let e = draft(&mut f.vault, &course, "Session 1", "Originaltext");
    let signed = f.vault.sign_entry(e.id).unwrap();
    assert_eq!(signed.status, EntryStatus::Signed);
    assert!(signed.signed_at.is_some());
    let hash = signed.content_sha256.clone().expect("signing records a content hash");
    assert_eq!(hash.len(), 64);
    assert_eq!(signed.history.len(), 1);
    assert_eq!(signed.history[0].number, 0);
    assert_eq!(signed.history[0].body, "Originaltext");

    let r = f.vault.update_draft(e.id, &input("Session 1", "Ändrad i smyg"));
    assert!(matches!(r, Err(Error::EntrySigned)), "{r:?}");
    assert!(matches!(f.vault.sign_entry(e.id), Err(Error::EntrySigned)));
    let after = f.vault.get_entry(e.id).unwrap();
    assert_eq!(after.body, "Originaltext");
    assert_eq!(after.title, "Session 1");
    assert_eq!(after.content_sha256.as_deref(), Some(hash.as_str()));
    assert_eq!(after.updated_at, signed.updated_at);
}

#[test]
fn only_signed_entries_can_be_amended() {
    let mut f = new_vault();
    let (_, course) = client_with_course(&mut f.vault, "Cilla", "Ås");
    let e = draft(&mut f.vault, &course, "Utkast", "Text");
    let r = f.vault.amend_entry(e.id, "rättelse", "Ny", "Ny text", &[]);
    assert!(matches!(r, Err(Error::EntryNotSigned)), "{r:?}");
    let still = f.vault.get_entry(e.id).unwrap();
    assert_eq!((still.title.as_str(), still.body.as_str()), ("Utkast", "Text"));
    assert!(still.history.is_empty());
}

#[test]
fn amendment_becomes_current_text_and_keeps_history() {
    let mut f = new_vault();
    let (_, course) = client_with_course(&mut f.vault, "Dan", "Holm");
    let e = draft(&mut f.vault, &course, "Session", "Klienten sov dåligt.");
    let signed = f.vault.sign_entry(e.id).unwrap();

    let amended = f
        .vault
        .amend_entry(e.id, "Fel datum i texten", "Session (rättad)", "Klienten sov bättre.", &["sömn".into()])
        .unwrap();
    let read = f.vault.get_entry(e.id).unwrap();
    assert_eq!(read, amended);
    assert_eq!(read.status, EntryStatus::Signed);
    assert_eq!(read.title, "Session (rättad)");
    assert_eq!(read.body, "Klienten sov bättre.");
    assert_eq!(read.tags, vec!["sömn"]);
    assert_eq!(read.history.len(), 2);
    let (orig, amend) = (&read.history[0], &read.history[1]);
    assert_eq!((orig.number, orig.reason.as_deref()), (0, None));
    assert_eq!((orig.title.as_str(), orig.body.as_str()), ("Session", "Klienten sov dåligt."));
    assert_eq!(amend.number, 1);
    assert_eq!(amend.reason.as_deref(), Some("Fel datum i texten"));
    assert_eq!(amend.body, "Klienten sov bättre.");
    assert_eq!(read.content_sha256, signed.content_sha256, "the signed original's hash is kept");

    // An empty reason is refused and adds nothing.
    for reason in ["", "   \n "] {
        let r = f.vault.amend_entry(e.id, reason, "t", "b", &[]);
        assert!(
            matches!(&r, Err(Error::Validation(fe)) if fe.field == "reason" && fe.reason.as_str() == "required"),
            "{r:?}"
        );
    }
    assert_eq!(f.vault.get_entry(e.id).unwrap().history.len(), 2);

    // A second amendment: numbered 2, current again.
    let again = f.vault.amend_entry(e.id, "Komplettering", "Session (2)", "Tredje versionen", &[]).unwrap();
    assert_eq!(again.history.len(), 3);
    assert_eq!(again.history[2].number, 2);
    assert_eq!(again.body, "Tredje versionen");
    assert_eq!(again.history[0].body, "Klienten sov dåligt.");
}

#[test]
fn timeline_is_newest_first_with_amendment_counts() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Eva", "Lind");
    let (_, other_course) = client_with_course(&mut f.vault, "Fia", "Ström");
    let at = |s: &str| EntryInput { occurred_at: Some(s.parse().unwrap()), ..input(s, "text") };
    let mid = f.vault.create_entry(course.id, &at("2026-02-10T10:00:00Z")).unwrap();
    let old = f.vault.create_entry(course.id, &at("2026-01-05T10:00:00Z")).unwrap();
    let new = f.vault.create_entry(course.id, &at("2026-03-20T10:00:00Z")).unwrap();
    f.vault.create_entry(other_course.id, &at("2026-04-01T10:00:00Z")).unwrap();

    f.vault.sign_entry(mid.id).unwrap();
    f.vault.amend_entry(mid.id, "skäl 1", "Rättad titel", "b1", &[]).unwrap();
    f.vault.amend_entry(mid.id, "skäl 2", "Rättad titel 2", "b2", &[]).unwrap();
    f.vault.sign_entry(old.id).unwrap();

    let tl = f.vault.list_entries(c.id).unwrap();
    let ids: Vec<i64> = tl.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![new.id, mid.id, old.id], "newest first, other clients excluded");
    assert_eq!(tl.iter().map(|e| e.amendments).collect::<Vec<_>>(), vec![0, 2, 0]);
    assert_eq!(tl[1].title, "Rättad titel 2", "the current title");
    assert_eq!(
        tl.iter().map(|e| e.status).collect::<Vec<_>>(),
        vec![EntryStatus::Draft, EntryStatus::Signed, EntryStatus::Signed]
    );
    assert!(matches!(f.vault.list_entries(9999), Err(Error::NotFound(_))));

    // The journal tab's one call: the same courses and timeline, logged as one read.
    let before = f.vault.access_log(None, 1000).unwrap().len();
    let book = f.vault.logbook(c.id).unwrap();
    assert_eq!(book.entries, tl);
    assert_eq!(book.courses, f.vault.list_courses(c.id).unwrap());
    let log = f.vault.access_log(None, 1000).unwrap();
    // logbook, list_courses and the first access_log call each add one row.
    assert_eq!(log.len(), before + 3);
    assert!(log.iter().any(|l| l.action.as_str() == "logbook_read" && l.client_id == Some(c.id)));
    assert!(matches!(f.vault.logbook(9999), Err(Error::NotFound(_))));
}

#[test]
fn builtin_templates_are_listed() {
    let mut f = new_vault();
    let sv = f.vault.templates(Language::Sv).unwrap();
    let ids: Vec<&str> = sv.iter().map(|t| t.id.as_str()).collect();
    for id in ["builtin:soap", "builtin:dap", "builtin:birp", "builtin:free"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    let soap = f.vault.template("builtin:soap", Language::Sv).unwrap();
    assert!(soap.builtin && soap.body.contains("Bedömning"));
    let soap_da = f.vault.template("builtin:soap", Language::Da).unwrap();
    assert!(soap_da.body.contains("Vurdering"));
    let own = f.vault.create_template("Min mall", "## Mål\n\n## Hemuppgift").unwrap();
    assert!(own.id.starts_with("user:") && !own.builtin);
    let all = f.vault.templates(Language::En).unwrap();
    assert_eq!(all.len(), sv.len() + 1);
    assert_eq!(f.vault.template(&own.id, Language::En).unwrap().body, "## Mål\n\n## Hemuppgift");
    assert!(matches!(f.vault.template("builtin:nope", Language::En), Err(Error::NotFound(_))));
}

#[test]
fn pdf_attachment_round_trips_with_its_digest() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Gun", "Mark");
    let e = draft(&mut f.vault, &course, "Remiss", "Se bilaga");
    // Larger than the core's copy buffer, and not a multiple of it.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend(noise(600_000, 0x5eed));
    let a =
        f.vault.attach_bytes(AttachTo::Entry(e.id), "remiss.pdf", pdf.len() as u64, Cursor::new(pdf.clone())).unwrap();
    assert_eq!(a.media_type, "application/pdf");
    assert_eq!(a.size, pdf.len() as u64);
    assert_eq!((a.client_id, a.entry_id), (c.id, Some(e.id)));
    assert_eq!(a.file_name, "remiss.pdf");
    assert_eq!(a.sha256, sha256_hex(&pdf));

    let mut back = Vec::new();
    let meta = f.vault.read_attachment(a.id, &mut back).unwrap();
    assert_eq!(back.len(), pdf.len());
    assert!(back == pdf, "content differs");
    assert_eq!(sha256_hex(&back), meta.sha256);
    assert_eq!(f.vault.list_attachments(AttachTo::Entry(e.id)).unwrap(), vec![a.clone()]);
    assert_eq!(f.vault.list_attachments(AttachTo::Client(c.id)).unwrap(), vec![a]);
}

#[test]
fn oversized_attachment_is_refused_before_storing() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Hans", "Nyberg");
    let e = draft(&mut f.vault, &course, "t", "b");
    let mut read = 0u64;
    let reader = std::io::repeat(0).take(MAX_ATTACHMENT_BYTES + 1).inspect_bytes(&mut read);
    let r = f.vault.attach_bytes(AttachTo::Entry(e.id), "stor.pdf", MAX_ATTACHMENT_BYTES + 1, reader);
    assert!(matches!(r, Err(Error::AttachmentTooLarge { max_mb: 50 })), "{r:?}");
    assert_eq!(read, 0, "nothing should be read from an oversized file");
    assert!(f.vault.list_attachments(AttachTo::Entry(e.id)).unwrap().is_empty());
    assert!(f.vault.list_attachments(AttachTo::Client(c.id)).unwrap().is_empty());
}

#[test]
fn unsupported_type_is_refused_and_nothing_is_stored() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Ida", "Sjö");
    let e = draft(&mut f.vault, &course, "t", "b");
    let mut exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0".to_vec();
    exe.extend(noise(1000, 7));
    let r = f.vault.attach_bytes(AttachTo::Entry(e.id), "remiss.pdf", exe.len() as u64, Cursor::new(exe.clone()));
    assert!(matches!(r, Err(Error::AttachmentType)), "{r:?}");
    let html = b"<html><body>hej</body></html>".to_vec();
    let r = f.vault.attach_bytes(AttachTo::Client(c.id), "bild.png", html.len() as u64, Cursor::new(html.clone()));
    assert!(matches!(r, Err(Error::AttachmentType)), "{r:?}");
    assert!(f.vault.list_attachments(AttachTo::Client(c.id)).unwrap().is_empty());
    let log = f.vault.access_log(Some(c.id), 1000).unwrap();
    assert!(log.iter().all(|l| l.action.as_str() != "attachment_add"), "a refused attachment is not logged as added");
    f.vault.verify_access_log().unwrap();
}

#[test]
fn attachment_names_lose_their_path() {
    let mut f = new_vault();
    let (c, course) = client_with_course(&mut f.vault, "Jan", "Alm");
    let e = draft(&mut f.vault, &course, "t", "b");
    let pdf = b"%PDF-1.4\nliten".to_vec();
    let a =
        f.vault.attach_bytes(AttachTo::Entry(e.id), "../../x.pdf", pdf.len() as u64, Cursor::new(pdf.clone())).unwrap();
    assert_eq!(a.file_name, "x.pdf");
    let b = f
        .vault
        .attach_bytes(AttachTo::Client(c.id), "C:\\Users\\anna\\remiss.pdf", pdf.len() as u64, Cursor::new(pdf.clone()))
        .unwrap();
    assert_eq!(b.file_name, "remiss.pdf");
    let r = f.vault.attach_bytes(AttachTo::Client(c.id), "mapp/", pdf.len() as u64, Cursor::new(pdf));
    assert!(matches!(r, Err(Error::Validation(fe)) if fe.field == "file_name"));
    let names: Vec<String> =
        f.vault.list_attachments(AttachTo::Client(c.id)).unwrap().into_iter().map(|a| a.file_name).collect();
    assert_eq!(names, vec!["x.pdf", "remiss.pdf"]);
}

/// Counts bytes read through a reader.
trait InspectBytes: Read + Sized {
    fn inspect_bytes(self, count: &mut u64) -> Counting<'_, Self> {
        Counting { inner: self, count }
    }
}
impl<R: Read> InspectBytes for R {}

struct Counting<'a, R> {
    inner: R,
    count: &'a mut u64,
}

impl<R: Read> Read for Counting<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        *self.count += n as u64;
        Ok(n)
    }
}
