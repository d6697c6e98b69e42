//! soa.toml: the Statement of Applicability, one entry per Annex A control (6.1.3 d).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, DocumentId, Origin, PersonId, RiskId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SoaEntry {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<ControlId>,
    /// Whether the control is included; undecided until set.
    pub applicable: Option<Spanned<bool>>,
    /// Why the control is included or excluded.
    pub justification: Option<Spanned<String>>,
    /// What the inclusion rests on.
    #[serde(default)]
    pub basis: Vec<Spanned<Basis>>,
    /// Implementation status of an applicable control.
    pub status: Option<Spanned<ImplStatus>>,
    pub owner: Option<Spanned<PersonId>>,
    /// The risks this control treats.
    #[serde(default)]
    pub risks: Vec<Spanned<RiskId>>,
    /// Documents that implement or describe the control.
    #[serde(default)]
    pub documents: Vec<Spanned<DocumentId>>,
    /// Evidence files, relative to the ISMS root.
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
}

impl SoaEntry {
    pub fn is_applicable(&self) -> bool {
        self.applicable.as_ref().is_some_and(|a| *a.get())
    }

    pub fn is_excluded(&self) -> bool {
        self.applicable.as_ref().is_some_and(|a| !*a.get())
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Risk,
    Legal,
    Regulatory,
    Contractual,
    Business,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ImplStatus {
    Planned,
    Partial,
    Implemented,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Risk => "risk",
            Basis::Legal => "legal",
            Basis::Regulatory => "regulatory",
            Basis::Contractual => "contractual",
            Basis::Business => "business",
        }
    }
}

impl ImplStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ImplStatus::Planned => "planned",
            ImplStatus::Partial => "partial",
            ImplStatus::Implemented => "implemented",
        }
    }
}
