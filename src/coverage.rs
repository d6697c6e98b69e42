//! Audit coverage: what the audit programme covers in a cycle, and when each area is next due.
//!
//! Pure functions of the model and a day; the PROG rules, `isms check`'s summary, the site and
//! the exports all read the same figures.
//!
//! - An audit is *completed* when its report exists, and *planned* when it has no report and
//!   has not ended yet (`end >= today`). An audit that ended without a report covers nothing
//!   (AUD005 reports it).
//! - An audit belongs to the cycle its `start` falls in. Cycles run `cycle_months` from
//!   `[audit] cycle_start` (the 1st of January of today's year when absent).
//! - An audit's scope is its areas, its `clauses`, and its `controls` (the areas' controls when
//!   `controls` is absent).
//! - An area is next due by its risk frequency after the end of its last completed audit (after
//!   the first cycle's start when never audited), and within `nc_followup_months` of each open
//!   nonconformity against it that no audit after it re-audits.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::model::{Audit, Config, Date, Finding, Isms, Plan, RiskLevel};

/// What an audit's plan puts in scope.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope<'a> {
    pub areas: Vec<&'a str>,
    pub clauses: Vec<&'a str>,
    /// The plan's controls, or the areas' controls (in area order, without repeats).
    pub controls: Vec<&'a str>,
}

impl Scope<'_> {
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty() && self.clauses.is_empty() && self.controls.is_empty()
    }

    /// Every clause and control, clauses first.
    pub fn requirements(&self) -> impl Iterator<Item = &str> {
        self.clauses.iter().chain(self.controls.iter()).copied()
    }
}

/// The scope of a plan, with the controls defaulting to the audited areas' controls.
pub fn scope<'a>(isms: &'a Isms, plan: &'a Plan) -> Scope<'a> {
    let areas: Vec<&str> = plan.areas.iter().map(|a| a.as_str()).collect();
    let clauses = plan.clauses.iter().map(|c| c.as_str()).collect();
    let controls = match &plan.controls {
        Some(list) => list.iter().map(|c| c.as_str()).collect(),
        None => {
            let mut seen = BTreeSet::new();
            areas
                .iter()
                .filter_map(|a| isms.area(a))
                .flat_map(|a| a.controls.iter().map(|c| c.as_str()))
                .filter(|c| seen.insert(*c))
                .collect()
        }
    };
    Scope {
        areas,
        clauses,
        controls,
    }
}

/// Where an audit stands on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditState {
    /// The report exists.
    Completed,
    /// No report yet, and the audit has not ended.
    Planned,
    /// Ended without a report.
    Lapsed,
}

/// An audit's state as of `today`; `None` without a plan.
pub fn state(audit: &Audit, today: Date) -> Option<AuditState> {
    let plan = audit.plan.as_ref()?;
    Some(if audit.report.is_some() {
        AuditState::Completed
    } else if *plan.end.get() >= today {
        AuditState::Planned
    } else {
        AuditState::Lapsed
    })
}

/// One audit cycle, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cycle {
    pub start: Date,
    pub end: Date,
}

impl Cycle {
    pub fn contains(&self, day: Date) -> bool {
        self.start <= day && day <= self.end
    }

    /// `2026` for a calendar year, else `2026-04-01 to 2027-03-31`.
    pub fn label(&self) -> String {
        let calendar_year = Date::new(self.start.year(), 1, 1) == Some(self.start)
            && Date::new(self.start.year(), 12, 31) == Some(self.end);
        if calendar_year {
            self.start.year().to_string()
        } else {
            format!("{} to {}", self.start, self.end)
        }
    }

    /// The label with the dates once: `2026 (2026-01-01 to 2026-12-31)`, or just
    /// `2026-11-01 to 2027-10-31` when the label is the dates.
    pub fn label_with_dates(&self) -> String {
        let label = self.label();
        let dates = format!("{} to {}", self.start, self.end);
        if label == dates {
            label
        } else {
            format!("{label} ({dates})")
        }
    }
}

/// The first day of the first cycle.
pub fn first_cycle_start(config: &Config, today: Date) -> Date {
    config
        .audit
        .cycle_start
        .as_ref()
        .map(|d| *d.get())
        .unwrap_or_else(|| Date::new(today.year(), 1, 1).unwrap_or(today))
}

