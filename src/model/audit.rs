//! The audit programme and each audit's plan, checklist and report (9.2).

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    AreaId, AuditId, ClauseId, ControlId, Date, FindingId, Origin, PersonId, RequirementRef,
    Spanned,
};

/// audits/programme.toml.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeFile {
    pub programme: Programme,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    /// Who manages the programme (9.2.2).
    pub owner: Spanned<PersonId>,
    #[serde(default)]
    pub objectives: Vec<Spanned<String>>,
    #[serde(default)]
    pub criteria: Vec<Spanned<String>>,
    #[serde(default)]
    pub methods: Vec<Spanned<Method>>,
}

/// One audit: the folder audits/<ID>/ and what it holds.
#[derive(Clone, Debug)]
pub struct Audit {
    pub id: AuditId,
    pub plan: Option<Plan>,
    pub checklist: Option<Checklist>,
    pub report: Option<Report>,
}

/// audits/<ID>/plan.toml.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<AuditId>,
    pub title: Spanned<String>,
    /// Who performs the audit: `internal` (the default) counts for the programme (9.2); the
    /// others are performed by outsiders and keep their records and findings only.
    #[serde(default)]
    pub kind: Spanned<AuditKind>,
    /// For an external audit: the person of the ISMS team who transcribed its records.
    pub transcribed_by: Option<Spanned<PersonId>>,
    pub objectives: Option<Spanned<String>>,
    #[serde(default)]
    pub criteria: Vec<Spanned<String>>,
    #[serde(default)]
    pub areas: Vec<Spanned<AreaId>>,
    #[serde(default)]
    pub clauses: Vec<Spanned<ClauseId>>,
    /// The controls in scope; the audited areas' controls when absent.
    pub controls: Option<Vec<Spanned<ControlId>>>,
    pub lead: Spanned<PersonId>,
    #[serde(default)]
    pub team: Vec<Spanned<PersonId>>,
    pub start: Spanned<Date>,
    pub end: Spanned<Date>,
    #[serde(default)]
    pub methods: Vec<Spanned<Method>>,
    pub resources: Option<Spanned<String>>,
    /// Stakeholders the plan was shared with: people, or teams (whose lead answers for them).
    #[serde(default)]
    pub notified: Vec<Spanned<PersonId>>,
    pub notified_on: Option<Spanned<Date>>,
    /// Documented, approved exceptions to impartiality.
    #[serde(default, rename = "waiver")]
    pub waivers: Vec<Waiver>,
}

/// Who performs an audit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum AuditKind {
    /// By the organisation's own auditors: counts for 9.2 coverage and the programme.
    #[default]
    Internal,
    /// A certification body's initial (stage 1 and 2) or recertification audit.
    Certification,
    /// A certification body's surveillance audit.
    Surveillance,
    /// By or for a customer.
    Customer,
    /// Of a supplier, by the organisation or on its behalf.
    Supplier,
    /// Any other audit by outsiders (SOC 2 examination, regulator).
    OtherExternal,
}

impl AuditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::Internal => "internal",
            AuditKind::Certification => "certification",
            AuditKind::Surveillance => "surveillance",
            AuditKind::Customer => "customer",
            AuditKind::Supplier => "supplier",
            AuditKind::OtherExternal => "other-external",
        }
    }
}

impl Plan {
    /// Whether the organisation's own auditors perform it: only these count for 9.2 coverage,
    /// the programme's due dates, and the rules on internal audit records.
    pub fn is_internal(&self) -> bool {
        *self.kind.get() == AuditKind::Internal
    }

    /// The lead and the team, lead first.
    pub fn auditors(&self) -> impl Iterator<Item = &Spanned<PersonId>> {
        std::iter::once(&self.lead).chain(self.team.iter())
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub auditor: Spanned<PersonId>,
    pub area: Spanned<AreaId>,
    pub reason: Spanned<String>,
    /// Top management, and not the waived auditor.
    pub approved_by: Spanned<PersonId>,
    pub approved_on: Spanned<Date>,
}

/// audits/<ID>/checklist.toml.
#[derive(Clone, Debug, Default)]
pub struct Checklist {
    pub origin: Origin,
    pub items: Vec<ChecklistItem>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    /// A control or clause in the audit's scope.
    #[serde(rename = "ref")]
    pub reference: Spanned<RequirementRef>,
    pub question: Spanned<String>,
    pub method: Spanned<Method>,
    #[serde(default)]
    pub result: Spanned<ItemResult>,
    /// Objective evidence: what was sampled, seen or tested.
    pub evidence: Option<Spanned<String>>,
    pub finding: Option<Spanned<FindingId>>,
    /// Why a `not-assessed` item was not assessed (time, access, moved to another audit).
    pub reason: Option<Spanned<String>>,
    /// The maturity of the control the auditor assessed (0 to 5).
    pub maturity: Option<Spanned<super::Maturity>>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    DocumentReview,
    Interview,
    Observation,
    TechnicalTest,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::DocumentReview => "document-review",
            Method::Interview => "interview",
            Method::Observation => "observation",
            Method::TechnicalTest => "technical-test",
        }
    }
}

#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ItemResult {
    Conforming,
    Nonconformity,
    Observation,
    Opportunity,
    #[default]
    NotAssessed,
}

impl ItemResult {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemResult::Conforming => "conforming",
            ItemResult::Nonconformity => "nonconformity",
            ItemResult::Observation => "observation",
            ItemResult::Opportunity => "opportunity",
            ItemResult::NotAssessed => "not-assessed",
        }
    }
}

/// audits/<ID>/report.md: front matter and the level-2 sections of the body.
#[derive(Clone, Debug)]
pub struct Report {
    pub origin: Origin,
    pub front: ReportFront,
    pub sections: Vec<Section>,
    pub body_start: usize,
    /// Template text left in the body, outside code (DOC006 in required sections).
    pub placeholders: Vec<super::Placeholder>,
}

/// A level-2 heading of a Markdown body and its byte span in the file.
#[derive(Clone, Debug)]
pub struct Section {
    pub title: String,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportFront {
    pub audit: Spanned<AuditId>,
    pub date: Spanned<Date>,
    pub conclusion: Spanned<Conclusion>,
    /// Who the report was sent to: people, or teams (a team's lead answers for it).
    #[serde(default)]
    pub distributed_to: Vec<Spanned<PersonId>>,
    pub distributed_on: Option<Spanned<Date>>,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Conclusion {
    Effective,
    EffectiveWithExceptions,
    NotEffective,
}

impl Conclusion {
    /// The conclusion in words, as reports and exports print it.
    pub fn words(self) -> &'static str {
        match self {
            Conclusion::Effective => "effective",
            Conclusion::EffectiveWithExceptions => "effective with exceptions",
            Conclusion::NotEffective => "not effective",
        }
    }
}
