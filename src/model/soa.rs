//! soa.toml: the Statement of Applicability, one entry per Annex A control (6.1.3 d).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, DocumentId, InternalControlId, Origin, PersonId, RiskId, Spanned};

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
    /// Evidence: files relative to the ISMS root, web addresses (`https://...`) or records in a
    /// compliance tool (`tool:ID`, such as `hyperproof:CTL-123`).
    #[serde(default)]
    pub evidence: Vec<Spanned<String>>,
    /// The organisation's own controls (controls.toml) through which it is implemented.
    #[serde(default)]
    pub implemented_by: Vec<Spanned<InternalControlId>>,
    /// The maturity the control has reached, as the organisation claims it.
    pub maturity: Option<Spanned<Maturity>>,
    /// The maturity the organisation aims for.
    pub target_maturity: Option<Spanned<Maturity>>,
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

/// A control's maturity: 0 none, 1 initial, 2 managed, 3 defined, 4 measured, 5 optimising.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Maturity(u8);

impl Maturity {
    const NAMES: [&'static str; 6] = [
        "none",
        "initial",
        "managed",
        "defined",
        "measured",
        "optimising",
    ];

    pub fn new(level: u8) -> Option<Self> {
        (usize::from(level) < Self::NAMES.len()).then_some(Self(level))
    }

    pub fn level(self) -> u8 {
        self.0
    }

    /// The level's name, such as `managed`.
    pub fn name(self) -> &'static str {
        Self::NAMES[usize::from(self.0)]
    }
}

impl<'de> Deserialize<'de> for Maturity {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let level = i64::deserialize(deserializer)?;
        u8::try_from(level).ok().and_then(Maturity::new).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "maturity `{level}` is not a level from 0 to 5 (0 none, 1 initial, 2 managed, 3 defined, 4 measured, 5 optimising)"
            ))
        })
    }
}

impl JsonSchema for Maturity {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Maturity".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 0,
            "maximum": 5,
            "description": "0 none, 1 initial, 2 managed, 3 defined, 4 measured, 5 optimising"
        })
    }
}
