//! AUD: audits test implementation, cover their scope, record evidence and findings, and
//! end in a complete report that reaches top management and the audited areas' owners (9.2.2).

use std::collections::BTreeSet;

use crate::coverage::{self, AuditState};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{
    Audit, ChecklistItem, Conclusion, Finding, FindingType, ImplStatus, ItemResult, Method, Origin,
    Plan,
};

use super::finding::and_list;
use super::{Context, Rule};

/// The level-2 sections every report has, in order.
pub const REPORT_SECTIONS: [&str; 7] = [
    "Scope",
    "Criteria",
    "Objectives",
    "Summary",
    "Findings",
    "Recommendations",
    "Conclusion",
];

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for audit in &cx.isms.audits {
        let Some(plan) = &audit.plan else { continue };
        // A checklist or report that exists but could not be read was reported by LOAD:
        // judging the audit without it would only repeat that error in other words.
        let exists = |name: &str| {
            cx.isms
                .files
                .contains(&format!("audits/{}/{name}", audit.id.as_str()))
        };
        if (audit.checklist.is_none() && exists("checklist.toml"))
            || (audit.report.is_none() && exists("report.md"))
        {
            continue;
        }
        let state = coverage::state(audit, cx.today);
        // An external audit's records are the outsiders' own: no checklist of ours to judge.
        if plan.is_internal() {
            superficial(cx, audit, plan, out);
            scope_items(cx, audit, plan, state, out);
        }
        items(audit, out);
        if state == Some(AuditState::Lapsed) {
            out.push(
                Diagnostic::new(
                    Rule::AUD005,
                    format!(
                        "audit {} ended on {} without a report",
                        audit.id.as_str(),
                        plan.end.get()
                    ),
                )
                .at(plan.origin.at(&plan.end))
                .label(match plan.end.get().days_until(cx.today) {
                    1 => "ended yesterday".to_string(),
                    n => format!("ended {n} days ago"),
                })
                .help(format!(
                    "write audits/{}/report.md (`isms new report --audit {}`) with the results, and distribute it to top management and the audited areas' owners (9.2.2 c)",
                    audit.id.as_str(),
                    audit.id.as_str()
                )),
            );
        }
        if state == Some(AuditState::Completed) && plan.is_internal() {
            unassessed(cx, audit, plan, out);
            conclusion(cx, audit, out);
        }
        report(cx, audit, plan, out);
    }
}

/// AUD008: a completed audit left a requirement of its scope unassessed (every item for it
/// `not-assessed`) and said nowhere why.
fn unassessed(cx: &Context<'_>, audit: &Audit, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let Some(checklist) = &audit.checklist else {
        return;
    };
    let aid = audit.id.as_str();
    for r in coverage::scope(cx.isms, plan).requirements() {
        // Items on an internal control mapped to `r` test `r`.
        let items: Vec<&ChecklistItem> = checklist
            .items
            .iter()
            .filter(|i| coverage::stands_for(cx.isms, i.reference.as_str(), r))
            .collect();
        let Some(first) = items.first() else {
            continue; // AUD002
        };
        let all_skipped = items
            .iter()
            .all(|i| *i.result.get() == ItemResult::NotAssessed);
        let explained = items
            .iter()
            .any(|i| i.reason.as_ref().is_some_and(|r| !r.trim().is_empty()));
        if !all_skipped || explained {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::AUD008,
                format!("audit {aid} is completed but left {r}, in its scope, not assessed, without a reason"),
            )
            .at(first.origin.at(&first.result))
            .label(match items.len() {
                1 => "`not-assessed`, no `reason`".to_string(),
                n => format!("this and the other {} items on {r}: `not-assessed`", n - 1),
            })
            .help(format!(
                "record the result and its evidence, or say why {r} was not assessed with `reason = \"...\"` on the item (and plan it in a later audit): an unassessed requirement does not count as covered"
            )),
        );
    }
}

