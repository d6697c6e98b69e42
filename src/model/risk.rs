//! risks.toml: the risk register, with inherent and residual scores and acceptance (6.1.2, 6.1.3, 8.2, 8.3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AreaId, ControlId, Date, OneOrMany, Origin, PersonId, RiskId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Risk {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<RiskId>,
    pub title: Spanned<String>,
    pub owner: Spanned<PersonId>,
    pub area: Option<Spanned<AreaId>>,
    /// From 1 to `[risk] likelihood_scale` (or `scale`; RISK001 checks it).
    #[schemars(range(min = 1, max = 10))]
    pub likelihood: Spanned<i64>,
    /// From 1 to `[risk] impact_scale` (or `scale`; RISK001 checks it).
    #[schemars(range(min = 1, max = 10))]
    pub impact: Spanned<i64>,
    pub treatment: Spanned<Treatment>,
    /// The Annex A controls the treatment relies on.
    #[serde(default)]
    pub controls: Vec<Spanned<ControlId>>,
    #[schemars(range(min = 1, max = 10))]
    pub residual_likelihood: Option<Spanned<i64>>,
    #[schemars(range(min = 1, max = 10))]
    pub residual_impact: Option<Spanned<i64>>,
    /// Who accepted the residual risk (6.1.3 f): the risk owner, or everyone
    /// `[risk.acceptance]` asks for at the risk's level; one person or a list.
    #[serde(default)]
    pub accepted_by: OneOrMany<PersonId>,
    pub accepted_on: Option<Spanned<Date>>,
    pub reviewed_on: Option<Spanned<Date>>,
}

impl Risk {
    /// Whether someone accepted the residual risk on a recorded day.
    pub fn is_accepted(&self) -> bool {
        !self.accepted_by.is_empty() && self.accepted_on.is_some()
    }

    /// Whether `person` is among those who accepted.
    pub fn accepted_by_person(&self, person: &str) -> bool {
        self.accepted_by.iter().any(|p| p.as_str() == person)
    }

    pub fn inherent_score(&self) -> i64 {
        self.likelihood.saturating_mul(*self.impact)
    }

    /// Likelihood x impact after treatment; the inherent score when no residual is given.
    pub fn residual_score(&self) -> i64 {
        let l = self
            .residual_likelihood
            .as_ref()
            .map_or(*self.likelihood, |v| **v);
        let i = self.residual_impact.as_ref().map_or(*self.impact, |v| **v);
        l.saturating_mul(i)
    }
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Treatment {
    Modify,
    Retain,
    Avoid,
    Share,
}

impl Treatment {
    pub fn as_str(self) -> &'static str {
        match self {
            Treatment::Modify => "modify",
            Treatment::Retain => "retain",
            Treatment::Avoid => "avoid",
            Treatment::Share => "share",
        }
    }
}
