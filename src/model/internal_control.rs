//! controls.toml: the organisation's own control catalogue, each control mapped to the Annex A
//! controls it implements (many to many) and to other frameworks, as organisations with a
//! control framework of their own (SOC 2 beside ISO/IEC 27001) keep it.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, InternalControlId, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InternalControl {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    /// The organisation's id, such as `IAM.1.02`; never an Annex A id.
    pub id: Spanned<InternalControlId>,
    pub title: Spanned<String>,
    /// A person or a team.
    pub owner: Option<Spanned<PersonId>>,
    /// The Annex A controls it implements, in part or in full.
    #[serde(default)]
    pub annex_a: Vec<Spanned<ControlId>>,
    /// Its ids in other frameworks, by framework: `{ soc2 = ["CC6.1"], nist-800-53 = ["AC-2"] }`.
    #[serde(default)]
    pub frameworks: BTreeMap<String, Vec<Spanned<String>>>,
    /// How often it is tested, in months.
    #[serde(
        default,
        deserialize_with = "super::bounds::optional_months::<_, 1, { super::bounds::MAX_MONTHS }>"
    )]
    #[schemars(range(min = 1, max = super::bounds::MAX_MONTHS))]
    pub frequency_months: Option<Spanned<u32>>,
}
