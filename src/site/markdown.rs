//! Markdown to safe HTML: the one place where Markdown options and the sanitiser are set.
//!
//! Documents are rendered with pulldown-cmark and then cleaned by ammonia, so a document can
//! carry no script: `<script>`, `<iframe>`, event-handler attributes and `javascript:` links
//! are removed, whatever the Markdown says.

use pulldown_cmark::{Options, Parser, html};

/// The Markdown extensions documents may use.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Renders Markdown and sanitises the result.
pub fn render(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options()));
    sanitize(&raw)
}

/// The text of a document's ATX headings (`# Title`), for the search index: a line scan that
/// skips fenced code, far cheaper than a second Markdown parse of every document.
pub fn headings(markdown: &str) -> Vec<String> {
    let mut fence: Option<&str> = None;
    let mut headings = Vec::new();
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if line.len() - trimmed.len() > 3 {
            continue; // indented code
        }
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    None => Some(marker),
                    Some(open) if open == marker => None,
                    open => open,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        let text = trimmed.trim_start_matches('#');
        let level = trimmed.len() - text.len();
        if (1..=6).contains(&level) && (text.is_empty() || text.starts_with([' ', '\t'])) {
            let text = text.trim().trim_end_matches('#').trim_end();
            if !text.is_empty() {
                headings.push(text.to_string());
            }
        }
    }
    headings
}

/// Keeps formatting, tables and links with safe schemes; drops everything that can run.
fn sanitize(html: &str) -> String {
    static CLEANER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    CLEANER.get_or_init(cleaner).clean(html).to_string()
}

fn cleaner() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"]);
    builder
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn headings_outside_code() {
        let md = "# One\n\ntext # not\n```\n# code\n```\n## Two ##\n#hashtag\n    # indented\n";
        assert_eq!(super::headings(md), ["One", "Two"]);
    }

    #[test]
    fn markdown_is_rendered() {
        let out = render("# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[ok](https://example.com)");
        assert!(out.contains("<h1>Title</h1>"));
        assert!(out.contains("<table>"));
        assert!(out.contains("href=\"https://example.com\""));
    }

    #[test]
    fn hostile_documents_come_out_inert() {
        let hostile = r#"
# Policy

<script>alert(1)</script>

<img src="x.png" onerror="alert(2)">

<iframe src="https://evil.example"></iframe>

[click](javascript:alert(3))

<a href="javascript:alert(4)" onclick="alert(5)">x</a>

<div onmouseover="alert(6)">hover</div>

<object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example"><input type="text"></form>

<svg onload="alert(7)"><script>alert(8)</script></svg>

<a href="JaVaScRiPt:alert(9)">y</a> <a href="data:text/html,<script>alert(10)</script>">z</a>

<style>body{display:none}</style>
"#;
        let out = render(hostile).to_lowercase();
        for bad in [
            "<script",
            "<iframe",
            "javascript:",
            "onerror",
            "onclick",
            "onmouseover",
            "onload",
            "<object",
            "<embed",
            "<form",
            "<svg",
            "data:text",
            "<style",
            "alert(",
        ] {
            assert!(!out.contains(bad), "{bad} survived in {out}");
        }
        assert!(out.contains("<h1>policy</h1>"));
    }
}
