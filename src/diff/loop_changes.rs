//! The records that close the loop in `isms diff`: management reviews, their decisions,
//! objectives and their results, incidents.

use std::fmt::Write as _;

use serde::Serialize;

use super::{ChangeKind, ObjectChange, objects};
use crate::model::{Isms, ManagementReview};

/// A decision of a management review that the change recorded or completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionChange {
    /// `MR-2026-10#2`: the review's id and the decision's number.
    pub decision: String,
    pub description: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// `added`: recorded by the change; `changed`: completed (or otherwise edited) by it.
    pub change: ChangeKind,
    pub completed_on: Option<String>,
}

/// An evaluation of an objective that the change recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResultChange {
    pub objective: String,
    pub on: String,
    pub value: String,
    pub met: bool,
}

/// What the change did to management reviews, objectives and incidents.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LoopChanges {
    pub management_reviews: Vec<ObjectChange>,
    pub decisions: Vec<DecisionChange>,
    pub objectives: Vec<ObjectChange>,
    pub objective_results: Vec<ResultChange>,
    pub incidents: Vec<ObjectChange>,
}

impl LoopChanges {
    pub fn is_empty(&self) -> bool {
        self.management_reviews.is_empty()
            && self.decisions.is_empty()
            && self.objectives.is_empty()
            && self.objective_results.is_empty()
            && self.incidents.is_empty()
    }
}

fn decisions(base: &Isms, head: &Isms) -> Vec<DecisionChange> {
    let mut out = Vec::new();
    for review in &head.management_reviews {
        let before: Option<&ManagementReview> = base.management_review(review.id.as_str());
        for (n, d) in review.decisions.iter().enumerate() {
            let old = before.and_then(|b| b.decisions.get(n));
            let change = match old {
                None => ChangeKind::Added,
                Some(o) if super::value(o) != super::value(d) => ChangeKind::Changed,
                Some(_) => continue,
            };
            out.push(DecisionChange {
                decision: format!("{}#{}", review.id.as_str(), n + 1),
                description: d.description.get().trim().to_string(),
                owner: d.owner.as_ref().map(|o| o.to_string()),
                due: d.due.as_ref().map(|x| x.get().to_string()),
                change,
                completed_on: d.completed_on.as_ref().map(|x| x.get().to_string()),
            });
        }
    }
    out
}

fn results(base: &Isms, head: &Isms) -> Vec<ResultChange> {
    let mut out = Vec::new();
    for o in &head.objectives {
        let before = base.objective(o.id.as_str());
        for r in &o.results {
            let known = before
                .is_some_and(|b| b.results.iter().any(|x| super::value(x) == super::value(r)));
            if !known {
                out.push(ResultChange {
                    objective: o.id.to_string(),
                    on: r.on.get().to_string(),
                    value: r.value.get().clone(),
                    met: *r.met.get(),
                });
            }
        }
    }
    out
}

/// Compares the loop records of BASE and HEAD.
pub fn diff(base: &Isms, head: &Isms) -> LoopChanges {
    LoopChanges {
        management_reviews: objects(
            &base.management_reviews,
            &head.management_reviews,
            |r| r.id.to_string(),
            |r| format!("held on {}", r.date.get()),
        ),
        decisions: decisions(base, head),
        objectives: objects(
            &base.objectives,
            &head.objectives,
            |o| o.id.to_string(),
            |o| o.title.get().clone(),
        ),
        objective_results: results(base, head),
        incidents: objects(
            &base.incidents,
            &head.incidents,
            |i| i.id.to_string(),
            |i| format!("{}, {}", i.severity.get().as_str(), i.title.get()),
        ),
    }
}

/// The Markdown sections of the loop records.
pub(super) fn markdown(md: &mut String, c: &LoopChanges, cell: fn(&str) -> String) {
    super::report::objects_md(md, "Management reviews", &c.management_reviews);
    if !c.decisions.is_empty() {
        md.push_str("### Management review decisions\n\n| Decision | | Owner | Due | Completed |\n|---|---|---|---|---|\n");
        for d in &c.decisions {
            let what = match d.change {
                ChangeKind::Added => "recorded",
                _ => "updated",
            };
            let _ = writeln!(
                md,
                "| `{}` {what} | {} | {} | {} | {} |",
                d.decision,
                cell(&d.description),
                cell(d.owner.as_deref().unwrap_or("")),
                d.due.as_deref().unwrap_or(""),
                d.completed_on.as_deref().unwrap_or("")
            );
        }
        md.push('\n');
    }
    super::report::objects_md(md, "Objectives", &c.objectives);
    if !c.objective_results.is_empty() {
        md.push_str(
            "### Objective results\n\n| Objective | On | Value | Target met |\n|---|---|---|---|\n",
        );
        for r in &c.objective_results {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} |",
                r.objective,
                r.on,
                cell(&r.value),
                if r.met { "yes" } else { "**no**" }
            );
        }
        md.push('\n');
    }
    super::report::objects_md(md, "Incidents", &c.incidents);
}
