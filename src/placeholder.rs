//! Placeholder text left from a template (`TODO`, `TBD`, `FIXME`, `XXX`, `lorem ipsum`,
//! `<describe the scope>` slots): found in plain text and in Markdown outside code, so that
//! DOC006 can tell a filled-in record from a template.

use std::ops::Range;

use pulldown_cmark::{Event, Parser};

/// Words that mark unfinished text, matched in capitals as whole words.
const MARKERS: [&str; 4] = ["TODO", "TBD", "FIXME", "XXX"];

/// Filler text, matched in any case.
const FILLER: &str = "lorem ipsum";

/// HTML element names: `<b>`, `<br/>` or `<a href="...">` are markup, not template slots.
const HTML_TAGS: [&str; 62] = [
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "u",
];

/// Table rows and cells, also markup.
const HTML_TABLE_TAGS: [&str; 6] = ["tbody", "td", "tfoot", "th", "thead", "tr"];

/// Longest template slot: longer angle-bracketed text is something else.
const MAX_SLOT: usize = 200;

/// One placeholder: where it is (byte offsets in the text scanned) and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placeholder {
    pub span: Range<usize>,
    pub text: String,
}

/// The placeholders of plain text (a TOML string's value), outside `code spans`.
pub fn in_text(text: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut offset = 0;
    // Odd segments between backticks are code spans.
    for (i, segment) in text.split('`').enumerate() {
        if i % 2 == 0 {
            scan(segment, offset, &mut found);
        }
        offset += segment.len() + 1;
    }
    found
}

/// The placeholders of a Markdown body starting at `body_start` in `text`, with offsets in
/// `text`; code blocks and code spans are left out.
pub fn in_markdown(text: &str, body_start: usize) -> Vec<Placeholder> {
    let body = text.get(body_start..).unwrap_or("");
    let mut found = Vec::new();
    let mut in_code_block = false;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_code_block = false,
            Event::Text(_) | Event::Html(_) | Event::InlineHtml(_) if !in_code_block => {
                // The source of the event, not its decoded text, so that offsets are exact.
                if let Some(raw) = body.get(range.clone()) {
                    scan(raw, body_start + range.start, &mut found);
                }
            }
            _ => {}
        }
    }
    found.dedup();
    found
}

fn scan(text: &str, offset: usize, found: &mut Vec<Placeholder>) {
    let mut hits: Vec<Range<usize>> = Vec::new();
    for marker in MARKERS {
        for (at, _) in text.match_indices(marker) {
            if is_word(text, at, at + marker.len()) {
                hits.push(at..at + marker.len());
            }
        }
    }
    let lower = text.to_ascii_lowercase();
    for (at, _) in lower.match_indices(FILLER) {
        if is_word(text, at, at + FILLER.len()) {
            hits.push(at..at + FILLER.len());
        }
    }
    for (at, _) in text.match_indices('<') {
        if let Some(end) = slot_end(text, at) {
            hits.push(at..end);
        }
    }
    hits.sort_by_key(|r| (r.start, r.end));
    for hit in hits {
        found.push(Placeholder {
            text: text[hit.clone()].to_string(),
            span: offset + hit.start..offset + hit.end,
        });
    }
}

/// Whether `text[start..end]` stands as a word: no letter, digit or `_` touches it.
fn is_word(text: &str, start: usize, end: usize) -> bool {
    let joined = |c: char| c.is_alphanumeric() || c == '_';
    !text[..start].chars().next_back().is_some_and(joined)
        && !text[end..].chars().next().is_some_and(joined)
}

/// The end of a template slot such as `<describe the scope>` opening at `start`, if it is one:
/// words in angle brackets on one line, not an HTML tag, an address or a comparison.
fn slot_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start + 1..];
    let close = rest.find('>')?;
    let inner = &rest[..close];
    if inner.is_empty() || inner.len() > MAX_SLOT || inner.contains(['\n', '<']) {
        return None;
    }
    let first = inner.chars().next()?;
    if !first.is_alphabetic() {
        return None; // `</p>`, `<!-- -->`, `< 5 >`
    }
    if inner.contains(['=', ':', '@', '/']) {
        return None; // attributes, URLs, e-mail addresses, self-closing tags
    }
    let name = inner
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    if HTML_TAGS.contains(&name.as_str()) || HTML_TABLE_TAGS.contains(&name.as_str()) {
        return None;
    }
    Some(start + 1 + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(found: &[Placeholder]) -> Vec<&str> {
        found.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn finds_markers_fillers_and_slots_as_words() {
        let text = "TODO: the scope. Lorem ipsum dolor. <describe the scope> and TBD, FIXME XXX.";
        let found = in_text(text);
        assert_eq!(
            texts(&found),
            [
                "TODO",
                "Lorem ipsum",
                "<describe the scope>",
                "TBD",
                "FIXME",
                "XXX"
            ]
        );
        assert_eq!(found[0].span, 0..4);
        assert_eq!(&text[found[2].span.clone()], "<describe the scope>");
    }

    #[test]
    fn leaves_words_tags_addresses_and_code_alone() {
        for text in [
            "TODOS, todo list, XXXL, MTBD, a_TODO",
            "<b>bold</b>, <br/>, <a href=\"x\">link</a>, <td>, </p>",
            "<https://example.com>, <alice@example.com>, 3 < 5 > 2, <!-- note -->",
            "run `TODO` and `<slot here>` in code",
        ] {
            assert!(in_text(text).is_empty(), "{text}: {:?}", in_text(text));
        }
    }

    #[test]
    fn markdown_skips_code_and_reports_offsets_in_the_file() {
        let text =
            "+++\n+++\n# T\n\nTODO write.\n\n```\nTODO in code\n```\n\n`FIXME` and <owner name>.\n";
        let found = in_markdown(text, 8);
        assert_eq!(texts(&found), ["TODO", "<owner name>"]);
        for p in &found {
            assert_eq!(&text[p.span.clone()], p.text);
        }
    }
}
