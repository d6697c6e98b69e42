//! The report of `isms diff`: the semantic difference plus the impartiality verdict on the
//! change's authors, rendered as Markdown for a pull-request comment or as JSON for tools.

use std::fmt::Write as _;

use serde::Serialize;

use super::{ChangeKind, FromTo, IsmsDiff};

/// The hidden marker that lets the GitHub Action find and update its one comment.
pub const MARKER: &str = "<!-- isms-diff -->";

/// GitHub rejects comments over 65,536 characters: document diffs are cut to fit below this.
const MAX_DIFF_CHARS: usize = 40_000;

/// `isms diff --format json`: this object, version 1.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub version: u32,
    pub base: Revision,
    pub head: Revision,
    #[serde(flatten)]
    pub changes: IsmsDiff,
    pub impartiality: Verdict,
}

/// One end of the change.
#[derive(Clone, Debug, Serialize)]
pub struct Revision {
    /// As given (`origin/main`), or how it was chosen (`merge-base with main`, `working tree`).
    pub rev: String,
    /// The commit; for the working tree, the commit HEAD points to.
    pub commit: Option<String>,
}

/// Who made the change, and which impartiality or change-control problems it brings.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Verdict {
    /// Whether history was read on both sides.
    pub checked: bool,
    /// Why it could not be (a shallow clone, no repository).
    pub unavailable: Option<String>,
    /// The commits of the change (BASE..HEAD, merges left out), newest first.
    pub commits: Vec<CommitInfo>,
    /// Problems (IND, DOC004, DOC005) present at HEAD and not at BASE.
    pub introduced: Vec<Problem>,
    /// Problems present at BASE and gone at HEAD.
    pub resolved: Vec<Problem>,
    /// The working tree holds changes not committed yet: they have no author to judge.
    pub uncommitted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct CommitInfo {
    pub id: String,
    pub short: String,
    pub date: String,
    pub subject: String,
    /// `Name <email>` after .mailmap.
    pub author: String,
    /// The person of people.toml the author is (null when unknown or ignored).
    pub person: Option<String>,
    /// The people of co-author trailers.
    pub co_authors: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: String,
    pub severity: String,
    pub message: String,
    /// Repository-relative file and 1-based line, when the problem has a place.
    pub file: Option<String>,
    pub line: Option<usize>,
    /// Short hashes of the change's own commits that the message names.
    pub commits: Vec<String>,
}

impl Report {
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// Markdown for a pull-request comment (or a terminal).
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "{MARKER}");
        let short = |r: &Revision| -> String {
            match &r.commit {
                Some(c) if r.rev == "working tree" => {
                    format!("working tree (on {})", &c[..c.len().min(7)])
                }
                Some(c) if c.starts_with(&r.rev) => c[..c.len().min(7)].to_string(),
                Some(c) => format!("{} ({})", r.rev, &c[..c.len().min(7)]),
                None => r.rev.clone(),
            }
        };
        let _ = writeln!(
            md,
            "## ISMS changes\n\n`{}` → `{}`\n",
            short(&self.base),
            short(&self.head)
        );
        self.verdict_md(&mut md);
        let c = &self.changes;
        if c.is_empty() {
            md.push_str("No change to the ISMS.\n");
            return md;
        }
        findings_md(&mut md, c);
        soa_md(&mut md, c);
        risks_md(&mut md, c);
        documents_md(&mut md, c);
        audits_md(&mut md, c);
        objects_md(&mut md, "People", &c.people);
        objects_md(&mut md, "Areas", &c.areas);
        objects_md(&mut md, "Exceptions", &c.exceptions);
        super::loop_changes::markdown(&mut md, &c.closing_the_loop, cell);
        md
    }

    fn verdict_md(&self, md: &mut String) {
        let v = &self.impartiality;
        md.push_str("### Impartiality\n\n");
        if let Some(why) = &v.unavailable {
            let _ = writeln!(md, "⚠️ Not verified: {}\n", cell(why));
        } else if v.introduced.iter().any(|p| p.severity == "error") {
            let _ = writeln!(
                md,
                "❌ This change brings {} impartiality or change-control problem(s):\n",
                v.introduced.len()
            );
        } else if v.introduced.iter().any(|p| p.severity == "warning") {
            let _ = writeln!(md, "⚠️ This change brings warnings:\n");
        } else if !v.introduced.is_empty() {
            let _ = writeln!(
                md,
                "ℹ️ No impartiality problem introduced, but this change brings exemptions in effect:\n"
            );
        } else {
            md.push_str(
                "✅ No impartiality or change-control problem introduced by this change.\n\n",
            );
        }
        if !v.introduced.is_empty() {
            md.push_str("| Code | Severity | Where | Problem |\n|---|---|---|---|\n");
            for p in &v.introduced {
                let at = match (&p.file, p.line) {
                    (Some(f), Some(l)) => format!("`{f}:{l}`"),
                    (Some(f), None) => format!("`{f}`"),
                    _ => String::new(),
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} |",
                    p.code,
                    p.severity,
                    at,
                    cell(&p.message)
                );
            }
            md.push('\n');
        }
        if !v.resolved.is_empty() {
            let codes: Vec<&str> = v.resolved.iter().map(|p| p.code.as_str()).collect();
            let _ = writeln!(md, "Resolved by this change: {}.\n", codes.join(", "));
        }
        if !v.commits.is_empty() {
            let _ = writeln!(
                md,
                "<details><summary>{} commit(s) by {}</summary>\n",
                v.commits.len(),
                cell(&authors(&v.commits))
            );
            md.push_str("| Commit | Date | Author | Person | Subject |\n|---|---|---|---|---|\n");
            for c in &v.commits {
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {} | {} | {} |",
                    c.short,
                    c.date,
                    cell(&c.author),
                    c.person.as_deref().unwrap_or("(not in people.toml)"),
                    cell(&c.subject)
                );
            }
            md.push_str("\n</details>\n\n");
        }
        if v.uncommitted {
            md.push_str("_The working tree holds uncommitted changes: they have no author yet and are not judged (`isms check --staged` judges them before a commit)._\n\n");
        }
    }
}

