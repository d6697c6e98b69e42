//! people.toml: everyone who owns, approves, audits or commits to the ISMS.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<PersonId>,
    pub name: Spanned<String>,
    /// Every identity this person commits with; matched case-insensitively against git authors.
    #[serde(default)]
    pub emails: Vec<Spanned<String>>,
    #[serde(default)]
    pub roles: Vec<Spanned<String>>,
    /// Top management approves waivers and receives audit reports (5.1, 9.3).
    #[serde(default)]
    pub top_management: Spanned<bool>,
    /// May be named in an audit team.
    #[serde(default)]
    pub auditor: Spanned<bool>,
    /// Evidence of competence (7.2); required for auditors. `[[person.competence]]` records;
    /// plain strings are still read, but cannot be judged.
    #[serde(default)]
    pub competence: Vec<Spanned<Competence>>,
    #[serde(default)]
    pub external: Spanned<bool>,
    /// Keys this person signs commits with: SSH public key lines (`ssh-ed25519 AAAA... laptop`)
    /// or `openpgp:<fingerprint>` with the armored public key in a file under keys/.
    #[serde(default)]
    pub signing_keys: Vec<Spanned<String>>,
}

impl Person {
    /// Whether one of this person's emails is `email`, ignoring case.
    pub fn has_email(&self, email: &str) -> bool {
        self.emails.iter().any(|e| e.eq_ignore_ascii_case(email))
    }
}

/// One competence record (7.2): structured, or the plain text of version 1.
#[derive(Clone, Debug, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Competence {
    Record(CompetenceRecord),
    /// Free text: still accepted, with a warning that it cannot be judged (PLAN003).
    Text(String),
}

impl Competence {
    /// What the record says, for the pages.
    pub fn describe(&self) -> String {
        match self {
            Competence::Text(t) => t.clone(),
            Competence::Record(r) => format!(
                "{} ({}, {})",
                r.title.get(),
                r.kind.get().as_str(),
                r.on.get()
            ),
        }
    }
}

/// `[[person.competence]]`: training, a certification or supervised audits, dated.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompetenceRecord {
    pub kind: Spanned<CompetenceKind>,
    pub title: Spanned<String>,
    pub on: Spanned<Date>,
    /// A file under the ISMS root that proves it (a certificate).
    pub evidence: Option<Spanned<String>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CompetenceKind {
    /// ISO 19011 / ISO/IEC 27001 auditing training, an auditor certification, supervised audits.
    Audit,
    Other,
}

impl CompetenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CompetenceKind::Audit => "audit",
            CompetenceKind::Other => "other",
        }
    }
}

impl<'de> Deserialize<'de> for Competence {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Competence;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [[person.competence]] table with kind, title and on, or a text")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Competence, E> {
                Ok(Competence::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Competence, A::Error> {
                CompetenceRecord::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Competence::Record)
            }
        }
        deserializer.deserialize_any(Either)
    }
}
