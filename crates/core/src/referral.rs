//! A referral letter: the therapist's text about a client to another caregiver or a named
//! recipient, with the client's identity. Sending health data to someone else needs the
//! client's consent (GDPR art. 9(2)(a); Patientdatalagen 6 kap. for licensed care), so the
//! letter is only made while a [`ConsentPurpose::Referral`] consent is in force, and it names
//! that consent. Writing it is logged as a `referral` of the client; under a Danish profile it is
//! also written into the journal as a signed administrative note, as disclosures are there.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::{Action, Target};
use crate::documents::{write_pdf, DocPractice, DocumentKind, Typesetter};
use crate::domain::consent::{self, ConsentPurpose};
use crate::domain::profile::Language;
use crate::domain::validate;
use crate::{Error, Result, Vault};

/// What the letter says and to whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReferralInput {
    /// The recipient: name and address, several lines.
    pub recipient: String,
    /// The letter's text.
    pub body: String,
}

#[derive(Serialize)]
struct ReferralData {
    lang: Language,
    generated_on: String,
    practice: DocPractice,
    recipient: String,
    client: Client,
    body: String,
    consent_given_on: String,
    consent_version: String,
}

#[derive(Serialize)]
struct Client {
    name: String,
    date_of_birth: Option<String>,
    national_id: Option<String>,
    address: String,
}

impl Vault {
    /// Lays out a referral letter about `client_id` and writes it into `folder`. Refused with
    /// [`Error::NoConsent`] unless a referral consent is in force on `today`.
    pub fn referral_letter(
        &mut self,
        client_id: i64,
        input: &ReferralInput,
        folder: &Path,
        engine: &dyn Typesetter,
        today: NaiveDate,
    ) -> Result<PathBuf> {
        let recipient = validate::text("recipient", &input.recipient, 500, true)?;
        let body = validate::text("body", &input.body, 20_000, true)?;
        let profile = self.profile()?;
        let (c, given) = {
            let s = self.session()?;
            let c = crate::domain::clients::load(s.reader(), client_id)?;
            let given =
                consent::in_force(s.reader(), client_id, ConsentPurpose::Referral, today)?.ok_or(Error::NoConsent)?;
            (c, given)
        };
        let data = ReferralData {
            lang: profile.language,
            generated_on: today.to_string(),
            practice: DocPractice::of(&profile),
            recipient,
            client: Client {
                name: format!("{} {}", c.given_name, c.family_name).trim().to_owned(),
                date_of_birth: c.date_of_birth.map(|d| d.to_string()),
                national_id: c.national_id.map(|n| n.value),
                address: c.address,
            },
            body,
            consent_given_on: given.given_on.to_string(),
            consent_version: given.text_version,
        };
        let json = serde_json::to_vec(&data).map_err(|_| Error::Internal("referral data"))?;
        let pdf = engine.render(DocumentKind::Referral, &json)?;
        let path = write_pdf(folder, "referral", today, &pdf)?;
        self.session()?.log(Action::Referral, Target::client(client_id))?;
        if profile.jurisdiction.is_danish() {
            let first_line = data.recipient.lines().next().unwrap_or_default().to_owned();
            let body = format!(
                "Henvisning sendt {today} til {first_line} med klientens samtykke (givet {}, tekstversion {}).",
                data.consent_given_on, data.consent_version
            );
            crate::export::package::disclosure_note(self, client_id, "Henvisning", body)?;
        }
        Ok(path)
    }
}
