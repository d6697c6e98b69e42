//! PROG008: each control of the organisation's own catalogue with a `frequency_months` is tested
//! that often: an assessed checklist item naming it, in a completed audit.

use crate::control_tests;
use crate::diagnostics::Diagnostic;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    for control in &isms.internal_controls {
        let Some(frequency) = &control.frequency_months else {
            continue;
        };
        let id = control.id.as_str();
        let tests = control_tests::history(isms, id, cx.today);
        let Some(due) = control_tests::next_due(isms, control, &tests, cx.today) else {
            continue;
        };
        if due >= cx.today {
            continue;
        }
        let months = *frequency.get();
        let every = if months == 1 {
            "every month".to_string()
        } else {
            format!("every {months} months")
        };
        let message = match control_tests::last_tested(&tests) {
            Some(last) => format!(
                "internal control `{id}` is tested {every}, but was last tested by {} on {}: it was due on {due}",
                last.audit, last.on
            ),
            None => format!(
                "internal control `{id}` is tested {every}, but no completed audit has tested it: it was due on {due}"
            ),
        };
        let upcoming = tests.iter().find(|t| t.state.is_upcoming());
        let label = match upcoming {
            Some(t) => format!("planned in {}", t.audit),
            None => format!("due {due}"),
        };
        let mut d = Diagnostic::new(Rule::PROG008, message)
            .at(control.origin.at(frequency))
            .label(label)
            .help(format!(
                "test `{id}` in an audit (a checklist item with `ref = \"{id}\"`, a result and its evidence), or change `frequency_months` if the control is tested less often by design"
            ));
        if let Some(last) = control_tests::last_tested(&tests)
            && let Some(audit) = isms.audit(&last.audit)
            && let Some(plan) = &audit.plan
        {
            d = d.related(plan.origin.at(&plan.end), "the last test");
        }
        out.push(d);
    }
}
