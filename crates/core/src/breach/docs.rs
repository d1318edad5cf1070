//! The breach register's documents: the draft notification to the authority (art. 33(3)) and
//! the letters to affected clients (art. 34(2)), in the shapes the engine's `breach_notice`
//! and `breach_letter` templates read.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Local, NaiveDate, Utc};
use serde::Serialize;

use super::{duties, load, BreachNature, BreachRisk, DataCategory, InformClients};
use crate::audit::{Action, Target};
use crate::documents::{local_minute as local, write_pdf, DocPractice, DocumentKind, Typesetter};
use crate::domain::profile::{Jurisdiction, Language};
use crate::kinds::ObjectKind;
use crate::{Error, Result, Vault};

/// The letters written for a breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BreachLetters {
    /// The PDFs, one per affected client still in the vault.
    pub paths: Vec<String>,
}

/// Which authority the notification goes to, from the profile.
fn authority(j: Jurisdiction) -> &'static str {
    match j {
        Jurisdiction::SeLicensed | Jurisdiction::SeOther => "imy",
        Jurisdiction::DkPsychologist | Jurisdiction::DkTherapistCoach => "datatilsynet",
        Jurisdiction::Custom => "other",
    }
}

#[derive(Serialize)]
struct NoticeData {
    lang: Language,
    generated_on: String,
    authority: &'static str,
    practice: DocPractice,
    number: i64,
    discovered_at: String,
    deadline: String,
    occurred_from: Option<String>,
    occurred_to: Option<String>,
    nature: Vec<BreachNature>,
    description: String,
    data_categories: Vec<DataCategory>,
    subjects_estimate: u32,
    records_estimate: Option<u32>,
    consequences: String,
    measures: String,
    risk: BreachRisk,
    encrypted: bool,
    late: bool,
    delay_reason: String,
    inform: InformClients,
    subjects_informed_at: Option<String>,
}

#[derive(Serialize)]
struct LetterData {
    lang: Language,
    generated_on: String,
    practice: DocPractice,
    client: Party,
    discovered_on: String,
    nature: Vec<BreachNature>,
    description: String,
    data_categories: Vec<DataCategory>,
    consequences: String,
    measures: String,
}

#[derive(Serialize)]
struct Party {
    name: String,
    address: String,
}

fn to_json<T: Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec(v).map_err(|_| Error::Internal("breach document data"))
}

impl Vault {
    /// Lays out the draft notification of breach `id` to the authority (IMY or Datatilsynet by
    /// the profile) and writes it into `folder`. A late draft says so and carries the reason
    /// for the delay when one is recorded.
    pub fn breach_notice(
        &mut self,
        id: i64,
        folder: &Path,
        engine: &dyn Typesetter,
        now: DateTime<Utc>,
    ) -> Result<PathBuf> {
        let profile = self.profile()?;
        let b = load(self.session()?.reader(), id)?;
        let d = duties(&b, now);
        let late = match d.clock {
            super::NotifyClock::Notified { late } => late,
            super::NotifyClock::Overdue { .. } => true,
            _ => false,
        };
        let f = &b.facts;
        let data = NoticeData {
            lang: profile.language,
            generated_on: now.with_timezone(&Local).date_naive().to_string(),
            authority: authority(profile.jurisdiction),
            practice: DocPractice::of(&profile),
            number: b.id,
            discovered_at: local(&f.discovered_at),
            deadline: local(&d.deadline),
            occurred_from: f.occurred_from.map(|x| x.to_string()),
            occurred_to: f.occurred_to.map(|x| x.to_string()),
            nature: f.nature.clone(),
            description: f.description.clone(),
            data_categories: f.data_categories.clone(),
            subjects_estimate: f.subjects_estimate,
            records_estimate: f.records_estimate,
            consequences: f.consequences.clone(),
            measures: f.measures.clone(),
            risk: f.risk,
            encrypted: f.encrypted,
            late,
            delay_reason: b.delay_reason.clone(),
            inform: d.inform,
            subjects_informed_at: b.subjects_informed_at.as_ref().map(local),
        };
        let pdf = engine.render(DocumentKind::BreachNotice, &to_json(&data)?)?;
        let today = now.with_timezone(&Local).date_naive();
        let path = write_pdf(folder, &format!("breach-{id}-notification"), today, &pdf)?;
        self.session()?.log(Action::Breach, Target::record(ObjectKind::Breach, id))?;
        Ok(path)
    }

    /// Writes one letter per affected client of breach `id` into `folder` (art. 34(2)): what
    /// happened, which data, the likely consequences, the measures, and whom to contact. Each
    /// letter is logged against its client. If one cannot be written, none are left.
    pub fn breach_letters(
        &mut self,
        id: i64,
        folder: &Path,
        engine: &dyn Typesetter,
        today: NaiveDate,
    ) -> Result<BreachLetters> {
        let profile = self.profile()?;
        let (b, parties) = {
            let s = self.session()?;
            let b = load(s.reader(), id)?;
            let mut parties = Vec::new();
            for c in &b.facts.client_ids {
                let c = crate::domain::clients::load(s.reader(), *c)?;
                let name = format!("{} {}", c.given_name, c.family_name).trim().to_owned();
                parties.push((c.id, Party { name, address: c.address }));
            }
            (b, parties)
        };
        if parties.is_empty() {
            return Err(Error::NotFound("affected client"));
        }
        let mut written: Vec<PathBuf> = Vec::new();
        let mut told = Vec::new();
        let result = (|| -> Result<()> {
            for (client_id, party) in parties {
                let data = LetterData {
                    lang: profile.language,
                    generated_on: today.to_string(),
                    practice: DocPractice::of(&profile),
                    client: party,
                    discovered_on: b.facts.discovered_at.with_timezone(&Local).date_naive().to_string(),
                    nature: b.facts.nature.clone(),
                    description: b.facts.description.clone(),
                    data_categories: b.facts.data_categories.clone(),
                    consequences: b.facts.consequences.clone(),
                    measures: b.facts.measures.clone(),
                };
                let pdf = engine.render(DocumentKind::BreachLetter, &to_json(&data)?)?;
                written.push(write_pdf(folder, &format!("breach-{id}-letter-client-{client_id}"), today, &pdf)?);
                told.push(client_id);
            }
            Ok(())
        })();
        if let Err(e) = result {
            for p in &written {
                let _ = std::fs::remove_file(p);
            }
            return Err(e);
        }
        let s = self.session()?;
        for client_id in told {
            s.log(Action::Breach, Target::object(ObjectKind::Breach, id, client_id))?;
        }
        Ok(BreachLetters { paths: written.iter().map(|p| p.display().to_string()).collect() })
    }
}
