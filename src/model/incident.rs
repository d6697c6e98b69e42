//! incidents/<ID>.toml: an information security incident and its post-incident review (A.5.24-A.5.28).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AreaId, AuditId, ControlId, Date, FindingId, IncidentId, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Incident {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<IncidentId>,
    pub title: Spanned<String>,
    pub severity: Spanned<IncidentSeverity>,
    pub detected_on: Spanned<Date>,
    pub resolved_on: Option<Spanned<Date>>,
    /// The areas the incident affected; they are audited more often (PROG006).
    #[serde(default)]
    pub areas: Vec<Spanned<AreaId>>,
    /// The Annex A controls that failed or were involved.
    #[serde(default)]
    pub controls: Vec<Spanned<ControlId>>,
    pub summary: Option<Spanned<String>>,
    /// The post-incident review (A.5.27).
    pub review: Option<IncidentReview>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncidentReview {
    pub on: Spanned<Date>,
    pub by: Spanned<PersonId>,
    pub lessons: Option<Spanned<String>>,
    /// Findings raised from the review.
    #[serde(default)]
    pub findings: Vec<Spanned<FindingId>>,
    /// The audit that validated the changes, once done.
    pub audit: Option<Spanned<AuditId>>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum IncidentSeverity {
    Low,
    Medium,
    High,
    Critical,
}

impl IncidentSeverity {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentSeverity::Low => "low",
            IncidentSeverity::Medium => "medium",
            IncidentSeverity::High => "high",
            IncidentSeverity::Critical => "critical",
        }
    }
}

impl Incident {
    /// Whether the incident is high or critical: those raise their areas' audit frequency
    /// (PROG006) and need an audit validating their changes (INC002).
    pub fn is_serious(&self) -> bool {
        *self.severity.get() >= IncidentSeverity::High
    }

    /// The incidents of `area` detected in the twelve months before `today`, for PROG006: an
    /// area with a high or critical incident is audited as if its risk were one level higher.
    pub fn serious_in_area<'a>(
        incidents: &'a [Incident],
        area: &'a str,
        today: Date,
    ) -> impl Iterator<Item = &'a Incident> + 'a {
        let since = today.add_months(-12);
        incidents.iter().filter(move |i| {
            i.is_serious()
                && *i.detected_on.get() >= since
                && *i.detected_on.get() <= today
                && i.areas.iter().any(|a| a.as_str() == area)
        })
    }
}
