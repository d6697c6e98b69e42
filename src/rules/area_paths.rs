//! REF003: an area's documents lie inside the area's `paths`, and cited evidence inside some
//! area's, because the impartiality rules judge who worked on an area by the files its paths
//! match.

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostics::Diagnostic;
use crate::independence::repo_glob;
use crate::model::Area;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    let matchers: Vec<(&Area, GlobSet)> = isms
        .areas
        .iter()
        .filter(|a| !a.paths.is_empty())
        .map(|a| (a, matcher(a)))
        .collect();
    let of = |id: &str| matchers.iter().find(|(a, _)| a.id.as_str() == id);
    for doc in &isms.documents {
        let Some(named) = &doc.front.area else {
            continue;
        };
        let Some((area, globs)) = of(named.as_str()) else {
            continue;
        };
        if !globs.is_match(&doc.path) {
            out.push(
                Diagnostic::new(
                    Rule::REF003,
                    format!(
                        "document {} of area `{}` lies outside the area's paths",
                        doc.front.id.as_str(),
                        area.id.as_str()
                    ),
                )
                .at(doc.origin.at(named))
                .label(format!("{} is not matched by {}", doc.path, listed(area)))
                .help(format!(
                    "move the document under the area's paths, or add its folder to the `paths` of `{}` in areas.toml, so that the area's files are where its paths say",
                    area.id.as_str()
                )),
            );
        }
    }
    if matchers.is_empty() {
        return;
    }
    for entry in &isms.soa {
        for path in &entry.evidence {
            let p = path.trim_start_matches("./");
            if !isms.files.contains(p) || matchers.iter().any(|(_, g)| g.is_match(p)) {
                continue;
            }
            let owners: Vec<String> = matchers
                .iter()
                .filter(|(a, _)| a.controls.iter().any(|c| c.as_str() == entry.id.as_str()))
                .map(|(a, _)| format!("`{}`", a.id.as_str()))
                .collect();
            let whose = if owners.is_empty() {
                "of the area the evidence belongs to".to_string()
            } else {
                format!(
                    "of {} (answering for {})",
                    owners.join(" or "),
                    entry.id.as_str()
                )
            };
            out.push(
                Diagnostic::new(
                    Rule::REF003,
                    format!(
                        "evidence `{p}` of control {} lies outside every area's paths, so who adds or changes it is judged against no area's auditors",
                        entry.id.as_str(),
                    ),
                )
                .at(entry.origin.at(path))
                .label("no area's `paths` match this file")
                .help(format!(
                    "move the evidence under the paths {whose} and correct this path, or add its folder to that area's `paths` in areas.toml"
                )),
            );
        }
    }
}

/// `documents/isms/**, evidence/isms/**`: an area's paths for a message.
fn listed(area: &Area) -> String {
    area.paths
        .iter()
        .map(|p| format!("`{}`", p.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The area's paths as globs relative to the ISMS root. Paths leaving the ISMS folder
/// (`../infra/**`) match nothing in it; invalid globs are reported by the IND rules.
fn matcher(area: &Area) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in &area.paths {
        for glob in repo_glob("", pattern.as_str()).unwrap_or_default() {
            if let Ok(glob) = GlobBuilder::new(&glob).literal_separator(true).build() {
                builder.add(glob);
            }
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}
