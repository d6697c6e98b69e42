//! isms.toml: the organisation, its scope and the settings every rule reads.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::bounds::{self, MAX_DAYS, MAX_MONTHS, MAX_SCALE};
use super::risk_levels::{AcceptanceByLevel, LevelBounds, ReviewMonths};
use super::{Date, Spanned};

/// The whole of isms.toml.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The organisation and the scope of its ISMS (clause 4.3).
    pub organisation: Organisation,
    #[serde(default)]
    pub framework: Framework,
    /// Regulatory overlays to measure the ISMS against: built-in packs (`gdpr`,
    /// `hipaa-security`, `nis2`, `eu-mdr-cybersecurity`) or packs in `.isms/frameworks/`.
    #[serde(default)]
    pub frameworks: Vec<Spanned<String>>,
    /// The audit programme's settings. `[audits]` is accepted as another name for this table.
    #[serde(default)]
    pub audit: AuditSettings,
    #[serde(default)]
    pub risk: RiskSettings,
    #[serde(default)]
    pub independence: IndependenceSettings,
    #[serde(default)]
    pub findings: FindingSettings,
    #[serde(default)]
    pub management_review: ManagementReviewSettings,
    #[serde(default)]
    pub incidents: IncidentSettings,
    /// Severity per rule code: `"error"`, `"warning"`, `"info"` or `"off"`.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<SeverityOverride>>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Spanned<String>,
    /// The scope statement of the ISMS (4.3).
    pub scope: Spanned<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// The standard the ISMS follows; only `iso27001:2022` is known.
    pub id: Spanned<FrameworkId>,
}

