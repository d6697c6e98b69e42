//! The GitHub Actions format: workflow commands that become annotations on the changed files,
//! and a Markdown step summary. Formatting only: the caller writes `$GITHUB_STEP_SUMMARY`.
//!
//! GitHub shows at most 10 annotations of each kind per step, so at most 10 errors,
//! 10 warnings and 9 infos (as notices) are annotated, and one more notice counts the rest.

use super::json::Location;
use super::{Diagnostic, Files, Severity, Summary, human};

/// Errors and warnings annotated, each.
pub const MAX_ANNOTATIONS: usize = 10;
/// Infos annotated: one notice less, to leave room for the notice counting the rest.
pub const MAX_NOTICES: usize = MAX_ANNOTATIONS - 1;
/// Rows of the summary's table of diagnostics (a step summary holds at most 1 MiB).
pub const MAX_SUMMARY_ROWS: usize = 1000;

/// What to print (workflow commands, then the summary line) and the step summary's Markdown.
pub struct Output {
    pub stdout: String,
    pub summary_markdown: String,
}

/// `failed` is whether the check fails (errors, or warnings under `--deny warnings`).
pub fn render(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    failed: bool,
) -> Output {
    Output {
        stdout: commands(diagnostics, files, summary),
        summary_markdown: step_summary(diagnostics, files, summary, failed),
    }
}

fn command_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

fn commands(diagnostics: &[Diagnostic], files: &Files, summary: &Summary) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos, mut rest) = (0, 0, 0, 0);
    for d in diagnostics {
        let (count, max) = match d.severity {
            Severity::Error => (&mut errors, MAX_ANNOTATIONS),
            Severity::Warning => (&mut warnings, MAX_ANNOTATIONS),
            Severity::Info => (&mut infos, MAX_NOTICES),
        };
        if *count == max {
            rest += 1;
            continue;
        }
        *count += 1;
        out.push_str(&annotation(d, files));
        out.push('\n');
    }
    if rest > 0 {
        let shown = summary.errors + summary.warnings + summary.infos - rest;
        out.push_str(&format!(
            "::notice title=isms::{}\n",
            escape_data(&format!(
                "{rest} more {} not annotated ({shown} shown); the step summary lists them all, `isms check` prints them",
                if rest == 1 { "diagnostic" } else { "diagnostics" }
            ))
        ));
    }
    out.push_str(&human::summary_line(summary));
    out.push('\n');
    out
}