/// The `n`-th cycle (0 is the first). Each is counted from the first start, so a cycle that
/// starts on the 31st does not drift to the 28th.
pub fn nth_cycle(config: &Config, today: Date, n: i64) -> Cycle {
    let first = first_cycle_start(config, today);
    let months = i64::from((*config.audit.cycle_months.get()).max(1));
    let start = first.add_months(n * months);
    let end = first.add_months((n + 1) * months).add_days(-1);
    Cycle { start, end }
}

/// The index of the cycle holding `day` (0 before the first cycle too).
pub fn cycle_index(config: &Config, today: Date, day: Date) -> i64 {
    let mut n = 0;
    while nth_cycle(config, today, n).end < day {
        n += 1;
    }
    n
}

/// The cycle holding `today` (the first cycle while it has not started).
pub fn current_cycle(config: &Config, today: Date) -> Cycle {
    nth_cycle(config, today, cycle_index(config, today, today))
}

/// The cycle before the current one, when the programme is that old.
pub fn previous_cycle(config: &Config, today: Date) -> Option<Cycle> {
    let n = cycle_index(config, today, today);
    (n > 0).then(|| nth_cycle(config, today, n - 1))
}

/// A clause, control or area and the audits that cover it in a cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Item {
    pub id: String,
    /// Completed audits of the cycle with this in scope.
    pub audited_by: Vec<String>,
    /// Planned audits of the cycle with this in scope.
    pub planned_in: Vec<String>,
}

impl Item {
    pub fn is_covered(&self) -> bool {
        !self.audited_by.is_empty() || !self.planned_in.is_empty()
    }
}

/// Why an area is due.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "reason")]
pub enum DueReason {
    /// Its risk frequency after its last completed audit (or the programme's start).
    Frequency {
        risk: RiskLevel,
        months: u32,
        last_audit: Option<String>,
        last_audit_end: Option<Date>,
    },
    /// An open nonconformity needs a re-audit within `nc_followup_months`.
    Followup { finding: String, raised_on: Date },
}

/// When an area is next due, and whether an audit is planned for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AreaDue {
    pub area: String,
    pub due: Date,
    #[serde(flatten)]
    pub reason: DueReason,
    /// The next planned audit of the area, by start.
    pub planned: Option<Planned>,
}

/// A planned audit of an area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Planned {
    pub audit: String,
    pub start: Date,
}

/// The coverage of one cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub cycle: Cycle,
    /// The cycle is over (`end < today`).
    pub ended: bool,
    /// The requirement (leaf) clauses of 4-10, in catalogue order.
    pub clauses: Vec<Item>,
    /// The controls the SoA declares applicable, in catalogue order.
    pub controls: Vec<Item>,
    pub areas: Vec<Item>,
}

/// Counts of a coverage, as the summary and JSON show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    pub covered: usize,
    pub total: usize,
}

fn count(items: &[Item]) -> Count {
    Count {
        covered: items.iter().filter(|i| i.is_covered()).count(),
        total: items.len(),
    }
}

impl Coverage {
    pub fn clause_count(&self) -> Count {
        count(&self.clauses)
    }
    pub fn control_count(&self) -> Count {
        count(&self.controls)
    }
    pub fn area_count(&self) -> Count {
        count(&self.areas)
    }
}

/// The audits of a cycle that count for coverage: completed, or planned (and not lapsed) while
/// the cycle runs.
fn counting<'a>(
    isms: &'a Isms,
    cycle: &Cycle,
    today: Date,
) -> Vec<(&'a Audit, Scope<'a>, AuditState)> {
    isms.audits
        .iter()
        .filter_map(|a| {
            let plan = a.plan.as_ref()?;
            let st = state(a, today)?;
            (cycle.contains(*plan.start.get()) && st != AuditState::Lapsed)
                .then(|| (a, scope(isms, plan), st))
        })
        .collect()
}

