//! `data.json`: one client's records, machine-readable (GDPR art. 20), version 1. The JSON
//! Schema is `docs/schemas/confidant-export-v1.schema.json`; a test validates every export
//! against it. Field names are the ones a developer would guess; dates are ISO 8601 (a day
//! `YYYY-MM-DD`, a moment RFC 3339 UTC); ids are stable URNs (`urn:confidant:<vault>:entry:17`)
//! so a re-export names the same record the same way.
//!
//! It maps to FHIR R4 without being FHIR: `client` → Patient, `practice` → Organization with
//! its Practitioner, `courses` → EpisodeOfCare, `entries` → Encounter plus a
//! DocumentReference for the note (`versions` → its relatesTo "replaces" chain), `attachments`
//! → DocumentReference with `content.attachment` (`path`, `media_type`, `sha256`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::clients::{CustomField, EmergencyContact, Phone};
use crate::domain::entries::{EntryKind, EntryStatus, EntryVersion};
use crate::domain::national_id::NationalIdKind;
use crate::domain::profile::Language;

/// The format name in `data.json`.
pub const FORMAT: &str = "confidant-client-export";
/// The format version this build writes.
pub const VERSION: u32 = 1;

/// The whole `data.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportData {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for this build.
    pub version: u32,
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
    /// The language the export (and its PDF) is written in.
    pub language: Language,
    /// Who holds the records.
    pub practice: Practice,
    /// Whose records they are.
    pub client: ExportClient,
    /// Courses of treatment, oldest first.
    pub courses: Vec<ExportCourse>,
    /// Journal entries, oldest first.
    pub entries: Vec<ExportEntry>,
    /// Consents the client gave, withdrawn ones included, oldest first.
    pub consents: Vec<ExportConsent>,
    /// Attached files (the files themselves are under `attachments/`).
    pub attachments: Vec<ExportAttachment>,
    /// Sessions in the calendar, oldest first. Absent from packages made before sessions
    /// existed, which read as none.
    #[serde(default)]
    pub sessions: Vec<ExportSession>,
    /// Issued invoices and credit notes addressed to the client, oldest first, as issued.
    /// An import reads past them: they are the sending practice's bookkeeping.
    #[serde(default)]
    pub invoices: Vec<ExportInvoice>,
    /// Questionnaire results, oldest first, as recorded. Absent in packages made before
    /// outcome measures existed.
    #[serde(default)]
    pub measures: Vec<ExportMeasure>,
    /// The therapist's own instruments those results use (`custom-<n>`), as defined, so a
    /// reader can score and plot them. Absent in packages made before custom instruments.
    #[serde(default)]
    pub instruments: Vec<crate::measures::Instrument>,
    /// Who opened or changed the record and when, where the profile gives the client that
    /// right (Patientdatalagen 8 kap. 1 §); otherwise `null`.
    pub access_log: Option<Vec<ExportLogRow>>,
    /// How the disclosure was made.
    pub disclosure: Disclosure,
}

/// The practice and the therapist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// Practice name.
    pub name: String,
    /// Postal address.
    pub address: String,
    /// The therapist's name.
    pub therapist_name: String,
    /// Professional title ("leg. psykoterapeut").
    pub therapist_title: String,
}

/// A national identity number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Identifier {
    /// Which kind (`se_personnummer`, `dk_cpr`, …).
    pub system: NationalIdKind,
    /// As written.
    pub value: String,
}

/// The client (FHIR Patient).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportClient {
    /// Stable id.
    pub id: String,
    /// Given name.
    pub given_name: String,
    /// Family name.
    pub family_name: String,
    /// Day of birth.
    pub birth_date: Option<NaiveDate>,
    /// National identity numbers.
    pub identifiers: Vec<Identifier>,
    /// Postal address.
    pub address: String,
    /// E-mail.
    pub email: String,
    /// Phones.
    pub phones: Vec<Phone>,
    /// Emergency contact.
    pub emergency_contact: Option<EmergencyContact>,
    /// Other fields the therapist keeps.
    pub custom_fields: Vec<CustomField>,
    /// Active or archived.
    pub status: String,
    /// When the client was added.
    pub created_at: DateTime<Utc>,
    /// Earlier versions of these details, oldest first (GDPR art. 16: changes keep history).
    pub history: Vec<crate::domain::client_history::ClientVersion>,
}

/// A course of treatment (FHIR EpisodeOfCare).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportCourse {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Reason for contact.
    pub reason: String,
    /// First day.
    pub start_date: NaiveDate,
    /// Last day, once closed.
    pub end_date: Option<NaiveDate>,
}

/// Why an entry's text is not disclosed (GDPR art. 15(4): it would reveal someone else).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withheld {
    /// The therapist's recorded reason.
    pub reason: String,
}

