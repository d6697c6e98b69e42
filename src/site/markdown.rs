//! Markdown to safe HTML: the one place where Markdown options and the sanitiser are set.
//!
//! A document can carry no script: `<script>`, `<iframe>`, event-handler attributes and
//! `javascript:` links are removed, whatever the Markdown says. Plain Markdown is written
//! straight to the sanitised HTML ([`safe_html`]); a document with raw HTML (or another
//! construct that writer leaves out) is rendered by pulldown-cmark and cleaned by ammonia.
//! Both routes give the same bytes for the same document.

mod safe_html;

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
    let capacity = markdown.len() * 3 / 2;
    if !safe_html::has_parser_sensitive_characters(markdown) {
        let events = Parser::new_ext(markdown, options());
        if let Some(html) = safe_html::write(events, capacity) {
            return html;
        }
    }
    render_with_ammonia(markdown)
}

/// Renders Markdown to HTML and sanitises it with ammonia (a second, HTML, parse).
fn render_with_ammonia(markdown: &str) -> String {
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
        .url_schemes(safe_html::SCHEMES.into_iter().collect())
        .link_rel(Some(safe_html::LINK_REL))
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tags(["input"]);
    builder
}

#[cfg(test)]
mod tests {
    use super::{Parser, options, render, render_with_ammonia, safe_html};

    /// Markdown pieces, plain and hostile, that the equivalence test combines.
    const PIECES: &[&str] = &[
        "# Title",
        "Setext heading\n===",
        "## Two ##",
        "plain text with & and < and > and \"quotes\" and 'apostrophes'",
        "no\u{a0}break and &nbsp; and &amp; and &lt;script&gt; and &#60;b&#62; and &copy;",
        "*em* **strong** ***both*** ~~gone~~ `code <script>` \\*escaped\\*",
        "line one  \nline two\\\nline three",
        "---",
        "***",
        "> quoted\n> > nested quote",
        "- one\n- two\n  - nested\n\n    paragraph in item",
        "3. three\n4. four",
        "1. one\n\n   ```\n   code in item\n   ```",
        "```rust\nfn main() { println!(\"<b>&</b>\"); }\n```",
        "    indented <code> & more\n",
        "| a | b | c |\n|:--|:-:|--:|\n| 1 | **2** | `3` |\n| \\<x> | & | [l](https://e.example) |",
        "| only | head |\n|---|---|",
        "[ok](https://example.com/a?b=1&c='2' \"a \\\"title\\\" & <b>\")",
        "[rel](../documents/x.html#anchor) [frag](#top) [empty]() [q](?q=1)",
        "[mail](mailto:a@b.example) <a@b.example> <https://auto.example/x?y=1&z=2>",
        "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(2)) [vb](vbscript:msgbox(3))",
        "[ent](&#106;avascript:alert(4)) [ent2](&#x6A;avascript:alert(5)) [tab](java&#9;script:alert(6))",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) [file](file:///etc/passwd)",
        "[pct](%6Aavascript:alert(8)) [sp](<java script:alert(9)>) [nl](<javascript\n:alert(10)>)",
        "[proto](//evil.example/x) [colon](:x) [ftp](ftp://files.example) [tel](tel:+4112)",
        "[unicode](https://exämple.example/päth?ü=1) [nb](https://e.example/a\u{a0}b)",
        "[ref link][r] and [r]\n\n[r]: javascript:alert(11) \"ref title\"",
        "[good ref][g]\n\n[g]: <https://e.example/with space> 'single'",
        "<script>alert(12)</script>",
        "<a href=\"javascript:alert(13)\" onclick=\"alert(14)\">x</a>",
        "inline <b onmouseover=\"alert(15)\">html</b> here",
        "<iframe src=\"https://evil.example\"></iframe>",
        "![img](javascript:alert(16)) ![ok](x.png \"t\")",
        "footnote[^1]\n\n[^1]: the note",
        "- [ ] task\n- [x] done",
        "<!-- comment -->",
        "text with trailing spaces   ",
        "",
    ];

    /// Every piece, every ordered pair of pieces (joined as one paragraph and as two blocks),
    /// and every piece inside a list item and a quote.
    fn corpus() -> Vec<String> {
        let mut docs: Vec<String> = PIECES.iter().map(|p| p.to_string()).collect();
        for a in PIECES {
            docs.push(format!("- {}", a.replace('\n', "\n  ")));
            docs.push(format!("> {}", a.replace('\n', "\n> ")));
            for b in PIECES {
                docs.push(format!("{a}\n{b}"));
                docs.push(format!("{a}\n\n{b}\n"));
            }
        }
        let examples = concat!(env!("CARGO_MANIFEST_DIR"), "/example-isms/documents");
        for entry in walkdir::WalkDir::new(examples) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "md") {
                docs.push(std::fs::read_to_string(entry.path()).unwrap());
            }
        }
        docs
    }

    #[test]
    fn the_one_pass_writer_gives_the_sanitisers_bytes() {
        let mut one_pass = 0;
        let docs = corpus();
        for doc in &docs {
            let sanitised = render_with_ammonia(doc);
            assert_eq!(render(doc), sanitised, "for {doc:?}");
            let written = safe_html::write(Parser::new_ext(doc, options()), 0);
            if let Some(html) = written {
                assert_eq!(html, sanitised, "one pass, for {doc:?}");
                one_pass += 1;
            }
        }
        // Most of the corpus is plain Markdown, hostile links included: the comparison above
        // is not vacuous.
        assert!(one_pass * 2 > docs.len(), "{one_pass} of {}", docs.len());
        for plain in [PIECES[20], PIECES[21], PIECES[22], PIECES[15]] {
            let written = safe_html::write(Parser::new_ext(plain, options()), 0);
            assert!(written.is_some(), "{plain}");
        }
    }

    #[test]
    fn raw_html_and_unsafe_characters_take_the_sanitisers_route() {
        for doc in [
            "<b>x</b>",
            "a <i>b</i>",
            "![i](x.png)",
            "x[^1]\n\n[^1]: y",
            "- [ ] t",
        ] {
            assert!(safe_html::write(Parser::new_ext(doc, options()), 0).is_none());
        }
        assert!(safe_html::has_parser_sensitive_characters("a\r\nb"));
        assert!(safe_html::has_parser_sensitive_characters("a\0b"));
        assert!(!safe_html::has_parser_sensitive_characters("a\nb"));
    }

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
