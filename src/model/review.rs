//! management-reviews/<ID>.toml: top management's review of the ISMS, its inputs and decisions (9.3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AuditId, Date, FindingId, ObjectiveId, Origin, PersonId, ReviewId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ManagementReview {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<ReviewId>,
    /// The day the review was held.
    pub date: Spanned<Date>,
    pub chair: Option<Spanned<PersonId>>,
    /// Who attended; at least one of them is top management (9.3.1).
    #[serde(default)]
    pub attendees: Vec<Spanned<PersonId>>,
    /// Audit reports distributed since the previous review (9.3.2 d 3).
    #[serde(default)]
    pub audits_reviewed: Vec<Spanned<AuditId>>,
    #[serde(default)]
    pub findings_reviewed: Vec<Spanned<FindingId>>,
    #[serde(default)]
    pub objectives_reviewed: Vec<Spanned<ObjectiveId>>,
    /// The inputs 9.3.2 a) to g), each a short text.
    pub inputs: Option<ReviewInputs>,
    /// The decisions and actions of the review (9.3.3).
    #[serde(default, rename = "decision")]
    pub decisions: Vec<Decision>,
}

/// The inputs 9.3.2 requires the review to consider.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInputs {
    /// a) status of actions from previous management reviews.
    pub previous_actions: Option<Spanned<String>>,
    /// b) changes in external and internal issues relevant to the ISMS.
    pub changes_in_issues: Option<Spanned<String>>,
    /// c) changes in needs and expectations of interested parties.
    pub interested_parties: Option<Spanned<String>>,
    /// d) information security performance: nonconformities, monitoring, audit results, objectives.
    pub performance: Option<Spanned<String>>,
    /// e) feedback from interested parties.
    pub feedback: Option<Spanned<String>>,
    /// f) results of risk assessment and status of the risk treatment plan.
    pub risk: Option<Spanned<String>>,
    /// g) opportunities for continual improvement.
    pub improvement: Option<Spanned<String>>,
}

impl ReviewInputs {
    /// Each input with its field name and its letter in 9.3.2, in the standard's order.
    pub fn all(&self) -> [(&'static str, &'static str, Option<&Spanned<String>>); 7] {
        [
            ("a)", "previous_actions", self.previous_actions.as_ref()),
            ("b)", "changes_in_issues", self.changes_in_issues.as_ref()),
            ("c)", "interested_parties", self.interested_parties.as_ref()),
            ("d)", "performance", self.performance.as_ref()),
            ("e)", "feedback", self.feedback.as_ref()),
            ("f)", "risk", self.risk.as_ref()),
            ("g)", "improvement", self.improvement.as_ref()),
        ]
    }
}

/// A decision or action of a management review (9.3.3): recorded like a finding's corrective
/// action, with an owner, a due date and its completion.
pub type Decision = super::Action;