impl Default for Framework {
    fn default() -> Self {
        Self {
            id: Spanned::new(FrameworkId::Iso27001_2022, 0..0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum FrameworkId {
    #[serde(rename = "iso27001:2022")]
    Iso27001_2022,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AuditSettings {
    /// Every requirement clause, applicable control and area is audited once per cycle.
    #[serde(deserialize_with = "bounds::months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub cycle_months: Spanned<u32>,
    /// The first day of the first cycle.
    pub cycle_start: Option<Spanned<Date>>,
    /// Months between audits of an area, by the area's risk.
    pub frequency_months: Frequency,
    /// An area with an open nonconformity is due again within this many months.
    #[serde(deserialize_with = "bounds::months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub nc_followup_months: Spanned<u32>,
    /// The plan is shared with stakeholders at least this many days before the audit starts.
    #[serde(deserialize_with = "bounds::days::<_, 0, 365>")]
    #[schemars(range(min = 0, max = 365))]
    pub notice_days: Spanned<u32>,
    /// The largest share (0 to 1) of a completed audit's assessed checklist items that may be
    /// document reviews (AUD001).
    #[serde(deserialize_with = "bounds::share")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub max_document_review_share: Spanned<f64>,
    /// An auditor's latest auditing competence record (training, certification, supervised
    /// audits) is at most this many years older than the audit (PLAN003).
    pub competence_valid_years: Spanned<u32>,
    /// How `isms new audit` names audits: `IA-{year}-{n:02}` (the default), or by fiscal year,
    /// `IA-FY{fy}-{n:02}` (the fiscal year starts on the day and month of `cycle_start`).
    pub id_format: Spanned<super::IdFormat>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            cycle_months: Spanned::new(12, 0..0),
            cycle_start: None,
            frequency_months: Frequency::default(),
            nc_followup_months: Spanned::new(6, 0..0),
            notice_days: Spanned::new(14, 0..0),
            max_document_review_share: Spanned::new(0.7, 0..0),
            competence_valid_years: Spanned::new(3, 0..0),
            id_format: Spanned::default(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Frequency {
    #[serde(deserialize_with = "bounds::plain_months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub high: u32,
    #[serde(deserialize_with = "bounds::plain_months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub medium: u32,
    #[serde(deserialize_with = "bounds::plain_months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub low: u32,
}

impl Default for Frequency {
    fn default() -> Self {
        Self {
            high: 6,
            medium: 12,
            low: 24,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RiskSettings {
    /// Likelihood and impact are scored from 1 to this, unless `likelihood_scale` or
    /// `impact_scale` says otherwise.
    #[serde(deserialize_with = "bounds::scale")]
    #[schemars(range(min = 2, max = MAX_SCALE))]
    pub scale: Spanned<u8>,
    /// Likelihood is scored from 1 to this (default: `scale`).
    pub likelihood_scale: Option<Spanned<bounds::Scale>>,
    /// Impact is scored from 1 to this (default: `scale`).
    pub impact_scale: Option<Spanned<bounds::Scale>>,
    /// A residual score (likelihood x impact) above this needs acceptance by the risk owner.
    /// At most the highest score. `[risk.acceptance]`, when set, replaces it.
    #[serde(deserialize_with = "bounds::score::<_, 0, 100>")]
    #[schemars(range(min = 0, max = 100))]
    pub acceptance_threshold: Spanned<u32>,
    /// A risk is reviewed at least this often: months, or months by level
    /// (`{ low = 24, medium = 12, high = 6 }`; a level left out: 12).
    pub review_months: Spanned<ReviewMonths>,
    /// The highest residual score each level holds (`low = 6, medium = 12, high = 20`); above
    /// the last: `critical`. Absent: the score range cut in four equal bands.
    pub levels: Option<LevelBounds>,
    /// Who must accept a residual risk of each level (`high = ["owner", "top_management"]`):
    /// `owner`, `top_management` or a person; all entries must be satisfied.
    pub acceptance: Option<AcceptanceByLevel>,
}

impl Default for RiskSettings {
    fn default() -> Self {
        Self {
            scale: Spanned::new(5, 0..0),
            likelihood_scale: None,
            impact_scale: None,
            acceptance_threshold: Spanned::new(8, 0..0),
            review_months: Spanned::new(ReviewMonths::default(), 0..0),
            levels: None,
            acceptance: None,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IndependenceSettings {
    /// How far before an audit's start an auditor's commits to an area count against them.
    #[serde(deserialize_with = "bounds::months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub lookback_months: Spanned<u32>,
    /// Identities (emails) whose commits neither conflict nor count as unknown: bots.
    pub ignore_authors: Vec<Spanned<String>>,
    /// Commits not attributed to anyone (bulk reformatting, imports), one hash a line.
    pub ignore_revs_file: Spanned<String>,
    /// Which commits must carry a valid signature by a key of the person they are attributed
    /// to: none (`off`, the default), those changing records (`records`), or also every
    /// commit touching an area (`all`).
    pub signatures: Spanned<SignatureMode>,
    /// Keys of a hosting platform (GitHub's web-flow key) whose signature vouches for the
    /// author the platform recorded: SSH public key lines or `openpgp:<fingerprint>`.
    pub platform_keys: Vec<Spanned<String>>,
}

/// Which commits must be signed (`[independence] signatures`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SignatureMode {
    /// Signatures are not checked.
    #[default]
    Off,
    /// Commits changing audit records, findings, approvals, risk acceptances, waivers,
    /// exemptions, people.toml and .mailmap.
    Records,
    /// As `records`, and every commit touching an area's paths.
    All,
}

impl SignatureMode {
    /// The setting as written in isms.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureMode::Off => "off",
            SignatureMode::Records => "records",
            SignatureMode::All => "all",
        }
    }
}

impl Default for IndependenceSettings {
    fn default() -> Self {
        Self {
            lookback_months: Spanned::new(24, 0..0),
            ignore_authors: Vec::new(),
            ignore_revs_file: Spanned::new(".isms-ignore-revs".into(), 0..0),
            signatures: Spanned::new(SignatureMode::Off, 0..0),
            platform_keys: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FindingSettings {
    /// Days after a finding is raised by which its root cause must be analysed.
    #[serde(deserialize_with = "bounds::days::<_, 1, MAX_DAYS>")]
    #[schemars(range(min = 1, max = MAX_DAYS))]
    pub analysis_days: Spanned<u32>,
    /// Days a major nonconformity may stay open.
    #[serde(deserialize_with = "bounds::days::<_, 1, MAX_DAYS>")]
    #[schemars(range(min = 1, max = MAX_DAYS))]
    pub major_max_days: Spanned<u32>,
    /// Days after raising by which corrective actions are due, by the nonconformity's assessed
    /// risk: actions appropriate to the effects (10.2).
    pub action_days: ActionDays,
    /// The organisation's finding ratings: each maps to an ISO type and a deadline in months
    /// (`medium = { type = "minor-nc", deadline_months = 12 }`).
    pub ratings: BTreeMap<Spanned<String>, FindingRating>,
}

/// One rating of `[findings.ratings]`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingRating {
    /// The ISO type a finding of this rating has.
    #[serde(rename = "type")]
    pub kind: Spanned<super::FindingType>,
    /// Months after raising by which a finding of this rating is closed, its actions done and
    /// its area re-audited (PROG005, FIND004, FIND008, FIND011).
    #[serde(deserialize_with = "bounds::months::<_, 1, MAX_MONTHS>")]
    #[schemars(range(min = 1, max = MAX_MONTHS))]
    pub deadline_months: Spanned<u32>,
}

impl FindingSettings {
    /// The rating a finding names, when `[findings.ratings]` defines it.
    pub fn rating(&self, name: &str) -> Option<&FindingRating> {
        self.ratings
            .iter()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, r)| r)
    }

    /// The day by which a rated finding is to be closed, its actions done and its area
    /// re-audited, with the rating's months; `None` for a finding without a defined rating.
    pub fn deadline(&self, finding: &super::Finding) -> Option<(Date, u32)> {
        let rating = self.rating(finding.rating.as_ref()?.as_str())?;
        let months = *rating.deadline_months.get();
        Some((
            finding.raised_on.get().add_months(i64::from(months)),
            months,
        ))
    }
}

impl Config {
    /// Months after raising by which the area of an open nonconformity is re-audited: its
    /// rating's deadline, else `[audit] nc_followup_months`.
    pub fn followup_months(&self, finding: &super::Finding) -> u32 {
        self.findings
            .deadline(finding)
            .map_or(*self.audit.nc_followup_months.get(), |(_, months)| months)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ActionDays {
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl Default for ActionDays {
    fn default() -> Self {
        Self {
            high: 30,
            medium: 90,
            low: 180,
        }
    }
}

impl Default for FindingSettings {
    fn default() -> Self {
        Self {
            analysis_days: Spanned::new(30, 0..0),
            major_max_days: Spanned::new(90, 0..0),
            action_days: ActionDays::default(),
            ratings: BTreeMap::new(),
        }
    }
}

/// `[management_review]`: how often top management reviews the ISMS (9.3.1).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ManagementReviewSettings {
    /// Months within which the next management review must be held.
    pub interval_months: Spanned<u32>,
}

impl Default for ManagementReviewSettings {
    fn default() -> Self {
        Self {
            interval_months: Spanned::new(12, 0..0),
        }
    }
}

/// `[incidents]`: which incidents need a post-incident review and a validating audit.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IncidentSettings {
    /// Incidents of this severity or above need a post-incident review.
    pub review_severity: Spanned<super::IncidentSeverity>,
    /// Days after resolution by which the review must be held.
    pub review_days: Spanned<u32>,
    /// Months after the review by which an audit must have validated the changes.
    pub audit_months: Spanned<u32>,
}

impl Default for IncidentSettings {
    fn default() -> Self {
        Self {
            review_severity: Spanned::new(super::IncidentSeverity::High, 0..0),
            review_days: Spanned::new(30, 0..0),
            audit_months: Spanned::new(6, 0..0),
        }
    }
}

/// What `[rules]` may set a rule's severity to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityOverride {
    Error,
    Warning,
    Info,
    Off,
}
