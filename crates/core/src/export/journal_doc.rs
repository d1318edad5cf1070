//! The data of `journal.pdf`, in the shape the engine's `journal` template reads (documented
//! in `crates/documents`): already chosen and ordered by the core, times in the therapist's
//! local time, withheld text left out here so it cannot reach the page.

use chrono::Local;
use serde::Serialize;

use super::data::ExportData;
use crate::documents::{local_minute as local, DocPractice};
use crate::domain::entries::EntryStatus;

/// The access log's actions in the template's words (`read`, `create`, `edit`, `sign`, `amend`,
/// `export`, `delete`); the rest print as stored.
fn action_word(action: &str) -> String {
    match action {
        "client_read" | "entry_read" | "logbook_read" | "attachment_read" | "search_result" => "read",
        "client_create" | "course_create" | "entry_create" | "attachment_add" => "create",
        "client_update" | "client_status" | "course_update" | "entry_update" | "restriction" | "legal_hold" => "edit",
        "entry_sign" => "sign",
        "entry_amend" => "amend",
        "export" => "export",
        "erasure" => "delete",
        other => other,
    }
    .to_owned()
}

/// A note's Markdown as the plain text the template prints: a heading's `#` marks and the
/// `**`/`__` of emphasis go, every word stays (data.json keeps the Markdown as written).
fn plain(md: &str) -> String {
    md.lines()
        .map(|line| {
            let t = line.trim_start();
            let hashes = t.bytes().take_while(|b| *b == b'#').count();
            let line =
                if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') { t[hashes..].trim_start() } else { line };
            line.replace("**", "").replace("__", "")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the document is for: the template's title and what it shows follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum DocPurpose {
    /// A copy for the client (an export on request): identity check, access-log extract.
    Export,
    /// The therapist's printout of the whole journal.
    Print,
    /// The therapist's printout of one note.
    PrintNote,
}

#[derive(Debug, Serialize)]
pub(crate) struct JournalDoc {
    purpose: DocPurpose,
    lang: crate::domain::profile::Language,
    generated_on: String,
    practice: DocPractice,
    client: DocClient,
    courses: Vec<DocCourse>,
    entries: Vec<DocEntry>,
    consents: Vec<DocConsent>,
    attachments: Vec<DocAttachment>,
    sessions: Vec<DocSession>,
    measures: Vec<DocSeries>,
    invoices: Vec<DocInvoice>,
    access_log: Option<Vec<DocLogRow>>,
    identity_check: Option<String>,
}

#[derive(Debug, Serialize)]
struct DocSession {
    starts_at: String,
    minutes: u32,
    kind: crate::domain::appointments::AppointmentKind,
    attendance: crate::domain::appointments::Attendance,
}

/// One instrument's results with what the plot needs: the scale and the bands.
#[derive(Debug, Serialize)]
struct DocSeries {
    instrument: String,
    max: u32,
    higher_is_worse: bool,
    bands: Vec<crate::measures::instruments::Band>,
    /// The therapist's own: its band labels and flags are read as written, not as PHQ-9's.
    custom: bool,
    results: Vec<DocResult>,
}

#[derive(Debug, Serialize)]
struct DocResult {
    on: String,
    score: u32,
    band: Option<String>,
    flagged: bool,
    flags: Vec<u32>,
}

#[derive(Debug, Serialize)]
struct DocInvoice {
    number: i64,
    kind: crate::invoicing::InvoiceKind,
    issued_on: String,
    due_on: String,
    amount: String,
    paid: String,
    currency: String,
}

#[derive(Debug, Serialize)]
struct DocClient {
    name: String,
    date_of_birth: Option<String>,
    national_id: Option<String>,
    address: String,
    email: String,
    phones: Vec<crate::domain::clients::Phone>,
    emergency_contact: Option<crate::domain::clients::EmergencyContact>,
}

#[derive(Debug, Serialize)]
struct DocCourse {
    title: String,
    reason: String,
    start: String,
    end: Option<String>,
}

#[derive(Debug, Serialize)]
struct DocSigner {
    name: String,
    title: String,
}

#[derive(Debug, Serialize)]
struct DocVersion {
    at: String,
    reason: Option<String>,
    title: String,
    body: String,
}

#[derive(Debug, Serialize)]
struct DocWithheld {
    reason: String,
}

#[derive(Debug, Serialize)]
struct DocEntry {
    id: String,
    course: String,
    kind: crate::domain::entries::EntryKind,
    title: String,
    occurred_at: String,
    duration_minutes: Option<u32>,
    status: EntryStatus,
    signed_at: Option<String>,
    signed_by: Option<DocSigner>,
    body: String,
    tags: Vec<String>,
    versions: Vec<DocVersion>,
    withheld: Option<DocWithheld>,
    attachments: Vec<String>,
}

#[derive(Debug, Serialize)]
struct DocConsent {
    purpose: crate::domain::consent::ConsentPurpose,
    text_version: String,
    given_on: String,
    how: crate::domain::consent::ConsentForm,
    withdrawn_on: Option<String>,
}

#[derive(Debug, Serialize)]
struct DocAttachment {
    file_name: String,
    media_type: String,
    size: u64,
    added_on: String,
}

#[derive(Debug, Serialize)]
struct DocLogRow {
    at: String,
    action: String,
    what: String,
}

impl JournalDoc {
    /// The document for `d`. Only entries with more than one version show a history; a
    /// withheld entry carries its reason and nothing of its text.
    pub(crate) fn from_export(d: &ExportData) -> JournalDoc {
        let p = &d.practice;
        let c = &d.client;
        let course_title =
            |id: &str| d.courses.iter().find(|x| x.id == id).map(|x| x.title.clone()).unwrap_or_default();
        let file_name =
            |id: &str| d.attachments.iter().find(|a| a.id == id).map(|a| a.file_name.clone()).unwrap_or_default();
        JournalDoc {
            purpose: DocPurpose::Export,
            lang: d.language,
            generated_on: d.exported_at.with_timezone(&Local).date_naive().to_string(),
            practice: DocPractice {
                name: p.name.clone(),
                address: p.address.clone(),
                therapist: p.therapist_name.clone(),
                title: p.therapist_title.clone(),
            },
            client: DocClient {
                name: format!("{} {}", c.given_name, c.family_name).trim().to_owned(),
                date_of_birth: c.birth_date.map(|b| b.to_string()),
                national_id: c.identifiers.first().map(|i| i.value.clone()),
                address: c.address.clone(),
                email: c.email.clone(),
                phones: c.phones.clone(),
                emergency_contact: c.emergency_contact.clone(),
            },
            courses: d
                .courses
                .iter()
                .map(|x| DocCourse {
                    title: x.title.clone(),
                    reason: x.reason.clone(),
                    start: x.start_date.to_string(),
                    end: x.end_date.map(|e| e.to_string()),
                })
                .collect(),
            entries: d
                .entries
                .iter()
                .map(|e| {
                    let withheld = e.withheld.as_ref().map(|w| DocWithheld { reason: w.reason.clone() });
                    let shown = withheld.is_none();
                    DocEntry {
                        id: e.id.clone(),
                        course: course_title(&e.course_id),
                        kind: e.kind,
                        title: if shown { e.title.clone() } else { String::new() },
                        occurred_at: local(&e.occurred_at),
                        duration_minutes: e.duration_minutes,
                        status: e.status,
                        signed_at: e.signed_at.as_ref().map(local),
                        signed_by: e
                            .signed_at
                            .map(|_| DocSigner { name: p.therapist_name.clone(), title: p.therapist_title.clone() }),
                        body: if shown { plain(&e.body) } else { String::new() },
                        tags: if shown { e.tags.clone() } else { Vec::new() },
                        versions: if shown && e.versions.len() > 1 {
                            e.versions
                                .iter()
                                .map(|v| DocVersion {
                                    at: local(&v.at),
                                    reason: v.reason.clone(),
                                    title: v.title.clone(),
                                    body: plain(&v.body),
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        withheld,
                        attachments: e.attachment_ids.iter().map(|a| file_name(a)).collect(),
                    }
                })
                .collect(),
            consents: d
                .consents
                .iter()
                .map(|c| DocConsent {
                    purpose: c.purpose,
                    text_version: c.text_version.clone(),
                    given_on: c.given_on.to_string(),
                    how: c.given_how,
                    withdrawn_on: c.withdrawn_on.map(|w| w.to_string()),
                })
                .collect(),
            attachments: d
                .attachments
                .iter()
                .map(|a| DocAttachment {
                    file_name: a.file_name.clone(),
                    media_type: a.media_type.clone(),
                    size: a.size,
                    added_on: a.added_at.with_timezone(&Local).date_naive().to_string(),
                })
                .collect(),
            sessions: d
                .sessions
                .iter()
                .map(|a| DocSession {
                    starts_at: local(&a.starts_at),
                    minutes: a.minutes,
                    kind: a.kind,
                    attendance: a.attendance,
                })
                .collect(),
            measures: series(d),
            invoices: d
                .invoices
                .iter()
                .map(|i| DocInvoice {
                    number: i.number,
                    kind: i.kind,
                    issued_on: i.issued_on.to_string(),
                    due_on: i.due_on.to_string(),
                    amount: crate::money::format_amount(i.gross),
                    paid: crate::money::format_amount(i.payments.iter().map(|p| p.amount).sum()),
                    currency: i.currency.clone(),
                })
                .collect(),
            access_log: d.access_log.as_ref().map(|rows| {
                rows.iter()
                    .map(|r| DocLogRow { at: local(&r.at), action: action_word(&r.action), what: r.what.clone() })
                    .collect()
            }),
            identity_check: Some(d.disclosure.identity_check.clone()).filter(|s| !s.is_empty()),
        }
    }
}

/// The results per instrument, in the order each was first used, oldest result first. A
/// result of an instrument this build does not know (a newer package) is left out of the plot
/// (data.json keeps it).
fn series(d: &ExportData) -> Vec<DocSeries> {
    // Keyed by the instrument's id: one of the therapist's own may share a built-in one's name.
    let mut out: Vec<(String, DocSeries)> = Vec::new();
    for m in &d.measures {
        let custom = d.instruments.iter().find(|i| i.id == m.instrument).cloned();
        let Some(inst) = custom.or_else(|| crate::measures::instruments::find(&m.instrument).ok()) else { continue };
        let result = DocResult {
            on: m.taken_on.to_string(),
            score: m.score,
            band: m.band.clone(),
            flagged: !m.flags.is_empty(),
            flags: m.flags.clone(),
        };
        match out.iter_mut().find(|(id, _)| *id == inst.id) {
            Some((_, s)) => s.results.push(result),
            None => out.push((
                inst.id.clone(),
                DocSeries {
                    instrument: inst.name.clone(),
                    max: inst.max_score,
                    higher_is_worse: inst.higher_is_worse,
                    bands: inst.bands.clone(),
                    custom: inst.custom,
                    results: vec![result],
                },
            )),
        }
    }
    out.into_iter()
        .map(|(_, mut s)| {
            s.results.sort_by(|a, b| a.on.cmp(&b.on));
            s
        })
        .collect()
}

impl JournalDoc {
    /// The therapist's printout of `d`: the whole journal, or only the entry `note` (its URN)
    /// with its course. A printout is no disclosure: no identity check, no access-log extract.
    pub(crate) fn printout(d: &ExportData, note: Option<&str>) -> JournalDoc {
        let mut doc = JournalDoc::from_export(d);
        doc.identity_check = None;
        doc.access_log = None;
        doc.purpose = DocPurpose::Print;
        if let Some(note) = note {
            doc.purpose = DocPurpose::PrintNote;
            doc.entries.retain(|e| e.id == note);
            let course = doc.entries.first().map(|e| e.course.clone());
            doc.courses.retain(|c| Some(&c.title) == course.as_ref());
            doc.consents.clear();
            doc.attachments.clear();
            doc.sessions.clear();
            doc.measures.clear();
            doc.invoices.clear();
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_marks_go_and_every_word_stays() {
        assert_eq!(
            super::plain("## Subjektivt\n\nBeskriver **ångest**.\n- Sömndagbok\n#hashtag"),
            "Subjektivt\n\nBeskriver ångest.\n- Sömndagbok\n#hashtag"
        );
    }
}