/// What the audits whose start falls in `cycle` cover, as of `today`.
pub fn coverage(isms: &Isms, catalog: &Catalog, cycle: Cycle, today: Date) -> Coverage {
    let audits = counting(isms, &cycle, today);
    let item = |id: &str, has: &dyn Fn(&Scope<'_>) -> bool| {
        let mut it = Item {
            id: id.to_string(),
            audited_by: Vec::new(),
            planned_in: Vec::new(),
        };
        for (audit, sc, st) in &audits {
            if has(sc) {
                match st {
                    AuditState::Completed => it.audited_by.push(audit.id.to_string()),
                    _ => it.planned_in.push(audit.id.to_string()),
                }
            }
        }
        it
    };
    let clauses = catalog
        .requirement_clauses()
        .map(|c| item(&c.id, &|s| s.clauses.contains(&c.id.as_str())))
        .collect();
    let applicable: BTreeSet<&str> = isms
        .soa
        .iter()
        .filter(|c| c.applicable.as_ref().is_some_and(|a| *a.get()))
        .map(|c| c.id.as_str())
        .collect();
    let controls = catalog
        .controls
        .iter()
        .filter(|c| applicable.contains(c.id.as_str()))
        .map(|c| item(&c.id, &|s| s.controls.contains(&c.id.as_str())))
        .collect();
    let areas = isms
        .areas
        .iter()
        .map(|a| item(a.id.as_str(), &|s| s.areas.contains(&a.id.as_str())))
        .collect();
    Coverage {
        cycle,
        ended: cycle.end < today,
        clauses,
        controls,
        areas,
    }
}

/// The months between audits of an area of `risk`.
pub fn frequency(config: &Config, risk: RiskLevel) -> u32 {
    let f = &config.audit.frequency_months;
    match risk {
        RiskLevel::High => f.high,
        RiskLevel::Medium => f.medium,
        RiskLevel::Low => f.low,
    }
}

/// Whether `audit` (completed, or planned as of `today`) has `area` in scope.
fn audits_area(isms: &Isms, audit: &Audit, area: &str) -> bool {
    audit
        .plan
        .as_ref()
        .is_some_and(|p| p.areas.iter().any(|a| a.as_str() == area))
        && isms.area(area).is_some()
}

/// The area's next audit by its risk frequency.
pub fn frequency_due(isms: &Isms, config: &Config, area: &str, today: Date) -> Option<AreaDue> {
    let a = isms.area(area)?;
    let months = frequency(config, *a.risk.get());
    let last = isms
        .audits
        .iter()
        .filter(|au| state(au, today) == Some(AuditState::Completed) && audits_area(isms, au, area))
        .filter_map(|au| au.plan.as_ref().map(|p| (au.id.to_string(), *p.end.get())))
        .max_by_key(|(_, end)| *end);
    let from = last
        .as_ref()
        .map_or_else(|| first_cycle_start(config, today), |(_, end)| *end);
    Some(AreaDue {
        area: area.to_string(),
        due: from.add_months(i64::from(months)),
        reason: DueReason::Frequency {
            risk: *a.risk.get(),
            months,
            last_audit: last.as_ref().map(|(id, _)| id.clone()),
            last_audit_end: last.map(|(_, end)| end),
        },
        planned: next_planned(isms, area, today),
    })
}

/// The next planned audit of an area (no report, not ended), by start.
pub fn next_planned(isms: &Isms, area: &str, today: Date) -> Option<Planned> {
    isms.audits
        .iter()
        .filter(|au| state(au, today) == Some(AuditState::Planned) && audits_area(isms, au, area))
        .filter_map(|au| {
            au.plan.as_ref().map(|p| Planned {
                audit: au.id.to_string(),
                start: *p.start.get(),
            })
        })
        .min_by_key(|p| p.start)
}

/// The open nonconformities of an area.
pub fn open_nonconformities<'a>(
    isms: &'a Isms,
    area: &'a str,
) -> impl Iterator<Item = &'a Finding> + 'a {
    isms.findings.iter().filter(move |f| {
        f.kind.is_nonconformity()
            && f.status().is_open()
            && f.area.as_ref().is_some_and(|a| a.as_str() == area)
    })
}

/// The re-audit of the area after `finding` within `months`: an audit of the area, completed or
/// planned, starting after the finding was raised and no later than the deadline.
pub fn followup_audit(isms: &Isms, finding: &Finding, months: u32, today: Date) -> Option<String> {
    let area = finding.area.as_ref()?.as_str();
    let raised = *finding.raised_on.get();
    let deadline = raised.add_months(i64::from(months));
    isms.audits
        .iter()
        .filter(|au| {
            matches!(
                state(au, today),
                Some(AuditState::Completed | AuditState::Planned)
            ) && audits_area(isms, au, area)
        })
        .filter_map(|au| au.plan.as_ref().map(|p| (au, *p.start.get())))
        .filter(|(_, start)| raised < *start && *start <= deadline)
        .min_by_key(|(_, start)| *start)
        .map(|(au, _)| au.id.to_string())
}

