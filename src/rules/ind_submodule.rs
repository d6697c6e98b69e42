//! IND017: an area path that is, holds or lies inside a git submodule. A submodule's commits are
//! in a repository of their own, which the history index does not read: work inside it is not
//! judged (only the pointer updates of the outer repository are), and the user is told so.

use globset::GlobBuilder;

use crate::diagnostics::Diagnostic;
use crate::independence;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(history) = cx.history() else {
        return;
    };
    if history.submodules.is_empty() {
        return;
    }
    for area in &cx.isms.areas {
        for pattern in &area.paths {
            let Ok(globs) = independence::repo_glob(history.prefix(), pattern) else {
                continue; // LOAD002 reports it
            };
            for sub in &history.submodules {
                if !reaches(&globs, sub) {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        Rule::IND017,
                        format!(
                            "path `{}` of area `{}` reaches into the submodule `{sub}`: commits made inside a submodule are in its own repository, which is not read, so work there is not judged for impartiality (only updates of the submodule pointer are)",
                            pattern.as_str(),
                            area.id.as_str()
                        ),
                    )
                    .at(area.origin.at(pattern))
                    .label("reaches a submodule")
                    .area(area.id.as_str())
                    .help("judge the submodule's history where it lives (keep an ISMS check in its repository, or vendor its files into this one), or narrow the area's paths so that they leave the submodule out and say in the area's documents who reviews its changes"),
                );
            }
        }
    }
}

/// Whether area globs (repository-relative) match the submodule's path, a path inside it, or
/// lie inside it.
fn reaches(globs: &[String], submodule: &str) -> bool {
    let inside = format!("{submodule}/");
    let probe = format!("{submodule}/.probe");
    globs.iter().any(|g| {
        g.starts_with(&inside)
            || GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .is_ok_and(|glob| {
                    let m = glob.compile_matcher();
                    m.is_match(submodule) || m.is_match(&probe)
                })
    })
}

#[cfg(test)]
mod tests {
    use super::reaches;

    #[test]
    fn a_path_reaches_a_submodule_it_is_holds_or_lies_inside() {
        let g = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(reaches(&g(&["vendor/**"]), "vendor/lib"));
        assert!(reaches(&g(&["vendor/lib", "vendor/lib/**"]), "vendor/lib"));
        assert!(reaches(&g(&["vendor/lib/src/**"]), "vendor/lib"));
        assert!(!reaches(&g(&["vendor/other/**"]), "vendor/lib"));
        assert!(!reaches(&g(&["vendor/library/**"]), "vendor/lib"));
    }
}
