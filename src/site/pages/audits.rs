//! The audit programme (a timeline of the cycle's audits, coverage of clauses, controls and
//! areas) and a page per audit: its plan with the auditors' impartiality as `isms independence`
//! computes it, checklist, report, record signatures, findings, and the management reviews and
//! incidents that refer to it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::changes::RecordSignature;
use super::dashboard::{AreaDue, Bar, CoverageSummary, Cycle, bar};
use super::findings::FindingRow;
use super::incidents::IncidentLink;
use super::reviews::{Link, to_value};
use super::{BuildError, Site, coverage, markdown, url};
use crate::catalog;
use crate::independence;
use crate::model::{Audit, Checklist, Conclusion, Date, PersonId, Plan, Report, Spanned};

/// An audit in the programme, and the head of its page.
#[derive(Clone, Serialize)]
struct AuditRow {
    id: String,
    url: String,
    title: Option<String>,
    start: Option<String>,
    end: Option<String>,
    lead: Option<Value>,
    kind: Option<&'static str>,
    transcribed_by: Option<Value>,
    areas: Vec<Value>,
    status: &'static str,
    conclusion: Option<&'static str>,
    findings: usize,
    /// Where its bar starts on the timeline, and how wide it is (of 1000).
    x: Option<f64>,
    w: Option<f64>,
    label: Option<TimelineLabel>,
}

/// A timeline bar's label: beside the bar, on the side with more room.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct TimelineLabel {
    x: f64,
    /// Whether it ends at `x` (left of the bar) rather than starts there.
    end: bool,
    text: String,
}

/// An audit's own page; the parts it has no record of yet are absent.
#[derive(Serialize)]
struct AuditPage {
    #[serde(flatten)]
    row: AuditRow,
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<PlanSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics_plan: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checklist: Option<Vec<ChecklistRow>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<Bar>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics_checklist: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    report: Option<ReportSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    diagnostics_report: Option<Vec<Value>>,
    signatures: Vec<RecordSignature>,
    reviewed_in: Vec<Link>,
    incidents: Vec<IncidentLink>,
    finding_list: Vec<FindingRow>,
}

#[derive(Serialize)]
struct PlanSection {
    objectives: Option<String>,
    criteria: Vec<String>,
    clauses: Vec<Value>,
    controls: Vec<Value>,
    team: Vec<Value>,
    methods: Vec<&'static str>,
    resources: Option<String>,
    notified: Vec<Value>,
    notified_on: Option<String>,
    waivers: Vec<WaiverRow>,
    impartiality: Vec<AuditorImpartiality>,
    exemptions: Vec<String>,
    git: bool,
}

#[derive(Serialize)]
struct WaiverRow {
    auditor: Value,
    area: Value,
    reason: String,
    approved_by: Value,
    approved_on: String,
}

/// An auditor of the plan: eligible, or why not (with the waiver that allows it, if any).
#[derive(Serialize)]
struct AuditorImpartiality {
    person: Value,
    eligible: bool,
    conflicts: Vec<ConflictRow>,
}

#[derive(Serialize)]
struct ConflictRow {
    unit: String,
    why: String,
    waived_by: Option<Value>,
}

#[derive(Serialize)]
struct ChecklistRow {
    #[serde(rename = "ref")]
    reference: Value,
    question: String,
    method: &'static str,
    result: &'static str,
    evidence: Option<String>,
    finding: Option<FindingLink>,
}

