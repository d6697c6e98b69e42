//! The dashboard (`index.html`): the SoA at a glance, open findings by type and age, overdue
//! actions, audits due per area, residual risks that need acceptance, programme coverage and
//! every diagnostic of the check.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{BuildError, Site, soa_status};
use crate::catalog;
use crate::coverage::Count;

/// The age buckets of open findings, in days.
const BUCKETS: [&str; 4] = ["≤30", "31–90", "91–180", ">180"];

#[derive(Serialize)]
struct DashboardPage {
    soa: Bar,
    applicable: usize,
    findings_by_type: Vec<TypeAges>,
    buckets: [&'static str; 4],
    open_findings: Vec<OpenFinding>,
    overdue_actions: Vec<OverdueAction>,
    due: Vec<AreaDue>,
    high_risks: Vec<HighRisk>,
    threshold: u32,
    risks_clear: String,
    diagnostics: Vec<Value>,
    coverage: CoverageSummary,
    counts: Counts,
}

/// A stacked bar: segments in per cent of the total.
#[derive(Serialize)]
pub(super) struct Bar {
    total: usize,
    parts: Vec<Segment>,
}

#[derive(Serialize)]
struct Segment {
    name: &'static str,
    count: usize,
    x: f64,
    w: f64,
}

/// Open findings of one type per age bucket.
#[derive(Serialize)]
struct TypeAges {
    #[serde(rename = "type")]
    kind: &'static str,
    buckets: [usize; 4],
    total: usize,
}

#[derive(Serialize)]
struct OpenFinding {
    #[serde(flatten)]
    finding: Value,
    age: i64,
    statement: Option<String>,
}

#[derive(Serialize)]
pub(super) struct OverdueAction {
    finding: Value,
    description: String,
    owner: Option<Value>,
    due: String,
    days: i64,
}

/// When an area is next due for audit.
#[derive(Serialize)]
pub(super) struct AreaDue {
    area: Value,
    next_due: String,
    /// Days from today; the dashboard's list only.
    #[serde(skip_serializing_if = "Option::is_none")]
    days: Option<i64>,
    overdue: bool,
    planned: Option<AuditOn>,
    last: Option<AuditOn>,
}

/// An audit and the day it starts (`start`) or ended (`end`).
#[derive(Serialize)]
pub(super) struct AuditOn {
    audit: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
}

#[derive(Serialize)]
struct HighRisk {
    #[serde(flatten)]
    risk: Value,
    score: i64,
    accepted: bool,
}

/// The audit cycle and how many clauses, controls and areas it has covered.
#[derive(Serialize)]
pub(super) struct CoverageSummary {
    cycle: Option<Cycle>,
    clauses: Count,
    controls: Count,
    areas: Count,
}

#[derive(Serialize)]
pub(super) struct Cycle {
    pub start: String,
    pub end: String,
}

#[derive(Serialize)]
struct Counts {
    documents: usize,
    risks: usize,
    audits: usize,
    findings: usize,
    areas: usize,
    people: usize,
}

impl Site<'_> {
    pub(super) fn dashboard(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let today = self.options.today;
        let catalog = catalog::iso27001();
        let mut soa: BTreeMap<&str, usize> = BTreeMap::new();
        for control in &catalog.controls {
            *soa.entry(soa_status(isms.soa_entry(&control.id)))
                .or_default() += 1;
        }
        let soa_bar = bar(&[
            "implemented",
            "partial",
            "planned",
            "excluded",
            "incomplete",
            "missing",
        ]
        .map(|name| (name, soa.get(name).copied().unwrap_or(0))));
        // Open findings by type and age.
        let mut by_type: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
        let mut open = Vec::new();
        for f in &isms.findings {
            if !f.status().is_open() {
                continue;
            }
            let age = f.raised_on.get().days_until(today).max(0);
            let b = match age {
                0..=30 => 0,
                31..=90 => 1,
                91..=180 => 2,
                _ => 3,
            };
            by_type.entry(f.kind.as_str()).or_default()[b] += 1;
            open.push(OpenFinding {
                finding: self.finding_ref(f),
                age,
                statement: f.statement.as_ref().map(|s| s.get().to_string()),
            });
        }
        let types = ["major-nc", "minor-nc", "observation", "opportunity"]
            .into_iter()
            .map(|kind| {
                let buckets = by_type.get(kind).copied().unwrap_or_default();
                TypeAges {
                    kind,
                    buckets,
                    total: buckets.iter().sum(),
                }
            })
            .collect();
        let mut due: Vec<AreaDue> = self.areas_due(true);
        due.sort_by(|a, b| {
            (a.next_due.as_str(), a.area["id"].as_str())
                .cmp(&(b.next_due.as_str(), b.area["id"].as_str()))
        });
        let settings = &isms.config_or_default().risk;
        let high_risks = isms
            .risks
            .iter()
            .filter(|r| settings.needs_acceptance(r.residual_score()))
            .map(|r| HighRisk {
                risk: self.risk_ref(r.id.as_str()),
                score: r.residual_score(),
                accepted: !r.accepted_by.is_empty(),
            })
            .collect();
        let page = DashboardPage {
            soa: soa_bar,
            applicable: isms.soa.iter().filter(|c| c.is_applicable()).count(),
            findings_by_type: types,
            buckets: BUCKETS,
            open_findings: open,
            overdue_actions: self.overdue_actions(),
            due,
            high_risks,
            threshold: *settings.acceptance_threshold.get(),
            risks_clear: if settings.acceptance.is_some() {
                "No residual risk is at a level that [risk.acceptance] asks someone to accept."
                    .to_string()
            } else {
                format!(
                    "Every residual risk is at or below {}.",
                    settings.acceptance_threshold.get()
                )
            },
            diagnostics: self
                .outcome
                .diagnostics
                .iter()
                .map(|d| self.diagnostic(d))
                .collect(),
            coverage: self.coverage_summary(),
            counts: Counts {
                documents: isms.documents.len(),
                risks: isms.risks.len(),
                audits: isms.audits.len(),
                findings: isms.findings.len(),
                areas: isms.areas.len(),
                people: isms.people.len(),
            },
        };
        self.index("page", "Dashboard".into(), "index.html".into());
        self.page("index.html", "index.html", "index", page)
    }

