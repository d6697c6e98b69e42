//! A framework pack: a regulation's requirements, each mapped to Annex A controls and clauses.
//!
//! The same format serves the packs built into the binary and the user's packs in
//! `.isms/frameworks/<name>.toml`; this module holds the data only (the loader reads the files).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{ClauseId, ControlId, Origin, Spanned};

/// One framework pack.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pack {
    /// Where a user's pack was read from; `None` for a built-in pack.
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Option<Origin>,
    /// The name `frameworks = [...]` in isms.toml enables the pack by, such as `gdpr`; it must be
    /// the file's name without `.toml`.
    pub name: Spanned<String>,
    /// The regulation's name, shown in reports.
    pub title: Spanned<String>,
    /// The legal text the requirements are written from, with where to read it.
    pub source: Option<Spanned<String>>,
    /// `true` adds these requirements to the built-in pack of the same name, replacing those with
    /// the same id; `false` (the default) makes this pack replace the built-in one entirely.
    #[serde(default)]
    pub extends: bool,
    /// The requirements, one per provision.
    #[serde(default, rename = "requirement")]
    pub requirements: Vec<Requirement>,
}

/// One provision of a regulation and the controls and clauses that answer it.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The place of the `[[requirement]]` table in a user's pack; `None` when built in.
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Option<Origin>,
    /// A stable id, such as `GDPR-32-1-b`.
    pub id: Spanned<String>,
    /// Where the provision is written, such as `GDPR Art. 32(1)(b)`.
    pub citation: Spanned<String>,
    /// A short paraphrase of the provision, in the pack author's own words.
    pub title: Spanned<String>,
    /// Whether an implementation specification is required or addressable (HIPAA).
    pub obligation: Option<Spanned<Obligation>>,
    /// The Annex A controls that answer the provision.
    #[serde(default)]
    pub controls: Vec<Spanned<ControlId>>,
    /// The management-system clauses that answer the provision.
    #[serde(default)]
    pub clauses: Vec<Spanned<ClauseId>>,
    /// Why the mapping was chosen, where it is a judgement.
    pub note: Option<Spanned<String>>,
}

/// How binding an implementation specification is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Obligation {
    Required,
    /// Implemented when reasonable and appropriate, or an equivalent measure documented.
    Addressable,
}

impl Obligation {
    pub fn as_str(self) -> &'static str {
        match self {
            Obligation::Required => "required",
            Obligation::Addressable => "addressable",
        }
    }
}

impl Pack {
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id.as_str() == id)
    }

    /// Whether the pack was built into the binary (not read from `.isms/frameworks/`).
    pub fn is_builtin(&self) -> bool {
        self.origin.is_none()
    }

    /// The built-in pack with this user's pack laid over it: requirements with a known id are
    /// replaced in place, new ones are added at the end.
    pub fn extended_by(mut self, user: Pack) -> Pack {
        for requirement in user.requirements {
            match self
                .requirements
                .iter_mut()
                .find(|r| r.id.as_str() == requirement.id.as_str())
            {
                Some(slot) => *slot = requirement,
                None => self.requirements.push(requirement),
            }
        }
        self.origin = user.origin;
        self.title = user.title;
        if user.source.is_some() {
            self.source = user.source;
        }
        self
    }
}
