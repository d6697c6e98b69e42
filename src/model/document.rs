//! documents/**/*.md: policies, procedures, standards, plans and records with TOML front matter (7.5).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AreaId, ClauseId, ControlId, Date, DocumentId, Origin, PersonId, Spanned};

/// A Markdown document: its front matter and where its body starts.
#[derive(Clone, Debug)]
pub struct Document {
    /// The file, and the span of the front matter.
    pub origin: Origin,
    /// Path relative to the ISMS root.
    pub path: String,
    pub front: DocumentFront,
    /// Byte offset of the Markdown body in the file.
    pub body_start: usize,
}

/// The TOML front matter between `+++` lines.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentFront {
    pub id: Spanned<DocumentId>,
    pub kind: Spanned<DocKind>,
    pub title: Spanned<String>,
    pub version: Option<Spanned<String>>,
    pub owner: Option<Spanned<PersonId>>,
    pub area: Option<Spanned<AreaId>>,
    /// The person who approved it, or the team that did (then `approved_by_person` names the
    /// member who gave the approval).
    pub approved_by: Option<Spanned<PersonId>>,
    /// The member of the approving team who gave the approval.
    pub approved_by_person: Option<Spanned<PersonId>>,
    pub approved_on: Option<Spanned<Date>>,
    /// Months between reviews; `[risk]`-independent, defaults to 12.
    #[serde(
        default,
        deserialize_with = "super::bounds::optional_months::<_, 1, { super::bounds::MAX_MONTHS }>"
    )]
    #[schemars(range(min = 1, max = super::bounds::MAX_MONTHS))]
    pub review_months: Option<Spanned<u32>>,
    #[serde(default)]
    pub controls: Vec<Spanned<ControlId>>,
    /// Management-system clauses the document answers; the information security policy carries `5.2`.
    #[serde(default)]
    pub clauses: Vec<Spanned<ClauseId>>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Policy,
    Procedure,
    Standard,
    Plan,
    Record,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Policy => "policy",
            DocKind::Procedure => "procedure",
            DocKind::Standard => "standard",
            DocKind::Plan => "plan",
            DocKind::Record => "record",
        }
    }
}

impl DocumentFront {
    /// The person who gave the approval: `approved_by_person`, else `approved_by`.
    pub fn approver(&self) -> Option<&Spanned<PersonId>> {
        self.approved_by_person
            .as_ref()
            .or(self.approved_by.as_ref())
    }
}
