//! What a check reports: one `Diagnostic` type, the files it points into, and the renderers.

mod files;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod selection;

use std::fmt;

use serde::Serialize;

pub use files::{Files, Position, SourceFile};

use crate::model::{FileId, Origin};
use crate::rules::Rule;

/// How serious a diagnostic is, most serious first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// A place in a file with an optional note about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub origin: Origin,
    pub message: Option<String>,
}

/// What a diagnostic is about, as data beside its message: the commits, person, area and audit
/// it names, so that tools, `isms diff` and the site never parse message text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// Full commit hashes, newest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commits: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit: Option<String>,
    /// The exemptions it lists, one line each (IND012: those in effect for an audit).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exemptions: Vec<String>,
    /// The waiver that lowered this diagnostic to info.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Waived>,
    /// What each exemption it lists is, as data that stays the same from one check to the next
    /// (`isms diff` tells a new exemption by it); the lines above say it for people.
    #[serde(skip)]
    pub exempted: Vec<Exempted>,
}

/// One exemption in effect (IND012), as data.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exempted {
    /// A commit attributed to no one: listed in the ignore-revs file, or by an ignored author.
    Commit(String),
    /// A waiver of an auditor on an area.
    Waiver { auditor: String, area: String },
    /// An `ignore_authors` pattern with a wildcard.
    Wildcard(String),
    /// An impartiality rule switched off or lowered in `[rules]`, with its setting.
    Rule { code: String, set: String },
}

/// A waiver of impartiality that lowered a diagnostic to info, as data: each renderer shows it
/// from here (the message is never rewritten).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Waived {
    pub approved_by: String,
    pub approved_on: String,
    pub reason: String,
}

impl fmt::Display for Waived {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "waived: approved by {} on {}: {}",
            self.approved_by, self.approved_on, self.reason
        )
    }
}

impl Subject {
    pub fn is_empty(&self) -> bool {
        *self == Subject::default()
    }
}

/// One problem found in the ISMS: which rule, how serious, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
    /// Where the problem is; `None` only for problems of the ISMS as a whole (a missing file).
    pub origin: Option<Origin>,
    /// A short note shown under the primary place.
    pub label: Option<String>,
    pub related: Vec<Label>,
    pub help: Option<String>,
    /// What it is about, as data.
    pub subject: Subject,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.info().severity,
            message: message.into(),
            origin: None,
            label: None,
            related: Vec::new(),
            help: None,
            subject: Subject::default(),
        }
    }

    pub fn at(mut self, origin: Origin) -> Self {
        self.origin = Some(origin);
        self
    }

    /// Points at a whole file (its first byte) when nothing narrower exists.
    pub fn in_file(self, file: FileId) -> Self {
        self.at(Origin::in_file(file))
    }

    /// A note on the primary place, shown under the source line.
    pub fn label(mut self, message: impl Into<String>) -> Self {
        self.label = Some(message.into());
        self
    }

    pub fn related(mut self, origin: Origin, message: impl Into<String>) -> Self {
        self.related.push(Label {
            origin,
            message: Some(message.into()),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The commits it names (full hashes).
    pub fn commits<'a>(mut self, ids: impl IntoIterator<Item = &'a str>) -> Self {
        self.subject
            .commits
            .extend(ids.into_iter().map(str::to_string));
        self
    }

    /// The exemptions it lists, one line each.
    pub fn exemptions(mut self, lines: impl IntoIterator<Item = String>) -> Self {
        self.subject.exemptions.extend(lines);
        self
    }

    /// What each exemption it lists is, as data.
    pub fn exempted(mut self, exemptions: impl IntoIterator<Item = Exempted>) -> Self {
        self.subject.exempted.extend(exemptions);
        self
    }

    /// The person it is about.
    pub fn person(mut self, id: &str) -> Self {
        self.subject.person = Some(id.to_string());
        self
    }

    /// The area it is about.
    pub fn area(mut self, id: &str) -> Self {
        self.subject.area = Some(id.to_string());
        self
    }

    /// The audit it is about.
    pub fn audit(mut self, id: &str) -> Self {
        self.subject.audit = Some(id.to_string());
        self
    }

    pub fn code(&self) -> &'static str {
        self.rule.code()
    }

    /// The message as readers see it: with the waiver that lowered it, when there is one.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.subject.waiver {
            None => std::borrow::Cow::Borrowed(&self.message),
            Some(w) => std::borrow::Cow::Owned(format!("{} ({w})", self.message)),
        }
    }

    /// The order in which diagnostics are printed: by file, position, then code and message.
    pub fn sort_key(&self) -> (Option<(FileId, usize)>, &'static str, &str) {
        (
            self.origin.as_ref().map(|o| (o.file, o.span.start)),
            self.code(),
            &self.message,
        )
    }
}

/// Totals for the summary line and the JSON `summary` object.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic], files: usize) -> Self {
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        Self {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files,
        }
    }
}
