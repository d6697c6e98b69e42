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
    /// Export a register for spreadsheets and tools: the SoA, risks, findings, or the risk and control matrix.
    Export(ExportArgs),
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

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Which register: soa, risks, findings, or rcm (the risk and control matrix).
    #[arg(value_enum)]
    pub register: RegisterArg,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// csv (RFC 4180, UTF-8), xlsx (needs --out) or json.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// The file to write; standard output when omitted (csv and json only).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The export date, and the day ages and overdue actions are measured from (YYYY-MM-DD);
    /// default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegisterArg {
    /// The Statement of Applicability: every Annex A control.
    Soa,
    /// The risk register.
    Risks,
    /// The findings register.
    Findings,
    /// The risk and control matrix: each risk with the controls it relies on, their audits and findings.
    Rcm,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}
