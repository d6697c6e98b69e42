//! LOAD005: a date that records something done (an approval, a completion, a verification)
//! cannot lie after today; such a record is a typo or was written ahead of the event.

use crate::diagnostics::Diagnostic;
use crate::model::{Date, Origin, Spanned};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut past = PastDates {
        today: cx.today,
        out,
    };
    for doc in &cx.isms.documents {
        let f = &doc.front;
        past.check(
            &doc.origin,
            f.id.as_str(),
            "approved_on",
            f.approved_on.as_ref(),
        );
    }
    for risk in &cx.isms.risks {
        let id = risk.id.as_str();
        past.check(&risk.origin, id, "accepted_on", risk.accepted_on.as_ref());
        past.check(&risk.origin, id, "reviewed_on", risk.reviewed_on.as_ref());
    }
    for exception in &cx.isms.exceptions {
        let id = exception.id.as_str();
        let approved = exception.approved_on.as_ref();
        past.check(&exception.origin, id, "approved_on", approved);
    }
    for audit in &cx.isms.audits {
        let id = audit.id.as_str();
        if let Some(plan) = &audit.plan {
            past.check(&plan.origin, id, "notified_on", plan.notified_on.as_ref());
            for waiver in &plan.waivers {
                past.check(
                    &plan.origin,
                    id,
                    "waiver approved_on",
                    Some(&waiver.approved_on),
                );
            }
        }
        if let Some(report) = &audit.report {
            let front = &report.front;
            past.check(&report.origin, id, "report date", Some(&front.date));
            past.check(
                &report.origin,
                id,
                "distributed_on",
                front.distributed_on.as_ref(),
            );
        }
    }
    for f in &cx.isms.findings {
        let (o, id) = (&f.origin, f.id.as_str());
        past.check(o, id, "raised_on", Some(&f.raised_on));
        past.check(o, id, "root cause on", f.root_cause.as_ref().map(|r| &r.on));
        for action in &f.actions {
            let origin = o.at_span(action.span.clone());
            past.check(&origin, id, "completed_on", action.completed_on.as_ref());
        }
        past.check(
            o,
            id,
            "verification on",
            f.verification.as_ref().map(|v| &v.on),
        );
        past.check(o, id, "closure on", f.closure.as_ref().map(|c| &c.on));
    }
}

struct PastDates<'o> {
    today: Date,
    out: &'o mut Vec<Diagnostic>,
}

impl PastDates<'_> {
    fn check(&mut self, origin: &Origin, id: &str, field: &str, date: Option<&Spanned<Date>>) {
        let Some(date) = date else {
            return;
        };
        if *date.get() <= self.today {
            return;
        }
        self.out.push(
            Diagnostic::new(
                Rule::LOAD005,
                format!("{id}: {field} {} is after today ({})", date.get(), self.today),
            )
            .at(origin.at(date))
            .label("in the future")
            .help("record a date once the event has happened: correct a typo, or remove the date until then (`--today` sets the day the check measures from)"),
        );
    }
}
