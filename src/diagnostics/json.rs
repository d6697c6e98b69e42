//! The JSON format of `isms check --format json`: one object with the diagnostics and a summary.

use serde::Serialize;

use super::{Diagnostic, Files, Severity, Subject, Summary};
use crate::model::Origin;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: &'a Summary,
    /// The audit coverage of the current cycle (`isms check` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<&'a crate::coverage::Summary>,
}

/// A location as JSON consumers read it: repository-relative file, 1-based lines and columns.
#[derive(Serialize)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl<'a> Location<'a> {
    pub fn of(origin: &Origin, files: &'a Files) -> Self {
        let file = files.get(origin.file);
        let start = file.position(origin.span.start);
        let end = file.position(origin.span.end.max(origin.span.start));
        Self {
            file: &file.display,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
        }
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    /// The commits, person, area and audit it is about, when it names any.
    #[serde(skip_serializing_if = "Subject::is_empty")]
    data: &'a Subject,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    message: Option<&'a str>,
}

/// The whole JSON document, pretty-printed, ending in a newline.
pub fn render(diagnostics: &[Diagnostic], files: &Files, summary: &Summary) -> String {
    render_with_coverage(diagnostics, files, summary, None)
}

/// As [`render`], with a top-level `coverage` object after `summary`.
pub fn render_with_coverage(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    coverage: Option<&crate::coverage::Summary>,
) -> String {
    let output = Output {
        version: 1,
        diagnostics: diagnostics
            .iter()
            .map(|d| {
                let loc = d.origin.as_ref().map(|o| Location::of(o, files));
                JsonDiagnostic {
                    code: d.code(),
                    severity: d.severity,
                    message: &d.message,
                    file: loc.as_ref().map(|l| l.file),
                    line: loc.as_ref().map(|l| l.line),
                    column: loc.as_ref().map(|l| l.column),
                    end_line: loc.as_ref().map(|l| l.end_line),
                    end_column: loc.as_ref().map(|l| l.end_column),
                    label: d.label.as_deref(),
                    help: d.help.as_deref(),
                    related: d
                        .related
                        .iter()
                        .map(|r| {
                            let loc = Location::of(&r.origin, files);
                            JsonRelated {
                                file: loc.file,
                                line: loc.line,
                                column: loc.column,
                                message: r.message.as_deref(),
                            }
                        })
                        .collect(),
                    data: &d.subject,
                }
            })
            .collect(),
        summary,
        coverage,
    };
    let mut text =
        serde_json::to_string_pretty(&output).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
