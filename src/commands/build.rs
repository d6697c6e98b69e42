//! `isms build`: check the ISMS, then write the static audit site. Errors are shown on the
//! site's dashboard; they fail the command only under `--deny errors`.

use std::time::Instant;

use super::check::{checked, today};
use super::{FAILURE, Fatal, SUCCESS};
use crate::cli::{BuildArgs, BuildDeny};
use crate::site;

pub fn run(args: &BuildArgs) -> Result<u8, Fatal> {
    if let Some(name) = &args.print_template {
        let text = site::embedded_template(name).ok_or_else(|| {
            Fatal(format!(
                "no template `{name}`; the templates are: {}",
                site::template_names().collect::<Vec<_>>().join(", ")
            ))
        })?;
        super::print(text)?;
        return Ok(SUCCESS);
    }
    let show_today = args.today.is_some();
    let started = Instant::now();
    let today = today(args.today.as_deref())?;
    let (workspace, outcome) = checked(args.path.as_deref(), today, args.no_git)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| workspace.root.join("_site"));
    let options = site::Options {
        out: out.clone(),
        today,
        show_today,
    };
    let stats = site::build(&workspace, &outcome, &options).map_err(|e| Fatal(e.0))?;
    let summary = outcome.summary();
    super::tell(&format!(
        "Wrote {} pages, {} assets and {} evidence files to {} in {} ms; the check found {} error{} and {} warning{}.",
        stats.pages,
        stats.assets,
        stats.files_copied,
        out.display(),
        started.elapsed().as_millis(),
        summary.errors,
        if summary.errors == 1 { "" } else { "s" },
        summary.warnings,
        if summary.warnings == 1 { "" } else { "s" },
    ));
    Ok(
        if args.deny == Some(BuildDeny::Errors) && summary.errors > 0 {
            FAILURE
        } else {
            SUCCESS
        },
    )
}