/// One workflow command: `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`.
pub fn annotation(d: &Diagnostic, files: &Files) -> String {
    let mut props = Vec::new();
    if let Some(origin) = &d.origin {
        let loc = Location::of(origin, files);
        props.push(format!("file={}", escape_property(loc.file)));
        props.push(format!("line={}", loc.line));
        props.push(format!("col={}", loc.column));
        props.push(format!("endLine={}", loc.end_line));
        props.push(format!("endColumn={}", loc.end_column));
    }
    props.push(format!("title={}", escape_property(d.code())));
    let mut message = d.text().into_owned();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {}::{}",
        command_name(d.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Escapes a workflow command's message: `%`, CR and LF.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value: as data, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escapes text for one cell of a Markdown table: backslashes and pipes would split or end the
/// cell, line breaks the row, and `<`, `>`, `&` would be read as HTML.
pub fn escape_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

fn step_summary(
    diagnostics: &[Diagnostic],
    files: &Files,
    summary: &Summary,
    failed: bool,
) -> String {
    let mut md = String::from("## isms check\n\n");
    let line = human::summary_line(summary);
    let verdict = if failed { "Failed" } else { "Passed" };
    md.push_str(&format!(
        "**{verdict}**: {}.\n\n",
        line.trim_start_matches("isms: ")
    ));
    md.push_str("| | Count |\n| --- | ---: |\n");
    for (name, n) in [
        ("Errors", summary.errors),
        ("Warnings", summary.warnings),
        ("Infos", summary.infos),
        ("Files checked", summary.files),
    ] {
        md.push_str(&format!("| {name} | {n} |\n"));
    }
    if diagnostics.is_empty() {
        return md;
    }
    md.push_str("\n### Diagnostics\n\n| Code | Severity | Location | Message |\n| --- | --- | --- | --- |\n");
    for d in diagnostics.iter().take(MAX_SUMMARY_ROWS) {
        let location = d.origin.as_ref().map_or(String::new(), |o| {
            let loc = Location::of(o, files);
            format!("{}:{}:{}", loc.file, loc.line, loc.column)
        });
        let mut message = escape_cell(&d.text());
        if let Some(help) = &d.help {
            message.push_str("<br>help: ");
            message.push_str(&escape_cell(help));
        }
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            d.code(),
            d.severity,
            escape_cell(&location),
            message
        ));
    }
    if diagnostics.len() > MAX_SUMMARY_ROWS {
        md.push_str(&format!(
            "\n{} more not listed here: run `isms check` to see every one.\n",
            diagnostics.len() - MAX_SUMMARY_ROWS
        ));
    }
    let mut codes: Vec<&str> = diagnostics.iter().map(Diagnostic::code).collect();
    codes.sort_unstable();
    codes.dedup();
    md.push_str(&format!(
        "\nRun `isms explain CODE` (for example `isms explain {}`) for what a rule checks, why it matters and how to fix it.\n",
        codes.first().copied().unwrap_or("SOA001")
    ));
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;
    use crate::model::{FileId, Origin};
    use crate::rules::Rule;

    const HOSTILE: &str = "100% wrong: a, b\r\nline two | pipe \\| <b>&";

    fn files() -> Files {
        let mut files = Files::default();
        files.add(SourceFile::new(
            "soa.toml".into(),
            "isms, docs/so:a.toml".into(),
            "[[control]]\nid = \"5.1\"\n".into(),
        ));
        files
    }

    fn at(rule: Rule, message: &str) -> Diagnostic {
        Diagnostic::new(rule, message).at(Origin {
            file: FileId(0),
            span: 12..22,
        })
    }

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("a%b\r\nc: d, e"), "a%25b%0D%0Ac: d, e");
        assert_eq!(escape_property("a%b\r\nc: d, e"), "a%25b%0D%0Ac%3A d%2C e");
        // Escaping `%` first: an input that looks escaped stays literal.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn annotations_escape_hostile_messages() {
        let d = at(Rule::SOA003, HOSTILE).help("fix: it, now\n");
        let line = annotation(&d, &files());
        assert_eq!(
            line,
            "::error file=isms%2C docs/so%3Aa.toml,line=2,col=1,endLine=2,endColumn=11,title=SOA003::\
             100%25 wrong: a, b%0D%0Aline two | pipe \\| <b>&%0Ahelp: fix: it, now%0A"
        );
        assert!(!line.contains('\n') && !line.contains('\r'));
        let warning = annotation(&at(Rule::SOA008, "w"), &files());
        assert!(warning.starts_with("::warning file="), "{warning}");
        let mut info = at(Rule::SOA008, "i");
        info.severity = Severity::Info;
        assert!(annotation(&info, &files()).starts_with("::notice file="));
        let nowhere = annotation(&Diagnostic::new(Rule::DOC003, "no policy"), &files());
        assert_eq!(nowhere, "::error title=DOC003::no policy");
    }

    #[test]
    fn at_most_ten_errors_and_ten_warnings_then_a_count() {
        let mut ds: Vec<Diagnostic> = (0..13)
            .map(|i| at(Rule::SOA003, &format!("e{i}")))
            .collect();
        ds.extend((0..11).map(|i| at(Rule::SOA008, &format!("w{i}"))));
        let summary = Summary::of(&ds, 1);
        let out = render(&ds, &files(), &summary, true).stdout;
        let count = |prefix: &str| out.lines().filter(|l| l.starts_with(prefix)).count();
        assert_eq!(count("::error "), 10);
        assert_eq!(count("::warning "), 10);
        assert_eq!(count("::notice "), 1);
        assert!(
            out.contains("::notice title=isms::4 more diagnostics not annotated (20 shown)"),
            "{out}"
        );
        assert!(
            out.ends_with("isms: 13 errors, 11 warnings, 0 infos in 1 file\n"),
            "{out}"
        );
    }

    #[test]
    fn no_count_notice_when_all_fit() {
        let ds = vec![at(Rule::SOA003, "e")];
        let out = render(&ds, &files(), &Summary::of(&ds, 1), true).stdout;
        assert_eq!(out.lines().count(), 2, "{out}");
        assert!(!out.contains("::notice"));
    }

    #[test]
    fn summary_has_counts_and_an_escaped_table() {
        let ds = vec![at(Rule::SOA003, HOSTILE).help("a|b")];
        let md = render(&ds, &files(), &Summary::of(&ds, 3), true).summary_markdown;
        assert!(
            md.starts_with(
                "## isms check\n\n**Failed**: 1 error, 0 warnings, 0 infos in 3 files.\n"
            ),
            "{md}"
        );
        assert!(
            md.contains("| Errors | 1 |\n| Warnings | 0 |\n| Infos | 0 |\n| Files checked | 3 |\n")
        );
        let row = md
            .lines()
            .find(|l| l.starts_with("| SOA003"))
            .expect("a row for the diagnostic");
        assert_eq!(
            row,
            "| SOA003 | error | isms, docs/so:a.toml:2:1 | 100% wrong: a, b<br>line two \\| pipe \\\\\\| &lt;b&gt;&amp;<br>help: a\\|b |"
        );
        // Every row of the table has exactly its four cells: unescaped pipes are separators.
        let cells = row
            .replace("\\\\", "")
            .replace("\\|", "")
            .matches('|')
            .count();
        assert_eq!(cells, 5);
        assert!(md.contains("`isms explain SOA003`"));
    }

    #[test]
    fn a_clean_check_passes_without_a_table() {
        let md = render(&[], &files(), &Summary::of(&[], 3), false).summary_markdown;
        assert!(
            md.contains("**Passed**: no problems found in 3 files."),
            "{md}"
        );
        assert!(!md.contains("### Diagnostics"));
    }
}
