//! FIND014: a finding closed by accepting its risk (`[closure] basis = "risk-accepted"`) instead
//! of verified corrective action. 10.2 b) lets the organisation decide that no action is needed;
//! the decision is a risk acceptance (6.1.3 f), so it names the risk entry and is made by those
//! `[risk.acceptance]` asks for at that risk's level. A major nonconformity is never accepted.

use crate::diagnostics::Diagnostic;
use crate::model::{Closure, Finding, FindingType};

use super::{Context, Rule, acceptance};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for f in &cx.isms.findings {
        let Some(closure) = f.closure.as_ref().filter(|c| c.is_risk_accepted()) else {
            continue;
        };
        if let Some(d) = judge(cx, f, closure) {
            out.push(d);
        }
    }
}

fn judge(cx: &Context<'_>, f: &Finding, closure: &Closure) -> Option<Diagnostic> {
    let fid = f.id.as_str();
    let o = &f.origin;
    let basis = closure.basis.as_ref()?;
    if *f.kind.get() == FindingType::MajorNc {
        return Some(
            Diagnostic::new(
                Rule::FIND014,
                format!("major nonconformity {fid} was closed by accepting its risk"),
            )
            .at(o.at(basis))
            .label("not for a major nonconformity")
            .related(o.at(&f.kind), "major-nc")
            .help("a major nonconformity is corrected: plan and complete corrective actions, verify them ([verification] with `effective = true`) and close with the default `basis = \"verified\"`; if the nonconformity is in fact minor, correct its `type` (and `rating`)"),
        );
    }
    let Some(risk_id) = &closure.risk else {
        return Some(
            Diagnostic::new(
                Rule::FIND014,
                format!("{fid} was closed by accepting its risk, but names no risk entry"),
            )
            .at(o.at(basis))
            .label("which risk was accepted?")
            .help("record the accepted risk in risks.toml (treatment `retain`, with its residual scores and acceptance) and name it in the closure: `risk = \"R-012\"`"),
        );
    };
    // An unknown risk is REF001's.
    let risk = cx.isms.risk(risk_id.as_str())?;
    let level = cx.config().risk.level_of(risk.residual_score());
    let mut required = acceptance::required(cx, level);
    if required.is_empty() {
        required = vec![acceptance::OWNER.to_string()];
    }
    let rid = risk.id.as_str();
    let unmet = acceptance::unmet(
        cx.isms,
        &required,
        &closure.accepted_by.0,
        Some(risk.owner.as_str()),
    );
    if unmet.is_empty() {
        return None;
    }
    let owner = risk.owner.as_str();
    let who = |entries: &[&str]| {
        let named: Vec<String> = entries
            .iter()
            .map(|e| match *e {
                acceptance::OWNER => format!("its owner `{owner}`"),
                acceptance::TOP_MANAGEMENT => "a member of top management".to_string(),
                other => format!("`{other}`"),
            })
            .collect();
        super::finding::and_list(&named)
    };
    let required_refs: Vec<&str> = required.iter().map(String::as_str).collect();
    let asked = format!(
        "the {} risk {rid} asks for {}",
        level.as_str(),
        who(&required_refs)
    );
    let help = format!(
        "record in the closure everyone who accepted: `accepted_by = [...]` satisfying {}; `owner` is the owner of {rid} (`{}`), `top_management` anyone with `top_management = true`",
        required.join(", "),
        risk.owner.as_str()
    );
    let d = match closure.accepted_by.first() {
        None => Diagnostic::new(
            Rule::FIND014,
            format!(
                "{fid} was closed by accepting risk {rid}, but records no `accepted_by`; {asked}"
            ),
        )
        .at(o.at(basis))
        .label("accepted by whom?"),
        Some(first) => Diagnostic::new(
            Rule::FIND014,
            format!(
                "{fid} was closed by accepting risk {rid}, but {asked}: missing {}",
                who(&unmet)
            ),
        )
        .at(o.at(first))
        .label(format!("missing: {}", unmet.join(", "))),
    };
    Some(
        d.related(risk.origin.at(&risk.id), "the accepted risk")
            .help(help),
    )
}
