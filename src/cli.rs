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
    /// What a change does to the ISMS: findings, corrective actions, SoA, risks, documents,
    /// audits, and the impartiality of the change's authors (Markdown for a pull request, or JSON).
    Diff(DiffArgs),
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
#[command(
    after_help = "BASE and HEAD are git revisions (a branch, tag or commit). Without HEAD the working tree is compared; without BASE, the merge-base of HEAD with the default branch (origin/HEAD, else origin/main, origin/master, main, master). An argument naming an existing folder is the PATH. Exit codes: 0 the report was printed, 2 it could not be made."
)]
pub struct DiffArgs {
    /// The revision the change starts from; default: the merge-base with the default branch.
    pub base: Option<String>,
    /// The revision the change ends at; default: the working tree.
    pub head: Option<String>,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,
    /// The day date-relative rules measure from (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// For a pull-request comment: headings, tables, collapsible document diffs.
    Markdown,
    /// One JSON object (version 1) for tools.
    Json,
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
