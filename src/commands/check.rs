//! `isms check`: load, check, print in the chosen format, and exit 0, 1 or 2.

use std::io::IsTerminal;

use super::{FAILURE, Fatal, SUCCESS};
use crate::catalog;
use crate::check::{self, GitMode};
use crate::cli::{CheckArgs, Deny, Format};
use crate::coverage;
use crate::diagnostics::{github, human, json, sarif};
use crate::model::Date;
use crate::workspace::Workspace;

/// The day rules measure from: `--today`, else `ISMS_TODAY` (clap reads both), else the clock.
pub fn today(arg: Option<&str>) -> Result<Date, Fatal> {
    match arg {
        Some(s) => Date::parse(s).map_err(|e| Fatal(format!("--today / ISMS_TODAY: {e}"))),
        None => Ok(Date::today()),
    }
}

/// The ISMS around `path`, checked as of `today`, with its git history unless
/// `no_git`: what build, independence and new start from.
pub fn checked(
    path: Option<&std::path::Path>,
    today: Date,
    no_git: bool,
) -> Result<(Workspace, check::Outcome), Fatal> {
    let workspace = Workspace::find(path)?;
    let options = check::Options {
        today,
        git: if no_git { GitMode::Off } else { GitMode::Head },
        cache: true,
    };
    let outcome = check::run_with(&workspace, &options)?;
    Ok((workspace, outcome))
}

pub fn run(args: &CheckArgs) -> Result<u8, Fatal> {
    if args.staged && args.no_git {
        return Err(Fatal(
            "--staged reads the git index and --no-git forbids git: use one of them".into(),
        ));
    }
    let today = today(args.today.as_deref())?;
    let workspace = Workspace::find(args.path.as_deref())?;
    let git = if args.no_git {
        GitMode::Off
    } else if args.staged {
        GitMode::Staged
    } else {
        GitMode::Head
    };
    let options = check::Options {
        today,
        git,
        cache: true,
    };
    let outcome = check::run_with(&workspace, &options)?;
    let summary = outcome.summary();
    let failed = summary.errors > 0 || (args.deny == Some(Deny::Warnings) && summary.warnings > 0);
    let coverage = outcome
        .isms
        .config
        .as_ref()
        .map(|config| coverage::Summary::of(&outcome.isms, catalog::iso27001(), config, today));
    let text = match args.format {
        Format::Human => human::render_with_coverage(
            &outcome.diagnostics,
            &outcome.files,
            &summary,
            coverage.as_ref().map(|c| c.paragraph()).as_deref(),
            std::io::stdout().is_terminal(),
        ),
        Format::Json => json::render_with_coverage(
            &outcome.diagnostics,
            &outcome.files,
            &summary,
            coverage.as_ref(),
        ),
        Format::Sarif => sarif::render(&outcome.diagnostics, &outcome.files),
        Format::Github => {
            let output = github::render(&outcome.diagnostics, &outcome.files, &summary, failed);
            write_step_summary(&output.summary_markdown);
            output.stdout
        }
    };
    super::print(&text)?;
    Ok(if failed { FAILURE } else { SUCCESS })
}

/// Appends the Markdown summary to the file `$GITHUB_STEP_SUMMARY` names, when it is set. A
/// summary that cannot be written is reported on stderr but does not change the exit code:
/// the annotations and the verdict still stand.
fn write_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| std::io::Write::write_all(&mut file, markdown.as_bytes()));
    if let Err(e) = written {
        super::tell(&format!(
            "warning: cannot write the step summary to {}: {e}",
            std::path::Path::new(&path).display()
        ));
    }
}
