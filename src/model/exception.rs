//! exceptions/<ID>.toml: a time-limited, approved exception to a control or policy (a control
//! not applied as the SoA says, with compensating controls), as organisations record them
//! instead of leaving the gap unwritten.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ControlId, Date, ExceptionId, OneOrMany, Origin, PersonId, ResidualLevel, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    /// Such as `EXC-2026-001`.
    pub id: Spanned<ExceptionId>,
    /// The control excepted: an Annex A control (`A.8.5`) or one of controls.toml (`IAM.1.02`).
    pub control: Spanned<ControlId>,
    /// Why the control cannot be applied as written, for now.
    pub reason: Spanned<String>,
    /// The controls that reduce the risk meanwhile (Annex A or internal control ids).
    #[serde(default)]
    pub compensating_controls: Vec<Spanned<ControlId>>,
    /// The level of the risk the exception leaves, a level of `[risk.levels]`: it decides who
    /// must approve it (`[risk.acceptance]`, EXC002).
    pub risk: Spanned<ResidualLevel>,
    /// Who approved it: one person or a list (everyone `[risk.acceptance]` asks for at its level).
    #[serde(default)]
    pub approved_by: OneOrMany<PersonId>,
    pub approved_on: Option<Spanned<Date>>,
    /// The last day it applies; after it, the control applies again or the exception is renewed
    /// (a new approval and a later `expires_on`), else EXC001.
    pub expires_on: Spanned<Date>,
}

impl Exception {
    /// Whether it has expired on `today` (it still applies on its `expires_on`).
    pub fn is_expired(&self, today: Date) -> bool {
        *self.expires_on.get() < today
    }

    /// Whether someone approved it on a recorded day.
    pub fn is_approved(&self) -> bool {
        !self.approved_by.is_empty() && self.approved_on.is_some()
    }

    /// The days from `today` to its last day (negative once expired), for listings with expiry.
    pub fn days_left(&self, today: Date) -> i64 {
        today.days_until(*self.expires_on.get())
    }
}
