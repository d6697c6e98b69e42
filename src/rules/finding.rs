//! FIND: nonconformities are followed through root cause, corrective action, verified
//! effectiveness and closure (10.2).

use crate::coverage;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Action, Date, Finding, FindingStatus, FindingType, Origin, RiskLevel};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in &cx.isms.findings {
        let nc = f.kind.is_nonconformity();
        // Closed by accepting its risk (FIND014 judges the acceptance): no action is due, and
        // no verification of one is needed.
        let accepted = f.closed_by_acceptance();
        if nc {
            described(f, out);
            analysed(cx, f, out);
            if !accepted {
                actions_planned(cx, f, out);
            }
            corrected_before_verified(f, out);
            correction_recorded(f, out);
            risk_assessed(cx, f, out);
        }
        within_audit(cx, f, out);
        if !accepted {
            overdue_actions(cx, f, out);
            closure(f, out);
        }
        verification(cx, f, out);
        major_open(cx, f, out);
    }
}

fn blank(s: &Option<crate::model::Spanned<String>>) -> bool {
    s.as_ref().is_none_or(|s| s.trim().is_empty())
}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// FIND001: a nonconformity states what is not met, on what evidence, against which requirement.
fn described(f: &Finding, out: &mut Vec<Diagnostic>) {
    let mut missing = Vec::new();
    if blank(&f.statement) {
        missing.push("`statement`".to_string());
    }
    if blank(&f.evidence) {
        missing.push("`evidence`".to_string());
    }
    if f.refs.is_empty() {
        missing.push("`refs`".to_string());
    }
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::FIND001,
            format!(
                "nonconformity {} lacks {}",
                f.id.as_str(),
                and_list(&missing)
            ),
        )
        .at(f.origin.at(&f.kind))
        .label(f.kind.as_str())
        .help("a nonconformity states the requirement not met (`statement`), the objective evidence seen (`evidence`) and the clauses or controls concerned (`refs = [\"A.5.18\"]`)"),
    );
}

/// FIND002: the root cause of a nonconformity is analysed within `analysis_days`.
fn analysed(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    if f.root_cause.is_some() {
        return;
    }
    let days = *cx.config().findings.analysis_days.get();
    let due = f.raised_on.get().add_days(i64::from(days));
    if due < cx.today {
        out.push(
            Diagnostic::new(
                Rule::FIND002,
                format!(
                    "nonconformity {} has no root cause analysis; it was due on {due}",
                    f.id.as_str()
                ),
            )
            .at(f.origin.at(&f.raised_on))
            .label(format!("raised {}, analysis due within {days} days", f.raised_on.get()))
            .help("record the analysis: [root_cause] with `analysis`, `method` (for example \"5-whys\"), `by` and `on`"),
        );
    }
}

/// FIND003: an analysed nonconformity has a corrective action with an owner and a due date (a
/// rated finding's actions fall due on its rating's deadline when they name no date).
fn actions_planned(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    let Some(rc) = &f.root_cause else { return };
    let rated = super::finding_rating::deadline(cx, f).is_some();
    if f.actions
        .iter()
        .any(|a| a.owner.is_some() && (a.due.is_some() || rated))
    {
        return;
    }
    let mut d = Diagnostic::new(
        Rule::FIND003,
        format!(
            "nonconformity {} has a root cause but no corrective action with an owner and a due date",
            f.id.as_str()
        ),
    );
    d = match f.actions.first() {
        Some(a) => d
            .at(f.origin.at_span(a.span.clone()))
            .label("this action lacks `owner` or `due`"),
        None => d
            .at(f.origin.at(&rc.analysis))
            .label("root cause analysed here"),
    };
    out.push(d.help("add an [[action]] with `description`, `owner` and `due` that removes the root cause (10.2 c)"));
}

/// FIND004: an open corrective action past its due date; an action of a rated finding without
/// a `due` of its own falls due on the rating's deadline.
fn overdue_actions(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    let rating_deadline = super::finding_rating::deadline(cx, f).map(|(by, _)| by);
    let rating = f.rating.as_ref().map_or("", |r| r.as_str());
    for a in &f.actions {
        if a.completed_on.is_some() {
            continue;
        }
        let (due, at, why) = match (&a.due, rating_deadline) {
            (Some(due), _) => (*due.get(), f.origin.at(due), String::new()),
            (None, Some(by)) => (
                by,
                f.origin.at_span(a.span.clone()),
                format!(", the deadline of its rating `{rating}`,"),
            ),
            (None, None) => continue,
        };
        if due < cx.today {
            let owner = a
                .owner
                .as_ref()
                .map_or(String::new(), |o| format!(" (owner `{}`)", o.as_str()));
            out.push(
                Diagnostic::new(
                    Rule::FIND004,
                    format!(
                        "a corrective action of {} was due on {due}{why} and is not completed{owner}",
                        f.id.as_str(),
                    ),
                )
                .at(at)
                .label(match due.days_until(cx.today) {
                    1 => "1 day overdue".to_string(),
                    n => format!("{n} days overdue"),
                })
                .help("complete the action and record `completed_on`, or agree a new due date with the area owner and record it"),
            );
        }
    }
}

