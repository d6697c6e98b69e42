//! isms.toml: the organisation, its scope and the settings every rule reads.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    #[serde(default)]
    pub audit: AuditSettings,
    #[serde(default)]
    pub risk: RiskSettings,
    #[serde(default)]
    pub independence: IndependenceSettings,
    #[serde(default)]
    pub findings: FindingSettings,
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
    pub cycle_months: Spanned<u32>,
    /// The first day of the first cycle.
    pub cycle_start: Option<Spanned<Date>>,
    /// Months between audits of an area, by the area's risk.
    pub frequency_months: Frequency,
    /// An area with an open nonconformity is due again within this many months.
    pub nc_followup_months: Spanned<u32>,
    /// The plan is shared with stakeholders at least this many days before the audit starts.
    pub notice_days: Spanned<u32>,
}

impl Default for AuditSettings {
    fn default() -> Self {
        Self {
            cycle_months: Spanned::new(12, 0..0),
            cycle_start: None,
            frequency_months: Frequency::default(),
            nc_followup_months: Spanned::new(6, 0..0),
            notice_days: Spanned::new(14, 0..0),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Frequency {
    pub high: u32,
    pub medium: u32,
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
    /// Likelihood and impact are scored from 1 to this.
    pub scale: Spanned<u8>,
    /// A residual score (likelihood x impact) above this needs acceptance by the risk owner.
    pub acceptance_threshold: Spanned<u32>,
    /// A risk is reviewed at least this often.
    pub review_months: Spanned<u32>,
}

impl Default for RiskSettings {
    fn default() -> Self {
        Self {
            scale: Spanned::new(5, 0..0),
            acceptance_threshold: Spanned::new(8, 0..0),
            review_months: Spanned::new(12, 0..0),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IndependenceSettings {
    /// How far before an audit's start an auditor's commits to an area count against them.
    pub lookback_months: Spanned<u32>,
    /// Identities (emails) whose commits neither conflict nor count as unknown: bots.
    pub ignore_authors: Vec<Spanned<String>>,
    /// Commits not attributed to anyone (bulk reformatting, imports), one hash a line.
    pub ignore_revs_file: Spanned<String>,
}

impl Default for IndependenceSettings {
    fn default() -> Self {
        Self {
            lookback_months: Spanned::new(24, 0..0),
            ignore_authors: Vec::new(),
            ignore_revs_file: Spanned::new(".isms-ignore-revs".into(), 0..0),
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FindingSettings {
    /// Days after a finding is raised by which its root cause must be analysed.
    pub analysis_days: Spanned<u32>,
    /// Days a major nonconformity may stay open.
    pub major_max_days: Spanned<u32>,
}

impl Default for FindingSettings {
    fn default() -> Self {
        Self {
            analysis_days: Spanned::new(30, 0..0),
            major_max_days: Spanned::new(90, 0..0),
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
