//! The record of processing activities (GDPR art. 30(1)), made from the practice profile, the
//! profile's retention rules and the vault's settings, so it says what the app actually does.
//!
//! # What it states (each item a code the template words in sv/da/en)
//! - (a) the controller: the practice and the therapist as contact;
//! - (b) the purposes, each with its legal basis — care and its journal (art. 6(1)(c) and
//!   9(2)(h) for a licensed or authorised practitioner, art. 6(1)(b) and 9(2)(a) otherwise),
//!   appointments and contact, invoicing and bookkeeping (art. 6(1)(c)), and the purposes
//!   clients have consented to in this vault (reminders, marketing, referrals);
//! - (c) the people and the kinds of data, with health data (art. 9) named;
//! - (d) recipients: none routinely; referral recipients only under a consent; authorities
//!   where the law requires it;
//! - (e) no transfer outside the EU/EEA: the data stays on this computer and its backup disk;
//! - (f) the time limits: the profile's rules with their sources;
//! - (g) the security measures (art. 32), with this vault's settings (auto-lock minutes,
//!   whether an encrypted backup is set up and how often it runs).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::audit::{Action, Target};
use crate::documents::{write_pdf, DocumentKind, Typesetter};
use crate::domain::consent::ConsentPurpose;
use crate::domain::profile::{enum_to_str, Jurisdiction, Language};
use crate::law::{self, Rule};
use crate::settings::Settings;
use crate::{Error, Result, Vault};

#[derive(Debug, Serialize)]
pub(crate) struct RecordData {
    lang: Language,
    generated_on: String,
    jurisdiction: Jurisdiction,
    controller: Controller,
    purposes: Vec<Purpose>,
    subjects: Vec<&'static str>,
    categories: Vec<&'static str>,
    recipients: Vec<&'static str>,
    rules: Vec<Rule>,
    measures: Measures,
}

#[derive(Debug, Serialize)]
struct Controller {
    name: String,
    address: String,
    contact: String,
    title: String,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
struct Purpose {
    code: &'static str,
    basis: &'static str,
}

#[derive(Debug, Serialize)]
struct Measures {
    auto_lock_minutes: u32,
    backup: bool,
    backup_interval_hours: u32,
}

/// The purposes and their legal bases for a profile and the consent purposes in use.
fn purposes(j: Jurisdiction, consented: &[ConsentPurpose]) -> Vec<Purpose> {
    let licensed = matches!(j, Jurisdiction::SeLicensed | Jurisdiction::DkPsychologist);
    let mut out = vec![
        Purpose { code: "care", basis: if licensed { "6_1_c_9_2_h" } else { "6_1_b_9_2_a" } },
        Purpose { code: "appointments", basis: "6_1_b" },
        Purpose { code: "invoicing", basis: "6_1_c" },
    ];
    for p in [
        ConsentPurpose::Referral,
        ConsentPurpose::RemindersSms,
        ConsentPurpose::RemindersEmail,
        ConsentPurpose::Marketing,
    ] {
        if consented.contains(&p) {
            let code = match p {
                ConsentPurpose::Referral => "referral",
                ConsentPurpose::RemindersSms | ConsentPurpose::RemindersEmail => "reminders",
                _ => "marketing",
            };
            if !out.iter().any(|x| x.code == code) {
                out.push(Purpose { code, basis: "6_1_a" });
            }
        }
    }
    out
}

/// The record's data (pure: profile, settings, and the consent purposes in use).
pub(crate) fn record(
    profile: &crate::domain::profile::PracticeProfile,
    settings: &Settings,
    consented: &[ConsentPurpose],
    today: NaiveDate,
) -> RecordData {
    let mut recipients = vec!["authorities"];
    if consented.contains(&ConsentPurpose::Referral) {
        recipients.insert(0, "referral_recipients");
    }
    RecordData {
        lang: profile.language,
        generated_on: today.to_string(),
        jurisdiction: profile.jurisdiction,
        controller: Controller {
            name: profile.practice_name.clone(),
            address: profile.practice_address.clone(),
            contact: profile.therapist_name.clone(),
            title: profile.therapist_title.clone(),
        },
        purposes: purposes(profile.jurisdiction, consented),
        subjects: vec!["clients", "emergency_contacts", "third_parties"],
        categories: vec!["identity", "national_id", "contact_details", "health_notes", "attachments", "financial"],
        recipients,
        rules: law::rules(profile.jurisdiction).to_vec(),
        measures: Measures {
            auto_lock_minutes: settings.auto_lock_minutes,
            backup: settings.backup.target.is_some(),
            backup_interval_hours: settings.backup.interval_hours,
        },
    }
}

impl Vault {
    /// Lays out the record of processing (art. 30) and writes it into `folder` as a PDF.
    pub fn processing_record(&mut self, folder: &Path, engine: &dyn Typesetter, today: NaiveDate) -> Result<PathBuf> {
        let profile = self.profile()?;
        let settings = Settings::load(&self.dir)?;
        let consented: Vec<ConsentPurpose> = {
            let s = self.session()?;
            let mut st = s.reader().prepare("SELECT DISTINCT purpose FROM consent")?;
            let names = st.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            ConsentPurpose::ALL.iter().copied().filter(|p| names.iter().any(|n| *n == enum_to_str(p))).collect()
        };
        let data = record(&profile, &settings, &consented, today);
        let json = serde_json::to_vec(&data).map_err(|_| Error::Internal("record data"))?;
        let pdf = engine.render(DocumentKind::ProcessingRecord, &json)?;
        let path = write_pdf(folder, "record-of-processing", today, &pdf)?;
        self.session()?.log(Action::ProcessingRecord, Target::none())?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legal_basis_of_care_follows_the_profile_and_consents_add_purposes() {
        let care = |j| purposes(j, &[]).into_iter().find(|p| p.code == "care").unwrap().basis;
        assert_eq!(care(Jurisdiction::SeLicensed), "6_1_c_9_2_h");
        assert_eq!(care(Jurisdiction::DkPsychologist), "6_1_c_9_2_h");
        assert_eq!(care(Jurisdiction::SeOther), "6_1_b_9_2_a");
        assert_eq!(care(Jurisdiction::DkTherapistCoach), "6_1_b_9_2_a");
        let codes = |c: &[ConsentPurpose]| {
            purposes(Jurisdiction::SeLicensed, c).into_iter().map(|p| p.code).collect::<Vec<_>>()
        };
        assert_eq!(codes(&[]), ["care", "appointments", "invoicing"]);
        assert_eq!(
            codes(&[ConsentPurpose::RemindersSms, ConsentPurpose::RemindersEmail, ConsentPurpose::Referral]),
            ["care", "appointments", "invoicing", "referral", "reminders"]
        );
    }

    #[test]
    fn the_record_carries_the_profiles_rules_and_this_vaults_settings() {
        let mut p = crate::domain::profile::PracticeProfile {
            jurisdiction: Jurisdiction::DkPsychologist,
            ..Default::default()
        };
        p.practice_name = "Praksis".into();
        let s = Settings { auto_lock_minutes: 7, ..Default::default() };
        let r = record(&p, &s, &[ConsentPurpose::Referral], "2026-12-02".parse().unwrap());
        assert_eq!(r.rules, law::rules(Jurisdiction::DkPsychologist).to_vec());
        assert_eq!(r.measures.auto_lock_minutes, 7);
        assert!(!r.measures.backup);
        assert_eq!(r.recipients, ["referral_recipients", "authorities"]);
    }
}
