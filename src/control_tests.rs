//! The test history of the organisation's own controls: every checklist item that names an
//! internal control, with its audit, day and result, and when each control is next due by its
//! `frequency_months`. Pure functions of the model and a day, read by PROG008, the site's
//! control pages and `isms export controls`.
//!
//! - A control is *tested* by an assessed item (a result other than `not-assessed`, with
//!   evidence) that names it, in a completed audit of any kind: a SOC 2 examiner's test of the
//!   control counts as much as an internal auditor's.
//! - The day of a test is the last day of its audit (`end` of the plan).
//! - A control is next due `frequency_months` after its latest test; never tested, after the
//!   first audit cycle's start.

use serde::Serialize;

use crate::coverage::{self, AuditState};
use crate::model::{Date, InternalControl, Isms, ItemResult, Method};

/// One checklist item that names an internal control.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ControlTest {
    pub audit: String,
    /// `internal`, `certification`, `customer`, ...
    pub kind: &'static str,
    /// The last day of the audit.
    pub on: Date,
    pub state: AuditState,
    pub method: Method,
    pub result: ItemResult,
    pub finding: Option<String>,
    /// Whether it counts as a test: assessed, with evidence, in a completed audit.
    pub counts: bool,
}

/// Every item naming `control`, oldest first (then by audit id).
pub fn history(isms: &Isms, control: &str, today: Date) -> Vec<ControlTest> {
    let mut tests = Vec::new();
    for audit in &isms.audits {
        let (Some(plan), Some(checklist)) = (&audit.plan, &audit.checklist) else {
            continue;
        };
        let Some(state) = coverage::state(audit, today) else {
            continue;
        };
        for item in checklist
            .items
            .iter()
            .filter(|i| i.reference.as_str() == control)
        {
            let result = *item.result.get();
            let evidenced = item.evidence.as_ref().is_some_and(|e| !e.trim().is_empty());
            tests.push(ControlTest {
                audit: audit.id.to_string(),
                kind: plan.kind.get().as_str(),
                on: *plan.end.get(),
                state,
                method: *item.method.get(),
                result,
                finding: item.finding.as_ref().map(|f| f.to_string()),
                counts: state == AuditState::Completed
                    && result != ItemResult::NotAssessed
                    && evidenced,
            });
        }
    }
    tests.sort_by(|a, b| (a.on, &a.audit).cmp(&(b.on, &b.audit)));
    tests
}

/// The latest test that counts.
pub fn last_tested(tests: &[ControlTest]) -> Option<&ControlTest> {
    tests.iter().rev().find(|t| t.counts)
}

/// When `control` is next to be tested, by its `frequency_months`; `None` without one.
pub fn next_due(
    isms: &Isms,
    control: &InternalControl,
    tests: &[ControlTest],
    today: Date,
) -> Option<Date> {
    let months = i64::from(*control.frequency_months.as_ref()?.get());
    let from = match last_tested(tests) {
        Some(test) => test.on,
        None => coverage::first_cycle_start(isms.config_or_default(), today),
    };
    Some(from.add_months(months))
}
