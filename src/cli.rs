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
    /// List every rule with its code, default severity, requirement and summary; with
    /// --documented-information, the clauses that require documented information and what
    /// carries each.
    Rules(RulesArgs),
    /// Who may audit what, and why not: areas against auditors, or one audit's eligible auditors.
    Independence(IndependenceArgs),
    /// Create a new ISMS in an empty folder (files, full SoA skeleton, pre-commit config, GitHub
    /// workflow), or with --example the example ISMS with its git history.
    Init(InitArgs),
    /// Create a new object from a template, its id allocated: audit, report, finding, document, risk.
    #[command(subcommand)]
    New(NewCommand),
    /// Export a register for spreadsheets and tools: the SoA, risks, findings, or the risk and control matrix;
    /// a framework's requirements (`export framework NAME`); OSCAL assessment data (`export oscal MODEL`).
    Export(ExportArgs),
    /// The regulatory overlays isms.toml enables (GDPR, HIPAA, NIS2, EU MDR, your own packs):
    /// each requirement as covered, partial or gap, from the SoA, the risks, the audits of the
    /// cycle and the open findings.
    Frameworks(FrameworksArgs),
    /// Import a spreadsheet (XLSX or CSV) SoA, risk register or findings tracker into the ISMS
    /// files, editing them in place; `--dry-run` shows the change without writing.
    Import(ImportArgs),
    /// What a change does to the ISMS: findings, corrective actions, SoA, risks, documents,
    /// audits, and the impartiality of the change's authors (Markdown for a pull request, or JSON).
    Diff(DiffArgs),
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
pub struct RulesArgs {
    /// List the clauses that require documented information (7.5.1 a, rule DOC007), what may
    /// carry each, and, in an ISMS, what carries it there.
    #[arg(long)]
    pub documented_information: bool,
    /// The ISMS folder to show carriers for (with --documented-information); default: the
    /// nearest folder holding isms.toml upward, if any.
    #[arg(requires = "documented_information")]
    pub path: Option<PathBuf>,
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
    /// Report only these rules: codes or prefixes such as a family (`SOA,DOC001`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,
    /// Leave out these rules: codes or prefixes such as a family (`IND,SOA008`).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Print one line per rule with its count and summary instead of the diagnostics.
    #[arg(long, conflicts_with = "format")]
    pub statistics: bool,
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
    /// How to print the matrix or the verdicts.
    #[arg(long, value_enum, default_value_t = IndependenceFormat::Human)]
    pub format: IndependenceFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum IndependenceFormat {
    /// Tables for people.
    Human,
    /// One JSON object (version 1) for tools: verdicts with their reasons and commits.
    Json,
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
    /// Print the embedded template NAME (e.g. style.css, base.html) to start an override in
    /// PATH/.isms/templates/, and build nothing.
    #[arg(long, value_name = "NAME")]
    pub print_template: Option<String>,
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

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new ISMS: new or empty.
    pub dir: PathBuf,
    /// The organisation's name (default: the folder's name).
    #[arg(long, value_name = "NAME", conflicts_with = "example")]
    pub org: Option<String>,
    /// Instead of a new ISMS: a git repository holding the example ISMS (Acme MedTech Ltd) in
    /// DIR/isms, its history replayed by its own people on its records' dates.
    #[arg(long)]
    pub example: bool,
    /// With --example: add one conflict of impartiality (an audit lead edits a document of an
    /// area they audit a month before the audit), which `isms check` reports as IND002.
    #[arg(long, requires = "example")]
    pub plant: bool,
    /// The day the files are dated (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

/// Options every `isms new` command takes.
#[derive(Debug, clap::Args)]
pub struct NewCommon {
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    #[arg(long, value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// The day the new object is dated (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// An audit: audits/IA-<year>-NN/plan.toml and checklist.toml, with eligible auditors proposed.
    Audit(NewAuditArgs),
    /// The report of an audit: audits/<ID>/report.md with its required sections.
    Report(NewReportArgs),
    /// A finding of an audit: findings/F-<year>-NNN.toml, linked from the checklist item.
    Finding(NewFindingArgs),
    /// A document (policy, procedure, standard, plan or record) under documents/.
    Document(NewDocumentArgs),
    /// A risk appended to risks.toml, as R-NNN.
    Risk(NewRiskArgs),
    /// A management review: management-reviews/MR-<year>-<month>.toml, drafted from the audits,
    /// findings, objectives and risks since the previous review.
    ManagementReview(NewReviewArgs),
    /// An objective appended to objectives.toml, as OBJ-NN.
    Objective(NewObjectiveArgs),
    /// An incident: incidents/INC-<year>-NNN.toml.
    Incident(NewIncidentArgs),
    /// A team appended to teams.toml: a lead and members who own and approve together.
    Team(NewTeamArgs),
    /// A control of the organisation's own catalogue appended to controls.toml, mapped to Annex A
    /// and to other frameworks.
    Control(NewControlArgs),
    /// A time-limited exception to a control: exceptions/EXC-<year>-NNN.toml.
    Exception(NewExceptionArgs),
}

#[derive(Debug, clap::Args)]
pub struct NewControlArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The control's id in your catalogue, such as `IAM.1.02`; default: the next `CTL-NNN`.
    #[arg(long)]
    pub id: Option<String>,
    /// What the control does, in one line.
    #[arg(long)]
    pub title: String,
    /// Who answers for it: a person or a team.
    #[arg(long, value_name = "PERSON|TEAM")]
    pub owner: Option<String>,
    /// An Annex A control it implements (repeat for several; commas also separate).
    #[arg(long = "annex-a", value_delimiter = ',', value_name = "CONTROL")]
    pub annex_a: Vec<String>,
    /// Its id in another framework, as FRAMEWORK=ID (`soc2=CC6.1`; repeat for several).
    #[arg(long = "framework", value_name = "FRAMEWORK=ID")]
    pub frameworks: Vec<String>,
    /// How often it is tested, in months.
    #[arg(long, value_name = "MONTHS")]
    pub frequency_months: Option<u32>,
}

#[derive(Debug, clap::Args)]
pub struct NewExceptionArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The excepted control: an Annex A id (A.8.5) or an id of controls.toml.
    #[arg(long, value_name = "CONTROL")]
    pub control: String,
    /// Why the control cannot be applied as written, for now.
    #[arg(long)]
    pub reason: String,
    /// The level of the risk it leaves: low, medium, high or critical.
    #[arg(long)]
    pub risk: String,
    /// The last day it applies (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub expires: String,
    /// The controls that reduce the risk meanwhile, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CONTROL,...")]
    pub compensating: Vec<String>,
    /// Who approved it (people), comma-separated; left for later when absent.
    #[arg(long, value_delimiter = ',', value_name = "PERSON,...")]
    pub approved_by: Vec<String>,
    /// The day of the approval (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE")]
    pub approved_on: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewReviewArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The day of the review (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Who chairs it (a person); default: the first top management person of people.toml.
    #[arg(long, value_name = "PERSON")]
    pub chair: Option<String>,
    /// The id; default: MR-<year>-<month> of the review's date.
    #[arg(long)]
    pub id: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewObjectiveArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// What is to be achieved (one sentence).
    #[arg(long)]
    pub title: String,
    /// Who is responsible (a person).
    #[arg(long, value_name = "PERSON")]
    pub owner: String,
    /// What is measured.
    #[arg(long)]
    pub measure: Option<String>,
    /// The value to reach, such as ">= 95 %".
    #[arg(long)]
    pub target: Option<String>,
    /// How it is measured, from which source.
    #[arg(long)]
    pub method: Option<String>,
    /// Months between two evaluations.
    #[arg(long, default_value_t = 1, value_name = "MONTHS")]
    pub frequency_months: u32,
    /// When the target is to be reached (YYYY-MM-DD); default: a year from today.
    #[arg(long, value_name = "DATE")]
    pub due: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewIncidentArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// What happened (one sentence).
    #[arg(long)]
    pub title: String,
    /// low, medium, high or critical.
    #[arg(long)]
    pub severity: String,
    /// When it was detected (YYYY-MM-DD); default: today.
    #[arg(long, value_name = "DATE")]
    pub detected_on: Option<String>,
    /// The areas it affected (ids from areas.toml), comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "AREA,...")]
    pub areas: Vec<String>,
    /// The Annex A controls that failed or were involved, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CONTROL,...")]
    pub controls: Vec<String>,
    /// What happened, its impact and how it was contained.
    #[arg(long)]
    pub summary: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewTeamArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The team's id, named as `owner` or `approved_by`: lowercase letters, digits and `-`.
    #[arg(long)]
    pub id: String,
    /// The team's name.
    #[arg(long)]
    pub name: String,
    /// The person who answers for the team (accepts its risks, receives audit reports).
    #[arg(long, value_name = "PERSON")]
    pub lead: String,
    /// The other members, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "PERSON,...")]
    pub members: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewAuditArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The areas to audit (ids from areas.toml), comma-separated.
    #[arg(long, value_delimiter = ',', required = true, value_name = "AREA,...")]
    pub areas: Vec<String>,
    /// The first day of the audit; default: notice_days + 7 days from today.
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// The last day of the audit; default: one day per area, up to five.
    #[arg(long, value_name = "DATE")]
    pub end: Option<String>,
    /// The lead auditor; default: the first eligible auditor.
    #[arg(long, value_name = "PERSON")]
    pub lead: Option<String>,
    /// Further auditors, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "PERSON,...")]
    pub team: Vec<String>,
    /// The audit's title; default: from the areas' names.
    #[arg(long)]
    pub title: Option<String>,
    /// Accept a lead or team member who is not eligible (the check will report the conflict).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct NewReportArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The audit (its folder under audits/).
    #[arg(long, value_name = "ID")]
    pub audit: String,
}

#[derive(Debug, clap::Args)]
pub struct NewFindingArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// The audit that raises it.
    #[arg(long, value_name = "ID")]
    pub audit: String,
    /// major-nc, minor-nc, observation or opportunity.
    #[arg(long = "type", value_name = "TYPE")]
    pub kind: String,
    /// The clause (9.2.2) or control (A.5.15) not met.
    #[arg(long = "ref", value_name = "REF")]
    pub reference: String,
    /// The area concerned; default: the audited area answering for REF.
    #[arg(long)]
    pub area: Option<String>,
    /// What is not met, and how.
    #[arg(long)]
    pub statement: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewDocumentArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// policy, procedure, standard, plan or record.
    #[arg(long, value_name = "KIND")]
    pub kind: String,
    /// The document's title, as its heading and in the document register.
    #[arg(long)]
    pub title: String,
    /// Default: from the kind and the title (POL-ACCESS-CONTROL).
    #[arg(long)]
    pub id: Option<String>,
    /// Default: the area's owner.
    #[arg(long, value_name = "PERSON")]
    pub owner: Option<String>,
    /// The area it belongs to; the file goes to documents/AREA/.
    #[arg(long)]
    pub area: Option<String>,
    /// The Annex A controls it implements, comma-separated (A.8.24).
    #[arg(long, value_delimiter = ',', value_name = "CONTROL,...")]
    pub controls: Vec<String>,
    /// The requirement clauses it answers, comma-separated (6.1.2).
    #[arg(long, value_delimiter = ',', value_name = "CLAUSE,...")]
    pub clauses: Vec<String>,
    /// Who approved it, when it is already approved; without it the document is a draft.
    #[arg(long, value_name = "PERSON")]
    pub approved_by: Option<String>,
    /// When it was approved; default with --approved-by: today.
    #[arg(long, value_name = "DATE")]
    pub approved_on: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewRiskArgs {
    #[command(flatten)]
    pub common: NewCommon,
    /// What can happen, to what, and why (one sentence).
    #[arg(long)]
    pub title: String,
    /// The risk owner (a person or a team).
    #[arg(long, value_name = "PERSON")]
    pub owner: String,
    /// The area the risk belongs to.
    #[arg(long)]
    pub area: Option<String>,
    /// From 1 to [risk] scale.
    #[arg(long)]
    pub likelihood: u8,
    /// From 1 to [risk] scale.
    #[arg(long)]
    pub impact: u8,
    /// modify, retain, avoid or share; default: modify with --controls, else retain.
    #[arg(long)]
    pub treatment: Option<String>,
    /// The Annex A controls of the treatment, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "CONTROL,...")]
    pub controls: Vec<String>,
    /// The likelihood once the treatment works (1 to [risk] scale).
    #[arg(long)]
    pub residual_likelihood: Option<u8>,
    /// The impact once the treatment works (1 to [risk] scale).
    #[arg(long)]
    pub residual_impact: Option<u8>,
}

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct ExportArgs {
    /// `framework NAME` or `oscal MODEL`, in place of a register.
    #[command(subcommand)]
    pub what: Option<ExportCommand>,
    /// Which register: soa, risks, findings, rcm (the risk and control matrix), incidents,
    /// objectives, management-reviews or exceptions.
    #[arg(value_enum, required = true)]
    pub register: Option<RegisterArg>,
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

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Which register the sheet holds: soa, risks or findings.
    #[arg(value_enum)]
    pub register: ImportRegisterArg,
    /// The spreadsheet: an .xlsx workbook or a .csv file.
    pub file: PathBuf,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// The worksheet to read (XLSX); default: the one named like the register, else the first.
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Read a column as a field: `--map "Ctrl ref=id"`, `--map "C=justification"` (a heading
    /// or a column letter); `--map "Notes=ignore"` leaves a column out. Repeatable.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    pub maps: Vec<String>,
    /// Print what would change, as `isms diff` does, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ImportRegisterArg {
    /// The Statement of Applicability (soa.toml).
    Soa,
    /// The risk register (risks.toml).
    Risks,
    /// The findings register (findings/<ID>.toml).
    Findings,
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
    /// The incident register: each incident with its post-incident review and validating audit.
    Incidents,
    /// The objectives: one row per result, against the target.
    Objectives,
    /// The management reviews: one row per decision, with the inputs and what was reviewed.
    ManagementReviews,
    /// The teams of teams.toml: lead, members and everything each owns.
    Teams,
    /// The organisation's own controls (controls.toml): mappings, tests and next test due.
    Controls,
    /// The exceptions to controls: each with its risk level, approval and expiry.
    Exceptions,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The requirements of an enabled framework with their status, mapped controls, audits and
    /// open findings (all enabled frameworks when NAME is omitted).
    Framework(FrameworkExportArgs),
    /// OSCAL 1.1.2 JSON: the audit programme and plans as an assessment plan, audits as
    /// assessment results, open findings as a plan of action and milestones.
    Oscal(OscalArgs),
}

#[derive(Debug, clap::Args)]
pub struct FrameworkExportArgs {
    /// The framework, as named in `frameworks = [...]` in isms.toml.
    pub name: Option<String>,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// csv (RFC 4180, UTF-8), xlsx (needs --out) or json.
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// The file to write; standard output when omitted (csv and json only).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The export date, and the day the audit cycle is measured from (YYYY-MM-DD);
    /// default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "UUIDs are version 5, derived from the ids of the ISMS, so the same ISMS always gives the same document. Exit codes: 0 written, 2 it could not be made."
)]
pub struct OscalArgs {
    /// Which OSCAL model to write.
    #[arg(value_enum)]
    pub model: OscalModel,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// Only this audit (its plan, its results, or the findings it raised).
    #[arg(long, value_name = "ID")]
    pub audit: Option<String>,
    /// The file to write; standard output when omitted.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The day the document is dated and open findings are measured from (YYYY-MM-DD);
    /// default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OscalModel {
    /// The programme and the audit plans (assessment-plan).
    AssessmentPlan,
    /// Completed audits: checklist items as observations, nonconformities as findings.
    AssessmentResults,
    /// Open findings with their corrective actions and due dates (plan of action and milestones).
    Poam,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "A NAME that is an existing folder and no framework is taken as the PATH. Exit codes: 0 the status was printed, 2 it could not be made."
)]
pub struct FrameworksArgs {
    /// One framework to show requirement by requirement; a summary of all enabled ones when omitted.
    pub name: Option<String>,
    /// The ISMS folder (holding isms.toml); default: the nearest such folder upward.
    pub path: Option<PathBuf>,
    /// human or json.
    #[arg(long, value_enum, default_value_t = FrameworksFormat::Human)]
    pub format: FrameworksFormat,
    /// The day the audit cycle is measured from (YYYY-MM-DD); default: ISMS_TODAY, else today.
    #[arg(long, env = "ISMS_TODAY", value_name = "DATE")]
    pub today: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FrameworksFormat {
    Human,
    Json,
}