/// FIND005: a finding is closed only after its effectiveness was verified.
fn closure(f: &Finding, out: &mut Vec<Diagnostic>) {
    let Some(c) = &f.closure else { return };
    let why = match &f.verification {
        None => "without a verification of effectiveness".to_string(),
        Some(v) if !*v.effective.get() => {
            format!(
                "although its verification on {} found the actions not effective",
                v.on.get()
            )
        }
        Some(_) => return,
    };
    let mut d = Diagnostic::new(Rule::FIND005, format!("{} was closed {why}", f.id.as_str()))
        .at(f.origin.at(&c.on))
        .label("closed here");
    if let Some(v) = &f.verification {
        d = d.related(f.origin.at(&v.effective), "not effective");
    }
    out.push(d.help("verify that the corrective actions removed the cause ([verification] with `by`, `on`, `effective = true`) before recording [closure]; when they were not effective, plan further actions"));
}

/// FIND006 (verified before the actions were done) and FIND007 (verified by someone not independent).
fn verification(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    let Some(v) = &f.verification else { return };
    let fid = f.id.as_str();
    let open: Vec<&Action> = f
        .actions
        .iter()
        .filter(|a| a.completed_on.is_none())
        .collect();
    if let Some(first) = open.first() {
        out.push(
            Diagnostic::new(
                Rule::FIND006,
                format!(
                    "{fid} was verified on {} while {} of its actions {} not completed",
                    v.on.get(),
                    open.len(),
                    if open.len() == 1 { "is" } else { "are" }
                ),
            )
            .at(f.origin.at(&v.on))
            .label("verified here")
            .related(f.origin.at_span(first.span.clone()), "not completed")
            .help("verify effectiveness after every action is completed (record `completed_on`), or remove actions that were dropped"),
        );
    } else if let Some(done) = f
        .actions
        .iter()
        .filter_map(|a| a.completed_on.as_ref())
        .max_by_key(|c| *c.get())
        && *v.on.get() < *done.get()
    {
        out.push(
            Diagnostic::new(
                Rule::FIND006,
                format!(
                    "{fid} was verified on {}, before its last action was completed on {}",
                    v.on.get(),
                    done.get()
                ),
            )
            .at(f.origin.at(&v.on))
            .label("verified here")
            .related(f.origin.at(done), "completed later")
            .help("effectiveness can only be verified once every action is implemented: verify again and record the new date"),
        );
    }
    let by = v.by.as_str();
    let related = not_independent(cx, f, by);
    if let Some((origin, what)) = related {
        out.push(
            Diagnostic::new(
                Rule::FIND007,
                format!("{fid} was verified by `{by}`, the {what}"),
            )
            .at(f.origin.at(&v.by))
            .label("not independent of the corrective action")
            .related(origin, what)
            .help("effectiveness is verified by someone who neither carried out the actions nor analysed the cause, and who neither owns nor works in the area, usually an auditor: have them verify and record `by`"),
        );
    }
}

/// Why `by` may not verify the finding: they own one of its actions, wrote its root cause, or
/// own or work in its area (the same people IND001 bars from auditing the area).
fn not_independent(cx: &Context<'_>, f: &Finding, by: &str) -> Option<(Origin, String)> {
    if let Some(o) = f
        .actions
        .iter()
        .filter_map(|a| a.owner.as_ref())
        .find(|o| cx.isms.answers_for(o.as_str(), by))
    {
        return Some((
            f.origin.at(o),
            "owner of this corrective action".to_string(),
        ));
    }
    if let Some(area) = f.area.as_ref().and_then(|a| cx.isms.area(a.as_str())) {
        if cx.isms.answers_for(area.owner.as_str(), by) {
            return Some((
                area.origin.at(&area.owner),
                format!("owner of the area `{}`", area.id.as_str()),
            ));
        }
        if let Some(m) = area
            .members
            .iter()
            .find(|m| cx.isms.answers_for(m.as_str(), by))
        {
            return Some((
                area.origin.at(m),
                format!("member of the area `{}`", area.id.as_str()),
            ));
        }
    }
    f.root_cause
        .as_ref()
        .filter(|rc| rc.by.as_str() == by)
        .map(|rc| {
            (
                f.origin.at(&rc.by),
                "author of the root cause analysis".to_string(),
            )
        })
}

