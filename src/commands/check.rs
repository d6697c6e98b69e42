//! `isms check`: load, check, print in the chosen format, and exit 0, 1 or 2.

use std::io::IsTerminal;

use super::{FAILURE, Fatal, SUCCESS};
use crate::catalog;
use crate::check::{self, GitMode};
use crate::cli::{CheckArgs, Deny, Format};
use crate::coverage;
use crate::diagnostics::selection::{self, Selection};
use crate::diagnostics::{Severity, github, human, json, sarif};
use crate::model::Date;
use crate::model::SeverityOverride;
use crate::rules::Rule;
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
    let selection = Selection::new(&args.select, &args.ignore)?;
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
    let mut outcome = check::run_with(&workspace, &options)?;
    outcome.diagnostics = selection.apply(std::mem::take(&mut outcome.diagnostics));
    let summary = outcome.summary();
    let failed = summary.errors > 0 || (args.deny == Some(Deny::Warnings) && summary.warnings > 0);
    let coverage = outcome
        .isms
        .config
        .as_ref()
        .map(|config| coverage::Summary::of(&outcome.isms, catalog::iso27001(), config, today));
    let verified = impartiality_verified(&outcome, &selection);
    let closing: Vec<String> = coverage
        .as_ref()
        .map(|c| c.paragraph())
        .into_iter()
        .chain(verified)
        .collect();
    let text = match args.format {
        _ if args.statistics => human::statistics(&outcome.diagnostics, &summary),
        Format::Human => human::render_folded(
            &outcome.diagnostics,
            &outcome.files,
            &summary,
            Some(closing.join("\n\n"))
                .filter(|c| !c.is_empty())
                .as_deref(),
            &selection::folded(&outcome.diagnostics, &selection),
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
    // The process ends here: freeing the history and the model one allocation at a time would
    // cost a warm check a tenth of its time for memory the exit returns anyway.
    std::mem::forget(outcome);
    Ok(if failed { FAILURE } else { SUCCESS })
}

/// The line that says impartiality was verified: git history was read, every rule that judges it
/// (IND, and DOC004-DOC005 for approvals) ran, was reported, and found nothing.
fn impartiality_verified(outcome: &check::Outcome, selection: &Selection) -> Option<String> {
    let history = outcome.history.as_ref()?;
    let judges =
        |rule: &Rule| rule.family() == "IND" || matches!(rule, Rule::DOC004 | Rule::DOC005);
    let turned_off = |rule: &Rule| {
        outcome.isms.config.as_ref().is_some_and(|c| {
            c.rules.iter().any(|(code, level)| {
                code.as_str().eq_ignore_ascii_case(rule.code())
                    && *level.get() == SeverityOverride::Off
            })
        })
    };
    let all_ran = Rule::ALL
        .iter()
        .filter(|r| judges(r))
        .all(|r| selection.keeps(r.code()) && !turned_off(r));
    let found = outcome
        .diagnostics
        .iter()
        .any(|d| judges(&d.rule) && d.severity != Severity::Info);
    (all_ran && !found).then(|| {
        let n = history.commits().len();
        format!(
            "impartiality: verified against {n} commit{} of git history (no IND, DOC004 or DOC005 error or warning)",
            if n == 1 { "" } else { "s" }
        )
    })
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