/// When each area is next due, soonest first: the earlier of its frequency due date and the
/// follow-up deadline of any open nonconformity not yet re-audited.
pub fn next_due(isms: &Isms, config: &Config, today: Date) -> Vec<AreaDue> {
    let months = *config.audit.nc_followup_months.get();
    let mut out: Vec<AreaDue> = isms
        .areas
        .iter()
        .filter_map(|a| {
            let mut due = frequency_due(isms, config, a.id.as_str(), today)?;
            for f in open_nonconformities(isms, a.id.as_str()) {
                if followup_audit(isms, f, months, today).is_none() {
                    let deadline = f.raised_on.get().add_months(i64::from(months));
                    if deadline < due.due {
                        due.due = deadline;
                        due.reason = DueReason::Followup {
                            finding: f.id.to_string(),
                            raised_on: *f.raised_on.get(),
                        };
                    }
                }
            }
            Some(due)
        })
        .collect();
    out.sort_by(|a, b| (a.due, &a.area).cmp(&(b.due, &b.area)));
    out
}

/// The figures `isms check` prints and the JSON output carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub cycle: String,
    pub cycle_start: Date,
    pub cycle_end: Date,
    pub clauses: Count,
    pub controls: Count,
    pub areas: Count,
    pub next_due: Vec<AreaDue>,
}

impl Summary {
    pub fn of(isms: &Isms, catalog: &Catalog, config: &Config, today: Date) -> Self {
        let cycle = current_cycle(config, today);
        let cov = coverage(isms, catalog, cycle, today);
        Self {
            cycle: cycle.label(),
            cycle_start: cycle.start,
            cycle_end: cycle.end,
            clauses: cov.clause_count(),
            controls: cov.control_count(),
            areas: cov.area_count(),
            next_due: next_due(isms, config, today),
        }
    }

    /// One paragraph: `cycle 2026: 30/30 clauses, 89/89 applicable controls, 8/8 areas
    /// covered; next due: access-control 2027-03-11, ...`.
    pub fn paragraph(&self) -> String {
        let mut s = format!(
            "cycle {}: {}/{} clauses, {}/{} applicable controls, {}/{} areas covered",
            self.cycle,
            self.clauses.covered,
            self.clauses.total,
            self.controls.covered,
            self.controls.total,
            self.areas.covered,
            self.areas.total
        );
        if !self.next_due.is_empty() {
            let due: Vec<String> = self
                .next_due
                .iter()
                .map(|d| match &d.planned {
                    Some(p) if p.start <= d.due => {
                        format!("{} {} (planned: {} {})", d.area, d.due, p.audit, p.start)
                    }
                    _ => format!("{} {}", d.area, d.due),
                })
                .collect();
            s.push_str(&format!("; next due: {}", due.join(", ")));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn config(start: &str, months: u32) -> Config {
        let mut c = Config::default();
        c.audit.cycle_start = Some(crate::model::Spanned::new(d(start), 0..0));
        c.audit.cycle_months = crate::model::Spanned::new(months, 0..0);
        c
    }

    #[test]
    fn cycles_follow_the_calendar() {
        let c = config("2026-01-01", 12);
        let now = current_cycle(&c, d("2026-11-27"));
        assert_eq!((now.start, now.end), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(now.label(), "2026");
        let next = current_cycle(&c, d("2027-01-01"));
        assert_eq!((next.start, next.end), (d("2027-01-01"), d("2027-12-31")));
        assert_eq!(previous_cycle(&c, d("2027-01-01")), Some(now));
        assert_eq!(previous_cycle(&c, d("2026-12-31")), None);
        // Before the first cycle: the first cycle.
        assert_eq!(current_cycle(&c, d("2025-06-01")), now);
    }

    #[test]
    fn cycles_starting_at_a_month_end_do_not_drift() {
        let c = config("2024-01-31", 1);
        let feb = current_cycle(&c, d("2024-02-15"));
        assert_eq!((feb.start, feb.end), (d("2024-01-31"), d("2024-02-28")));
        let leap = current_cycle(&c, d("2024-02-29"));
        assert_eq!((leap.start, leap.end), (d("2024-02-29"), d("2024-03-30")));
        let apr = current_cycle(&c, d("2024-04-30"));
        assert_eq!(apr.start, d("2024-04-30"));
        assert_eq!(apr.label(), "2024-04-30 to 2024-05-30");
    }

    #[test]
    fn without_cycle_start_cycles_are_calendar_years() {
        let c = Config::default();
        let now = current_cycle(&c, d("2026-07-04"));
        assert_eq!((now.start, now.end), (d("2026-01-01"), d("2026-12-31")));
    }
}
