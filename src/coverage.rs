//! Audit coverage: what the audit programme covers in a cycle, and when each area is next due.
//!
//! Pure functions of the model and a day; the PROG rules, `isms check`'s summary, the site and
//! the exports all read the same figures.
//!
//! - An audit is *completed* when its report exists; without a report it is *planned* before
//!   its start, *in progress* until its end, and *lapsed* after (AUD005 reports it; it covers
//!   nothing). [`state`] is the one definition the check, the site and the exports share.
//! - A clause or control is *audited* by a completed audit only when the audit has it in scope
//!   and one of its checklist items for it has a result other than `not-assessed`, with
//!   evidence ([`assessed`]). Planned and in-progress audits count as *planned*, apart.
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
use crate::model::{Audit, Config, Date, Finding, Isms, ItemResult, Plan, RiskLevel};

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

    /// Whether `reference` (a finding's or an item's) falls within the scope: it is in scope, or
    /// it is an internal control mapped to an Annex A control in scope, or an Annex A control
    /// that an internal control in scope maps to.
    pub fn includes(&self, isms: &Isms, reference: &str) -> bool {
        self.requirements()
            .any(|s| stands_for(isms, reference, s) || stands_for(isms, s, reference))
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
    /// No report, and the audit has not started.
    Planned,
    /// No report, started and not yet ended.
    InProgress,
    /// The report exists.
    Completed,
    /// Ended without a report.
    Lapsed,
}

impl AuditState {
    /// Planned or in progress: it will count once completed.
    pub fn is_upcoming(self) -> bool {
        matches!(self, AuditState::Planned | AuditState::InProgress)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditState::Planned => "planned",
            AuditState::InProgress => "in progress",
            AuditState::Completed => "completed",
            AuditState::Lapsed => "ended without a report",
        }
    }
}

/// An audit's state as of `today`; `None` without a plan.
pub fn state(audit: &Audit, today: Date) -> Option<AuditState> {
    let plan = audit.plan.as_ref()?;
    Some(if audit.report.is_some() {
        AuditState::Completed
    } else if *plan.start.get() > today {
        AuditState::Planned
    } else if *plan.end.get() >= today {
        AuditState::InProgress
    } else {
        AuditState::Lapsed
    })
}

/// Whether the audit's checklist assessed `reference`: an item for it with a result other than
/// `not-assessed`, and objective evidence.
pub fn assessed(audit: &Audit, reference: &str) -> bool {
    audit.checklist.iter().flat_map(|c| &c.items).any(|i| {
        i.reference.as_str() == reference
            && *i.result.get() != ItemResult::NotAssessed
            && i.evidence.as_ref().is_some_and(|e| !e.trim().is_empty())
    })
}

/// Whether `reference` (as a plan or checklist item names it) stands for the Annex A `control`:
/// it is that control, or a control of the organisation's own catalogue mapped to it. This is
/// the one place where audit work on an internal control counts for Annex A.
pub fn stands_for(isms: &Isms, reference: &str, control: &str) -> bool {
    reference == control
        || isms
            .internal_control(reference)
            .is_some_and(|c| c.annex_a.iter().any(|a| a.as_str() == control))
}

/// Whether the audit assessed the Annex A `control`, itself or through an internal control
/// mapped to it.
fn control_assessed(isms: &Isms, audit: &Audit, control: &str) -> bool {
    audit.checklist.iter().flat_map(|c| &c.items).any(|i| {
        let reference = i.reference.as_str();
        stands_for(isms, reference, control) && assessed(audit, reference)
    })
}

/// Whether a completed audit covers `reference`: in its scope, and assessed, itself or through
/// an internal control mapped to it (as the coverage counts it).
pub fn audited(isms: &Isms, audit: &Audit, reference: &str, today: Date) -> bool {
    state(audit, today) == Some(AuditState::Completed)
        && audit.plan.as_ref().is_some_and(|p| {
            scope(isms, p)
                .requirements()
                .any(|r| stands_for(isms, r, reference))
        })
        && control_assessed(isms, audit, reference)
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
    /// Completed audits of the cycle that assessed this (for an area: assessed something of it).
    pub audited_by: Vec<String>,
    /// Planned or in-progress audits of the cycle with this in scope.
    pub planned_in: Vec<String>,
}

