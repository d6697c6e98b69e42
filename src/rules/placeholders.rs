//! DOC006: template text (`TODO`, `TBD`, `<describe ...>`) left where the ISMS states what it
//! does: required fields, required report sections and the bodies of documents (7.5.2).

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Origin, Placeholder, Spanned};
use crate::placeholder;

use super::audit::REPORT_SECTIONS;
use super::doc::APPROVE_HELP;
use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    if let (Some(config), Some(origin)) = (&isms.config, &isms.config_origin) {
        let org = &config.organisation;
        field(cx, origin, &org.name, "the organisation's name", out);
        field(cx, origin, &org.scope, "the ISMS scope (4.3)", out);
    }
    for audit in &isms.audits {
        if let Some(plan) = &audit.plan {
            let o = &plan.origin;
            let id = plan.id.as_str();
            if let Some(objectives) = &plan.objectives {
                field(
                    cx,
                    o,
                    objectives,
                    &format!("the objectives of audit {id}"),
                    out,
                );
            }
            for criterion in &plan.criteria {
                field(
                    cx,
                    o,
                    criterion,
                    &format!("the criteria of audit {id}"),
                    out,
                );
            }
            if let Some(resources) = &plan.resources {
                field(
                    cx,
                    o,
                    resources,
                    &format!("the resources of audit {id}"),
                    out,
                );
            }
        }
        if let Some(report) = &audit.report {
            report_sections(audit.id.as_str(), report, out);
        }
    }
    for finding in &isms.findings {
        let o = &finding.origin;
        let id = finding.id.as_str();
        let texts = [
            (finding.statement.as_ref(), "statement"),
            (finding.evidence.as_ref(), "evidence"),
            (finding.correction.as_ref(), "correction"),
            (
                finding.root_cause.as_ref().map(|r| &r.analysis),
                "root cause",
            ),
        ];
        for (text, what) in texts {
            if let Some(text) = text {
                field(cx, o, text, &format!("the {what} of finding {id}"), out);
            }
        }
        for action in &finding.actions {
            let what = format!("an action of finding {id}");
            field(cx, o, &action.description, &what, out);
        }
    }
    for doc in &isms.documents {
        let id = doc.front.id.as_str();
        let draft = doc.is_draft();
        for found in &doc.placeholders {
            let mut d = Diagnostic::new(
                Rule::DOC006,
                format!("template text `{}` left in document {id}", found.text),
            )
            .at(doc.origin.at_span(found.span.clone()));
            if draft {
                d.severity = Severity::Warning;
                d = d.label("to write before approval").help(format!(
                    "replace it with what the organisation does; then, {APPROVE_HELP}"
                ));
            } else {
                d = d.label("placeholder in a controlled document").help(
                    "replace it with what the organisation does and have the change approved, or mark the document `status = \"draft\"` until it is finished",
                );
            }
            out.push(d);
        }
    }
}

/// A required text field: one diagnostic per placeholder, at the placeholder when the file's
/// text is known.
fn field(
    cx: &Context<'_>,
    origin: &Origin,
    value: &Spanned<String>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    let decoded = placeholder::in_text(value.get());
    if decoded.is_empty() {
        return;
    }
    let span = value.span();
    let raw = cx
        .files
        .map(|files| files.get(origin.file))
        .and_then(|file| file.text.get(span.clone()))
        .map(placeholder::in_text)
        .unwrap_or_default();
    let placed: Vec<(Placeholder, Origin)> = if raw.is_empty() {
        decoded.into_iter().map(|p| (p, origin.at(value))).collect()
    } else {
        raw.into_iter()
            .map(|p| {
                let at = origin.at_span(span.start + p.span.start..span.start + p.span.end);
                (p, at)
            })
            .collect()
    };
    for (found, at) in placed {
        out.push(
            Diagnostic::new(
                Rule::DOC006,
                format!("template text `{}` left in {what}", found.text),
            )
            .at(at)
            .label("placeholder in a required field")
            .help("write what is actually the case here: this field is part of the record an auditor relies on"),
        );
    }
}

/// Placeholders in the report's required sections (the text under a required `##` heading).
fn report_sections(audit: &str, report: &crate::model::Report, out: &mut Vec<Diagnostic>) {
    for found in &report.placeholders {
        let section = report
            .sections
            .iter()
            .rev()
            .find(|s| s.span.start <= found.span.start);
        let Some(section) = section.filter(|s| {
            REPORT_SECTIONS
                .iter()
                .any(|r| r.eq_ignore_ascii_case(s.title.trim()))
        }) else {
            continue;
        };
        out.push(
            Diagnostic::new(
                Rule::DOC006,
                format!(
                    "template text `{}` left in the `## {}` section of the report of audit {audit}",
                    found.text, section.title
                ),
            )
            .at(report.origin.at_span(found.span.clone()))
            .label("placeholder in a required section")
            .help("write what the audit found: a report's required sections are its record of the results (9.2.2)"),
        );
    }
}
