//! OBJ: information security objectives are measurable, evaluated as often as planned, and a
//! missed target leads somewhere: a finding or a management review decision (6.2, 9.1).

use crate::diagnostics::Diagnostic;
use crate::model::Objective;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for objective in &cx.isms.objectives {
        measurable(objective, out);
        evaluated(cx, objective, out);
        missed_target_followed_up(cx, objective, out);
    }
}

/// OBJ001: an objective without measure, target, owner, method or due date.
fn measurable(o: &Objective, out: &mut Vec<Diagnostic>) {
    let blank =
        |s: &Option<crate::model::Spanned<String>>| s.as_ref().is_none_or(|s| s.trim().is_empty());
    let mut missing = Vec::new();
    if blank(&o.measure) {
        missing.push("`measure`".to_string());
    }
    if blank(&o.target) {
        missing.push("`target`".to_string());
    }
    if o.owner.is_none() {
        missing.push("`owner`".to_string());
    }
    if blank(&o.method) {
        missing.push("`method`".to_string());
    }
    if o.due.is_none() {
        missing.push("`due`".to_string());
    }
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::OBJ001,
            format!("objective {} lacks {}", o.id.as_str(), super::finding::and_list(&missing)),
        )
        .at(o.origin.at(&o.id))
        .help("an objective says what is measured (`measure`), the value to reach (`target`), who is responsible (`owner`), how it is evaluated (`method`) and by when (`due`), as 6.2 requires"),
    );
}

/// Months between two evaluations of an objective: `frequency_months`, else 12.
fn frequency(o: &Objective) -> u32 {
    o.frequency_months.as_ref().map_or(12, |f| *f.get())
}

/// OBJ002: the latest result is older than the objective's frequency; an objective never
/// evaluated is reported once its due date has passed.
fn evaluated(cx: &Context<'_>, o: &Objective, out: &mut Vec<Diagnostic>) {
    let months = frequency(o);
    let (message, at) = match o.latest_result() {
        Some(latest) => {
            let due = latest.on.get().add_months(i64::from(months));
            if due >= cx.today {
                return;
            }
            (
                format!(
                    "objective {} was last evaluated on {}; the next evaluation was due on {due}",
                    o.id.as_str(),
                    latest.on.get()
                ),
                o.origin.at(&latest.on),
            )
        }
        None => match &o.due {
            Some(due) if *due.get() < cx.today => (
                format!(
                    "objective {} was never evaluated, and was due on {}",
                    o.id.as_str(),
                    due.get()
                ),
                o.origin.at(due),
            ),
            _ => return,
        },
    };
    out.push(
        Diagnostic::new(Rule::OBJ002, message)
            .at(at)
            .help(format!(
                "measure the objective and add a result, every {months} month(s) (`frequency_months`):\n[[objective.result]]\non = {}\nvalue = \"...\"\nmet = true",
                cx.today
            )),
    );
}

/// Whether a finding or a management review decision names the objective by its id.
pub(crate) fn followed_up(cx: &Context<'_>, o: &Objective) -> bool {
    let id = o.id.as_str();
    let names = |text: &str| {
        text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
            .any(|w| w.trim_end_matches('.') == id)
    };
    let in_finding = cx.isms.findings.iter().any(|f| {
        [&f.statement, &f.evidence]
            .into_iter()
            .flatten()
            .any(|t| names(t.get()))
    });
    in_finding
        || cx
            .isms
            .management_reviews
            .iter()
            .flat_map(|r| &r.decisions)
            .any(|d| names(d.description.get()))
}

/// OBJ003: the latest result missed the target and nothing follows it up.
fn missed_target_followed_up(cx: &Context<'_>, o: &Objective, out: &mut Vec<Diagnostic>) {
    let Some(latest) = o.latest_result() else {
        return;
    };
    if *latest.met.get() || followed_up(cx, o) {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::OBJ003,
            format!(
                "objective {} missed its target on {} ({}) and no finding or management review decision refers to it",
                o.id.as_str(),
                latest.on.get(),
                latest.value.get()
            ),
        )
        .at(o.origin.at(&latest.met))
        .help(format!(
            "decide what to do about it (9.1, 10.2): raise a finding whose statement names `{}`, or record a management review decision that names it",
            o.id.as_str()
        )),
    );
}