#[derive(Serialize)]
struct FindingLink {
    id: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct ReportSection {
    date: String,
    conclusion: &'static str,
    distributed_to: Vec<Value>,
    distributed_on: Option<String>,
    html: String,
}

#[derive(Serialize)]
struct AuditsPage {
    audits: Vec<AuditRow>,
    programme: Option<ProgrammeRow>,
    months: Vec<Month>,
    today_x: Option<f64>,
    cycle: Cycle,
    coverage: CoverageSummary,
    clauses: Vec<Covered>,
    controls: Vec<Covered>,
    areas_due: Vec<AreaDue>,
}

#[derive(Serialize)]
struct ProgrammeRow {
    owner: Value,
    objectives: Vec<String>,
    criteria: Vec<String>,
    methods: Vec<&'static str>,
}

/// A month's tick on the timeline.
#[derive(Serialize)]
struct Month {
    x: f64,
    label: String,
}

/// A clause or control and the audits of the cycle that covered it.
#[derive(Serialize)]
struct Covered {
    #[serde(rename = "ref")]
    reference: Value,
    audits: Vec<Value>,
}

/// Where on the timeline (0 to 1000) the days from `t0` to `t1` lie.
struct Timeline {
    t0: Date,
    t1: Date,
}

impl Timeline {
    fn x(&self, d: Date) -> f64 {
        let span = self.t0.days_until(self.t1).max(1) as f64;
        (self.t0.days_until(d) as f64 / span * 1000.0).clamp(0.0, 1000.0)
    }
}

impl Site<'_> {
    pub(super) fn audits(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let today = self.options.today;
        let mut audits: Vec<&Audit> = isms.audits.iter().collect();
        audits.sort_by(|a, b| {
            let key = |x: &Audit| (x.plan.as_ref().map(|p| *p.start.get()), x.id.to_string());
            key(a).cmp(&key(b))
        });
        let (t0, t1) = match self.coverage.cycle {
            Some(c) => (c.start, c.end),
            None => {
                let s = audits
                    .iter()
                    .filter_map(|a| a.plan.as_ref())
                    .map(|p| *p.start.get())
                    .min()
                    .unwrap_or(today);
                (s, s.add_months(12))
            }
        };
        let timeline = Timeline { t0, t1 };
        let mut rows = Vec::new();
        for a in &audits {
            let row = self.audit_row(a, &timeline);
            self.audit_page(a, row.clone())?;
            rows.push(row);
        }
        let mut months = Vec::new();
        let mut m = t0;
        while m < t1 {
            months.push(Month {
                x: timeline.x(m),
                label: month_label(m),
            });
            m = m.add_months(1);
        }
        let c = &self.coverage;
        let audit_refs = |ids: &Vec<String>| ids.iter().map(|a| self.audit_ref(a)).collect();
        let clauses = catalog::iso27001()
            .requirement_clauses()
            .filter_map(|cl| c.clauses.get_key_value(&cl.id))
            .map(|(id, audits)| Covered {
                reference: self.clause_ref(id),
                audits: audit_refs(audits),
            })
            .collect();
        let controls = catalog::iso27001()
            .controls
            .iter()
            .filter_map(|ct| c.controls.get_key_value(&ct.id))
            .map(|(id, audits)| Covered {
                reference: self.control_ref(id),
                audits: audit_refs(audits),
            })
            .collect();
        let programme = isms.programme.as_ref().map(|p| ProgrammeRow {
            owner: self.person(p.owner.as_str()),
            objectives: p.objectives.iter().map(|o| o.get().to_string()).collect(),
            criteria: p.criteria.iter().map(|o| o.get().to_string()).collect(),
            methods: p.methods.iter().map(|m| m.as_str()).collect(),
        });
        let page = AuditsPage {
            audits: rows,
            programme,
            months,
            today_x: (t0 <= today && today < t1).then(|| timeline.x(today)),
            cycle: Cycle {
                start: t0.to_string(),
                end: t1.add_days(-1).to_string(),
            },
            coverage: self.coverage_summary(),
            clauses,
            controls,
            areas_due: self.areas_due(false),
        };
        self.index("page", "Audit programme".into(), "audits.html".into());
        self.page("audits.html", "audits.html", "audits", page)
    }

    fn audit_row(&self, a: &Audit, timeline: &Timeline) -> AuditRow {
        let id = a.id.as_str();
        let plan = a.plan.as_ref();
        let x = |d: &Date| timeline.x(*d);
        AuditRow {
            id: id.to_string(),
            url: url("audits", id),
            title: plan.map(|p| p.title.to_string()),
            start: plan.map(|p| p.start.get().to_string()),
            end: plan.map(|p| p.end.get().to_string()),
            lead: plan.map(|p| self.person(p.lead.as_str())),
            kind: plan.map(|p| p.kind.as_str()),
            transcribed_by: plan
                .and_then(|p| p.transcribed_by.as_ref())
                .map(|t| self.person(t.as_str())),
            areas: plan.map_or(vec![], |p| {
                p.areas.iter().map(|a| self.area_ref(a.as_str())).collect()
            }),
            status: audit_status(a, self.options.today),
            conclusion: a
                .report
                .as_ref()
                .map(|r| conclusion(r.front.conclusion.get())),
            findings: self.isms.findings_of(id).count(),
            x: plan.map(|p| x(p.start.get())),
            w: plan.map(|p| (x(p.end.get()) - x(p.start.get())).max(6.0)),
            label: plan.map(|p| {
                let (x0, x1) = (x(p.start.get()), x(p.end.get()).max(x(p.start.get()) + 6.0));
                timeline_label(&format!("{id} · {}", p.title.get()), x0, x1)
            }),
        }
    }