/// AUD009: the report's conclusion contradicts the nonconformities the audit found.
fn conclusion(cx: &Context<'_>, audit: &Audit, out: &mut Vec<Diagnostic>) {
    let Some(report) = &audit.report else { return };
    if *report.front.conclusion.get() != Conclusion::Effective {
        return;
    }
    let aid = audit.id.as_str();
    let findings: Vec<&Finding> = cx
        .isms
        .findings_of(aid)
        .filter(|f| f.kind.is_nonconformity())
        .collect();
    let items = audit
        .checklist
        .iter()
        .flat_map(|c| &c.items)
        .filter(|i| *i.result.get() == ItemResult::Nonconformity)
        .count();
    if findings.is_empty() && items == 0 {
        return;
    }
    let major: Vec<String> = findings
        .iter()
        .filter(|f| *f.kind.get() == FindingType::MajorNc)
        .map(|f| f.id.to_string())
        .collect();
    let mut d = if major.is_empty() {
        let ids: Vec<String> = findings.iter().map(|f| f.id.to_string()).collect();
        let what = if ids.is_empty() {
            format!("{items} nonconforming checklist item(s)")
        } else {
            format!(
                "the {} {}",
                if ids.len() == 1 {
                    "nonconformity"
                } else {
                    "nonconformities"
                },
                and_list(&ids)
            )
        };
        let mut d = Diagnostic::new(
            Rule::AUD009,
            format!("the report of audit {aid} concludes `effective` despite {what}"),
        )
        .help("a conclusion reflects the results: `conclusion = \"effective-with-exceptions\"` when nonconformities were found, and name them in `## Conclusion`");
        d.severity = Severity::Warning;
        d
    } else {
        Diagnostic::new(
            Rule::AUD009,
            format!(
                "the report of audit {aid} concludes `effective` despite the major nonconformity {}",
                and_list(&major)
            ),
        )
        .help("a major nonconformity means a requirement is not met: conclude `not-effective` or `effective-with-exceptions` and say why in `## Conclusion`")
    };
    d = d
        .at(report.origin.at(&report.front.conclusion))
        .label("`effective`");
    if let Some(f) = findings.first() {
        d = d.related(f.origin.at(&f.kind), f.kind.as_str());
    }
    out.push(d);
}

/// AUD001: a completed audit that tested too little: an implemented control in scope whose
/// items are all document reviews, and an audit whose assessed items are document reviews above
/// `[audit] max_document_review_share`.
fn superficial(cx: &Context<'_>, audit: &Audit, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let (Some(checklist), Some(_)) = (&audit.checklist, &audit.report) else {
        return;
    };
    let aid = audit.id.as_str();
    let reviewed = |i: &ChecklistItem| *i.method.get() == Method::DocumentReview;
    for control in coverage::scope(cx.isms, plan).controls {
        let implemented = cx
            .isms
            .soa_entry(control)
            .and_then(|e| e.status.as_ref())
            .is_some_and(|s| *s.get() == ImplStatus::Implemented);
        let items: Vec<&ChecklistItem> = checklist
            .items
            .iter()
            .filter(|i| coverage::stands_for(cx.isms, i.reference.as_str(), control))
            .collect();
        let assessed = items
            .iter()
            .any(|i| *i.result.get() != ItemResult::NotAssessed);
        if !implemented || !assessed || !items.iter().all(|i| reviewed(i)) {
            continue;
        }
        let mut d = Diagnostic::new(
            Rule::AUD001,
            format!("audit {aid} judged the implemented control {control} by document review only"),
        )
        .at(items[0].origin.at(&items[0].method))
        .label("`document-review`")
        .help(format!("an audit determines whether a control is effectively implemented (9.2.1 b): add an item on {control} that samples records (`technical-test`), interviews the people who operate it (`interview`) or watches it work (`observation`), with what was seen in `evidence`"));
        d.severity = Severity::Warning;
        out.push(d);
    }
    let assessed: Vec<&ChecklistItem> = checklist
        .items
        .iter()
        .filter(|i| *i.result.get() != ItemResult::NotAssessed)
        .collect();
    let reviews = assessed.iter().filter(|i| reviewed(i)).count();
    let max = *cx.config().audit.max_document_review_share.get();
    if assessed.is_empty() || (reviews as f64) <= max * assessed.len() as f64 {
        return;
    }
    let first = assessed
        .iter()
        .find(|i| reviewed(i))
        .unwrap_or(&assessed[0]);
    out.push(
        Diagnostic::new(
            Rule::AUD001,
            format!(
                "{reviews} of the {} assessed items of audit {aid} {}, more than the {}% the programme allows",
                assessed.len(),
                if reviews == 1 { "is a document review" } else { "are document reviews" },
                (max * 100.0).round()
            ),
        )
        .at(first.origin.at(&first.method))
        .label(match reviews {
            1 => "a document review".to_string(),
            n => format!("this and {} other document reviews", n - 1),
        })
        .help("test implementation, not only intent (9.2.1 b): sample records, interview operators, observe processes or test systems for the important controls; `[audit] max_document_review_share` sets the share allowed (default 0.7)"),
    );
}

