//! The human format: rustc-style reports with the source line, via annotate-snippets.

use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Files, Severity, SourceFile, Summary};
use crate::model::Origin;
use crate::rules::Rule;

/// Renders every diagnostic and a closing summary line. `styled` adds ANSI colours (stripped
/// again by the caller's stream when it is not a terminal).
pub fn render(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    styled: bool,
) -> String {
    render_with_coverage(diagnostics, files, summary, None, styled)
}

/// As [`render`], with the audit coverage paragraph (see [`crate::coverage::Summary`]) between
/// the diagnostics and the summary line.
pub fn render_with_coverage(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    coverage: Option<&str>,
    styled: bool,
) -> String {
    render_folded(diagnostics, files, summary, coverage, &[], styled)
}

/// As [`render_with_coverage`], with the diagnostics of the `folded` rules not listed but
/// counted, each in one line with the command that lists them.
pub fn render_folded(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    coverage: Option<&str>,
    folded: &[Rule],
    styled: bool,
) -> String {
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diagnostics.iter().filter(|d| !folded.contains(&d.rule)) {
        out.push_str(&render_one(d, files, &renderer));
        out.push_str("\n\n");
    }
    for rule in folded {
        let of_rule: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.rule == *rule).collect();
        let Some(first) = of_rule.first() else {
            continue;
        };
        let title = format!(
            "{} diagnostics not listed: {}",
            of_rule.len(),
            rule.info().summary
        );
        let group = level(first.severity)
            .primary_title(title.as_str())
            .id(rule.code())
            .element(Level::HELP.message(format!(
                "`isms check --select {}` lists them; `--statistics` counts every rule",
                rule.code()
            )));
        out.push_str(&renderer.render(&[group]));
        out.push_str("\n\n");
    }
    if let Some(coverage) = coverage {
        out.push_str(coverage);
        out.push_str("\n\n");
    }
    out.push_str(&summary_line(summary));
    out.push('\n');
    out
}

/// `isms check --statistics`: one line per rule with its count, code, severity and summary, most
/// frequent first, then the summary line.
pub fn statistics(diagnostics: &[Diagnostic], summary: &Summary) -> String {
    let counts = super::selection::counts(diagnostics);
    let width = counts.first().map_or(1, |(_, n)| n.to_string().len());
    let mut out = String::new();
    for (rule, count) in counts {
        let severity = diagnostics
            .iter()
            .find(|d| d.rule == rule)
            .map_or(rule.info().severity, |d| d.severity);
        out.push_str(&format!(
            "{count:>width$}  {:<7}  {:<7}  {}\n",
            rule.code(),
            severity.as_str(),
            rule.info().summary
        ));
    }
    out.push_str(&summary_line(summary));
    out.push('\n');
    out
}

pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if s.errors + s.warnings + s.infos == 0 {
        format!("isms: no problems found in {}", plural(s.files, "file"))
    } else {
        format!(
            "isms: {}, {}, {} in {}",
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info"),
            plural(s.files, "file"),
        )
    }
}

fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    }
}

/// The lines of `file` that `span` covers, the 1-based number of the first, and the span
/// relative to the excerpt: rendering a few lines instead of a whole file keeps output fast.
fn excerpt(file: &SourceFile, span: &Range<usize>) -> (String, usize, Range<usize>) {
    let text = &file.text;
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let first_line = file.position(line_start).line;
    (
        text[line_start..line_end].to_string(),
        first_line,
        start - line_start..end - line_start,
    )
}

fn snippet<'a>(
    files: &'a Files,
    origin: &Origin,
    kind: AnnotationKind,
    label: Option<&'a str>,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let file = files.get(origin.file);
    let (source, line, span) = excerpt(file, &origin.span);
    let mut annotation = kind.span(span);
    if let Some(label) = label {
        annotation = annotation.label(label);
    }
    Snippet::source(source)
        .line_start(line)
        .path(file.display.as_str())
        .annotation(annotation)
}

pub fn render_one(d: &Diagnostic, files: &Files, renderer: &Renderer) -> String {
    let text = d.text();
    let title = level(d.severity).primary_title(text.as_ref()).id(d.code());
    let mut group: Group<'_> = match &d.origin {
        Some(origin) if !files.get(origin.file).text.is_empty() => title.element(snippet(
            files,
            origin,
            AnnotationKind::Primary,
            d.label.as_deref(),
        )),
        Some(origin) => {
            let path = annotate_snippets::Origin::path(files.get(origin.file).display.as_str());
            title.element(path)
        }
        None => Group::with_title(title),
    };
    for related in &d.related {
        if !files.get(related.origin.file).text.is_empty() {
            group = group.element(snippet(
                files,
                &related.origin,
                AnnotationKind::Context,
                related.message.as_deref(),
            ));
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}
