//! FW: the regulatory overlays isms.toml enables, against the SoA (FW001, FW002), and the
//! references of the user's own packs (REF001).

use crate::diagnostics::Diagnostic;
use crate::frameworks::{Pack, Requirement, mapping};
use crate::model::{ImplStatus, Origin, Spanned};
use crate::suggest;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(config) = &cx.isms.config else {
        return;
    };
    let config_origin = cx.isms.config_origin.clone().unwrap_or_default();
    for pack in &cx.isms.frameworks {
        let enabled = config
            .frameworks
            .iter()
            .find(|n| n.as_str() == pack.name.as_str())
            .map(|n| config_origin.at(n))
            .unwrap_or_else(|| config_origin.clone());
        for requirement in &pack.requirements {
            references(cx, requirement, out);
            exclusions(cx, pack, requirement, &enabled, out);
        }
    }
}

/// REF001 for a control or clause of a user's pack that ISO/IEC 27001:2022 does not have.
fn references(cx: &Context<'_>, r: &Requirement, out: &mut Vec<Diagnostic>) {
    let Some(origin) = &r.origin else { return };
    for control in &r.controls {
        if cx.catalog.control(control.as_str()).is_none() {
            let ids = cx.catalog.controls.iter().map(|c| c.id.as_str());
            out.push(unknown(
                origin,
                control,
                "an Annex A control",
                suggest::did_you_mean(control.as_str(), ids),
            ));
        }
    }
    for clause in &r.clauses {
        if !cx
            .catalog
            .clause(clause.as_str())
            .is_some_and(|c| c.requirement)
        {
            let ids = cx.catalog.requirement_clauses().map(|c| c.id.as_str());
            out.push(unknown(
                origin,
                clause,
                "a requirement clause of 4-10",
                suggest::did_you_mean(clause.as_str(), ids),
            ));
        }
    }
}

fn unknown<T: AsRef<str>>(
    origin: &Origin,
    id: &Spanned<T>,
    what: &str,
    best: Option<&str>,
) -> Diagnostic {
    let id_str = id.get().as_ref();
    let d = Diagnostic::new(
        Rule::REF001,
        format!("`{id_str}` is not {what} of ISO/IEC 27001:2022"),
    )
    .at(origin.at(id));
    match best {
        Some(best) => d
            .label(format!("did you mean `{best}`?"))
            .help("correct the id; `isms explain REF001` shows how references are written"),
        None => d.label("unknown").help(
            "map the requirement to Annex A controls (`A.5.34`) and requirement clauses (`6.1.2`)",
        ),
    }
}

/// FW001 when every mapped control is excluded; FW002 when none is implemented otherwise.
fn exclusions(
    cx: &Context<'_>,
    pack: &Pack,
    r: &Requirement,
    enabled: &Origin,
    out: &mut Vec<Diagnostic>,
) {
    let framework = pack.name.as_str();
    // The pack's controls and those the organisation's own controls bring (one mapping).
    let mapped = mapping::mapped_controls(cx.isms, framework, r);
    if mapped.is_empty() {
        return;
    }
    let entries: Vec<_> = mapped.iter().map(|c| cx.isms.soa_entry(c)).collect();
    let controls = mapped.join(", ");
    if entries.iter().all(|e| e.is_some_and(|e| e.is_excluded())) {
        let Some(first) = entries.iter().flatten().next() else {
            return;
        };
        let at = first
            .applicable
            .as_ref()
            .map_or_else(|| first.origin.clone(), |a| first.origin.at(a));
        let mut d = Diagnostic::new(
            Rule::FW001,
            format!(
                "{} ({framework}: {}) needs {controls}, but the SoA excludes {}",
                r.citation.as_str(),
                r.title.as_str(),
                if mapped.len() == 1 { "it" } else { "them all" }
            ),
        )
        .at(at)
        .label("excluded here")
        .related(enabled.clone(), format!("{framework} is enabled here"));
        if let Some(origin) = &r.origin {
            d = d.related(origin.at(&r.id), "the requirement");
        }
        out.push(d.help(format!(
            "include {} in the SoA with its implementation, or, if another control answers {}, map it in `.isms/frameworks/{framework}.toml` (`extends = true`, a `[[requirement]]` with id `{}`)",
            if mapped.len() == 1 { "the control" } else { "at least one of them" },
            r.citation.as_str(),
            r.id.as_str()
        )));
        return;
    }
    let implemented = entries.iter().flatten().any(|e| {
        e.is_applicable()
            && e.status
                .as_ref()
                .is_some_and(|s| *s.get() == ImplStatus::Implemented)
    });
    if !implemented {
        let mut d = Diagnostic::new(
            Rule::FW002,
            format!(
                "{} ({framework}: {}) has no implemented control: {}",
                r.citation.as_str(),
                r.title.as_str(),
                if mapped.len() == 1 {
                    format!("{controls} is not implemented")
                } else {
                    format!("none of {controls} is implemented")
                }
            ),
        )
        .at(enabled.clone())
        .label(format!("{framework} is enabled here"));
        if let Some(origin) = &r.origin {
            d = d.related(origin.at(&r.id), "the requirement");
        }
        out.push(d.help(format!(
            "implement one of {controls} and set its `status = \"implemented\"` in soa.toml; `isms frameworks {framework}` shows every requirement's status"
        )));
    }
}