/// FIND010: an analysed nonconformity records what was done at once (`correction`, 10.2 a) and
/// whether similar nonconformities exist elsewhere (`similar`, 10.2 b 3).
fn correction_recorded(f: &Finding, out: &mut Vec<Diagnostic>) {
    let Some(rc) = &f.root_cause else { return };
    let mut missing = Vec::new();
    if blank(&f.correction) {
        missing.push("`correction` (what was done at once to control and correct it)".to_string());
    }
    if blank(&f.similar) {
        missing.push(
            "`similar` (whether similar nonconformities exist or could occur elsewhere)"
                .to_string(),
        );
    }
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::FIND010,
            format!("nonconformity {} is analysed but records no {}", f.id.as_str(), and_list(&missing).replace(" and `", " and no `")),
        )
        .at(f.origin.at(&rc.by))
        .label("analysed here")
        .help("10.2 a) and b) ask to react (control and correct) and to look for similar nonconformities: add `correction = \"...\"` and `similar = \"...\"` (where else it was looked for, and what was found) to the finding"),
    );
}

/// The due dates of a finding's actions that fall after `by`.
fn due_after(f: &Finding, by: Date) -> impl Iterator<Item = &crate::model::Spanned<Date>> {
    f.actions
        .iter()
        .filter_map(|a| a.due.as_ref())
        .filter(move |due| *due.get() > by)
}

/// FIND011: a nonconformity carries its assessed `risk`, and its actions fall due within
/// `[findings] action_days` of raising for that risk (a warning).
fn risk_assessed(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    // A rating is the organisation's assessment, with its own deadline for the actions.
    if let Some((by, months)) = super::finding_rating::deadline(cx, f) {
        let rating = f.rating.as_ref().map_or("", |r| r.as_str());
        for due in due_after(f, by) {
            let mut d = Diagnostic::new(
                Rule::FIND011,
                format!(
                    "an action of {} (rated `{rating}`) is due on {}, after its rating's deadline of {months} months ({by})",
                    f.id.as_str(),
                    due.get()
                ),
            )
            .at(f.origin.at(due))
            .label(format!("due by {by}"))
            .help(format!("bring the action forward to {by}, or split it into a first step due by then and a later one (`[findings.ratings]` sets {months} months for `{rating}`)"));
            d.severity = Severity::Warning;
            out.push(d);
        }
        return;
    }
    let Some(risk) = &f.risk else {
        out.push(
            Diagnostic::new(
                Rule::FIND011,
                format!("nonconformity {} has no assessed `risk`", f.id.as_str()),
            )
            .at(f.origin.at(&f.kind))
            .label("no `risk`")
            .help("assess the nonconformity's effects and record them: `risk = \"high\"`, `\"medium\"` or `\"low\"`; the corrective actions are due by it (`[findings] action_days`)"),
        );
        return;
    };
    // With isms.toml unreadable (LOAD reported it), the defaults are not the organisation's.
    let Some(config) = &cx.isms.config else {
        return;
    };
    let days = &config.findings.action_days;
    let limit = match risk.get() {
        RiskLevel::High => days.high,
        RiskLevel::Medium => days.medium,
        RiskLevel::Low => days.low,
    };
    let by = f.raised_on.get().add_days(i64::from(limit));
    for due in due_after(f, by) {
        let mut d = Diagnostic::new(
            Rule::FIND011,
            format!(
                "an action of {} ({} risk) is due on {}, more than {limit} days after it was raised on {}",
                f.id.as_str(),
                risk.as_str(),
                due.get(),
                f.raised_on.get()
            ),
        )
        .at(f.origin.at(due))
        .label(format!("due by {by} for a {} risk", risk.as_str()))
        .related(f.origin.at(risk), "assessed risk")
        .help(format!("corrective actions are appropriate to the effects of the nonconformity (10.2): bring the action forward to {by}, split it into a first step due by then and a later one, or change `[findings] action_days` if the programme allows longer"));
        d.severity = Severity::Warning;
        out.push(d);
    }
}

