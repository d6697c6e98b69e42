//! The organisation's own control catalogue (controls.toml): its mappings resolve (REF001; its
//! owners are checked with the other owners),
//! its ids never pass for Annex A ids (SOA010), and it maps to no control the SoA excludes
//! (SOA011); its framework ids name requirements of the enabled packs (REF001).

use crate::diagnostics::Diagnostic;
use crate::frameworks;
use crate::model::{InternalControl, Kind};
use crate::suggest;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    for control in &isms.internal_controls {
        let o = &control.origin;
        let id = control.id.as_str();
        if let Some(annex) = cx.catalog.control(id) {
            out.push(
                Diagnostic::new(Rule::SOA010, format!("internal control `{id}` has the id of the Annex A control {id}"))
                    .at(o.at(&control.id))
                    .label(format!("Annex A: {}", annex.title))
                    .help(format!("give it an id of your own catalogue (for example `IAM.1.01`) and map it with `annex_a = [\"{id}\"]`: an id names one control, and the SoA and audits read Annex A ids as Annex A's")),
            );
        }
        for annex in &control.annex_a {
            if cx.catalog.control(annex.as_str()).is_none() {
                let ids = cx.catalog.controls.iter().map(|c| c.id.as_str());
                let d = Diagnostic::new(
                    Rule::REF001,
                    format!(
                        "`annex_a` of `{id}` names `{}`, which is not an Annex A control",
                        annex.as_str()
                    ),
                )
                .at(o.at(annex));
                out.push(match suggest::did_you_mean(annex.as_str(), ids) {
                    Some(best) => d.label(format!("did you mean `{best}`?")),
                    None => d.label("not in Annex A"),
                }.help("ISO/IEC 27001:2022 Annex A has controls A.5.1 to A.5.37, A.6.1 to A.6.8, A.7.1 to A.7.14 and A.8.1 to A.8.34"));
            } else if let Some(entry) = isms.soa_entry(annex.as_str()).filter(|e| e.is_excluded()) {
                out.push(
                    Diagnostic::new(Rule::SOA011, format!("internal control `{id}` implements {}, which the SoA excludes", annex.as_str()))
                        .at(o.at(annex))
                        .label("excluded in the SoA")
                        .related(entry.applicable.as_ref().map_or(entry.origin.clone(), |a| entry.origin.at(a)), "excluded here")
                        .help(format!("either include {} in the SoA (applicable = true, with a justification) or remove it from the control's `annex_a`", annex.as_str())),
                );
            }
        }
    }
    for control in &isms.internal_controls {
        framework_ids(cx, control, out);
    }
    for entry in &isms.soa {
        for by in &entry.implemented_by {
            let Some(control) = isms.internal_control(by.as_str()) else {
                if isms.incomplete.contains(&Kind::InternalControl)
                    || isms.knows(Kind::InternalControl, by.as_str())
                {
                    continue;
                }
                let ids = isms.ids(Kind::InternalControl);
                let d = Diagnostic::new(
                    Rule::REF001,
                    format!(
                        "`implemented_by` names the unknown internal control `{}`",
                        by.as_str()
                    ),
                )
                .at(entry.origin.at(by));
                out.push(
                    match suggest::did_you_mean(by.as_str(), ids.iter().copied()) {
                        Some(best) => d.label(format!("did you mean `{best}`?")),
                        None => d.label("not in controls.toml"),
                    }
                    .help(format!(
                        "define `{}` in controls.toml, or correct the id",
                        by.as_str()
                    )),
                );
                continue;
            };
            if !control
                .annex_a
                .iter()
                .any(|a| a.as_str() == entry.id.as_str())
            {
                out.push(
                    Diagnostic::new(Rule::SOA011, format!("{} is implemented by `{}`, which does not map to it", entry.id.as_str(), by.as_str()))
                        .at(entry.origin.at(by))
                        .label("not in this control's `annex_a`")
                        .related(control.origin.at(&control.id), "the internal control")
                        .help(format!("add \"{}\" to the `annex_a` of `{}` in controls.toml, or remove it from `implemented_by`", entry.id.as_str(), by.as_str())),
                );
            }
        }
    }
}

/// REF001 for the `frameworks` of an internal control: a key that is not a framework name or
/// looks like a misspelt known one, and an id that the framework's pack (enabled, or built in)
/// does not have.
/// A framework without a pack (`soc2` when no `.isms/frameworks/soc2.toml` is enabled) keeps its
/// ids as written: they are shown, not checked.
fn framework_ids(cx: &Context<'_>, control: &InternalControl, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    let o = &control.origin;
    let id = control.id.as_str();
    let enabled: Vec<&str> = isms.frameworks.iter().map(|p| p.name.as_str()).collect();
    for (name, ids) in &control.frameworks {
        // The key has no place of its own: point at its first id, else at the control.
        let at = ids
            .first()
            .map_or_else(|| o.at(&control.id), |first| o.at(first));
        // An enabled pack, else the built-in one of that name (checked even when not enabled).
        let pack = isms
            .frameworks
            .iter()
            .find(|p| p.name.as_str() == name)
            .or_else(|| frameworks::builtin(name));
        let Some(pack) = pack else {
            let mut known: Vec<&str> = enabled.clone();
            for builtin in frameworks::builtin_names() {
                known.push(builtin);
            }
            let best = suggest::did_you_mean(name, known.iter().copied());
            if frameworks::is_valid_name(name) && best.is_none() {
                continue;
            }
            let d = Diagnostic::new(
                Rule::REF001,
                format!(
                    "`frameworks` of `{id}` names `{name}`, which is not a framework of this ISMS"
                ),
            )
            .at(at);
            out.push(match best {
                Some(best) => d.label(format!("did you mean `{best}`?")).help(format!(
                    "write the framework's name as isms.toml's `frameworks = [...]` enables it (`{best}`); the frameworks enabled here are {}",
                    if enabled.is_empty() { "none".to_string() } else { enabled.join(", ") }
                )),
                None => d.label("not a framework name").help(
                    "a framework is named in lowercase letters, digits and `-`, such as `soc2` or `nist-800-53`",
                ),
            });
            continue;
        };
        for requirement in ids {
            if pack.requirement(requirement.as_str()).is_some() {
                continue;
            }
            let known = pack.requirements.iter().map(|r| r.id.as_str());
            let d = Diagnostic::new(
                Rule::REF001,
                format!(
                    "`frameworks.{name}` of `{id}` names `{}`, which is not a requirement of {name}",
                    requirement.as_str()
                ),
            )
            .at(o.at(requirement));
            out.push(
                match suggest::did_you_mean(requirement.as_str(), known) {
                    Some(best) => d.label(format!("did you mean `{best}`?")),
                    None => d.label(format!("not in the {name} pack")),
                }
                .help(format!(
                    "use a requirement id of the {name} pack (`isms frameworks {name}` lists them), or add the requirement to `.isms/frameworks/{name}.toml`"
                )),
            );
        }
    }
}