    fn audit_page(&mut self, audit: &Audit, row: AuditRow) -> Result<(), BuildError> {
        let id = audit.id.as_str();
        let records = [
            audit.plan.as_ref().map(|p| p.origin.file),
            audit.checklist.as_ref().map(|c| c.origin.file),
            audit.report.as_ref().map(|r| r.origin.file),
        ];
        let plan = audit.plan.as_ref();
        let checklist = audit.checklist.as_ref();
        let report = audit.report.as_ref();
        let page = AuditPage {
            row,
            plan: plan.map(|p| self.plan(p)),
            diagnostics_plan: plan.map(|p| self.diagnostics_of_file(p.origin.file)),
            checklist: checklist.map(|c| self.checklist(c)),
            results: checklist.map(results),
            diagnostics_checklist: checklist.map(|c| self.diagnostics_of_file(c.origin.file)),
            report: report.map(|r| self.report(r)),
            diagnostics_report: report.map(|r| self.diagnostics_of_file(r.origin.file)),
            signatures: self.record_signatures(records.into_iter().flatten()),
            reviewed_in: self.reviewed_in(|r| r.audits_reviewed.iter().any(|a| a.as_str() == id)),
            incidents: self.incidents_validated_by(id),
            finding_list: self
                .isms
                .findings_of(id)
                .map(|f| self.finding_summary(f))
                .collect(),
        };
        let title = page.row.title.clone().unwrap_or_default();
        let plan_words = page.plan.as_ref().map_or(Value::Null, to_value);
        self.index_object(
            "audit",
            format!("{id} {title}"),
            url("audits", id),
            &plan_words,
        );
        self.page("audit.html", &url("audits", id), "audits", page)
    }

    fn checklist(&self, checklist: &Checklist) -> Vec<ChecklistRow> {
        checklist
            .items
            .iter()
            .map(|item| ChecklistRow {
                reference: self.requirement_ref(item.reference.as_str()),
                question: item.question.get().to_string(),
                method: item.method.as_str(),
                result: item.result.as_str(),
                evidence: item.evidence.as_ref().map(|e| e.get().to_string()),
                finding: item.finding.as_ref().map(|f| FindingLink {
                    id: f.to_string(),
                    url: self
                        .isms
                        .finding(f.as_str())
                        .map(|_| url("findings", f.as_str())),
                }),
            })
            .collect()
    }

    fn report(&self, report: &Report) -> ReportSection {
        let text = &self.outcome.files.get(report.origin.file).text;
        let body = text.get(report.body_start..).unwrap_or("");
        let f = &report.front;
        ReportSection {
            date: f.date.get().to_string(),
            conclusion: conclusion(f.conclusion.get()),
            distributed_to: f
                .distributed_to
                .iter()
                .map(|p| self.person(p.as_str()))
                .collect(),
            distributed_on: f.distributed_on.as_ref().map(|d| d.get().to_string()),
            html: markdown::render(body),
        }
    }