/// AUD002: every control and clause in scope has a checklist item, once a checklist exists or
/// the audit has taken place.
fn scope_items(
    cx: &Context<'_>,
    audit: &Audit,
    plan: &Plan,
    state: Option<AuditState>,
    out: &mut Vec<Diagnostic>,
) {
    let held = matches!(state, Some(AuditState::Completed | AuditState::Lapsed));
    if audit.checklist.is_none() && !held {
        return;
    }
    let listed: BTreeSet<&str> = audit
        .checklist
        .iter()
        .flat_map(|c| c.items.iter().map(|i| i.reference.as_str()))
        .collect();
    let scope = coverage::scope(cx.isms, plan);
    let aid = audit.id.as_str();
    let file = format!("audits/{aid}/checklist.toml");
    for r in scope.requirements() {
        // An item on an internal control mapped to `r` is an item on `r`.
        if listed.iter().any(|l| coverage::stands_for(cx.isms, l, r)) {
            continue;
        }
        let (origin, label) = where_in_plan(cx, plan, r);
        out.push(
            Diagnostic::new(
                Rule::AUD002,
                format!("{r} is in the scope of audit {aid} but has no checklist item"),
            )
            .at(origin)
            .label(label)
            .help(format!(
                "add an [[item]] with `ref = \"{r}\"`, a question, a method and the result to {file}, or take {r} out of the plan's scope"
            )),
        );
    }
}

/// Where a requirement enters a plan's scope: its entry in `clauses` or `controls`, else the
/// area that brings it.
fn where_in_plan(cx: &Context<'_>, plan: &Plan, r: &str) -> (Origin, String) {
    if let Some(c) = plan.clauses.iter().find(|c| c.as_str() == r) {
        return (plan.origin.at(c), "in scope".into());
    }
    if let Some(c) = plan.controls.iter().flatten().find(|c| c.as_str() == r) {
        return (plan.origin.at(c), "in scope".into());
    }
    for a in &plan.areas {
        if cx
            .isms
            .area(a.as_str())
            .is_some_and(|area| area.controls.iter().any(|c| c.as_str() == r))
        {
            return (plan.origin.at(a), format!("{r} is a control of this area"));
        }
    }
    (plan.origin.clone(), "in scope".into())
}

/// AUD003 (a nonconformity or observation without its finding) and AUD004 (a result without
/// objective evidence).
fn items(audit: &Audit, out: &mut Vec<Diagnostic>) {
    let Some(checklist) = &audit.checklist else {
        return;
    };
    for item in &checklist.items {
        let result = *item.result.get();
        let r = item.reference.as_str();
        if matches!(result, ItemResult::Nonconformity | ItemResult::Observation)
            && item.finding.is_none()
        {
            out.push(
                Diagnostic::new(
                    Rule::AUD003,
                    format!(
                        "the {} on {r} in audit {} has no finding",
                        result.as_str(),
                        audit.id.as_str()
                    ),
                )
                .at(item.origin.at(&item.result))
                .label(result.as_str())
                .help(format!(
                    "raise the finding (`isms new finding --audit {} --type {} --ref {r}`) and name it here with `finding = \"F-...\"`",
                    audit.id.as_str(),
                    if result == ItemResult::Observation { "observation" } else { "minor-nc" }
                )),
            );
        }
        let no_evidence = item.evidence.as_ref().is_none_or(|e| e.trim().is_empty());
        if result != ItemResult::NotAssessed && no_evidence {
            out.push(
                Diagnostic::new(
                    Rule::AUD004,
                    format!(
                        "the checklist item on {r} in audit {} is `{}` without objective evidence",
                        audit.id.as_str(),
                        result.as_str()
                    ),
                )
                .at(item.origin.at(&item.result))
                .label("no `evidence`")
                .help("record what was sampled, seen or tested (records, dates, sample sizes) in `evidence`, so the result can be traced (9.2.2)"),
            );
        }
    }
}

