//! The practice profile: who keeps these records, in which language and under which rules.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::validate;
use crate::audit::{Action, Target};
use crate::{Result, Vault};

/// UI and document language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// Swedish.
    Sv,
    /// Danish.
    Da,
    /// English.
    #[default]
    En,
}

/// Which record-keeping rules apply; the retention work reads this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Jurisdiction {
    /// Swedish licensed health professional (patientdatalagen).
    SeLicensed,
    /// Swedish therapist outside the licensed professions.
    SeOther,
    /// Danish authorised psychologist.
    DkPsychologist,
    /// Danish therapist or coach.
    DkTherapistCoach,
    /// Custom rules.
    #[default]
    Custom,
}

impl Jurisdiction {
    /// A Danish profile (its disclosures are also written into the journal).
    pub fn is_danish(self) -> bool {
        matches!(self, Jurisdiction::DkPsychologist | Jurisdiction::DkTherapistCoach)
    }

    /// The ISO 4217 code fees are kept in: the country's, and the euro under custom rules
    /// (until a profile names its own currency).
    pub fn currency(self) -> &'static str {
        match self {
            Jurisdiction::SeLicensed | Jurisdiction::SeOther => "SEK",
            Jurisdiction::DkPsychologist | Jurisdiction::DkTherapistCoach => "DKK",
            Jurisdiction::Custom => "EUR",
        }
    }
}

pub(crate) fn enum_to_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Reads a stored enum name; an unknown one is an error, never a silent default.
pub(crate) fn parse_enum<T: for<'de> Deserialize<'de>>(s: &str) -> rusqlite::Result<T> {
    crate::kinds::parse_closed(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

/// The practice profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PracticeProfile {
    /// The therapist's full name.
    pub therapist_name: String,
    /// Professional title (e.g. "Leg. psykoterapeut").
    pub therapist_title: String,
    /// Practice name.
    pub practice_name: String,
    /// Postal address, possibly several lines.
    pub practice_address: String,
    /// UI and document language.
    pub language: Language,
    /// Jurisdiction profile.
    pub jurisdiction: Jurisdiction,
}

impl Vault {
    /// The practice profile (defaults until saved).
    pub fn profile(&mut self) -> Result<PracticeProfile> {
        let s = self.session()?;
        let p = s
            .reader()
            .query_row(
                "SELECT therapist_name, therapist_title, practice_name, practice_address, language, jurisdiction
                 FROM practice_profile WHERE id = 1",
                [],
                |r| {
                    Ok(PracticeProfile {
                        therapist_name: r.get(0)?,
                        therapist_title: r.get(1)?,
                        practice_name: r.get(2)?,
                        practice_address: r.get(3)?,
                        language: parse_enum(&r.get::<_, String>(4)?)?,
                        jurisdiction: parse_enum(&r.get::<_, String>(5)?)?,
                    })
                },
            )
            .optional()?;
        Ok(p.unwrap_or_default())
    }

    /// Saves the practice profile.
    pub fn set_profile(&mut self, p: &PracticeProfile) -> Result<PracticeProfile> {
        let clean = PracticeProfile {
            therapist_name: validate::one_line("therapist_name", &p.therapist_name, 200, false)?,
            therapist_title: validate::one_line("therapist_title", &p.therapist_title, 200, false)?,
            practice_name: validate::one_line("practice_name", &p.practice_name, 200, false)?,
            practice_address: validate::text("practice_address", &p.practice_address, 500, false)?,
            language: p.language,
            jurisdiction: p.jurisdiction,
        };
        let c = clean.clone();
        self.session()?.write(Action::ProfileUpdate, |tx| {
            tx.execute(
                "INSERT INTO practice_profile (id, therapist_name, therapist_title, practice_name, practice_address, language, jurisdiction, updated_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (id) DO UPDATE SET therapist_name = excluded.therapist_name,
                   therapist_title = excluded.therapist_title, practice_name = excluded.practice_name,
                   practice_address = excluded.practice_address, language = excluded.language,
                   jurisdiction = excluded.jurisdiction, updated_at = excluded.updated_at",
                rusqlite::params![
                    c.therapist_name, c.therapist_title, c.practice_name, c.practice_address,
                    enum_to_str(&c.language), enum_to_str(&c.jurisdiction), crate::time::now_string()
                ],
            )?;
            Ok(((), Target::none()))
        })?;
        Ok(clean)
    }
}
