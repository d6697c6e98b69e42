//! The registers, built from the model: what each row and column holds.

use crate::catalog;
use crate::model::{
    Audit, Date, DocumentId, Finding, FindingStatus, FindingType, Isms, RequirementRef, Spanned,
};

use super::{Cell, Column, Mark, Table, loop_tables, org_tables};

/// The registers `isms export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Register {
    /// The Statement of Applicability: one row per Annex A control in catalogue order.
    Soa,
    /// The risk register.
    Risks,
    /// The findings (nonconformity) register.
    Findings,
    /// The risk and control matrix: one row per risk and control it relies on.
    Rcm,
    /// The requirements of the enabled frameworks (regulatory overlays) and their status.
    Framework,
    /// The incident register with each post-incident review and validating audit.
    Incidents,
    /// The objectives, one row per result.
    Objectives,
    /// The management reviews, one row per decision.
    ManagementReviews,
    /// The teams, each with everything it owns.
    Teams,
    /// The organisation's own controls, with their mappings and test history.
    Controls,
    /// The exceptions to controls, with their expiry.
    Exceptions,
}

pub(super) fn col(id: &'static str, title: &'static str, width: f64) -> Column {
    Column { id, title, width }
}

/// Document ids, a draft marked as such: it is not yet in force.
fn documents_with_status(isms: &Isms, ids: &[Spanned<DocumentId>]) -> String {
    ids.iter()
        .map(|id| match isms.document(id.as_str()) {
            Some(doc) if doc.is_draft() => format!("{} (draft)", id.as_str()),
            _ => id.as_str().to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn join<T: AsRef<str>>(items: &[Spanned<T>]) -> String {
    items
        .iter()
        .map(|i| i.get().as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A person by name, or by id when unknown.
pub(super) fn person(isms: &Isms, id: Option<&str>) -> Cell {
    match id {
        None => Cell::Empty,
        Some(id) => Cell::text(isms.person(id).map_or(id, |p| p.name.as_str())),
    }
}

/// Everyone named, by name, in the order written.
fn people(isms: &Isms, ids: &crate::model::OneOrMany<crate::model::PersonId>) -> Cell {
    let names: Vec<&str> = ids
        .iter()
        .map(|id| {
            isms.person(id.as_str())
                .map_or(id.as_str(), |p| p.name.as_str())
        })
        .collect();
    if names.is_empty() {
        Cell::Empty
    } else {
        Cell::text(names.join(", "))
    }
}

/// Completed audits that assessed `control` (the coverage's definition), latest last.
fn audits_of<'a>(isms: &'a Isms, control: &str, today: Date) -> Vec<&'a Audit> {
    let mut audits: Vec<&Audit> = isms
        .audits
        .iter()
        .filter(|a| crate::coverage::audited(isms, a, control, today))
        .collect();
    audits.sort_by_key(|a| (a.plan.as_ref().map(|p| *p.end.get()), a.id.clone()));
    audits
}

fn refers_to(finding: &Finding, control: &str) -> bool {
    finding
        .refs
        .iter()
        .any(|r| matches!(r.get(), RequirementRef::Control(c) if c.as_str() == control))
}

/// Whether an open nonconformity or observation concerns the control: an open opportunity for
/// improvement is no defect, so it does not paint the row.
fn has_open_issue(isms: &Isms, control: &str) -> bool {
    isms.findings.iter().any(|f| {
        f.status().is_open() && *f.kind.get() != FindingType::Opportunity && refers_to(f, control)
    })
}

fn open_findings_of(isms: &Isms, control: &str) -> String {
    isms.findings
        .iter()
        .filter(|f| f.status().is_open() && refers_to(f, control))
        .map(|f| {
            format!(
                "{} ({}, {})",
                f.id.as_str(),
                f.kind.as_str(),
                f.status().as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn build(register: Register, isms: &Isms, today: Date) -> Table {
    let (title, columns, rows) = match register {
        Register::Soa => (
            "Statement of Applicability",
            soa_columns(),
            soa(isms, today),
        ),
        Register::Risks => ("Risk register", risk_columns(), risks(isms, today)),
        Register::Findings => (
            "Findings register",
            finding_columns(),
            findings(isms, today),
        ),
        Register::Rcm => ("Risk and control matrix", rcm_columns(), rcm(isms, today)),
        Register::Framework => (
            "Framework requirements",
            crate::frameworks::register::columns(),
            crate::frameworks::register::rows(isms, today, None),
        ),
        Register::Incidents => (
            "Incident register",
            loop_tables::incident_columns(),
            loop_tables::incidents(isms, today),
        ),
        Register::Objectives => (
            "Information security objectives",
            loop_tables::objective_columns(),
            loop_tables::objectives(isms, today),
        ),
        Register::ManagementReviews => (
            "Management reviews",
            loop_tables::review_columns(),
            loop_tables::management_reviews(isms, today),
        ),
        Register::Teams => ("Teams", org_tables::team_columns(), org_tables::teams(isms)),
        Register::Controls => (
            "Internal controls",
            org_tables::control_columns(),
            org_tables::controls(isms, today),
        ),
        Register::Exceptions => (
            "Exceptions to controls",
            super::exception_table::columns(),
            super::exception_table::rows(isms, today),
        ),
    };
    Table {
        register,
        title,
        organisation: isms
            .config
            .as_ref()
            .map(|c| c.organisation.name.to_string())
            .unwrap_or_default(),
        date: today,
        columns,
        rows,
    }
}

fn soa_columns() -> Vec<Column> {
    vec![
        col("control", "Control", 9.0),
        col("title", "Title", 36.0),
        col("theme", "Theme", 14.0),
        col("applicable", "Applicable", 11.0),
        col("basis", "Basis", 18.0),
        col("justification", "Justification", 60.0),
        col("status", "Status", 12.0),
        col("owner", "Owner", 18.0),
        col("risks", "Risks", 14.0),
        col("documents", "Documents", 22.0),
        col("evidence", "Evidence", 36.0),
        col("last_audit", "Last audit", 12.0),
        col("last_audit_end", "Last audited on", 14.0),
        col("open_findings", "Open findings", 28.0),
    ]
}

fn soa(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    catalog::iso27001()
        .controls
        .iter()
        .map(|control| {
            let id = control.id.as_str();
            let entry = isms.soa_entry(id);
            let last = audits_of(isms, id, today).last().copied();
            let open = open_findings_of(isms, id);
            let applicable = match entry.and_then(|e| e.applicable.as_ref()) {
                Some(a) => Cell::Bool(*a.get()),
                None => Cell::text(if entry.is_some() {
                    "undecided"
                } else {
                    "missing"
                }),
            };
            let mark = if entry.is_none_or(|e| e.applicable.is_none()) || has_open_issue(isms, id) {
                Mark::Attention
            } else {
                Mark::None
            };
            let row = vec![
                Cell::text(id),
                Cell::text(&control.title),
                Cell::text(
                    catalog::iso27001()
                        .theme(&control.theme)
                        .map_or(control.theme.as_str(), |t| t.title.as_str()),
                ),
                applicable,
                Cell::text(
                    entry
                        .map(|e| {
                            e.basis
                                .iter()
                                .map(|b| b.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default(),
                ),
                Cell::text(
                    entry
                        .and_then(|e| e.justification.as_ref())
                        .map(|j| j.trim().to_string())
                        .unwrap_or_default(),
                ),
                Cell::text(
                    entry
                        .and_then(|e| e.status.as_ref())
                        .map_or("", |s| s.as_str()),
                ),
                person(
                    isms,
                    entry.and_then(|e| e.owner.as_ref()).map(|o| o.as_str()),
                ),
                Cell::text(entry.map(|e| join(&e.risks)).unwrap_or_default()),
                Cell::text(
                    entry
                        .map(|e| documents_with_status(isms, &e.documents))
                        .unwrap_or_default(),
                ),
                Cell::text(entry.map(|e| join(&e.evidence)).unwrap_or_default()),
                Cell::text(last.map(|a| a.id.to_string()).unwrap_or_default()),
                Cell::opt_date(last.and_then(|a| a.plan.as_ref()).map(|p| *p.end.get())),
                Cell::text(open),
            ];
            (row, mark)
        })
        .collect()
}

fn risk_columns() -> Vec<Column> {
    vec![
        col("risk", "Risk", 8.0),
        col("title", "Title", 40.0),
        col("owner", "Owner", 18.0),
        col("area", "Area", 20.0),
        col("likelihood", "Likelihood", 10.0),
        col("impact", "Impact", 8.0),
        col("inherent_score", "Inherent score", 10.0),
        col("treatment", "Treatment", 10.0),
        col("controls", "Controls", 28.0),
        col("residual_likelihood", "Residual likelihood", 10.0),
        col("residual_impact", "Residual impact", 10.0),
        col("residual_score", "Residual score", 10.0),
        col("above_threshold", "Above acceptance threshold", 12.0),
        col("accepted_by", "Accepted by", 18.0),
        col("accepted_on", "Accepted on", 12.0),
        col("reviewed_on", "Reviewed on", 12.0),
        col("review_due", "Review due", 12.0),
    ]
}

fn risks(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let config = isms.config.clone().unwrap_or_default();
    isms.risks
        .iter()
        .map(|r| {
            let residual = r.residual_score();
            let above = config.risk.needs_acceptance(residual);
            let months = config
                .risk
                .review_months_for(config.risk.level_of(residual));
            let due = r
                .reviewed_on
                .as_ref()
                .map(|d| d.get().add_months(i64::from(months)));
            let accepted = r.is_accepted();
            let mark = if due.is_none_or(|d| d < today) || (above && !accepted) {
                Mark::Overdue
            } else if above {
                Mark::Attention
            } else {
                Mark::None
            };
            let row = vec![
                Cell::text(r.id.as_str()),
                Cell::text(r.title.as_str()),
                person(isms, Some(r.owner.as_str())),
                Cell::text(
                    r.area
                        .as_ref()
                        .map(|a| {
                            isms.area(a.as_str())
                                .map_or(a.as_str(), |x| x.name.as_str())
                        })
                        .unwrap_or_default(),
                ),
                Cell::Number(*r.likelihood),
                Cell::Number(*r.impact),
                Cell::Number(r.inherent_score()),
                Cell::text(r.treatment.as_str()),
                Cell::text(join(&r.controls)),
                r.residual_likelihood
                    .as_ref()
                    .map_or(Cell::Empty, |v| Cell::Number(**v)),
                r.residual_impact
                    .as_ref()
                    .map_or(Cell::Empty, |v| Cell::Number(**v)),
                Cell::Number(residual),
                Cell::Bool(above),
                people(isms, &r.accepted_by),
                Cell::opt_date(r.accepted_on.as_ref().map(|d| *d.get())),
                Cell::opt_date(r.reviewed_on.as_ref().map(|d| *d.get())),
                Cell::opt_date(due),
            ];
            (row, mark)
        })
        .collect()
}

fn finding_columns() -> Vec<Column> {
    vec![
        col("finding", "Finding", 12.0),
        col("audit", "Audit", 12.0),
        col("type", "Type", 12.0),
        col("refs", "Requirements", 14.0),
        col("area", "Area", 20.0),
        col("raised_by", "Raised by", 18.0),
        col("raised_on", "Raised on", 12.0),
        col("status", "Status", 14.0),
        col("statement", "Statement", 50.0),
        col("root_cause", "Root cause", 50.0),
        col("actions", "Corrective actions", 60.0),
        col("verification", "Verification", 40.0),
        col("closed_on", "Closed on", 12.0),
        col("age_days", "Age (days)", 10.0),
        col("overdue", "Overdue action", 10.0),
    ]
}

fn findings(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let mut list: Vec<&Finding> = isms.findings.iter().collect();
    list.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    list.into_iter()
        .map(|f| {
            let status = f.status();
            let closed_on = f
                .closure
                .as_ref()
                .filter(|_| status == FindingStatus::Closed)
                .map(|c| *c.on.get());
            let age = f.raised_on.days_until(closed_on.unwrap_or(today));
            let overdue = f.actions.iter().any(|a| {
                a.completed_on.is_none() && a.due.as_ref().is_some_and(|d| *d.get() < today)
            });
            let name = |id: &str| {
                isms.person(id)
                    .map_or(id.to_string(), |p| p.name.to_string())
            };
            let actions = f
                .actions
                .iter()
                .map(|a| {
                    let owner = a
                        .owner
                        .as_ref()
                        .map_or("no owner".to_string(), |o| name(o.as_str()));
                    let due = a
                        .due
                        .as_ref()
                        .map_or("no due date".to_string(), |d| format!("due {}", d.get()));
                    let done = a
                        .completed_on
                        .as_ref()
                        .map_or("open".to_string(), |d| format!("completed {}", d.get()));
                    format!("{} ({owner}; {due}; {done})", a.description.trim())
                })
                .collect::<Vec<_>>()
                .join("\n");
            let verification = f.verification.as_ref().map(|v| {
                format!(
                    "{} on {}: {}{}",
                    name(v.by.as_str()),
                    v.on.get(),
                    if *v.effective.get() {
                        "effective"
                    } else {
                        "not effective"
                    },
                    v.notes
                        .as_ref()
                        .map_or(String::new(), |n| format!(". {}", n.trim()))
                )
            });
            // Closed by accepting the risk: who accepted which risk stands for the verification.
            let verification = verification.or_else(|| {
                let c = f.closure.as_ref().filter(|_| f.closed_by_acceptance())?;
                let risk = c.risk.as_ref().map_or("no risk named", |r| r.as_str());
                let by: Vec<String> = c.accepted_by.iter().map(|p| name(p.as_str())).collect();
                Some(format!("risk accepted ({risk}) by {}", by.join(", ")))
            });
            let mark = if overdue {
                Mark::Overdue
            } else if status.is_open() && f.kind.is_nonconformity() {
                Mark::Attention
            } else {
                Mark::None
            };
            let row = vec![
                Cell::text(f.id.as_str()),
                Cell::text(f.audit.as_str()),
                Cell::text(f.kind.as_str()),
                Cell::text(join(&f.refs)),
                Cell::text(
                    f.area
                        .as_ref()
                        .map(|a| {
                            isms.area(a.as_str())
                                .map_or(a.as_str(), |x| x.name.as_str())
                        })
                        .unwrap_or_default(),
                ),
                person(isms, Some(f.raised_by.as_str())),
                Cell::Date(*f.raised_on.get()),
                Cell::text(status.as_str()),
                Cell::text(
                    f.statement
                        .as_ref()
                        .map(|s| s.trim().to_string())
                        .unwrap_or_default(),
                ),
                Cell::text(
                    f.root_cause
                        .as_ref()
                        .map(|r| r.analysis.trim().to_string())
                        .unwrap_or_default(),
                ),
                Cell::text(actions),
                Cell::text(verification.unwrap_or_default()),
                Cell::opt_date(closed_on),
                Cell::Number(age),
                Cell::Bool(overdue),
            ];
            (row, mark)
        })
        .collect()
}

fn rcm_columns() -> Vec<Column> {
    vec![
        col("risk", "Risk", 8.0),
        col("risk_title", "Risk title", 36.0),
        col("risk_owner", "Risk owner", 18.0),
        col("inherent_score", "Inherent score", 10.0),
        col("residual_score", "Residual score", 10.0),
        col("treatment", "Treatment", 10.0),
        col("control", "Control", 9.0),
        col("control_title", "Control title", 36.0),
        col("applicable", "Applicable", 11.0),
        col("status", "Implementation", 14.0),
        col("control_owner", "Control owner", 18.0),
        col("tested_by", "Audits that tested it", 24.0),
        col("open_findings", "Open findings", 28.0),
    ]
}

fn rcm(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let catalog = catalog::iso27001();
    let mut rows = Vec::new();
    for r in &isms.risks {
        for c in &r.controls {
            let id = c.as_str();
            let entry = isms.soa_entry(id);
            let open = open_findings_of(isms, id);
            let applicable = entry.is_some_and(|e| e.is_applicable());
            let mark = if !applicable {
                Mark::Overdue
            } else if has_open_issue(isms, id)
                || entry
                    .and_then(|e| e.status.as_ref())
                    .is_none_or(|s| s.as_str() != "implemented")
            {
                Mark::Attention
            } else {
                Mark::None
            };
            rows.push((
                vec![
                    Cell::text(r.id.as_str()),
                    Cell::text(r.title.as_str()),
                    person(isms, Some(r.owner.as_str())),
                    Cell::Number(r.inherent_score()),
                    Cell::Number(r.residual_score()),
                    Cell::text(r.treatment.as_str()),
                    Cell::text(id),
                    Cell::text(catalog.control(id).map_or("", |c| c.title.as_str())),
                    match entry.and_then(|e| e.applicable.as_ref()) {
                        Some(a) => Cell::Bool(*a.get()),
                        None => Cell::text(if entry.is_some() {
                            "undecided"
                        } else {
                            "missing"
                        }),
                    },
                    Cell::text(
                        entry
                            .and_then(|e| e.status.as_ref())
                            .map_or("", |s| s.as_str()),
                    ),
                    person(
                        isms,
                        entry.and_then(|e| e.owner.as_ref()).map(|o| o.as_str()),
                    ),
                    Cell::text(
                        audits_of(isms, id, today)
                            .iter()
                            .map(|a| a.id.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::text(open),
                ],
                mark,
            ));
        }
    }
    rows
}
