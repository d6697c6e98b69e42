//! Coverage of the audit cycle as the pages show it: a view of [`crate::coverage`], the same
//! computation `isms check` prints, so the dashboard and the check never disagree.

use std::collections::BTreeMap;

use crate::catalog;
use crate::coverage as shared;
use crate::model::{Date, Isms, Plan};

/// The audit cycle that holds `today`, `[start, end)`.
#[derive(Clone, Copy, Debug)]
pub struct Cycle {
    pub start: Date,
    pub end: Date,
}

#[derive(Debug)]
pub struct Coverage {
    pub cycle: Option<Cycle>,
    /// Requirement clause -> audits of the cycle that cover it.
    pub clauses: BTreeMap<String, Vec<String>>,
    /// Applicable control -> audits of the cycle that cover it.
    pub controls: BTreeMap<String, Vec<String>>,
    pub areas: Vec<AreaDue>,
    /// Clauses, controls and areas covered, counted as `isms check` counts them.
    pub counts: [shared::Count; 3],
}

#[derive(Debug)]
pub struct AreaDue {
    pub area: String,
    /// The last audit that ended on or before today, with its end.
    pub last: Option<(String, Date)>,
    /// The next audit planned to start after today.
    pub planned: Option<(String, Date)>,
    pub next_due: Date,
}

/// The controls an audit covers (its `controls`, else its areas' controls), in catalogue order.
pub fn plan_controls(isms: &Isms, plan: &Plan) -> Vec<String> {
    let catalog = catalog::iso27001();
    let mut out: Vec<String> = shared::scope(isms, plan)
        .controls
        .into_iter()
        .map(str::to_string)
        .collect();
    out.sort_by_key(|c| (catalog.control_index(c).unwrap_or(usize::MAX), c.clone()));
    out.dedup();
    out
}

/// The clauses an audit covers: those its plan names, as the coverage counts them.
pub fn plan_clauses(isms: &Isms, plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = shared::scope(isms, plan)
        .clauses
        .into_iter()
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Coverage as of `today`.
pub fn of(isms: &Isms, today: Date) -> Coverage {
    let config = isms.config.clone().unwrap_or_default();
    let cycle = shared::current_cycle(&config, today);
    let covered = shared::coverage(isms, catalog::iso27001(), cycle, today);
    let audits = |items: &[shared::Item]| -> BTreeMap<String, Vec<String>> {
        items
            .iter()
            .map(|i| {
                let ids = i.audited_by.iter().chain(&i.planned_in).cloned().collect();
                (i.id.clone(), ids)
            })
            .collect()
    };
    let dues = shared::next_due(isms, &config, today);
    let areas = isms
        .areas
        .iter()
        .filter_map(|area| {
            let id = area.id.as_str();
            let due = dues.iter().find(|d| d.area == id)?;
            let last = isms
                .audits
                .iter()
                .filter(|a| shared::state(a, today) == Some(shared::AuditState::Completed))
                .filter_map(|a| a.plan.as_ref())
                .filter(|p| p.areas.iter().any(|x| x.as_str() == id))
                .map(|p| (p.id.as_str().to_string(), *p.end.get()))
                .max_by(|a, b| a.1.cmp(&b.1));
            Some(AreaDue {
                area: id.to_string(),
                last,
                planned: due.planned.as_ref().map(|p| (p.audit.clone(), p.start)),
                next_due: due.due,
            })
        })
        .collect();
    Coverage {
        // The pages read the cycle as [start, end).
        cycle: Some(Cycle {
            start: cycle.start,
            end: cycle.end.add_days(1),
        }),
        clauses: audits(&covered.clauses),
        controls: audits(&covered.controls),
        areas,
        counts: [
            covered.clause_count(),
            covered.control_count(),
            covered.area_count(),
        ],
    }
}
