//! The findings register and a page per finding (10.2): its statement, root cause, actions,
//! verification and closure, the steps it has gone through, and who changed its record.
//! [`Site::finding_summary`] is the row other pages list findings with.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::changes::FileChange;
use super::dashboard::OverdueAction;
use super::reviews::to_value;
use super::{BuildError, Site, url};
use crate::model::{Finding, FindingStatus};

/// A finding as the register, control, area, audit and review pages list it.
#[derive(Clone, Serialize)]
pub(super) struct FindingRow {
    id: String,
    url: String,
    #[serde(rename = "type")]
    kind: &'static str,
    status: &'static str,
    open: bool,
    audit: Value,
    area: Option<Value>,
    refs: Vec<Value>,
    raised_on: String,
    /// Days from raised to closed, or to today while open.
    age: i64,
    statement: Option<String>,
    overdue_actions: usize,
    actions: usize,
    risk: Option<&'static str>,
}

#[derive(Serialize)]
struct FindingPage {
    #[serde(flatten)]
    row: FindingRow,
    raised_by: Value,
    evidence: Option<String>,
    root_cause: Option<RootCauseRow>,
    action_list: Vec<ActionRow>,
    verification: Option<VerificationRow>,
    closure: Option<Signed>,
    /// The risk accepted instead of corrective action, and who accepted it.
    accepted: Option<AcceptedRow>,
    steps: Vec<Step>,
    history: Vec<FileChange>,
    diagnostics: Vec<Value>,
}

#[derive(Serialize)]
struct AcceptedRow {
    risk: Option<Value>,
    by: Vec<Value>,
}

#[derive(Serialize)]
struct RootCauseRow {
    analysis: String,
    method: Option<String>,
    by: Value,
    on: String,
}

#[derive(Serialize)]
struct ActionRow {
    description: String,
    owner: Option<Value>,
    due: Option<String>,
    completed_on: Option<String>,
    overdue: bool,
}

#[derive(Serialize)]
struct VerificationRow {
    by: Value,
    on: String,
    effective: bool,
    notes: Option<String>,
}

/// Who did something, and when.
#[derive(Serialize)]
struct Signed {
    by: Value,
    on: String,
}

/// One step of the finding's life, reached or not.
#[derive(Serialize)]
struct Step {
    name: &'static str,
    done: bool,
}

#[derive(Serialize)]
struct StatusCount {
    status: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct FindingsPage {
    findings: Vec<FindingRow>,
    by_status: Vec<StatusCount>,
    overdue_actions: Vec<OverdueAction>,
}

const STEPS: [&str; 6] = [
    "open",
    "analysed",
    "action-planned",
    "implemented",
    "verified",
    "closed",
];

impl Site<'_> {
    pub(super) fn finding_summary(&self, f: &Finding) -> FindingRow {
        let today = self.options.today;
        let end = f.closure.as_ref().map_or(today, |c| *c.on.get());
        let overdue = f
            .actions
            .iter()
            .filter(|a| {
                a.completed_on.is_none() && a.due.as_ref().is_some_and(|d| *d.get() < today)
            })
            .count();
        FindingRow {
            id: f.id.to_string(),
            url: url("findings", f.id.as_str()),
            kind: f.kind.as_str(),
            status: f.status().as_str(),
            open: f.status().is_open(),
            audit: self.audit_ref(f.audit.as_str()),
            area: f.area.as_ref().map(|a| self.area_ref(a.as_str())),
            refs: f
                .refs
                .iter()
                .map(|r| self.requirement_ref(r.as_str()))
                .collect(),
            raised_on: f.raised_on.get().to_string(),
            age: f.raised_on.get().days_until(end).max(0),
            statement: f.statement.as_ref().map(|s| s.get().clone()),
            overdue_actions: overdue,
            actions: f.actions.len(),
            risk: f.risk.as_ref().map(|r| r.as_str()),
        }
    }

    pub(super) fn findings(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let today = self.options.today;
        let mut findings: Vec<&Finding> = isms.findings.iter().collect();
        findings.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut rows = Vec::new();
        let mut by_status: BTreeMap<FindingStatus, usize> = BTreeMap::new();
        for f in findings {
            *by_status.entry(f.status()).or_default() += 1;
            let row = self.finding_summary(f);
            let reached = STEPS
                .iter()
                .position(|s| *s == f.status().as_str())
                .unwrap_or(0);
            let page = FindingPage {
                row: row.clone(),
                raised_by: self.person(f.raised_by.as_str()),
                evidence: f.evidence.as_ref().map(|e| e.get().clone()),
                root_cause: f.root_cause.as_ref().map(|rc| RootCauseRow {
                    analysis: rc.analysis.get().clone(),
                    method: rc.method.as_ref().map(|m| m.get().clone()),
                    by: self.person(rc.by.as_str()),
                    on: rc.on.get().to_string(),
                }),
                action_list: f
                    .actions
                    .iter()
                    .map(|a| ActionRow {
                        description: a.description.get().clone(),
                        owner: a.owner.as_ref().map(|o| self.person(o.as_str())),
                        due: a.due.as_ref().map(|d| d.get().to_string()),
                        completed_on: a.completed_on.as_ref().map(|d| d.get().to_string()),
                        overdue: a.completed_on.is_none()
                            && a.due.as_ref().is_some_and(|d| *d.get() < today),
                    })
                    .collect(),
                verification: f.verification.as_ref().map(|v| VerificationRow {
                    by: self.person(v.by.as_str()),
                    on: v.on.get().to_string(),
                    effective: *v.effective.get(),
                    notes: v.notes.as_ref().map(|n| n.get().clone()),
                }),
                closure: f.closure.as_ref().map(|c| Signed {
                    by: self.person(c.by.as_str()),
                    on: c.on.get().to_string(),
                }),
                accepted: f
                    .closure
                    .as_ref()
                    .filter(|c| c.is_risk_accepted())
                    .map(|c| AcceptedRow {
                        risk: c.risk.as_ref().map(|r| self.risk_ref(r.as_str())),
                        by: c
                            .accepted_by
                            .iter()
                            .map(|p| self.person(p.as_str()))
                            .collect(),
                    }),
                steps: STEPS
                    .iter()
                    .enumerate()
                    .map(|(i, name)| Step {
                        name,
                        // Closed by accepting its risk: the steps of correction were skipped.
                        done: if f.closed_by_acceptance() {
                            i == 0 || i + 1 == STEPS.len()
                        } else {
                            i <= reached
                        },
                    })
                    .collect(),
                history: self.file_history(f.origin.file),
                diagnostics: self.diagnostics_of_file(f.origin.file),
            };
            self.index_object(
                "finding",
                format!(
                    "{} {}",
                    f.id.as_str(),
                    f.statement.as_ref().map_or("", |s| s.get())
                ),
                url("findings", f.id.as_str()),
                &to_value(&row),
            );
            self.page(
                "finding.html",
                &url("findings", f.id.as_str()),
                "findings",
                page,
            )?;
            rows.push(row);
        }
        let page = FindingsPage {
            findings: rows,
            by_status: by_status
                .iter()
                .map(|(s, n)| StatusCount {
                    status: s.as_str(),
                    count: *n,
                })
                .collect(),
            overdue_actions: self.overdue_actions(),
        };
        self.index("page", "Findings register".into(), "findings.html".into());
        self.page("findings.html", "findings.html", "findings", page)
    }
}
