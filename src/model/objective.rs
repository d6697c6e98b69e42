//! objectives.toml: the information security objectives, measurable, with their results (6.2, 9.1).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, ObjectiveId, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    pub id: Spanned<ObjectiveId>,
    pub title: Spanned<String>,
    pub owner: Option<Spanned<PersonId>>,
    /// What is measured.
    pub measure: Option<Spanned<String>>,
    /// The value to reach, such as `>= 98%`.
    pub target: Option<Spanned<String>>,
    /// How it is measured (9.1 b).
    pub method: Option<Spanned<String>>,
    /// Months between two evaluations (9.1 c); 12 when absent.
    pub frequency_months: Option<Spanned<u32>>,
    /// When the target is to be reached (6.2 k).
    pub due: Option<Spanned<Date>>,
    /// The evaluations, oldest first.
    #[serde(default, rename = "result")]
    pub results: Vec<ObjectiveResult>,
}

/// One evaluation of an objective (9.1 e, f).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveResult {
    pub on: Spanned<Date>,
    pub value: Spanned<String>,
    /// Whether the target was met by this result.
    pub met: Spanned<bool>,
}

impl Objective {
    /// The most recent evaluation, by date.
    pub fn latest_result(&self) -> Option<&ObjectiveResult> {
        self.results.iter().max_by_key(|r| *r.on.get())
    }
}
