//! INC: serious incidents get a post-incident review in time, and an audit validates the
//! changes made after them (A.5.27, 9.2: audits validate the changes after a breach).

use crate::diagnostics::Diagnostic;
use crate::model::{Audit, Incident, ItemResult, RequirementRef};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for incident in &cx.isms.incidents {
        reviewed(cx, incident, out);
        validated(cx, incident, out);
    }
}

/// INC001: an incident at or above `review_severity` without a review within `review_days`
/// of its resolution.
fn reviewed(cx: &Context<'_>, i: &Incident, out: &mut Vec<Diagnostic>) {
    let settings = &cx.config().incidents;
    if i.severity.get() < settings.review_severity.get() {
        return;
    }
    let Some(resolved) = &i.resolved_on else {
        return;
    };
    let days = *settings.review_days.get();
    let due = resolved.get().add_days(i64::from(days));
    let (message, at) = match &i.review {
        Some(review) if *review.on.get() <= due => return,
        Some(review) => (
            format!(
                "the post-incident review of {} was held on {}, after {due} ({days} days after resolution)",
                i.id.as_str(),
                review.on.get()
            ),
            i.origin.at(&review.on),
        ),
        None if due >= cx.today => return,
        None => (
            format!(
                "{} incident {} has no post-incident review; it was due on {due}",
                i.severity.get().as_str(),
                i.id.as_str()
            ),
            i.origin.at(&i.severity),
        ),
    };
    out.push(
        Diagnostic::new(Rule::INC001, message)
            .at(at)
            .help(format!(
                "review the incident within {days} days of its resolution (`[incidents] review_days`) and record it:\n[review]\non = ...\nby = \"...\"\nlessons = \"...\""
            )),
    );
}

/// Whether `audit` validates the changes after `i`: it started after the review, it ended,
/// and its assessed checklist items cover every control of the incident.
fn validates(
    cx: &Context<'_>,
    audit: &Audit,
    i: &Incident,
    reviewed_on: crate::model::Date,
) -> bool {
    let (Some(plan), Some(checklist)) = (&audit.plan, &audit.checklist) else {
        return false;
    };
    if *plan.start.get() <= reviewed_on || *plan.end.get() > cx.today {
        return false;
    }
    i.controls.iter().all(|control| {
        checklist.items.iter().any(|item| {
            *item.result.get() != ItemResult::NotAssessed
                && matches!(item.reference.get(), RequirementRef::Control(c) if c == control.get())
        })
    })
}

/// INC002: a high or critical incident whose changes no completed audit validated within
/// `audit_months` of the review.
fn validated(cx: &Context<'_>, i: &Incident, out: &mut Vec<Diagnostic>) {
    if !i.is_serious() {
        return;
    }
    let Some(review) = &i.review else {
        return; // INC001's concern
    };
    let months = *cx.config().incidents.audit_months.get();
    let due = review.on.get().add_months(i64::from(months));
    let in_time = cx.isms.audits.iter().any(|a| {
        a.plan.as_ref().is_some_and(|p| *p.start.get() <= due)
            && validates(cx, a, i, *review.on.get())
    });
    if in_time || due >= cx.today {
        return;
    }
    let controls: Vec<&str> = i.controls.iter().map(|c| c.as_str()).collect();
    let d = Diagnostic::new(
        Rule::INC002,
        format!(
            "no completed audit validated the changes after {} incident {} by {due}",
            i.severity.get().as_str(),
            i.id.as_str()
        ),
    );
    let d = match &review.audit {
        Some(named) => d
            .at(i.origin.at(named))
            .label("this audit does not validate the changes"),
        None => d.at(i.origin.at(&review.on)).label("reviewed here"),
    };
    out.push(d.help(format!(
                "audit the changes within {months} months of the review (`[incidents] audit_months`): an audit that starts after {}, assesses {} in its checklist and has ended; then name it in `[review] audit`",
                review.on.get(),
                if controls.is_empty() { "the incident's controls".to_string() } else { controls.join(", ") }
            )));
}
