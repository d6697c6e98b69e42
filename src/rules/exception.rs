//! EXC: exceptions to controls are time-limited and approved by whom the risk they leave asks
//! for. An expired exception is a control not applied without anyone's decision (EXC001); an
//! exception approved by the wrong people is a risk nobody entitled accepted (EXC002, read
//! through `[risk.acceptance]` as RISK004 reads it).

use crate::diagnostics::Diagnostic;
use crate::model::Exception;

use super::{Context, Rule, acceptance};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for exception in &cx.isms.exceptions {
        expired(cx, exception, out);
        approved(cx, exception, out);
    }
}

/// EXC001: `expires_on` lies before today.
fn expired(cx: &Context<'_>, e: &Exception, out: &mut Vec<Diagnostic>) {
    if !e.is_expired(cx.today) {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::EXC001,
            format!(
                "exception {} to {} expired on {} and was not renewed",
                e.id.as_str(),
                e.control.as_str(),
                e.expires_on.get()
            ),
        )
        .at(e.origin.at(&e.expires_on))
        .label(format!("{} days before {}", -e.days_left(cx.today), cx.today))
        .help(format!(
            "apply {} as the SoA says and delete the exception (git keeps its history), or renew it: have it approved again (`approved_by`, `approved_on`) and set a later `expires_on`",
            e.control.as_str()
        )),
    );
}

/// EXC002: the approvers do not satisfy every entry `[risk.acceptance]` has for the level of
/// the exception's risk (without that table, or without an entry for the level: the owner of
/// the excepted control).
fn approved(cx: &Context<'_>, e: &Exception, out: &mut Vec<Diagnostic>) {
    let level = *e.risk.get();
    let mut required = acceptance::required(cx, level);
    let by_level = !required.is_empty() && cx.config().risk.acceptance.is_some();
    if required.is_empty() {
        required.push(acceptance::OWNER.to_string());
    }
    let control = e.control.as_str();
    let owner = cx
        .isms
        .internal_control(control)
        .and_then(|c| c.owner.as_ref())
        .or_else(|| cx.isms.soa_entry(control).and_then(|s| s.owner.as_ref()))
        .map(|o| o.as_str());
    let name = |entry: &str| match entry {
        acceptance::OWNER => match owner {
            Some(o) => format!("the owner of {control} (`{o}`)"),
            None => format!("the owner of {control} (none recorded in soa.toml or controls.toml)"),
        },
        acceptance::TOP_MANAGEMENT => "top management".to_string(),
        person_or_team => format!("`{person_or_team}`"),
    };
    let names = |entries: &[&str]| {
        entries
            .iter()
            .map(|e| name(e))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let all: Vec<&str> = required.iter().map(String::as_str).collect();
    let id = e.id.as_str();
    let level_name = level.as_str();
    let rule = if by_level {
        format!("[risk.acceptance] {level_name} asks for")
    } else {
        "without a [risk.acceptance] entry for its level, it needs".to_string()
    };
    if !e.is_approved() {
        let missing = if e.approved_by.is_empty() {
            "`approved_by` and `approved_on`"
        } else {
            "`approved_on`"
        };
        out.push(
            Diagnostic::new(
                Rule::EXC002,
                format!(
                    "exception {id} to {control} ({level_name} risk) is not approved; {rule} {}",
                    names(&all)
                ),
            )
            .at(e.origin.at(&e.risk))
            .label(format!("no {missing}"))
            .help(format!(
                "record the approval of {} with {missing}",
                names(&all)
            )),
        );
        return;
    }
    let unmet = acceptance::unmet(cx.isms, &required, &e.approved_by.0, owner);
    if unmet.is_empty() {
        return;
    }
    let by: Vec<&str> = e.approved_by.iter().map(|p| p.as_str()).collect();
    let at = e
        .approved_by
        .first()
        .map_or_else(|| e.origin.clone(), |p| e.origin.at(p));
    out.push(
        Diagnostic::new(
            Rule::EXC002,
            format!(
                "exception {id} to {control} ({level_name} risk) was approved by `{}`, but not by {}: {}",
                by.join("`, `"),
                names(&unmet),
                if by_level {
                    format!("{rule} {}", names(&all))
                } else {
                    "the owner of the excepted control approves when [risk.acceptance] has no entry for the level".to_string()
                }
            ),
        )
        .at(at)
        .label(format!("missing: {}", unmet.join(", ")))
        .help(format!(
            "record the approval of everyone it needs in `approved_by` (one id or a list): {}; the level is set by `risk`, who approves each level by `[risk.acceptance]` in isms.toml",
            names(&all)
        )),
    );
}
