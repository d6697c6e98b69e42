//! findings/<ID>.toml: a finding followed through root cause, actions, verification and closure (10.2).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    AreaId, AuditId, Date, FindingId, OneOrMany, Origin, PersonId, RequirementRef, RiskId,
    RiskLevel, Spanned,
};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<FindingId>,
    pub audit: Spanned<AuditId>,
    #[serde(rename = "type")]
    pub kind: Spanned<FindingType>,
    /// The organisation's own rating (`high`, `medium`, ...), a key of `[findings.ratings]`,
    /// which maps it to this `type` and a deadline.
    pub rating: Option<Spanned<String>>,
    /// The controls or clauses not met.
    #[serde(default)]
    pub refs: Vec<Spanned<RequirementRef>>,
    pub area: Option<Spanned<AreaId>>,
    pub raised_by: Spanned<PersonId>,
    pub raised_on: Spanned<Date>,
    pub statement: Option<Spanned<String>>,
    pub evidence: Option<Spanned<String>>,
    /// Assessed impact.
    pub risk: Option<Spanned<RiskLevel>>,
    /// What was done at once to control and correct the nonconformity (10.2 a).
    pub correction: Option<Spanned<String>>,
    /// Whether similar nonconformities exist or could occur elsewhere, and where (10.2 b 3).
    pub similar: Option<Spanned<String>>,
    pub root_cause: Option<RootCause>,
    #[serde(default, rename = "action")]
    pub actions: Vec<Action>,
    pub verification: Option<Verification>,
    pub closure: Option<Closure>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RootCause {
    pub analysis: Spanned<String>,
    pub method: Option<Spanned<String>>,
    pub by: Spanned<PersonId>,
    pub on: Spanned<Date>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    #[serde(skip)]
    #[schemars(skip)]
    pub span: std::ops::Range<usize>,
    pub description: Spanned<String>,
    pub owner: Option<Spanned<PersonId>>,
    pub due: Option<Spanned<Date>>,
    pub completed_on: Option<Spanned<Date>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    pub by: Spanned<PersonId>,
    pub on: Spanned<Date>,
    pub effective: Spanned<bool>,
    pub notes: Option<Spanned<String>>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    pub by: Spanned<PersonId>,
    pub on: Spanned<Date>,
    /// Why the finding is closed: `verified` (the default: corrective actions verified
    /// effective) or `risk-accepted` (the organisation accepts the risk instead of acting, 10.2 b;
    /// never for a major nonconformity; FIND014).
    pub basis: Option<Spanned<ClosureBasis>>,
    /// With `basis = "risk-accepted"`: the entry of risks.toml that records the accepted risk.
    pub risk: Option<Spanned<RiskId>>,
    /// With `basis = "risk-accepted"`: who accepted it, everyone `[risk.acceptance]` asks for
    /// at the level of `risk`; one person or team, or a list.
    #[serde(default)]
    pub accepted_by: OneOrMany<PersonId>,
}

impl Closure {
    /// Closed by accepting the risk rather than by verified corrective action.
    pub fn is_risk_accepted(&self) -> bool {
        self.basis
            .as_ref()
            .is_some_and(|b| *b.get() == ClosureBasis::RiskAccepted)
    }
}

/// Why a finding was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ClosureBasis {
    /// The corrective actions were verified effective (`[verification]`).
    Verified,
    /// The risk was accepted instead of corrected, by those the risk's level asks for.
    RiskAccepted,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FindingType {
    MajorNc,
    MinorNc,
    Observation,
    Opportunity,
}

impl FindingType {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingType::MajorNc => "major-nc",
            FindingType::MinorNc => "minor-nc",
            FindingType::Observation => "observation",
            FindingType::Opportunity => "opportunity",
        }
    }

    pub fn is_nonconformity(self) -> bool {
        matches!(self, FindingType::MajorNc | FindingType::MinorNc)
    }
}