    fn plan(&self, plan: &Plan) -> PlanSection {
        let isms = self.isms;
        let history = self.outcome.history.as_ref();
        let months = *isms.config_or_default().independence.lookback_months.get();
        let auditors: BTreeSet<&str> = plan.auditors().map(|a| a.as_str()).collect();
        let impartiality = independence::candidates(isms, plan, history, &self.resolver, months)
            .iter()
            .filter(|c| auditors.contains(c.person.id.as_str()))
            .map(|c| AuditorImpartiality {
                person: self.person(c.person.id.as_str()),
                eligible: c.eligible(),
                conflicts: c
                    .conflicts
                    .iter()
                    .map(|v| ConflictRow {
                        unit: v.unit.to_string(),
                        why: v.why.to_string(),
                        waived_by: v.waiver.map(|w| self.person(w.approved_by.as_str())),
                    })
                    .collect(),
            })
            .collect();
        let people =
            |ids: &[Spanned<PersonId>]| ids.iter().map(|p| self.person(p.as_str())).collect();
        PlanSection {
            objectives: plan.objectives.as_ref().map(|o| o.get().to_string()),
            criteria: plan.criteria.iter().map(|c| c.get().to_string()).collect(),
            clauses: coverage::plan_clauses(isms, plan)
                .iter()
                .map(|c| self.clause_ref(c))
                .collect(),
            controls: coverage::plan_controls(isms, plan)
                .iter()
                .map(|c| self.control_ref(c))
                .collect(),
            team: people(&plan.team),
            methods: plan.methods.iter().map(|m| m.as_str()).collect(),
            resources: plan.resources.as_ref().map(|r| r.get().to_string()),
            notified: people(&plan.notified),
            notified_on: plan.notified_on.as_ref().map(|d| d.get().to_string()),
            waivers: plan
                .waivers
                .iter()
                .map(|w| WaiverRow {
                    auditor: self.person(w.auditor.as_str()),
                    area: self.area_ref(w.area.as_str()),
                    reason: w.reason.get().to_string(),
                    approved_by: self.person(w.approved_by.as_str()),
                    approved_on: w.approved_on.get().to_string(),
                })
                .collect(),
            impartiality,
            exemptions: self.exemptions_of(plan.id.as_str()),
            git: history.is_some(),
        }
    }

    /// The exemptions in effect for an audit, from its IND012 diagnostic's data.
    fn exemptions_of(&self, audit: &str) -> Vec<String> {
        self.outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == crate::rules::Rule::IND012)
            .filter(|d| d.subject.audit.as_deref() == Some(audit))
            .flat_map(|d| d.subject.exemptions.iter().cloned())
            .collect()
    }
}

/// The checklist's results as a stacked bar.
fn results(checklist: &Checklist) -> Bar {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for item in &checklist.items {
        *counts.entry(item.result.as_str()).or_default() += 1;
    }
    bar(&[
        "conforming",
        "observation",
        "opportunity",
        "nonconformity",
        "not-assessed",
    ]
    .map(|name| (name, counts.get(name).copied().unwrap_or(0))))
}

/// Where a timeline bar's label goes: on the side of the bar (from `x0` to `x1`, of 1000) with
/// more room, cut with an ellipsis to fit it, so no label runs off the chart.
fn timeline_label(text: &str, x0: f64, x1: f64) -> TimelineLabel {
    /// The average width of a character of the 13-unit label font, in chart units.
    const CHAR: f64 = 7.2;
    const GAP: f64 = 6.0;
    let (left, right) = (x0 - GAP + 10.0, 1020.0 - x1 - GAP);
    let (end, x, room) = if left > right {
        (true, x0 - GAP, left)
    } else {
        (false, x1 + GAP, right)
    };
    let fits = (room / CHAR).floor().max(1.0) as usize;
    let text = if text.chars().count() <= fits {
        text.to_string()
    } else {
        let cut: String = text.chars().take(fits.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    };
    TimelineLabel { x, end, text }
}

/// The audit's state as the check and the coverage see it ([`crate::coverage::state`]), in the
/// words of the pages.
fn audit_status(audit: &Audit, today: Date) -> &'static str {
    use crate::coverage::AuditState;
    match crate::coverage::state(audit, today) {
        None => "no plan",
        Some(AuditState::Planned) => "planned",
        Some(AuditState::InProgress) => "in progress",
        Some(AuditState::Completed) => "reported",
        Some(AuditState::Lapsed) => "awaiting report",
    }
}

fn conclusion(c: &Conclusion) -> &'static str {
    match c {
        Conclusion::Effective => "effective",
        Conclusion::EffectiveWithExceptions => "effective with exceptions",
        Conclusion::NotEffective => "not effective",
    }
}

fn month_label(d: Date) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let s = d.to_string();
    let month: usize = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", NAMES[(month - 1) % 12], s.get(2..4).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::{TimelineLabel, timeline_label};

    #[test]
    fn timeline_labels_take_the_roomier_side_and_fit_it() {
        let early = timeline_label("IA-1 · Short", 50.0, 60.0);
        assert_eq!(
            early,
            TimelineLabel {
                x: 66.0,
                end: false,
                text: "IA-1 · Short".into()
            }
        );
        let late = timeline_label(&"y".repeat(200), 700.0, 710.0);
        assert!(late.end);
        assert!(late.text.ends_with('…'));
        assert!(
            late.text.chars().count() as f64 * 7.2 <= 704.0,
            "{}",
            late.text
        );
    }
}