impl Item {
    /// Audited, or at least planned: what the programme owner needs while the cycle runs.
    pub fn is_covered(&self) -> bool {
        self.is_audited() || !self.planned_in.is_empty()
    }

    /// Assessed by a completed audit.
    pub fn is_audited(&self) -> bool {
        !self.audited_by.is_empty()
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
        /// Why the results of previous audits put the area on the `high` frequency (PROG006).
        #[serde(skip_serializing_if = "Option::is_none")]
        escalated: Option<String>,
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
    /// Assessed by a completed audit.
    pub covered: usize,
    /// Not yet assessed, but in the scope of a planned or in-progress audit.
    pub planned: usize,
    pub total: usize,
}

fn count(items: &[Item]) -> Count {
    Count {
        covered: items.iter().filter(|i| i.is_audited()).count(),
        planned: items
            .iter()
            .filter(|i| !i.is_audited() && i.is_covered())
            .count(),
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
            let plan = a.plan.as_ref().filter(|p| p.is_internal())?;
            let st = state(a, today)?;
            (cycle.contains(*plan.start.get()) && st != AuditState::Lapsed)
                .then(|| (a, scope(isms, plan), st))
        })
        .collect()
}

/// What the audits whose start falls in `cycle` cover, as of `today`.
pub fn coverage(isms: &Isms, catalog: &Catalog, cycle: Cycle, today: Date) -> Coverage {
    let audits = counting(isms, &cycle, today);
    // `has` says whether the scope holds it; `done` whether the completed audit assessed it.
    let item =
        |id: &str, has: &dyn Fn(&Scope<'_>) -> bool, done: &dyn Fn(&Audit, &Scope<'_>) -> bool| {
            let mut it = Item {
                id: id.to_string(),
                audited_by: Vec::new(),
                planned_in: Vec::new(),
            };
            for (audit, sc, st) in &audits {
                if !has(sc) {
                    continue;
                }
                match st {
                    AuditState::Completed if done(audit, sc) => {
                        it.audited_by.push(audit.id.to_string())
                    }
                    AuditState::Completed | AuditState::Lapsed => {}
                    AuditState::Planned | AuditState::InProgress => {
                        it.planned_in.push(audit.id.to_string())
                    }
                }
            }
            it
        };
    let clauses = catalog
        .requirement_clauses()
        .map(|c| {
            item(&c.id, &|s| s.clauses.contains(&c.id.as_str()), &|a, _| {
                assessed(a, &c.id)
            })
        })
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
        .map(|c| {
            item(
                &c.id,
                &|s| s.controls.iter().any(|r| stands_for(isms, r, &c.id)),
                &|a, _| control_assessed(isms, a, &c.id),
            )
        })
        .collect();
    let areas = isms
        .areas
        .iter()
        .map(|a| {
            item(
                a.id.as_str(),
                &|s| s.areas.contains(&a.id.as_str()),
                &|au, _| area_assessed(a, au),
            )
        })
        .collect();
    Coverage {
        cycle,
        ended: cycle.end < today,
        clauses,
        controls,
        areas,
    }
}

/// Whether a completed audit assessed something of the area: one of its controls or clauses, or
/// any item when the area names neither.
fn area_assessed(area: &crate::model::Area, audit: &Audit) -> bool {
    let own: Vec<&str> = area
        .controls
        .iter()
        .map(|c| c.as_str())
        .chain(area.clauses.iter().map(|c| c.as_str()))
        .collect();
    audit.checklist.iter().flat_map(|c| &c.items).any(|i| {
        (own.is_empty() || own.contains(&i.reference.as_str()))
            && assessed(audit, i.reference.as_str())
    })
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

/// Whether `audit` (completed, or planned as of `today`) is an internal audit with `area` in
/// scope: external audits do not answer for the programme (9.2.2).
fn audits_area(isms: &Isms, audit: &Audit, area: &str) -> bool {
    audit
        .plan
        .as_ref()
        .is_some_and(|p| p.is_internal() && p.areas.iter().any(|a| a.as_str() == area))
        && isms.area(area).is_some()
}

/// The completed audits of an area, by end.
fn completed_audits_of<'a>(isms: &'a Isms, area: &str, today: Date) -> Vec<(&'a Audit, Date)> {
    let mut audits: Vec<(&Audit, Date)> = isms
        .audits
        .iter()
        .filter(|au| state(au, today) == Some(AuditState::Completed) && audits_area(isms, au, area))
        .filter_map(|au| au.plan.as_ref().map(|p| (au, *p.end.get())))
        .collect();
    audits.sort_by(|a, b| (a.1, &a.0.id).cmp(&(b.1, &b.0.id)));
    audits
}

