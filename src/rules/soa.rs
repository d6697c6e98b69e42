//! SOA: the Statement of Applicability against Annex A and the risk treatment (6.1.3 d).

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::model::{Basis, ImplStatus, Kind, Origin};
use crate::suggest;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    missing_controls(cx, out);
    for entry in &cx.isms.soa {
        let o = &entry.origin;
        let id = entry.id.as_str();
        if cx.catalog.control(id).is_none() {
            let d = Diagnostic::new(
                Rule::SOA002,
                format!("`{id}` is not a control of ISO/IEC 27001:2022 Annex A"),
            )
            .at(o.at(&entry.id));
            out.push(match suggest::did_you_mean(id, cx.catalog.controls.iter().map(|c| c.id.as_str())) {
                Some(best) => d.label(format!("did you mean `{best}`?")).help("correct the id, or remove the entry"),
                None => d.label("not in Annex A").help("remove the entry; Annex A of 2022 has 93 controls, A.5.1 to A.8.34 (`isms rules` and the site list them)"),
            });
            continue;
        }
        let Some(applicable) = &entry.applicable else {
            out.push(
                Diagnostic::new(Rule::SOA008, format!("{id} has no decision: `applicable` is not set"))
                    .at(o.at(&entry.id))
                    .label("undecided")
                    .help(format!("decide whether {id} applies: set `applicable = true` or `false`, with a `justification`")),
            );
            continue;
        };
        let blank = entry
            .justification
            .as_ref()
            .is_none_or(|j| j.trim().is_empty());
        if blank {
            let (verb, example) = if *applicable.get() {
                (
                    "included",
                    "Treats R-004; required by the customer data processing agreements.",
                )
            } else {
                (
                    "excluded",
                    "No premises of our own: hosting in ISO 27001-certified cloud regions.",
                )
            };
            out.push(
                Diagnostic::new(
                    Rule::SOA003,
                    format!("{id} is {verb} without a justification"),
                )
                .at(o.at(applicable))
                .label(format!("{verb} here"))
                .help(format!(
                    "say why, for example: justification = \"{example}\""
                )),
            );
        }
        if *applicable.get() {
            applicable_entry(entry, o, out);
        }
    }
    risk_treatment(cx, out);
}

fn missing_controls(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    if isms.incomplete.contains(&Kind::Control) {
        return;
    }
    let Some(soa) = &isms.soa_origin else {
        out.push(
            Diagnostic::new(Rule::SOA001, "the ISMS has no Statement of Applicability (soa.toml)")
                .at(isms.config_origin.clone().unwrap_or_default())
                .help("create soa.toml with one [[control]] entry for each of the 93 Annex A controls (`isms schema soa` prints the format)"),
        );
        return;
    };
    let listed: BTreeSet<&str> = isms.soa.iter().map(|c| c.id.as_str()).collect();
    let mut previous: Option<&str> = None;
    for control in &cx.catalog.controls {
        let id = control.id.as_str();
        let unreadable = isms.unreadable.contains(&(Kind::Control, id.to_string()));
        if !listed.contains(id) && !unreadable {
            let after = previous.and_then(|p| isms.soa_entry(p));
            let d = Diagnostic::new(
                Rule::SOA001,
                format!(
                    "{id} ({}) is missing from the Statement of Applicability",
                    control.title
                ),
            );
            out.push(match after {
                Some(e) => d.at(e.origin.clone()).label(format!("{id} belongs after this entry")),
                None => d.at(soa.clone()),
            }
            .help(format!(
                "add an entry for {id}:\n[[control]]\nid = \"{id}\"\napplicable = true   # or false\njustification = \"...\""
            )));
        }
        previous = Some(id);
    }
}

fn applicable_entry(entry: &crate::model::SoaEntry, o: &Origin, out: &mut Vec<Diagnostic>) {
    let id = entry.id.as_str();
    let mut missing = Vec::new();
    if entry.status.is_none() {
        missing.push("`status` (planned, partial or implemented)");
    }
    if entry.owner.is_none() {
        missing.push("`owner` (a person)");
    }
    if !missing.is_empty() {
        out.push(
            Diagnostic::new(
                Rule::SOA004,
                format!(
                    "applicable control {id} has no {}",
                    missing.join(" and no ")
                ),
            )
            .at(o.at(&entry.id))
            .label("applicable control")
            .help(format!("add {} to the entry", missing.join(" and "))),
        );
    }
    let risk_basis = entry.basis.iter().find(|b| *b.get() == Basis::Risk);
    if let Some(basis) = risk_basis
        && entry.risks.is_empty()
    {
        out.push(
            Diagnostic::new(
                Rule::SOA006,
                format!("{id} is included because of risk, but names no risk"),
            )
            .at(o.at(basis))
            .label("basis \"risk\"")
            .help(
                "list the risks it treats, `risks = [\"R-004\"]`, or remove \"risk\" from `basis`",
            ),
        );
    }
    if let Some(status) = &entry.status
        && *status.get() == ImplStatus::Implemented
        && entry.documents.is_empty()
        && entry.evidence.is_empty()
        && entry.implemented_by.is_empty()
    {
        out.push(
            Diagnostic::new(Rule::SOA007, format!("{id} is implemented, but neither documents nor evidence show it"))
                .at(o.at(status))
                .label("implemented")
                .help("name the documents that implement it (`documents = [\"POL-...\"]`) or the evidence of it (`evidence = [\"evidence/...\"]`)"),
        );
    }
}

/// SOA005: a risk's treatment relies on controls the SoA must include.
fn risk_treatment(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    if isms.soa_origin.is_none() || isms.incomplete.contains(&Kind::Control) {
        return;
    }
    for risk in &isms.risks {
        for control in &risk.controls {
            let cid = control.as_str();
            if cx.catalog.control(cid).is_none()
                || isms.unreadable.contains(&(Kind::Control, cid.to_string()))
            {
                continue;
            }
            let rid = risk.id.as_str();
            match isms.soa_entry(cid) {
                None => out.push(
                    Diagnostic::new(Rule::SOA005, format!("risk {rid} relies on {cid}, which the SoA does not list"))
                        .at(risk.origin.at(control))
                        .label("chosen by the risk treatment")
                        .help(format!("add {cid} to soa.toml as applicable, naming {rid} in its `risks`")),
                ),
                Some(entry) if entry.is_excluded() => out.push(
                    Diagnostic::new(Rule::SOA005, format!("risk {rid} relies on {cid}, which the SoA excludes"))
                        .at(risk.origin.at(control))
                        .label("chosen by the risk treatment")
                        .related(entry.applicable.as_ref().map_or(entry.origin.clone(), |a| entry.origin.at(a)), "excluded here")
                        .help(format!("a control chosen to treat a risk is necessary: include {cid} in the SoA, or choose another control for {rid}")),
                ),
                Some(_) => {}
            }
        }
    }
}
