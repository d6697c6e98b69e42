//! `isms check`: load, check, print in the chosen format, and exit 0, 1 or 2.

use std::io::IsTerminal;

use super::{FAILURE, Fatal, SUCCESS};
use crate::check;
use crate::cli::{CheckArgs, Deny, Format};
use crate::diagnostics::{human, json};
use crate::model::Date;
use crate::workspace::Workspace;

/// The day rules measure from: `--today`, else `ISMS_TODAY` (clap reads both), else the clock.
pub fn today(arg: Option<&str>) -> Result<Date, Fatal> {
    match arg {
        Some(s) => Date::parse(s).map_err(|e| Fatal(format!("--today / ISMS_TODAY: {e}"))),
        None => Ok(Date::today()),
    }
}

pub fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    if args.staged {
        return Err(Fatal(
            "--staged is not available yet: checking the git index arrives with the impartiality rules; run `isms check` on the working tree".into(),
        ));
    }
    let today = today(args.today.as_deref())?;
    let workspace = Workspace::find(args.path.as_deref())?;
    let outcome = check::run(&workspace, today);
    let summary = outcome.summary();
    let text = match args.format {
        Format::Human => human::render(
            &outcome.diagnostics,
            &outcome.files,
            &summary,
            std::io::stdout().is_terminal(),
        ),
        Format::Json => json::render(&outcome.diagnostics, &outcome.files, &summary),
        Format::Sarif | Format::Github => {
            return Err(Fatal("this output format is not available yet".into()));
        }
    };
    anstream::print!("{text}");
    let failed = summary.errors > 0 || (args.deny == Some(Deny::Warnings) && summary.warnings > 0);
    Ok(if failed { FAILURE } else { SUCCESS })
}
