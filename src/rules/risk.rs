//! RISK: the risk register's scores, treatment, acceptance and review (6.1.2, 6.1.3, 8.2, 8.3).

use crate::diagnostics::Diagnostic;
use crate::model::{Spanned, Treatment};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let settings = &cx.config().risk;
    let scale = i64::from(*settings.scale.get());
    let threshold = i64::from(*settings.acceptance_threshold.get());
    for risk in &cx.isms.risks {
        let o = &risk.origin;
        let rid = risk.id.as_str();
        let scores: [(&str, Option<&Spanned<i64>>); 4] = [
            ("likelihood", Some(&risk.likelihood)),
            ("impact", Some(&risk.impact)),
            ("residual_likelihood", risk.residual_likelihood.as_ref()),
            ("residual_impact", risk.residual_impact.as_ref()),
        ];
        let mut in_scale = true;
        for (field, value) in scores {
            if let Some(v) = value
                && !(1..=scale).contains(v.get())
            {
                in_scale = false;
                out.push(
                    Diagnostic::new(
                        Rule::RISK001,
                        format!(
                            "{rid}: {field} {} is outside the scale 1 to {scale}",
                            v.get()
                        ),
                    )
                    .at(o.at(v))
                    .label(format!("must be 1 to {scale}"))
                    .help(format!(
                        "score {field} from 1 to {scale}, as `[risk] scale` in isms.toml sets"
                    )),
                );
            }
        }
        if *risk.treatment.get() == Treatment::Modify && risk.controls.is_empty() {
            out.push(
                Diagnostic::new(Rule::RISK002, format!("{rid} is treated by \"modify\" but names no controls"))
                    .at(o.at(&risk.treatment))
                    .label("modify")
                    .help("list the Annex A controls that reduce the risk, `controls = [\"A.5.15\"]`, or choose another treatment"),
            );
        }
        let residual = risk.residual_score();
        let accepted = risk.accepted_by.is_some() && risk.accepted_on.is_some();
        if in_scale && residual > threshold && !accepted {
            let missing = if risk.accepted_by.is_some() {
                "`accepted_on`"
            } else {
                "`accepted_by` and `accepted_on`"
            };
            out.push(
                Diagnostic::new(Rule::RISK003, format!("{rid}: residual risk {residual} is above the acceptance threshold {threshold} and not accepted"))
                    .at(risk.residual_impact.as_ref().map_or_else(|| o.clone(), |r| o.at(r)))
                    .label(format!("residual score {residual}"))
                    .help(format!("reduce the residual risk with further controls, or record its acceptance by the risk owner `{}` with {missing}", risk.owner.as_str())),
            );
        }
        if let Some(by) = &risk.accepted_by
            && by.as_str() != risk.owner.as_str()
            && by.as_str() != cx.isms.accountable(risk.owner.as_str())
        {
            out.push(
                Diagnostic::new(Rule::RISK004, format!("{rid} was accepted by `{}`, not by its owner `{}`", by.as_str(), risk.owner.as_str()))
                    .at(o.at(by))
                    .label("not the risk owner")
                    .related(o.at(&risk.owner), "the risk owner")
                    .help("ISO/IEC 27001 6.1.3 f) asks the risk owners to accept residual risk: have the owner accept it, or make the accepting person the owner"),
            );
        }
        review(cx, risk, out);
    }
}

fn review(cx: &Context<'_>, risk: &crate::model::Risk, out: &mut Vec<Diagnostic>) {
    let months = *cx.config().risk.review_months.get();
    let rid = risk.id.as_str();
    match &risk.reviewed_on {
        None => out.push(
            Diagnostic::new(Rule::RISK005, format!("{rid} has no review date"))
                .at(risk.origin.clone())
                .help(format!(
                    "review the risk and record the day: reviewed_on = {}",
                    cx.today
                )),
        ),
        Some(on) => {
            let due = on.get().add_months(i64::from(months));
            if due < cx.today {
                out.push(
                    Diagnostic::new(
                        Rule::RISK005,
                        format!(
                            "{rid} was last reviewed on {}; its review was due on {due}",
                            on.get()
                        ),
                    )
                    .at(risk.origin.at(on))
                    .label(format!("more than {months} months before {}", cx.today))
                    .help("review the risk (scores, treatment, owner) and update `reviewed_on`"),
                );
            }
        }
    }
}