/// FIND009: a nonconformity verified or closed without a root cause and a completed action.
fn corrected_before_verified(f: &Finding, out: &mut Vec<Diagnostic>) {
    let (at, what) = match (&f.verification, &f.closure) {
        (Some(v), _) if *v.effective.get() => (f.origin.at(&v.by), "verified as effective"),
        (_, Some(c)) => (f.origin.at(&c.by), "closed"),
        _ => return,
    };
    let mut missing = Vec::new();
    if f.root_cause.is_none() {
        missing.push("a root cause analysis".to_string());
    }
    // Accepting the risk decides that no action is needed (10.2 b), after the cause is known.
    if !f.closed_by_acceptance() && !f.actions.iter().any(|a| a.completed_on.is_some()) {
        missing.push("a completed corrective action".to_string());
    }
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::FIND009,
            format!(
                "nonconformity {} was {what} without {}",
                f.id.as_str(),
                and_list(&missing).replace(" and ", " or ")
            ),
        )
        .at(at)
        .label(what)
        .help("a nonconformity is closed by removing its cause (10.2 b-d): record `[root_cause]`, at least one `[[action]]` with `completed_on`, and verify its effectiveness after that"),
    );
}

/// FIND012: a finding belongs to its audit: its references are in the audit's scope, and it
/// was raised by the day of the audit's report.
fn within_audit(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    let Some(audit) = cx.isms.audit(f.audit.as_str()) else {
        return; // REF001
    };
    let Some(plan) = &audit.plan else { return };
    let aid = audit.id.as_str();
    let scope = coverage::scope(cx.isms, plan);
    for r in &f.refs {
        let id = r.as_str();
        if scope.includes(cx.isms, id) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::FIND012,
                format!("{} is raised against {id}, which is outside the scope of audit {aid}", f.id.as_str()),
            )
            .at(f.origin.at(r))
            .label("not in the audit's scope")
            .related(plan.origin.at(&plan.id), "the audit's plan")
            .help(format!("an audit finds only against what it audited (9.2.2 a): correct `refs`, name the audit that had {id} in scope, or record the nonconformity through the process that found it")),
        );
    }
    if let Some(report) = &audit.report {
        let dated = *report.front.date.get();
        if *f.raised_on.get() > dated {
            out.push(
                Diagnostic::new(
                    Rule::FIND012,
                    format!(
                        "{} was raised on {}, after the report of audit {aid} was dated {dated}",
                        f.id.as_str(),
                        f.raised_on.get()
                    ),
                )
                .at(f.origin.at(&f.raised_on))
                .label("after the report")
                .related(report.origin.at(&report.front.date), "the report's date")
                .help("the findings of an audit are raised by its report: correct `raised_on`, or record a later nonconformity against the audit or process that found it"),
            );
        }
    }
}

/// FIND008: a major nonconformity still open `major_max_days` after it was raised, or a rated
/// finding still open after its rating's deadline.
fn major_open(cx: &Context<'_>, f: &Finding, out: &mut Vec<Diagnostic>) {
    if f.status() == FindingStatus::Closed {
        return;
    }
    if let Some((limit, months)) = super::finding_rating::deadline(cx, f) {
        if limit < cx.today {
            let rating = f.rating.as_ref().map_or("", |r| r.as_str());
            out.push(
                Diagnostic::new(
                    Rule::FIND008,
                    format!(
                        "{} {} rated `{rating}` has been open since {}, past its deadline of {months} months (status {})",
                        f.kind.as_str(),
                        f.id.as_str(),
                        f.raised_on.get(),
                        f.status().as_str()
                    ),
                )
                .at(f.origin.at(&f.kind))
                .label(format!("to be closed by {limit}"))
                .related(f.origin.at(&f.raised_on), "raised here")
                .help("complete and verify the corrective actions and close the finding, or agree a new deadline as the rating's procedure allows (`[findings.ratings]`)"),
            );
        }
        return;
    }
    if *f.kind.get() != FindingType::MajorNc {
        return;
    }
    let days = *cx.config().findings.major_max_days.get();
    let limit: Date = f.raised_on.get().add_days(i64::from(days));
    if limit < cx.today {
        let d = Diagnostic::new(
            Rule::FIND008,
            format!(
                "major nonconformity {} has been open since {}, longer than {days} days (status {})",
                f.id.as_str(),
                f.raised_on.get(),
                f.status().as_str()
            ),
        )
        .at(f.origin.at(&f.kind))
        .label(format!("to be closed by {limit}"));
        out.push(d.related(f.origin.at(&f.raised_on), "raised here").help("complete and verify the corrective actions and close the finding; a major nonconformity left open puts certification at risk"));
    }
}
