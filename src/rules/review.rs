//! MR: top management reviews the ISMS at planned intervals, with every input of 9.3.2, the
//! audit reports distributed since the previous review, and decisions that are followed up (9.3).

use crate::diagnostics::Diagnostic;
use crate::model::{Decision, ManagementReview};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let reviews = chronological(&cx.isms.management_reviews);
    overdue(cx, &reviews, out);
    let mut previous: Option<&ManagementReview> = None;
    for review in reviews {
        inputs(review, out);
        audits_reviewed(cx, previous, review, out);
        top_management(cx, review, out);
        decisions(cx, review, out);
        if let Some(previous) = previous {
            previous_actions(previous, review, out);
        }
        previous = Some(review);
    }
}

/// The reviews by date (then id), so "the previous review" is well defined.
pub(crate) fn chronological(reviews: &[ManagementReview]) -> Vec<&ManagementReview> {
    let mut sorted: Vec<&ManagementReview> = reviews.iter().collect();
    sorted.sort_by(|a, b| (a.date.get(), a.id.as_str()).cmp(&(b.date.get(), b.id.as_str())));
    sorted
}

/// MR001: the latest review is older than `[management_review] interval_months`; with no review
/// held yet, see [`never_held`].
fn overdue(cx: &Context<'_>, reviews: &[&ManagementReview], out: &mut Vec<Diagnostic>) {
    let months = *cx.config().management_review.interval_months.get();
    let Some(latest) = reviews.iter().rev().find(|r| *r.date.get() <= cx.today) else {
        never_held(cx, months, out);
        return;
    };
    let due = latest.date.get().add_months(i64::from(months));
    if due < cx.today {
        out.push(
            Diagnostic::new(
                Rule::MR001,
                format!(
                    "no management review since {} {}: the next was due on {due}",
                    latest.id.as_str(),
                    latest.date.get()
                ),
            )
            .at(latest.origin.at(&latest.date))
            .label("the latest management review")
            .help(format!(
                "hold a management review and record it in management-reviews/ (`isms schema management-review`); reviews are due every {months} months (`[management_review] interval_months`)"
            )),
        );
    }
}

/// MR001 when no management review has been held: the first one is due `interval_months` after
/// the first audit report was distributed (its results must reach a review, 9.3.2 d 3), and at
/// the latest when the first audit cycle (from `[audit] cycle_start`) ends.
fn never_held(cx: &Context<'_>, months: u32, out: &mut Vec<Diagnostic>) {
    let config = cx.config();
    let first_report = cx
        .isms
        .audits
        .iter()
        .filter_map(|a| {
            let report = a.report.as_ref()?;
            let on = report.front.distributed_on.as_ref()?;
            (*on.get() <= cx.today).then_some((*on.get(), a, report, on))
        })
        .min_by(|x, y| (x.0, x.1.id.as_str()).cmp(&(y.0, y.1.id.as_str())));
    let report_due = first_report
        .as_ref()
        .map(|(on, ..)| on.add_months(i64::from(months)));
    let cycle_due = config.audit.cycle_start.as_ref().map(|start| {
        let first = crate::coverage::nth_cycle(config, cx.today, 0);
        (first.end.add_days(1), start)
    });
    let help = format!(
        "hold a management review and record it in management-reviews/ (`isms new management-review` drafts one from the audits, findings and objectives); reviews are due every {months} months (`[management_review] interval_months`)"
    );
    let diagnostic = match (report_due, &cycle_due) {
        (Some(due), cycle) if due < cx.today && cycle.as_ref().is_none_or(|(c, _)| due <= *c) => {
            let Some((on, audit, report, at)) = first_report else {
                return;
            };
            Diagnostic::new(
                Rule::MR001,
                format!(
                    "no management review has been held: the report of {} was distributed on {on} and its results were due at a review by {due}",
                    audit.id
                ),
            )
            .at(report.origin.at(at))
            .label("its results never reached a management review (9.3.2 d 3)")
        }
        (_, Some((due, start))) if *due < cx.today => {
            let Some(origin) = &cx.isms.config_origin else {
                return;
            };
            Diagnostic::new(
                Rule::MR001,
                format!(
                    "no management review has been held in the first audit cycle, which started on {} and ended on {}",
                    start.get(),
                    due.add_days(-1)
                ),
            )
            .at(origin.at(start))
            .label("the first audit cycle")
        }
        _ => return,
    };
    out.push(diagnostic.help(help));
}

/// MR002: an input of 9.3.2 a) to g) is missing or empty.
fn inputs(review: &ManagementReview, out: &mut Vec<Diagnostic>) {
    let default = Default::default();
    let inputs = review.inputs.as_ref().unwrap_or(&default);
    for (letter, field, text) in inputs.all() {
        if text.is_some_and(|t| !t.trim().is_empty()) {
            continue;
        }
        let at = match text {
            Some(t) => review.origin.at(t),
            None => review.origin.at(&review.id),
        };
        out.push(
            Diagnostic::new(
                Rule::MR002,
                format!(
                    "management review {} lacks input 9.3.2 {letter} `{field}`",
                    review.id.as_str()
                ),
            )
            .at(at)
            .help(format!(
                "write under [inputs] what the review considered, for example:\n[inputs]\n{field} = \"...\""
            )),
        );
    }
}

