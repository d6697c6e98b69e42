//! Coverage of the audit cycle, computed from the plans alone: which clauses, controls and
//! areas the cycle's audits cover, and when each area is next due.
//!
//! This is the one function the dashboard and the programme page read coverage from; the
//! lifecycle work's coverage module can replace [`of`] without touching the pages.

use std::collections::BTreeMap;

use crate::catalog;
use crate::model::{Date, Isms, Plan, RiskLevel};

/// The audit cycle that holds `today`, `[start, end)`.
#[derive(Clone, Copy, Debug)]
pub struct Cycle {
    pub start: Date,
    pub end: Date,
}

#[derive(Debug, Default)]
pub struct Coverage {
    pub cycle: Option<Cycle>,
    /// Requirement clause -> audits of the cycle that cover it.
    pub clauses: BTreeMap<String, Vec<String>>,
    /// Applicable control -> audits of the cycle that cover it.
    pub controls: BTreeMap<String, Vec<String>>,
    pub areas: Vec<AreaDue>,
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

/// The controls an audit covers: its `controls`, else its areas' controls.
pub fn plan_controls(isms: &Isms, plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = match &plan.controls {
        Some(list) => list.iter().map(|c| c.as_str().to_string()).collect(),
        None => plan
            .areas
            .iter()
            .filter_map(|a| isms.area(a.as_str()))
            .flat_map(|a| a.controls.iter().map(|c| c.as_str().to_string()))
            .collect(),
    };
    let catalog = catalog::iso27001();
    out.sort_by_key(|c| (catalog.control_index(c).unwrap_or(usize::MAX), c.clone()));
    out.dedup();
    out
}

/// The clauses an audit covers: its own and those its areas answer for.
pub fn plan_clauses(isms: &Isms, plan: &Plan) -> Vec<String> {
    let mut out: Vec<String> = plan
        .clauses
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    for area in plan.areas.iter().filter_map(|a| isms.area(a.as_str())) {
        out.extend(area.clauses.iter().map(|c| c.as_str().to_string()));
    }
    out.sort();
    out.dedup();
    out
}

fn cycle(isms: &Isms, today: Date) -> Option<Cycle> {
    let config = isms.config.as_ref()?;
    let months = i64::from((*config.audit.cycle_months.get()).max(1));
    let mut start = *config.audit.cycle_start.as_ref()?.get();
    while start.add_months(months) <= today {
        start = start.add_months(months);
    }
    Some(Cycle {
        start,
        end: start.add_months(months),
    })
}

/// Coverage as of `today`.
pub fn of(isms: &Isms, today: Date) -> Coverage {
    let cycle = cycle(isms, today);
    let mut cov = Coverage {
        cycle,
        ..Coverage::default()
    };
    let catalog = catalog::iso27001();
    for clause in catalog.requirement_clauses() {
        cov.clauses.insert(clause.id.clone(), Vec::new());
    }
    for entry in isms.soa.iter().filter(|c| c.is_applicable()) {
        cov.controls
            .insert(entry.id.as_str().to_string(), Vec::new());
    }
    let mut plans: Vec<&Plan> = isms.audits.iter().filter_map(|a| a.plan.as_ref()).collect();
    plans.sort_by(|a, b| (a.start.get(), a.id.as_str()).cmp(&(b.start.get(), b.id.as_str())));
    for plan in &plans {
        let in_cycle =
            cycle.is_none_or(|c| c.start <= *plan.start.get() && *plan.start.get() < c.end);
        if !in_cycle {
            continue;
        }
        let id = plan.id.as_str().to_string();
        for clause in plan_clauses(isms, plan) {
            // A clause covers its sub-clauses' requirements: 9.2 covers 9.2.1 and 9.2.2.
            for (key, audits) in cov.clauses.iter_mut() {
                if (*key == clause || key.starts_with(&format!("{clause}.")))
                    && !audits.contains(&id)
                {
                    audits.push(id.clone());
                }
            }
        }
        for control in plan_controls(isms, plan) {
            if let Some(audits) = cov.controls.get_mut(&control) {
                audits.push(id.clone());
            }
        }
    }
    let frequency = isms
        .config
        .as_ref()
        .map(|c| c.audit.frequency_months.clone());
    for area in &isms.areas {
        let months = match (&frequency, *area.risk.get()) {
            (Some(f), RiskLevel::High) => f.high,
            (Some(f), RiskLevel::Medium) => f.medium,
            (Some(f), RiskLevel::Low) => f.low,
            (None, _) => 12,
        };
        let covering = plans
            .iter()
            .filter(|p| p.areas.iter().any(|a| a.as_str() == area.id.as_str()));
        let last = covering
            .clone()
            .filter(|p| *p.end.get() <= today)
            .map(|p| (p.id.as_str().to_string(), *p.end.get()))
            .max_by(|a, b| a.1.cmp(&b.1));
        let planned = covering
            .filter(|p| *p.end.get() > today)
            .map(|p| (p.id.as_str().to_string(), *p.start.get()))
            .min_by(|a, b| a.1.cmp(&b.1));
        let base = last
            .as_ref()
            .map(|l| l.1)
            .or(cycle.map(|c| c.start))
            .unwrap_or(today);
        cov.areas.push(AreaDue {
            area: area.id.as_str().to_string(),
            last,
            planned,
            next_due: base.add_months(i64::from(months)),
        });
    }
    cov
}