/// A journal entry (FHIR Encounter + DocumentReference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportEntry {
    /// Stable id.
    pub id: String,
    /// The course it belongs to.
    pub course_id: String,
    /// Kind of contact.
    pub kind: EntryKind,
    /// When the contact happened.
    pub occurred_at: DateTime<Utc>,
    /// When it was first written down.
    pub recorded_at: DateTime<Utc>,
    /// Length in minutes.
    pub duration_minutes: Option<u32>,
    /// Draft or signed.
    pub status: EntryStatus,
    /// When it was signed.
    pub signed_at: Option<DateTime<Utc>>,
    /// Who signed it ("Anna Lindqvist, leg. psykoterapeut").
    pub signed_by: Option<String>,
    /// The current title (empty when withheld).
    pub title: String,
    /// The current text (empty when withheld).
    pub body: String,
    /// The current tags.
    pub tags: Vec<String>,
    /// Every version, oldest first (empty for drafts and withheld entries).
    pub versions: Vec<EntryVersion>,
    /// Set when the text is not disclosed.
    pub withheld: Option<Withheld>,
    /// Ids of the attachments of this entry.
    pub attachment_ids: Vec<String>,
}

/// A consent (FHIR Consent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportConsent {
    /// Stable id.
    pub id: String,
    /// What it covers.
    pub purpose: crate::domain::consent::ConsentPurpose,
    /// The text agreed to.
    pub text: String,
    /// The text's version.
    pub text_version: String,
    /// Given on.
    pub given_on: NaiveDate,
    /// How.
    pub given_how: crate::domain::consent::ConsentForm,
    /// Withdrawn on.
    pub withdrawn_on: Option<NaiveDate>,
    /// The signed form, an attachment of this export.
    pub evidence_attachment_id: Option<String>,
}

/// An attached file (FHIR DocumentReference).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportAttachment {
    /// Stable id.
    pub id: String,
    /// The entry it hangs on (`null`: the client's own).
    pub entry_id: Option<String>,
    /// The original file name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// When it was added.
    pub added_at: DateTime<Utc>,
    /// Where the file is in the export (`attachments/…`).
    pub path: String,
}

/// A session in the calendar (FHIR Appointment; an attended one's note is its entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportSession {
    /// Stable id.
    pub id: String,
    /// The course it belongs to.
    pub course_id: Option<String>,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Length in minutes.
    pub minutes: u32,
    /// Kind (`individual`, `couple`, `group`, `phone`, `video`).
    pub kind: crate::domain::appointments::AppointmentKind,
    /// `planned`, `attended`, `cancelled_in_time`, `late_cancellation` or `no_show`.
    pub attendance: crate::domain::appointments::Attendance,
    /// Fee in the currency's minor unit (öre, øre, cent).
    pub fee: Option<i64>,
    /// ISO 4217 code of the fee's currency.
    pub currency: String,
    /// The journal entry written for it.
    pub entry_id: Option<String>,
}

/// An issued invoice or credit note (FHIR Invoice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportInvoice {
    /// Stable id.
    pub id: String,
    /// `invoice` or `credit_note`.
    pub kind: crate::invoicing::InvoiceKind,
    /// Its number in the practice's series.
    pub number: i64,
    /// The invoice a credit note cancels.
    pub credits_id: Option<String>,
    /// Issue day.
    pub issued_on: NaiveDate,
    /// Due day.
    pub due_on: NaiveDate,
    /// ISO 4217 code.
    pub currency: String,
    /// Who was billed.
    pub buyer_name: String,
    /// Their address.
    pub buyer_address: String,
    /// The lines, with amounts in the currency's minor unit.
    pub lines: Vec<ExportInvoiceLine>,
    /// Sum without VAT.
    pub net: i64,
    /// VAT.
    pub vat: i64,
    /// To pay.
    pub gross: i64,
    /// Payments received.
    pub payments: Vec<crate::invoicing::Payment>,
}

/// A questionnaire result (FHIR QuestionnaireResponse with an Observation of its score).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportMeasure {
    /// Stable id.
    pub id: String,
    /// The instrument (`phq9`, `gad7`, `who5`, `core10`, `madrs_s`, `ors`, or `custom-<n>`,
    /// defined in the package's `instruments`).
    pub instrument: String,
    /// The day it was taken.
    pub taken_on: NaiveDate,
    /// The item answers, `null` where left out (empty for a total-only instrument).
    pub answers: Vec<Option<u32>>,
    /// The score.
    pub score: u32,
    /// Its band, as recorded.
    pub band: Option<String>,
    /// Items answered above 0 that the instrument flags (1-based).
    pub flags: Vec<u32>,
}

/// A line of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportInvoiceLine {
    /// What was provided.
    pub description: String,
    /// When.
    pub service_date: Option<NaiveDate>,
    /// How many.
    pub quantity: u32,
    /// Price of one, without VAT.
    pub unit_price: i64,
    /// `exempt` or `vat25`.
    pub vat: crate::invoicing::VatRate,
    /// The session billed (an id of `sessions`).
    pub session_id: Option<String>,
    /// `quantity × unit_price`.
    pub net: i64,
}

/// One access-log row about the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportLogRow {
    /// When.
    pub at: DateTime<Utc>,
    /// What was done (`entry_read`, …).
    pub action: String,
    /// What was touched, as the therapist would name it ("Session 3, 2026-10-19").
    pub what: String,
}

/// How the records were handed over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Disclosure {
    /// How the requester's identity was checked ("photo ID seen").
    pub identity_check: String,
    /// How many entries' text was withheld.
    pub withheld_entries: u32,
}
