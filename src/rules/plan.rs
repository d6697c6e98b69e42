//! PLAN: each audit is planned with consistent dates, notice to the stakeholders, competent
//! auditors and a scope (9.2.2, 7.2).

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Competence, CompetenceKind, CompetenceRecord};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for audit in &cx.isms.audits {
        let Some(plan) = &audit.plan else { continue };
        let o = &plan.origin;
        let aid = audit.id.as_str();
        let (start, end) = (*plan.start.get(), *plan.end.get());

        // PLAN001: dates in order.
        if end < start {
            out.push(
                Diagnostic::new(
                    Rule::PLAN001,
                    format!("audit {aid} ends on {end}, before it starts on {start}"),
                )
                .at(o.at(&plan.end))
                .label("before `start`")
                .related(o.at(&plan.start), "starts here")
                .help("correct `start` or `end`: an audit ends on or after the day it starts"),
            );
        }
        if let Some(report) = &audit.report {
            let f = &report.front;
            if *f.date.get() < end {
                out.push(
                    Diagnostic::new(Rule::PLAN001, format!("the report of audit {aid} is dated {}, before the audit ends on {end}", f.date.get()))
                        .at(report.origin.at(&f.date))
                        .label("before the end of the audit")
                        .related(o.at(&plan.end), "the audit ends here")
                        .help("date the report on or after the last day of the audit, or correct the plan's `end`"),
                );
            }
            if let Some(on) = &f.distributed_on
                && *on.get() < *f.date.get()
            {
                out.push(
                    Diagnostic::new(Rule::PLAN001, format!("the report of audit {aid} was distributed on {}, before its date {}", on.get(), f.date.get()))
                        .at(report.origin.at(on))
                        .label("before the report's date")
                        .related(report.origin.at(&f.date), "report date")
                        .help("a report is distributed on or after the day it is dated: correct `distributed_on` or `date`"),
                );
            }
        }

        // PLAN002: the stakeholders were told `notice_days` ahead.
        let days = *cx.config().audit.notice_days.get();
        let notice_by = start.add_days(-i64::from(days));
        match &plan.notified_on {
            Some(on) if *on.get() > notice_by => out.push(
                Diagnostic::new(Rule::PLAN002, format!("audit {aid} was notified on {}, {} days before it starts; the programme asks for {days}", on.get(), on.get().days_until(start)))
                    .at(o.at(on))
                    .label(format!("notice due by {notice_by}"))
                    .help(format!("share the plan with the audited areas at least {days} days ahead (`[audit] notice_days`), or move `start` to {} or later", on.get().add_days(i64::from(days)))),
            ),
            Some(_) if plan.notified.is_empty() && notice_by <= cx.today => out.push(
                Diagnostic::new(Rule::PLAN002, format!("audit {aid} names no one it was notified to"))
                    .at(o.at(&plan.id))
                    .label("no `notified`")
                    .help("list the people the plan was shared with: `notified = [\"...\"]` (the audited areas' owners, top management)"),
            ),
            None if notice_by <= cx.today => out.push(
                Diagnostic::new(Rule::PLAN002, format!("audit {aid} starts on {start}, but the plan records no notice to the stakeholders"))
                    .at(o.at(&plan.start))
                    .label(format!("notice due by {notice_by}"))
                    .help(format!("share the plan with the audited areas at least {days} days ahead and record it: `notified = [...]`, `notified_on = {notice_by}`")),
            ),
            _ => {}
        }

        // PLAN003: the auditors are auditors, with a competence record. An external audit's
        // auditors answer to their own body (a certification body's accreditation).
        for who in plan.auditors().filter(|_| plan.is_internal()) {
            let Some(p) = cx.isms.person(who.as_str()) else {
                continue;
            };
            let role = if who.as_str() == plan.lead.as_str() && who.span() == plan.lead.span() {
                "lead"
            } else {
                "team member"
            };
            let years = *cx.config().audit.competence_valid_years.get();
            let valid_from = start.add_months(-12 * i64::from(years));
            let records: Vec<&CompetenceRecord> = p
                .competence
                .iter()
                .filter_map(|c| match c.get() {
                    Competence::Record(r) => Some(r),
                    Competence::Text(_) => None,
                })
                .collect();
            let latest_audit = records
                .iter()
                .filter(|r| *r.kind.get() == CompetenceKind::Audit && *r.on.get() <= start)
                .map(|r| *r.on.get())
                .max();
            let current = latest_audit.is_some_and(|on| on >= valid_from);
            let text_only = records.is_empty()
                && p.competence
                    .iter()
                    .any(|c| matches!(c.get(), Competence::Text(t) if !t.trim().is_empty()));
            let mut lacks = Vec::new();
            if !*p.auditor.get() {
                lacks.push("`auditor = true`".to_string());
            }
            if !current && !text_only {
                lacks.push(match latest_audit {
                    Some(on) => format!("auditing competence record dated within {years} years of the audit (the latest, {on}, is older)"),
                    None => format!("auditing competence record (`kind = \"audit\"`) dated within {years} years of the audit"),
                });
            }
            if !lacks.is_empty() {
                out.push(
                    Diagnostic::new(Rule::PLAN003, format!("`{}`, {role} of audit {aid}, has no {}", who.as_str(), lacks.join(" and no ")))
                        .at(o.at(who))
                        .label("not a qualified auditor")
                        .related(p.origin.at(&p.id), "defined here")
                        .help(format!("auditors are competent on the basis of training or experience (7.2): choose a qualified auditor, or record theirs in people.toml: `auditor = true` and a [[person.competence]] with `kind = \"audit\"` (ISO 19011 or ISO/IEC 27001 auditor training, a certification, supervised audits), `title`, `on` within `[audit] competence_valid_years` ({years}) and `evidence`")),
                );
            } else if text_only {
                let mut d = Diagnostic::new(Rule::PLAN003, format!("the competence of `{}`, {role} of audit {aid}, is recorded as text only and cannot be judged", who.as_str()))
                    .at(o.at(who))
                    .label("competence not judged")
                    .related(p.origin.at(&p.id), "defined here")
                    .help("write each record as a [[person.competence]] table: `kind` (\"audit\" or \"other\"), `title`, `on` (a date) and `evidence` (a path to the certificate), so the check can see that auditing competence is current (7.2)");
                d.severity = Severity::Warning;
                out.push(d);
            }
        }

        // PLAN005: criteria and objectives (9.2.2 a).
        let mut missing = Vec::new();
        if plan.criteria.iter().all(|c| c.trim().is_empty()) {
            missing.push("`criteria`");
        }
        if plan.objectives.as_ref().is_none_or(|o| o.trim().is_empty()) {
            missing.push("`objectives`");
        }
        if !missing.is_empty() {
            out.push(
                Diagnostic::new(Rule::PLAN005, format!("the plan of audit {aid} has no {}", missing.join(" and no ")))
                    .at(o.at(&plan.id))
                    .label(format!("no {}", missing.join(" or ")))
                    .help("define the audit criteria and objectives of each audit (9.2.2 a): `objectives = \"...\"` and `criteria = [\"ISO/IEC 27001:2022 A.5.15-A.5.18\", \"POL-ACCESS\"]`"),
            );
        }

        // PLAN004: a scope.
        let no_controls = plan.controls.as_ref().is_none_or(|c| c.is_empty());
        if plan.areas.is_empty() && plan.clauses.is_empty() && no_controls {
            out.push(
                Diagnostic::new(Rule::PLAN004, format!("audit {aid} has no scope: it names no area, clause or control"))
                    .at(o.at(&plan.id))
                    .label("empty scope")
                    .help("name what is audited: `areas = [...]` (their controls are in scope by default), `clauses = [...]`, `controls = [...]`"),
            );
        }
    }
}
