//! Note templates: the built-in Nordic (Aktuellt / Bedömning / Insats / Planering, as Swedish
//! and Danish journals are commonly kept), SOAP, DAP, BIRP and free forms with headings in
//! Swedish, Danish and English, plus the therapist's own.

use crate::audit::{Action, Target};
use crate::kinds::ObjectKind;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::profile::Language;
use super::validate;
use crate::{time, Error, Result, Vault};

/// A template ready to fill a new draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Template {
    /// `builtin:soap` or `user:<id>`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Whether it ships with Confidant.
    pub builtin: bool,
    /// Markdown to start the body with.
    pub body: String,
}

/// A built-in template: id, name per language (sv, da, en; empty: the free form's own word),
/// headings per language.
type Builtin = (&'static str, [&'static str; 3], [&'static [&'static str]; 3]);

const BUILTIN: &[Builtin] = &[
    (
        "nordic",
        [
            "Aktuellt, Bedömning, Insats, Planering",
            "Aktuelt, Vurdering, Indsats, Plan",
            "Current, Assessment, Intervention, Plan",
        ],
        [
            &["Aktuellt", "Bedömning", "Insats", "Planering"],
            &["Aktuelt", "Vurdering", "Indsats", "Plan"],
            &["Current", "Assessment", "Intervention", "Plan"],
        ],
    ),
    (
        "soap",
        ["SOAP"; 3],
        [
            &["Subjektivt", "Objektivt", "Bedömning", "Plan"],
            &["Subjektivt", "Objektivt", "Vurdering", "Plan"],
            &["Subjective", "Objective", "Assessment", "Plan"],
        ],
    ),
    (
        "dap",
        ["DAP"; 3],
        [&["Data", "Bedömning", "Plan"], &["Data", "Vurdering", "Plan"], &["Data", "Assessment", "Plan"]],
    ),
    (
        "birp",
        ["BIRP"; 3],
        [
            &["Beteende", "Intervention", "Respons", "Plan"],
            &["Adfærd", "Intervention", "Respons", "Plan"],
            &["Behaviour", "Intervention", "Response", "Plan"],
        ],
    ),
    ("free", [""; 3], [&[], &[], &[]]),
];

fn free_name(lang: Language) -> &'static str {
    match lang {
        Language::Sv => "Fritt",
        Language::Da => "Fri",
        Language::En => "Free",
    }
}

fn builtins(lang: Language) -> Vec<Template> {
    let idx = match lang {
        Language::Sv => 0,
        Language::Da => 1,
        Language::En => 2,
    };
    BUILTIN
        .iter()
        .map(|(id, names, headings)| Template {
            id: format!("builtin:{id}"),
            name: if names[idx].is_empty() { free_name(lang).to_owned() } else { names[idx].to_owned() },
            builtin: true,
            body: headings[idx].iter().map(|h| format!("## {h}\n\n")).collect(),
        })
        .collect()
}

impl Vault {
    /// All templates, built-in ones first, headings in `lang`.
    pub fn templates(&mut self, lang: Language) -> Result<Vec<Template>> {
        let s = self.session()?;
        let mut out = builtins(lang);
        let mut st = s.reader().prepare("SELECT id, name, body FROM user_template ORDER BY name COLLATE NOCASE, id")?;
        let rows = st.query_map([], |r| {
            Ok(Template {
                id: format!("user:{}", r.get::<_, i64>(0)?),
                name: r.get(1)?,
                builtin: false,
                body: r.get(2)?,
            })
        })?;
        for r in rows {
            out.push(r?);
        }
        Ok(out)
    }

    /// One template by id.
    pub fn template(&mut self, id: &str, lang: Language) -> Result<Template> {
        self.templates(lang)?.into_iter().find(|t| t.id == id).ok_or(Error::NotFound("template"))
    }

    /// Saves a template of the therapist's own.
    pub fn create_template(&mut self, name: &str, body: &str) -> Result<Template> {
        let name = validate::one_line("name", name, 100, true)?;
        let body = validate::text("body", body, 20_000, false)?;
        self.session()?.write(Action::TemplateCreate, |tx| {
            tx.execute(
                "INSERT INTO user_template (name, body, created_at) VALUES (?1, ?2, ?3)",
                params![name, body, time::now_string()],
            )?;
            let id = tx.last_insert_rowid();
            Ok((
                Template { id: format!("user:{id}"), name, builtin: false, body },
                Target::record(ObjectKind::Template, id),
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_have_headings_in_every_language() {
        for lang in [Language::Sv, Language::Da, Language::En] {
            let t = builtins(lang);
            assert_eq!(t.len(), 5);
            assert_eq!(t[0].id, "builtin:nordic", "the Nordic headings come first");
            assert_eq!(t[0].body.matches("## ").count(), 4);
            let soap = &t[1];
            assert_eq!(soap.id, "builtin:soap");
            assert_eq!(soap.body.matches("## ").count(), 4);
        }
        assert!(builtins(Language::Sv)[0].body.starts_with("## Aktuellt\n"));
        assert!(builtins(Language::Da)[0].body.contains("## Indsats"));
        assert!(builtins(Language::Sv)[1].body.contains("Bedömning"));
        assert!(builtins(Language::Da)[3].body.contains("Adfærd"));
        assert_eq!(builtins(Language::Sv)[4].name, "Fritt");
    }
}