/// AUD006 (sections) and AUD007 (distribution) of a report.
fn report(cx: &Context<'_>, audit: &Audit, plan: &Plan, out: &mut Vec<Diagnostic>) {
    let Some(report) = &audit.report else { return };
    let aid = audit.id.as_str();
    let have: BTreeSet<String> = report
        .sections
        .iter()
        .map(|s| s.title.trim().to_lowercase())
        .collect();
    // An external audit's report is the outsiders' document: it has no required sections.
    let required: &[&str] = if plan.is_internal() {
        &REPORT_SECTIONS
    } else {
        &[]
    };
    let missing: Vec<String> = required
        .iter()
        .filter(|s| !have.contains(&s.to_lowercase()))
        .map(|s| format!("`## {s}`"))
        .collect();
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                Rule::AUD006,
                format!("the report of audit {aid} lacks {}", and_list(&missing)),
            )
            .at(report.origin.at(&report.front.audit))
            .label(format!(
                "{} of {} required sections missing",
                missing.len(),
                REPORT_SECTIONS.len()
            ))
            .help(format!(
                "a report has the level-2 sections {}",
                REPORT_SECTIONS.join(", ")
            )),
        );
    }
    let f = &report.front;
    // A report sent to a team reached its lead, who answers for it.
    let given: BTreeSet<&str> = f
        .distributed_to
        .iter()
        .flat_map(|p| [p.as_str(), cx.isms.accountable(p.as_str())])
        .collect();
    let mut needed: Vec<(String, String)> = cx
        .isms
        .top_management()
        .map(|p| (p.id.to_string(), "top management".to_string()))
        .collect();
    for area in &plan.areas {
        if let Some(a) = cx.isms.area(area.as_str()) {
            // A team's lead receives the report for it.
            let owner = cx.isms.accountable(a.owner.as_str()).to_string();
            if !needed.iter().any(|(p, _)| *p == owner) {
                let why = if owner == a.owner.as_str() {
                    format!("owner of `{}`", a.id.as_str())
                } else {
                    format!(
                        "lead of `{}`, owner of `{}`; or send it to the team",
                        a.owner.as_str(),
                        a.id.as_str()
                    )
                };
                needed.push((owner, why));
            }
        }
    }
    let absent: Vec<String> = needed
        .iter()
        .filter(|(p, _)| !given.contains(p.as_str()))
        .map(|(p, why)| format!("`{p}` ({why})"))
        .collect();
    let origin = if f.distributed_to.is_empty() {
        report.origin.at(&f.audit)
    } else {
        report.origin.at_span(
            f.distributed_to[0].span().start
                ..f.distributed_to[f.distributed_to.len() - 1].span().end,
        )
    };
    if !absent.is_empty() {
        out.push(
            Diagnostic::new(
                Rule::AUD007,
                format!(
                    "the report of audit {aid} was not distributed to {}",
                    and_list(&absent)
                ),
            )
            .at(origin)
            .label("distributed_to")
            .help("results are reported to relevant management (9.2.2 c): send the report and add them to `distributed_to`, with `distributed_on`"),
        );
    } else if f.distributed_on.is_none() {
        out.push(
            Diagnostic::new(
                Rule::AUD007,
                format!("the report of audit {aid} does not record when it was distributed"),
            )
            .at(origin)
            .label("no `distributed_on`")
            .help(format!(
                "record the day the report was sent, on or after its date: `distributed_on = {}`",
                f.date.get()
            )),
        );
    }
}
