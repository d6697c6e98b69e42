//! The command line, as clap definitions. Each command's work lives in `commands`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "isms",
    version,
    about = "ISO/IEC 27001:2022 ISMS as code: check it, prove auditor impartiality from git, publish it",
    after_help = "Run `isms check` in an ISMS repository (a folder holding isms.toml). Exit codes: 0 no errors, 1 errors found, 2 the command could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the ISMS: every file against its format, every reference, and every rule.
    Check(CheckArgs),
    /// Explain a rule: what it checks, why, an example and how to fix it.
    Explain {
        /// A rule code, such as SOA003.
        code: String,
    },
    /// List every rule with its code, default severity, requirement and summary.
    Rules,
    /// Who may audit what, and why not: areas against auditors, or one audit's eligible auditors.
    Independence(IndependenceArgs),
    /// Build the static audit site: dashboard, SoA, risks, documents with history, audits,
    /// findings, areas, people and impartiality, rules.
    Build(BuildArgs),
    /// Print the JSON Schema of a file kind (all kinds are listed without one).
    Schema {
        /// isms, people, areas, soa, risks, document, programme, plan, checklist, report or finding.
        kind: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The day date-relative rules measure from (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
    /// Do not read git history: the impartiality rules are skipped, with a warning.
    #[arg(long)]
    pub no_git: bool,
    /// Check the staged version of the ISMS (git index) as a pre-commit hook does.
    #[arg(long)]
    pub staged: bool,
    /// Fail (exit 1) on warnings too.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<Deny>,
}

#[derive(Debug, clap::Args)]
pub struct IndependenceArgs {
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// Judge one audit's scope at its start date, with its waivers, instead of the matrix.
    #[arg(long, value_name = "ID")]
    pub audit: Option<String>,
    /// The day the matrix's lookback window ends (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
    /// Do not read git history: judge ownership and membership only.
    #[arg(long)]
    pub no_git: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// Where to write the site; default: PATH/_site. Emptied only when it holds the site's
    /// marker file (.isms-site); a non-empty folder without it is refused.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The day date-relative rules measure from (YYYY-MM-DD), shown on the site; default:
    /// ISMS_TODAY, else today (not shown).
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
    /// Fail (exit 1, after writing the site) when the check finds errors.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub deny: Option<BuildDeny>,
    /// Do not read git history: no document history, impartiality not verified.
    #[arg(long)]
    pub no_git: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum BuildDeny {
    /// Errors from the check fail the build.
    Errors,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Reports with the source line, for people.
    Human,
    /// One JSON object: diagnostics and summary.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations) and a step summary.
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    /// Warnings fail the check as errors do.
    Warnings,
}