    pub(super) fn overdue_actions(&self) -> Vec<OverdueAction> {
        let today = self.options.today;
        let mut out = Vec::new();
        for f in &self.isms.findings {
            for a in &f.actions {
                let Some(due) = &a.due else { continue };
                if a.completed_on.is_none() && *due.get() < today {
                    out.push(OverdueAction {
                        finding: self.finding_ref(f),
                        description: a.description.get().to_string(),
                        owner: a.owner.as_ref().map(|o| self.person(o.as_str())),
                        due: due.get().to_string(),
                        days: due.get().days_until(today),
                    });
                }
            }
        }
        out.sort_by(|a, b| a.due.cmp(&b.due));
        out
    }

    /// When each area is next due for audit, with its last and planned audits; `days` (from
    /// today) for the dashboard's list.
    pub(super) fn areas_due(&self, days: bool) -> Vec<AreaDue> {
        let today = self.options.today;
        self.coverage
            .areas
            .iter()
            .map(|a| AreaDue {
                area: self.area_ref(&a.area),
                next_due: a.next_due.to_string(),
                days: days.then(|| today.days_until(a.next_due)),
                overdue: a.next_due < today && a.planned.is_none(),
                planned: a.planned.as_ref().map(|(id, d)| AuditOn {
                    audit: self.audit_ref(id),
                    start: Some(d.to_string()),
                    end: None,
                }),
                last: a.last.as_ref().map(|(id, d)| AuditOn {
                    audit: self.audit_ref(id),
                    start: None,
                    end: Some(d.to_string()),
                }),
            })
            .collect()
    }

    pub(super) fn coverage_summary(&self) -> CoverageSummary {
        let c = &self.coverage;
        let [clauses, controls, areas] = c.counts;
        CoverageSummary {
            cycle: c.cycle.map(|cy| Cycle {
                start: cy.start.to_string(),
                end: cy.end.add_days(-1).to_string(),
            }),
            clauses,
            controls,
            areas,
        }
    }
}

/// Segments of a stacked bar, in per cent of the total.
pub(super) fn bar(parts: &[(&'static str, usize)]) -> Bar {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut x = 0.0;
    let mut segments = Vec::new();
    for &(name, count) in parts {
        let w = if total == 0 {
            0.0
        } else {
            count as f64 * 100.0 / total as f64
        };
        segments.push(Segment { name, count, x, w });
        x += w;
    }
    Bar {
        total,
        parts: segments,
    }
}