/// Where a finding stands; derived from what is recorded, never written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingStatus {
    Open,
    Analysed,
    ActionPlanned,
    Implemented,
    Verified,
    Closed,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Open => "open",
            FindingStatus::Analysed => "analysed",
            FindingStatus::ActionPlanned => "action-planned",
            FindingStatus::Implemented => "implemented",
            FindingStatus::Verified => "verified",
            FindingStatus::Closed => "closed",
        }
    }

    /// Before effective verification: the nonconformity still stands.
    pub fn is_open(self) -> bool {
        self < FindingStatus::Verified
    }
}

impl Finding {
    /// Closed by accepting its risk, which a major nonconformity may not be (FIND014).
    pub fn closed_by_acceptance(&self) -> bool {
        self.closure.as_ref().is_some_and(Closure::is_risk_accepted)
            && *self.kind.get() != FindingType::MajorNc
    }

    /// open -> analysed -> action-planned -> implemented -> verified -> closed; or closed at
    /// any step by accepting the risk.
    pub fn status(&self) -> FindingStatus {
        let verified = self
            .verification
            .as_ref()
            .is_some_and(|v| *v.effective.get());
        if (self.closure.is_some() && verified) || self.closed_by_acceptance() {
            FindingStatus::Closed
        } else if verified {
            FindingStatus::Verified
        } else if !self.actions.is_empty() && self.actions.iter().all(|a| a.completed_on.is_some())
        {
            FindingStatus::Implemented
        } else if !self.actions.is_empty() {
            FindingStatus::ActionPlanned
        } else if self.root_cause.is_some() {
            FindingStatus::Analysed
        } else {
            FindingStatus::Open
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(extra: &str) -> Finding {
        let text = format!(
            "id = \"F-1\"\naudit = \"IA-1\"\ntype = \"minor-nc\"\nraised_by = \"dave\"\nraised_on = 2026-03-12\n{extra}"
        );
        toml::from_str(&text).unwrap()
    }

    const ROOT: &str = "[root_cause]\nanalysis = \"x\"\nby = \"bob\"\non = 2026-03-20\n";
    const PLANNED: &str = "[[action]]\ndescription = \"x\"\nowner = \"bob\"\ndue = 2026-05-01\n";
    const DONE: &str = "[[action]]\ndescription = \"x\"\nowner = \"bob\"\ndue = 2026-05-01\ncompleted_on = 2026-04-20\n";
    const VERIFIED: &str = "[verification]\nby = \"dave\"\non = 2026-06-01\neffective = true\n";
    const CLOSED: &str = "[closure]\nby = \"dave\"\non = 2026-06-01\n";

    #[test]
    fn status_is_derived_from_the_record() {
        assert_eq!(finding("").status(), FindingStatus::Open);
        assert_eq!(finding(ROOT).status(), FindingStatus::Analysed);
        assert_eq!(
            finding(&format!("{ROOT}{PLANNED}")).status(),
            FindingStatus::ActionPlanned
        );
        assert_eq!(
            finding(&format!("{ROOT}{DONE}{PLANNED}")).status(),
            FindingStatus::ActionPlanned
        );
        assert_eq!(
            finding(&format!("{ROOT}{DONE}")).status(),
            FindingStatus::Implemented
        );
        assert_eq!(
            finding(&format!("{ROOT}{DONE}{VERIFIED}")).status(),
            FindingStatus::Verified
        );
        assert_eq!(
            finding(&format!("{ROOT}{DONE}{VERIFIED}{CLOSED}")).status(),
            FindingStatus::Closed
        );
        let accepted = "[closure]\nby = \"dave\"\non = 2026-06-01\nbasis = \"risk-accepted\"\n";
        assert_eq!(
            finding(&format!("{ROOT}{accepted}")).status(),
            FindingStatus::Closed
        );
        let mut major = finding(&format!("{ROOT}{accepted}"));
        major.kind = Spanned::new(FindingType::MajorNc, 0..0);
        assert_eq!(
            major.status(),
            FindingStatus::Analysed,
            "a major NC is not closed by acceptance"
        );
        let ineffective = VERIFIED.replace("true", "false");
        assert_eq!(
            finding(&format!("{ROOT}{DONE}{ineffective}{CLOSED}")).status(),
            FindingStatus::Implemented
        );
    }
}
