//! RISK: the risk register's scores, treatment, acceptance and review (6.1.2, 6.1.3, 8.2, 8.3).

use crate::diagnostics::Diagnostic;
use crate::model::{Risk, Spanned, Treatment};

use super::{Context, Rule, acceptance};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let settings = &cx.config().risk;
    let likelihoods = i64::from(settings.likelihood_max());
    let impacts = i64::from(settings.impact_max());
    let (l_setting, i_setting) = (
        if settings.likelihood_scale.is_some() {
            "likelihood_scale"
        } else {
            "scale"
        },
        if settings.impact_scale.is_some() {
            "impact_scale"
        } else {
            "scale"
        },
    );
    acceptance::check_entries(cx, out);
    for risk in &cx.isms.risks {
        let o = &risk.origin;
        let rid = risk.id.as_str();
        let scores: [(&str, Option<&Spanned<i64>>, i64, &str); 4] = [
            ("likelihood", Some(&risk.likelihood), likelihoods, l_setting),
            ("impact", Some(&risk.impact), impacts, i_setting),
            (
                "residual_likelihood",
                risk.residual_likelihood.as_ref(),
                likelihoods,
                l_setting,
            ),
            (
                "residual_impact",
                risk.residual_impact.as_ref(),
                impacts,
                i_setting,
            ),
        ];
        let mut in_scale = true;
        for (field, value, scale, setting) in scores {
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
                        "score {field} from 1 to {scale}, as `[risk] {setting}` in isms.toml sets"
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
        if in_scale {
            acceptance_of(cx, risk, out);
        }
        review(cx, risk, out);
    }
}

/// RISK003 (not accepted though its level or score asks for it) and RISK004 (accepted, but not
/// by everyone its level asks for).
fn acceptance_of(cx: &Context<'_>, risk: &Risk, out: &mut Vec<Diagnostic>) {
    let settings = &cx.config().risk;
    let o = &risk.origin;
    let rid = risk.id.as_str();
    let residual = risk.residual_score();
    let level = settings.level_of(residual);
    let by_level = settings.acceptance.is_some();
    let required = acceptance::required(cx, level);
    let who = if required.is_empty() {
        "the risk owner".to_string()
    } else {
        required.join(" and ")
    };
    if settings.needs_acceptance(residual) && !risk.is_accepted() {
        let missing = if risk.accepted_by.is_empty() {
            "`accepted_by` and `accepted_on`"
        } else {
            "`accepted_on`"
        };
        let message = if by_level {
            format!(
                "{rid}: residual risk {residual} is {} and not accepted; [risk.acceptance] asks for {who}",
                level.as_str()
            )
        } else {
            let threshold = settings.acceptance_threshold.get();
            format!(
                "{rid}: residual risk {residual} is above the acceptance threshold {threshold} and not accepted"
            )
        };
        let help = if by_level {
            format!(
                "reduce the residual risk with further controls, or record its acceptance by {who} (owner: `{}`) with {missing}",
                risk.owner.as_str()
            )
        } else {
            format!(
                "reduce the residual risk with further controls, or record its acceptance by the risk owner `{}` with {missing}",
                risk.owner.as_str()
            )
        };
        out.push(
            Diagnostic::new(Rule::RISK003, message)
                .at(risk
                    .residual_impact
                    .as_ref()
                    .map_or_else(|| o.clone(), |r| o.at(r)))
                .label(format!("residual score {residual}, {}", level.as_str()))
                .help(help),
        );
    }
    let Some(first) = risk.accepted_by.first() else {
        return;
    };
    // A level that needs no acceptance may still be accepted: by its owner, as in version 1.
    let required = if required.is_empty() {
        vec![acceptance::OWNER.to_string()]
    } else {
        required
    };
    let unmet = acceptance::unmet(
        cx.isms,
        &required,
        &risk.accepted_by.0,
        Some(risk.owner.as_str()),
    );
    if unmet.is_empty() {
        return;
    }
    let accepted: Vec<&str> = risk.accepted_by.iter().map(|p| p.as_str()).collect();
    let accepted = accepted.join("`, `");
    let d = if by_level {
        Diagnostic::new(Rule::RISK004, format!("{rid} ({} residual risk) was accepted by `{accepted}`, but [risk.acceptance] {} also asks for {}", level.as_str(), level.as_str(), unmet.join(" and ")))
            .at(o.at(first))
            .label(format!("missing: {}", unmet.join(", ")))
            .related(o.at(&risk.owner), "the risk owner")
            .help(format!("record the acceptance of everyone the level asks for (`accepted_by = [...]`): {}; `owner` is the risk owner, `top_management` anyone with `top_management = true`", required.join(", ")))
    } else {
        Diagnostic::new(Rule::RISK004, format!("{rid} was accepted by `{accepted}`, not by its owner `{}`", risk.owner.as_str()))
            .at(o.at(first))
            .label("not the risk owner")
            .related(o.at(&risk.owner), "the risk owner")
            .help("ISO/IEC 27001 6.1.3 f) asks the risk owners to accept residual risk: have the owner accept it, or make the accepting person the owner")
    };
    out.push(d);
}

fn review(cx: &Context<'_>, risk: &Risk, out: &mut Vec<Diagnostic>) {
    let settings = &cx.config().risk;
    let level = settings.level_of(risk.residual_score());
    let months = settings.review_months_for(level);
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
                    .help(format!("review the risk (scores, treatment, owner) and update `reviewed_on`; a {} risk is reviewed every {months} months (`[risk] review_months`)", level.as_str())),
                );
            }
        }
    }
}