fn authors(commits: &[CommitInfo]) -> String {
    let mut names: Vec<String> = Vec::new();
    for c in commits {
        let n = c.person.clone().unwrap_or_else(|| c.author.clone());
        if !names.contains(&n) {
            names.push(n);
        }
        for co in &c.co_authors {
            if !names.contains(co) {
                names.push(co.clone());
            }
        }
    }
    names.join(", ")
}

/// ISMS text made safe for a pull-request comment: it stays in its table cell, is never HTML,
/// mentions nobody (a zero-width joiner follows each `@`) and links nowhere (a link is shown as
/// code; `[` and `]` cannot form a Markdown link).
fn cell(s: &str) -> String {
    s.split([' ', '\t', '\r', '\n'])
        .map(|word| {
            if is_link(word) {
                format!("`{}`", word.replace('`', "").replace('|', "\\|"))
            } else {
                word.replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('|', "\\|")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
                    .replace('@', "@\u{200D}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word GitHub would turn into a link: a URL with a scheme, `www.` or `mailto:`.
fn is_link(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    lower.contains("://") || lower.contains("www.") || lower.contains("mailto:")
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map_or("—".to_string(), cell)
}

fn arrow<T: PartialEq>(ft: &FromTo<T>, show: impl Fn(&T) -> String) -> String {
    if ft.from == ft.to {
        show(&ft.to)
    } else {
        format!("{} → **{}**", show(&ft.from), show(&ft.to))
    }
}

fn findings_md(md: &mut String, c: &IsmsDiff) {
    if c.findings.is_empty() {
        return;
    }
    md.push_str(
        "### Findings\n\n| Finding | Type | Area | Change | Status |\n|---|---|---|---|---|\n",
    );
    for f in &c.findings {
        let change = match f.change {
            ChangeKind::Added => "opened",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed if f.closed => "closed",
            ChangeKind::Changed if f.status.from != f.status.to => "moved",
            ChangeKind::Changed => "edited",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            f.id,
            f.kind,
            opt(&f.area),
            change,
            arrow(&f.status, opt)
        );
    }
    md.push('\n');
    for f in c
        .findings
        .iter()
        .filter(|f| f.change == ChangeKind::Changed)
    {
        for a in &f.actions_added {
            let _ = writeln!(
                md,
                "- {}: corrective action added: {} (owner {}, due {})",
                f.id,
                cell(&a.description),
                opt(&a.owner),
                opt(&a.due)
            );
        }
        for a in &f.actions_completed {
            let _ = writeln!(
                md,
                "- {}: corrective action completed on {}: {}",
                f.id,
                opt(&a.completed_on),
                cell(&a.description)
            );
        }
        if let Some(v) = &f.verification {
            let _ = writeln!(
                md,
                "- {}: verification recorded by {} on {}: {}",
                f.id,
                v.by,
                v.on,
                if v.effective {
                    "effective"
                } else {
                    "not effective"
                }
            );
        }
    }
    md.push('\n');
}

fn soa_md(md: &mut String, c: &IsmsDiff) {
    if c.soa.is_empty() {
        return;
    }
    md.push_str("### Statement of Applicability\n\n| Control | Change | Applicable | Status | Justification |\n|---|---|---|---|---|\n");
    let yes_no = |a: &Option<bool>| match a {
        Some(true) => "yes".to_string(),
        Some(false) => "no".to_string(),
        None => "undecided".to_string(),
    };
    for e in &c.soa {
        let ft = &e.applicable;
        let change = match e.change {
            ChangeKind::Changed if ft.from != ft.to && ft.to == Some(false) => "excluded",
            ChangeKind::Changed if ft.from != ft.to && ft.to == Some(true) => "included",
            k => k.as_str(),
        };
        let applicable = arrow(ft, yes_no);
        let status = arrow(&e.status, opt);
        let mut justification = opt(&e.justification);
        if let Some(before) = &e.justification_before {
            justification = format!("{justification} (was: {})", cell(before));
        }
        if !e.fields.is_empty() {
            justification = format!("{justification}; also changed: {}", e.fields.join(", "));
        }
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            e.control, change, applicable, status, justification
        );
    }
    md.push('\n');
}

fn risks_md(md: &mut String, c: &IsmsDiff) {
    if c.risks.is_empty() {
        return;
    }
    md.push_str("### Risks\n\n| Risk | Title | Change | Inherent | Residual | Treatment |\n|---|---|---|---|---|---|\n");
    let score = |s: &Option<i64>| s.map_or("—".to_string(), |s| s.to_string());
    for r in &c.risks {
        let change = if r.rescored {
            "re-scored"
        } else {
            r.change.as_str()
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            r.id,
            cell(&r.title),
            change,
            arrow(&r.inherent, score),
            arrow(&r.residual, score),
            arrow(&r.treatment, opt),
        );
    }
    md.push('\n');
}

fn documents_md(md: &mut String, c: &IsmsDiff) {
    if c.documents.is_empty() {
        return;
    }
    md.push_str("### Documents\n\n| Document | Title | Change | Version | Approval |\n|---|---|---|---|---|\n");
    for d in &c.documents {
        let approval = if d.new_approval {
            format!(
                "✅ new approval by {} on {}",
                opt(&d.approved_by.to),
                opt(&d.approved_on.to)
            )
        } else if d.unapproved_edit {
            format!(
                "⚠️ edited without a new approval (last approved {})",
                opt(&d.approved_on.to)
            )
        } else if d.approved_on.to.is_none() {
            "not approved".to_string()
        } else {
            format!("approved {}", opt(&d.approved_on.to))
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            d.id,
            cell(&d.title),
            d.change.as_str(),
            arrow(&d.version, opt),
            approval
        );
    }
    md.push('\n');
    let mut budget = MAX_DIFF_CHARS;
    for d in &c.documents {
        if d.diff.is_empty() {
            continue;
        }
        let _ = writeln!(
            md,
            "<details><summary>{} — {}</summary>\n",
            d.id,
            cell(&d.title)
        );
        let text = if d.diff.len() <= budget {
            budget -= d.diff.len();
            d.diff.clone()
        } else {
            budget = 0;
            "(diff too long to show: see the pull request's files)\n".to_string()
        };
        let fence = fence_for(&text);
        let _ = writeln!(md, "{fence}diff\n{}{fence}\n\n</details>\n", text);
    }
}

/// A code fence longer than any run of backticks in `text`.
fn fence_for(text: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    "`".repeat(longest.max(2) + 1)
}

fn audits_md(md: &mut String, c: &IsmsDiff) {
    if c.audits.is_empty() {
        return;
    }
    md.push_str("### Audits\n\n| Audit | Title | Change | Lead | Team | Areas | Dates | Conclusion |\n|---|---|---|---|---|---|---|---|\n");
    for a in &c.audits {
        let mut what = Vec::new();
        if a.planned {
            what.push("planned".to_string());
        }
        if a.reported {
            what.push("reported".to_string());
        }
        if what.is_empty() {
            what.push(match a.change {
                ChangeKind::Changed => format!("{} changed", a.parts.join(", ")),
                k => k.as_str().to_string(),
            });
        }
        let dates = match (&a.start, &a.end) {
            (Some(s), Some(e)) => format!("{s} to {e}"),
            _ => "—".to_string(),
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            a.id,
            opt(&a.title),
            what.join(", "),
            opt(&a.lead),
            cell(&a.team.join(", ")),
            cell(&a.areas.join(", ")),
            dates,
            opt(&a.conclusion)
        );
    }
    md.push('\n');
}

pub(super) fn objects_md(md: &mut String, title: &str, list: &[super::ObjectChange]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(md, "### {title}\n");
    for o in list {
        let detail = if o.fields.is_empty() {
            String::new()
        } else {
            format!(": {}", o.fields.join(", "))
        };
        let _ = writeln!(
            md,
            "- `{}` ({}) {}{}",
            o.id,
            cell(&o.name),
            o.change.as_str(),
            detail
        );
    }
    md.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::DocumentChange;

    fn report(changes: IsmsDiff) -> Report {
        Report {
            version: 1,
            base: Revision {
                rev: "main".into(),
                commit: Some("0123456789abcdef".into()),
            },
            head: Revision {
                rev: "working tree".into(),
                commit: Some("fedcba9876543210".into()),
            },
            changes,
            impartiality: Verdict {
                checked: true,
                ..Verdict::default()
            },
        }
    }

    fn document(title: &str, diff: String) -> DocumentChange {
        let same = |v: Option<&str>| FromTo {
            from: v.map(str::to_string),
            to: v.map(str::to_string),
        };
        DocumentChange {
            id: "POL-1".into(),
            title: title.into(),
            kind: "policy".into(),
            change: ChangeKind::Changed,
            path: same(Some("documents/p.md")),
            version: same(Some("1.0")),
            approved_by: same(Some("alice")),
            approved_on: same(Some("2026-01-01")),
            new_approval: false,
            unapproved_edit: true,
            diff,
        }
    }

    #[test]
    fn hostile_text_stays_in_its_cell_and_its_fence() {
        let doc = document("A | B <script>\nx", "-a\n+```\n+````x\n".into());
        let md = report(IsmsDiff {
            documents: vec![doc],
            ..IsmsDiff::default()
        })
        .markdown();
        assert!(md.starts_with("<!-- isms-diff -->\n"), "{md}");
        assert!(
            md.contains("`main (0123456)` → `working tree (on fedcba9)`"),
            "{md}"
        );
        assert!(
            md.contains("| POL-1 | A \\| B &lt;script&gt; x | changed | 1.0 | ⚠️ edited without a new approval (last approved 2026-01-01) |"),
            "{md}"
        );
        assert!(md.contains("`````diff\n-a\n+```\n+````x\n`````"), "{md}");
    }

    #[test]
    fn content_mentions_nobody_and_links_nowhere() {
        let doc = document(
            "Ask @security-team, see https://evil.example/x?a=1&b=2 or [here](http://x.test)",
            String::new(),
        );
        let md = report(IsmsDiff {
            documents: vec![doc],
            ..IsmsDiff::default()
        })
        .markdown();
        assert!(md.contains("Ask @\u{200D}security-team,"), "{md}");
        assert!(!md.contains("@security"), "{md}");
        assert!(md.contains("`https://evil.example/x?a=1&b=2`"), "{md}");
        assert!(md.contains("`[here](http://x.test)`"), "{md}");
        assert_eq!(cell("[a](b)"), "\\[a\\](b)");
    }

    #[test]
    fn long_diffs_are_cut_to_fit_one_comment() {
        let long = "+line\n".repeat(MAX_DIFF_CHARS / 6 + 1);
        let md = report(IsmsDiff {
            documents: vec![document("Big", long)],
            ..IsmsDiff::default()
        })
        .markdown();
        assert!(md.contains("(diff too long to show"), "{}", md.len());
        assert!(md.len() < 65_536);
    }

    #[test]
    fn an_empty_change_says_so() {
        let md = report(IsmsDiff::default()).markdown();
        assert!(
            md.contains("✅ No impartiality or change-control problem"),
            "{md}"
        );
        assert!(md.ends_with("No change to the ISMS.\n"), "{md}");
    }
}
