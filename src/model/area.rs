//! areas.toml: the processes and departments in scope, with the files and controls they own.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AreaId, ClauseId, ControlId, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Area {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<AreaId>,
    pub name: Spanned<String>,
    pub owner: Spanned<PersonId>,
    #[serde(default)]
    pub members: Vec<Spanned<PersonId>>,
    /// Sets how often the area is audited (`[audit] frequency_months`).
    pub risk: Spanned<RiskLevel>,
    /// Globs relative to the ISMS root, inside the repository, of the files this area owns.
    #[serde(default)]
    pub paths: Vec<Spanned<String>>,
    /// The Annex A controls this area answers for.
    #[serde(default)]
    pub controls: Vec<Spanned<ControlId>>,
    /// The management-system clauses this area answers for.
    #[serde(default)]
    pub clauses: Vec<Spanned<ClauseId>>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    High,
    Medium,
    Low,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::High => "high",
            RiskLevel::Medium => "medium",
            RiskLevel::Low => "low",
        }
    }
}