/// MR003: an audit report distributed after the previous review and before this one is not
/// in `audits_reviewed` (9.3.2 d 3).
fn audits_reviewed(
    cx: &Context<'_>,
    previous: Option<&ManagementReview>,
    review: &ManagementReview,
    out: &mut Vec<Diagnostic>,
) {
    for audit in &cx.isms.audits {
        let Some(distributed) = audit
            .report
            .as_ref()
            .and_then(|r| r.front.distributed_on.as_ref())
        else {
            continue;
        };
        let on = *distributed.get();
        let after_previous = previous.is_none_or(|p| on > *p.date.get());
        if !after_previous || on > *review.date.get() {
            continue;
        }
        if review
            .audits_reviewed
            .iter()
            .any(|a| a.as_str() == audit.id.as_str())
        {
            continue;
        }
        let since = previous.map_or(String::new(), |p| {
            format!(" and after {} ({})", p.id.as_str(), p.date.get())
        });
        out.push(
            Diagnostic::new(
                Rule::MR003,
                format!(
                    "management review {} does not review audit {}, whose report was distributed on {on}",
                    review.id.as_str(),
                    audit.id
                ),
            )
            .at(review.origin.at(&review.date))
            .label(format!("held on {}", review.date.get()))
            .help(format!(
                "add \"{}\" to `audits_reviewed`: its report was distributed before this review{since}",
                audit.id
            )),
        );
    }
}

/// MR004: nobody of top management attended.
fn top_management(cx: &Context<'_>, review: &ManagementReview, out: &mut Vec<Diagnostic>) {
    let attended = review.attendees.iter().chain(review.chair.iter()).any(|p| {
        cx.isms
            .person(p.as_str())
            .is_none_or(|person| *person.top_management.get())
    });
    if attended {
        return;
    }
    let top: Vec<&str> = cx.isms.top_management().map(|p| p.id.as_str()).collect();
    out.push(
        Diagnostic::new(
            Rule::MR004,
            format!(
                "management review {} had no top management attendee",
                review.id.as_str()
            ),
        )
        .at(review.origin.at(&review.id))
        .help(if top.is_empty() {
            "the review is top management's (9.3.1): mark who is top management in people.toml (`top_management = true`) and list them in `attendees`".to_string()
        } else {
            format!(
                "the review is top management's (9.3.1): list one of {} in `attendees`",
                top.join(", ")
            )
        }),
    );
}

/// MR005: a decision without owner or due date, or overdue.
fn decisions(cx: &Context<'_>, review: &ManagementReview, out: &mut Vec<Diagnostic>) {
    for (n, decision) in review.decisions.iter().enumerate() {
        let at = review.origin.at_span(decision.span.clone());
        let name = format!("decision {} of {}", n + 1, review.id.as_str());
        if decision.owner.is_none() || decision.due.is_none() {
            out.push(
                Diagnostic::new(Rule::MR005, format!("{name} has no owner or no due date"))
                    .at(at)
                    .label(decision.description.get().clone())
                    .help("give every decision an `owner` and a `due` date, so its follow-up can be checked (9.3.3)"),
            );
        } else if let Some(due) = decision.due.as_ref().filter(|d| *d.get() < cx.today)
            && decision.completed_on.is_none()
        {
            out.push(
                Diagnostic::new(
                    Rule::MR005,
                    format!("{name} is overdue: it was due on {}", due.get()),
                )
                .at(review.origin.at(due))
                .label(decision.description.get().clone())
                .help("record `completed_on` once done, or agree a new due date and record it"),
            );
        }
    }
}

/// Whether `text` mentions the `n`th (1-based) decision of `review`: by `ID#n` or by its
/// description, ignoring case and spacing.
pub(crate) fn mentions(
    text: &str,
    review: &ManagementReview,
    n: usize,
    decision: &Decision,
) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let text = norm(text);
    let tag = format!("{}#{n}", review.id.as_str()).to_lowercase();
    let description = norm(decision.description.get());
    text.split(|c: char| c.is_whitespace() || ",;()".contains(c))
        .any(|w| w.trim_end_matches(['.', ':']) == tag)
        || (!description.is_empty() && text.contains(&description))
}

/// MR006: a decision of the previous review is not mentioned in `previous_actions`.
fn previous_actions(
    previous: &ManagementReview,
    review: &ManagementReview,
    out: &mut Vec<Diagnostic>,
) {
    let Some(text) = review
        .inputs
        .as_ref()
        .and_then(|i| i.previous_actions.as_ref())
    else {
        return; // MR002 reports the missing input
    };
    for (i, decision) in previous.decisions.iter().enumerate() {
        if mentions(text.get(), previous, i + 1, decision) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::MR006,
                format!(
                    "`previous_actions` of {} does not mention decision {} of {}",
                    review.id.as_str(),
                    i + 1,
                    previous.id.as_str()
                ),
            )
            .at(review.origin.at(text))
            .related(
                previous.origin.at_span(decision.span.clone()),
                decision.description.get().clone(),
            )
            .help(format!(
                "report the status of each decision of the previous review (9.3.2 a): name it `{}#{}` or repeat its description",
                previous.id.as_str(),
                i + 1
            )),
        );
    }
}