/// Why the results of previous audits (9.2.2) put an area on the `high` frequency, if they do:
/// its last audit raised a major nonconformity against it, or its last two audits raised
/// nonconformities against the same reference, or a high or critical incident of the area was
/// detected after its last audit ended (within the twelve months of
/// [`Incident::serious_in_area`](crate::model::Incident::serious_in_area) when never audited).
pub fn escalation(isms: &Isms, area: &str, today: Date) -> Option<String> {
    let audits = completed_audits_of(isms, area, today);
    let last_end = audits.last().map(|(_, end)| *end);
    let mut incidents: Vec<&crate::model::Incident> =
        crate::model::Incident::serious_in_area(&isms.incidents, area, today)
            .filter(|i| last_end.is_none_or(|end| *i.detected_on.get() > end))
            .collect();
    incidents.sort_by(|a, b| {
        (a.detected_on.get(), a.id.as_str()).cmp(&(b.detected_on.get(), b.id.as_str()))
    });
    if let Some(incident) = incidents.first() {
        let since = match audits.last() {
            Some((audit, _)) => format!("after its last audit {}", audit.id.as_str()),
            None => "and it was never audited".to_string(),
        };
        return Some(format!(
            "the {} incident {} was detected on {} {since}",
            incident.severity.get().as_str(),
            incident.id.as_str(),
            incident.detected_on.get()
        ));
    }
    let nonconformities = |audit: &Audit| -> Vec<&Finding> {
        isms.findings
            .iter()
            .filter(|f| {
                f.audit.as_str() == audit.id.as_str()
                    && f.kind.is_nonconformity()
                    && f.area.as_ref().is_some_and(|a| a.as_str() == area)
            })
            .collect()
    };
    let (last, _) = audits.last()?;
    if let Some(major) = nonconformities(last)
        .into_iter()
        .find(|f| *f.kind.get() == crate::model::FindingType::MajorNc)
    {
        return Some(format!(
            "its last audit {} raised the major nonconformity {}",
            last.id.as_str(),
            major.id.as_str()
        ));
    }
    let [.., (before, _), (last, _)] = audits.as_slice() else {
        return None;
    };
    let earlier: BTreeSet<&str> = nonconformities(before)
        .into_iter()
        .flat_map(|f| f.refs.iter().map(|r| r.as_str()))
        .collect();
    nonconformities(last)
        .into_iter()
        .flat_map(|f| f.refs.iter().map(|r| r.as_str()))
        .find(|r| earlier.contains(r))
        .map(|r| {
            format!(
                "its last two audits {} and {} both raised nonconformities against {r}",
                before.id.as_str(),
                last.id.as_str()
            )
        })
}

/// The area's next audit by its risk frequency, or by the `high` frequency when the results of
/// previous audits ask for it ([`escalation`]).
pub fn frequency_due(isms: &Isms, config: &Config, area: &str, today: Date) -> Option<AreaDue> {
    let a = isms.area(area)?;
    let own = frequency(config, *a.risk.get());
    let high = frequency(config, RiskLevel::High);
    // Only an escalation that shortens the interval is recorded.
    let escalated = escalation(isms, area, today).filter(|_| high < own);
    let months = if escalated.is_some() { high } else { own };
    let last = completed_audits_of(isms, area, today)
        .last()
        .map(|(au, end)| (au.id.to_string(), *end));
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
            escalated,
        },
        planned: next_planned(isms, area, today),
    })
}

/// The next planned or in-progress audit of an area, by start.
pub fn next_planned(isms: &Isms, area: &str, today: Date) -> Option<Planned> {
    isms.audits
        .iter()
        .filter(|au| {
            state(au, today).is_some_and(AuditState::is_upcoming) && audits_area(isms, au, area)
        })
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
            state(au, today).is_some_and(|s| s == AuditState::Completed || s.is_upcoming())
                && audits_area(isms, au, area)
        })
        .filter_map(|au| au.plan.as_ref().map(|p| (au, *p.start.get())))
        .filter(|(_, start)| raised < *start && *start <= deadline)
        .min_by_key(|(_, start)| *start)
        .map(|(au, _)| au.id.to_string())
}

