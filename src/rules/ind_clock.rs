//! IND013: no commit is dated in the future of the system clock. Dates decide which work falls
//! in an audit's window, and a date in the future is a wrong clock or a forgery.

use crate::diagnostics::Diagnostic;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(history) = cx.history() else {
        return;
    };
    let origin = cx.isms.config_origin.clone().unwrap_or_default();
    let today = crate::model::Date::today();
    for c in &history.future_dated {
        out.push(
            Diagnostic::new(
                Rule::IND013,
                format!(
                    "commit {} \"{}\" is dated {}, after today's date on this machine ({today}): a wrong clock or a forged date",
                    c.short(),
                    c.subject,
                    c.date
                ),
            )
            .at(origin.clone())
            .help(format!(
                "`git log -1 --format='%an %ad / %cn %cd' {}` shows both dates; fix the clock that made it, or recommit the work with true dates if it is not shared yet",
                c.short()
            )),
        );
    }
}
