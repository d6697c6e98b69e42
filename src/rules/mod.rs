//! The checks: one module per rule family, each turning the model into diagnostics.
//!
//! Rules only produce diagnostics; they never print, read files or touch git directly.

mod acceptance;
mod area_paths;
mod audit;
mod control_frequency;
mod dates;
mod doc;
mod doc_git;
mod documented_information;
mod exception;
mod finding;
mod finding_acceptance;
mod finding_rating;
mod framework;
mod incident;
mod ind;
mod ind_clock;
mod ind_submodule;
mod ind_trust;
mod internal_controls;
mod maturity;
mod objective;
mod placeholders;
mod plan;
mod programme;
pub mod reference;
mod refs;
mod registry;
pub(crate) mod review;
mod risk;
mod signatures;
mod soa;

pub(crate) use documented_information::{MANDATORY, carriers};
pub use registry::{Rule, RuleInfo};

use crate::catalog::{self, Catalog};
use crate::diagnostics::{Diagnostic, Files, Severity};
use crate::history::{History, Unavailable};
use crate::model::{Config, Date, Isms, SeverityOverride};
use crate::suggest;

/// Everything a rule may read.
pub struct Context<'a> {
    pub isms: &'a Isms,
    pub catalog: &'static Catalog,
    /// The day date-relative rules measure from (`--today`, `ISMS_TODAY`, or the clock).
    pub today: Date,
    /// The git history, for the impartiality (IND) and document-control (DOC004-005) rules.
    pub git: Git<'a>,
    /// The text of the files read, when known: rules that point inside a value (DOC006) use
    /// it to place the diagnostic exactly; without it they point at the whole value.
    pub files: Option<&'a Files>,
}

/// What the rules know of the git history.
#[derive(Clone, Copy, Debug)]
pub enum Git<'a> {
    /// Not asked for (a check of the model alone): the rules that need history stay silent.
    NotRead,
    /// `--no-git`: IND009 says that impartiality was not verified.
    Off,
    /// Asked for but not readable: IND006.
    Unavailable(&'a Unavailable),
    Read(&'a History),
}

impl<'a> Context<'a> {
    pub fn new(isms: &'a Isms, today: Date) -> Self {
        Self {
            isms,
            catalog: catalog::iso27001(),
            today,
            git: Git::NotRead,
            files: None,
        }
    }

    pub fn with_files(mut self, files: &'a Files) -> Self {
        self.files = Some(files);
        self
    }

    pub fn with_git(mut self, git: Git<'a>) -> Self {
        self.git = git;
        self
    }

    /// The history, when it was read.
    pub fn history(&self) -> Option<&'a History> {
        match self.git {
            Git::Read(h) => Some(h),
            _ => None,
        }
    }

    /// isms.toml, or the defaults when it could not be read.
    pub fn config(&self) -> &'a Config {
        self.isms.config_or_default()
    }
}

/// Runs every rule family over the model.
pub fn check(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    refs::check(cx, &mut out);
    area_paths::check(cx, &mut out);
    dates::check(cx, &mut out);
    soa::check(cx, &mut out);
    internal_controls::check(cx, &mut out);
    risk::check(cx, &mut out);
    doc::check(cx, &mut out);
    doc_git::check(cx, &mut out);
    placeholders::check(cx, &mut out);
    documented_information::check(cx, &mut out);
    programme::check(cx, &mut out);
    control_frequency::check(cx, &mut out);
    plan::check(cx, &mut out);
    audit::check(cx, &mut out);
    finding::check(cx, &mut out);
    finding_rating::check(cx, &mut out);
    finding_acceptance::check(cx, &mut out);
    ind::check(cx, &mut out);
    signatures::check(cx, &mut out);
    ind_trust::check(cx, &mut out);
    framework::check(cx, &mut out);
    ind_clock::check(cx, &mut out);
    ind_submodule::check(cx, &mut out);
    maturity::check(cx, &mut out);
    review::check(cx, &mut out);
    objective::check(cx, &mut out);
    incident::check(cx, &mut out);
    exception::check(cx, &mut out);
    out
}

/// Applies `[rules]` from isms.toml: a new severity per code, or `off` to drop the rule.
/// Unknown codes in `[rules]` are reported (LOAD002), so an override never silently does nothing.
/// A diagnostic that its rule deliberately reported below the rule's default severity (a
/// waived conflict reported as info) keeps that severity unless the override is `off`.
pub fn apply_overrides(isms: &Isms, diagnostics: &mut Vec<Diagnostic>) {
    let Some(config) = &isms.config else { return };
    let origin = isms.config_origin.clone().unwrap_or_default();
    let mut unknown = Vec::new();
    for code in config.rules.keys() {
        if Rule::from_code(code).is_none() {
            let codes = Rule::ALL.iter().map(|r| r.code());
            let d = Diagnostic::new(
                Rule::LOAD002,
                format!("`{}` in [rules] is not a rule code", code.as_str()),
            )
            .at(origin.at_span(code.span()));
            unknown.push(match suggest::did_you_mean(code, codes) {
                Some(best) => d
                    .label(format!("did you mean `{best}`?"))
                    .help("`isms rules` lists every code"),
                None => d
                    .label("unknown code")
                    .help("`isms rules` lists every code"),
            });
        }
    }
    diagnostics.extend(unknown);
    diagnostics.retain_mut(|d| {
        let set = config
            .rules
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(d.code()))
            .map(|(_, severity)| *severity.get());
        match set {
            None => true,
            Some(SeverityOverride::Off) => false,
            Some(_) if d.severity > d.rule.info().severity => true,
            Some(SeverityOverride::Error) => {
                d.severity = Severity::Error;
                true
            }
            Some(SeverityOverride::Warning) => {
                d.severity = Severity::Warning;
                true
            }
            Some(SeverityOverride::Info) => {
                d.severity = Severity::Info;
                true
            }
        }
    });
}