/// When each area is next due, soonest first: the earlier of its frequency due date and the
/// follow-up deadline of any open nonconformity not yet re-audited.
pub fn next_due(isms: &Isms, config: &Config, today: Date) -> Vec<AreaDue> {
    let mut out: Vec<AreaDue> = isms
        .areas
        .iter()
        .filter_map(|a| {
            let mut due = frequency_due(isms, config, a.id.as_str(), today)?;
            for f in open_nonconformities(isms, a.id.as_str()) {
                let months = config.followup_months(f);
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
    /// Only what completed audits assessed counts as covered; what is only planned is shown
    /// apart: `20/30 clauses (+8 planned)`.
    pub fn paragraph(&self) -> String {
        let part = |c: &Count, noun: &str| {
            let mut p = format!("{}/{} {noun}", c.covered, c.total);
            if c.planned > 0 {
                p.push_str(&format!(" (+{} planned)", c.planned));
            }
            p
        };
        let mut s = format!(
            "cycle {}: {}, {}, {} covered",
            self.cycle,
            part(&self.clauses, "clauses"),
            part(&self.controls, "applicable controls"),
            part(&self.areas, "areas"),
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

    /// The example ISMS as loaded.
    fn example() -> Isms {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("example-isms");
        crate::load::load(&crate::source::WorkTree::new(root), "").isms
    }

    fn audit_mut<'a>(isms: &'a mut Isms, id: &str) -> &'a mut Audit {
        isms.audits
            .iter_mut()
            .find(|a| a.id.as_str() == id)
            .unwrap()
    }

    fn covered_by(cov: &Coverage, id: &str) -> (Vec<String>, Vec<String>) {
        let item = cov
            .clauses
            .iter()
            .chain(&cov.controls)
            .chain(&cov.areas)
            .find(|i| i.id == id)
            .unwrap();
        (item.audited_by.clone(), item.planned_in.clone())
    }

    #[test]
    fn coverage_counts_assessed_results_of_completed_audits() {
        let today = d("2026-11-27");
        let mut isms = example();
        let config = isms.config_or_default().clone();
        let cycle = current_cycle(&config, today);
        let before = coverage(&isms, crate::catalog::iso27001(), cycle, today);
        assert_eq!(covered_by(&before, "A.7.4").0, vec!["IA-2026-03"]);
        let full = before.control_count();
        assert_eq!(full.covered, full.total);

        // Every item of IA-2026-03 for A.7.4 left `not-assessed`: no longer covered.
        let audit = audit_mut(&mut isms, "IA-2026-03");
        for item in &mut audit.checklist.as_mut().unwrap().items {
            if item.reference.as_str() == "A.7.4" {
                item.result = crate::model::Spanned::new(ItemResult::NotAssessed, 0..0);
            }
        }
        let after = coverage(&isms, crate::catalog::iso27001(), cycle, today);
        assert_eq!(covered_by(&after, "A.7.4"), (vec![], vec![]));
        assert_eq!(after.control_count().covered, full.covered - 1);

        // A result without evidence does not count either.
        let audit = audit_mut(&mut isms, "IA-2026-03");
        for item in &mut audit.checklist.as_mut().unwrap().items {
            if item.reference.as_str() == "A.7.4" {
                item.result = crate::model::Spanned::new(ItemResult::Conforming, 0..0);
                item.evidence = None;
            }
        }
        let unevidenced = coverage(&isms, crate::catalog::iso27001(), cycle, today);
        assert_eq!(covered_by(&unevidenced, "A.7.4").0, Vec::<String>::new());
    }

    #[test]
    fn an_internal_control_audited_counts_for_the_annex_a_controls_it_maps_to() {
        let today = d("2026-11-27");
        let mut isms = example();
        let config = isms.config_or_default().clone();
        let cycle = current_cycle(&config, today);
        // IA-2026-03 tests A.7.4 through the internal control PHY.2 instead.
        let audit = audit_mut(&mut isms, "IA-2026-03");
        for item in &mut audit.checklist.as_mut().unwrap().items {
            if item.reference.as_str() == "A.7.4" {
                item.reference = crate::model::Spanned::new(
                    crate::model::RequirementRef::parse("PHY.2").unwrap(),
                    0..0,
                );
            }
        }
        let plan = audit.plan.as_mut().unwrap();
        if let Some(controls) = plan.controls.as_mut() {
            for c in controls.iter_mut() {
                if c.as_str() == "A.7.4" {
                    *c = crate::model::Spanned::new(
                        crate::model::ControlId::parse("PHY.2").unwrap(),
                        0..0,
                    );
                }
            }
        }
        let unmapped = coverage(&isms, crate::catalog::iso27001(), cycle, today);
        assert!(covered_by(&unmapped, "A.7.4").0.is_empty());
        let control: crate::model::InternalControl = toml::from_str(
            "id = \"PHY.2\"\ntitle = \"CCTV of entrances\"\nannex_a = [\"A.7.4\", \"A.7.1\"]\n",
        )
        .unwrap();
        isms.internal_controls.push(control);
        let mapped = coverage(&isms, crate::catalog::iso27001(), cycle, today);
        assert_eq!(covered_by(&mapped, "A.7.4").0, vec!["IA-2026-03"]);
    }

    #[test]
    fn audits_without_report_count_as_planned_apart() {
        let mut isms = example();
        let config = isms.config_or_default().clone();
        // IA-2026-03 without its report, on a day inside it: in progress, so planned only.
        audit_mut(&mut isms, "IA-2026-03").report = None;
        let plan = isms.audit("IA-2026-03").unwrap().plan.clone().unwrap();
        let during = *plan.start.get();
        assert_eq!(
            state(isms.audit("IA-2026-03").unwrap(), during),
            Some(AuditState::InProgress)
        );
        assert_eq!(
            state(isms.audit("IA-2026-03").unwrap(), during.add_days(-1)),
            Some(AuditState::Planned)
        );
        let cycle = current_cycle(&config, during);
        let cov = coverage(&isms, crate::catalog::iso27001(), cycle, during);
        let (audited, planned) = covered_by(&cov, "A.7.4");
        assert!(audited.is_empty());
        assert_eq!(planned, vec!["IA-2026-03"]);
        let count = cov.control_count();
        assert!(count.planned > 0 && count.covered + count.planned <= count.total);
        // Once ended without a report: lapsed, covers nothing.
        let after = plan.end.get().add_days(1);
        let lapsed = coverage(&isms, crate::catalog::iso27001(), cycle, after);
        assert_eq!(covered_by(&lapsed, "A.7.4"), (vec![], vec![]));
    }

    #[test]
    fn previous_results_escalate_an_area_to_the_high_frequency() {
        let today = d("2026-11-27");
        let mut isms = example();
        assert_eq!(escalation(&isms, "people-security", today), None);
        assert_eq!(escalation(&isms, "access-control", today), None);
        // The same reference in the last two audits of access-control.
        let f7 = isms
            .findings
            .iter_mut()
            .find(|f| f.id.as_str() == "F-2026-007")
            .unwrap();
        f7.refs = vec![crate::model::Spanned::new(
            crate::model::RequirementRef::parse("A.5.18").unwrap(),
            0..0,
        )];
        assert_eq!(
            escalation(&isms, "access-control", today).as_deref(),
            Some(
                "its last two audits IA-2026-01 and IA-2026-03 both raised nonconformities against A.5.18"
            )
        );
        // A major nonconformity in the last audit of people-security (medium: 12 months).
        let config = isms.config_or_default().clone();
        let before = frequency_due(&isms, &config, "people-security", today).unwrap();
        let f2 = isms
            .findings
            .iter_mut()
            .find(|f| f.id.as_str() == "F-2026-002")
            .unwrap();
        f2.kind = crate::model::Spanned::new(crate::model::FindingType::MajorNc, 0..0);
        let after = frequency_due(&isms, &config, "people-security", today).unwrap();
        assert_eq!(after.due, before.due.add_months(-6));
        assert!(matches!(
            after.reason,
            DueReason::Frequency {
                months: 6,
                escalated: Some(_),
                ..
            }
        ));
    }
}
