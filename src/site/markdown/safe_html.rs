//! Markdown events written straight into the HTML the sanitiser would have left, in one pass:
//! parsing pulldown-cmark's HTML again (ammonia's html5ever parse and re-serialisation) was the
//! costliest part of a document page.
//!
//! Only documents made of plain Markdown take this path: paragraphs, headings, emphasis,
//! lists, quotes, code, tables, rules, breaks and links. Any raw HTML, image, footnote, task
//! list or other construct makes [`write`] give up, and the caller sanitises pulldown-cmark's
//! HTML with ammonia as before. Without raw HTML, the only things in a document that can run
//! are link addresses; they are checked exactly as the sanitiser checks them (the same URL
//! parser, the same allowed schemes), and every text and attribute is escaped as its
//! serialiser escapes them, so both routes give the same bytes (tested on a corpus of hostile
//! and ordinary Markdown).

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Tag, TagEnd};
use pulldown_cmark_escape::escape_href;

/// The link schemes documents may use; any other absolute address loses its `href`.
pub(super) const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// What every link gets, as the sanitiser adds it.
pub(super) const LINK_REL: &str = "noopener noreferrer";

/// The sanitised HTML of `events`, or `None` when they hold something this writer leaves to
/// the sanitiser.
pub(super) fn write<'a>(
    events: impl Iterator<Item = Event<'a>>,
    capacity: usize,
) -> Option<String> {
    let mut writer = Writer {
        out: String::with_capacity(capacity),
        end_newline: true,
        in_head: false,
    };
    for event in events {
        writer.event(event)?;
    }
    Some(writer.out)
}

/// Whether `markdown` holds characters the HTML parser would change on the way (carriage
/// returns become line feeds, NUL is dropped): such documents take the sanitiser's route.
pub(super) fn has_parser_sensitive_characters(markdown: &str) -> bool {
    markdown.bytes().any(|b| b == b'\r' || b == 0)
}

/// The output, and what pulldown-cmark's writer tracks to place its line breaks.
struct Writer {
    out: String,
    /// Whether the output ends with a line break (pulldown-cmark's `end_newline`).
    end_newline: bool,
    /// Whether table cells are header cells.
    in_head: bool,
}

impl Writer {
    /// Writes markup, tracking whether it ended a line.
    fn raw(&mut self, s: &str) {
        self.out.push_str(s);
        if !s.is_empty() {
            self.end_newline = s.ends_with('\n');
        }
    }

    /// Writes a block's opening markup on a line of its own.
    fn block(&mut self, s: &str) {
        if !self.end_newline {
            self.out.push('\n');
        }
        self.raw(s);
    }

    fn event(&mut self, event: Event<'_>) -> Option<()> {
        match event {
            Event::Start(tag) => self.start(tag)?,
            Event::End(tag) => self.end(tag)?,
            Event::Text(text) => {
                escape_text(&mut self.out, &text);
                self.end_newline = text.ends_with('\n');
            }
            Event::Code(text) => {
                self.raw("<code>");
                escape_text(&mut self.out, &text);
                self.raw("</code>");
            }
            Event::SoftBreak => {
                self.out.push('\n');
                self.end_newline = true;
            }
            Event::HardBreak => self.raw("<br>\n"),
            Event::Rule => self.block("<hr>\n"),
            _ => return None,
        }
        Some(())
    }

    fn start(&mut self, tag: Tag<'_>) -> Option<()> {
        match tag {
            Tag::Paragraph => self.block("<p>"),
            Tag::Heading {
                level,
                id: None,
                classes,
                attrs,
            } if classes.is_empty() && attrs.is_empty() => self.block(&format!("<{level}>")),
            Tag::Table(_) => self.raw("<table>"),
            Tag::TableHead => {
                self.in_head = true;
                self.raw("<thead><tr>");
            }
            Tag::TableRow => self.raw("<tr>"),
            Tag::TableCell => self.raw(if self.in_head { "<th>" } else { "<td>" }),
            Tag::BlockQuote(None) => self.block("<blockquote>\n"),
            // The sanitiser drops the language class pulldown-cmark writes.
            Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => {
                self.block("<pre><code>")
            }
            Tag::List(Some(1)) => self.block("<ol>\n"),
            Tag::List(Some(start)) => self.block(&format!("<ol start=\"{start}\">\n")),
            Tag::List(None) => self.block("<ul>\n"),
            Tag::Item => self.block("<li>"),
            Tag::Emphasis => self.raw("<em>"),
            Tag::Strong => self.raw("<strong>"),
            Tag::Strikethrough => self.raw("<del>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let mut href = String::new();
                if link_type == LinkType::Email {
                    href.push_str("mailto:");
                }
                href.push_str(&as_parsed_href(&dest_url));
                self.out.push_str("<a");
                if allowed_link(&href) {
                    self.out.push_str(" href=\"");
                    escape_attribute(&mut self.out, &href);
                    self.out.push('"');
                }
                if !title.is_empty() {
                    self.out.push_str(" title=\"");
                    escape_attribute(&mut self.out, &title);
                    self.out.push('"');
                }
                self.out.push_str(" rel=\"");
                self.out.push_str(LINK_REL);
                self.raw("\">");
            }
            _ => return None,
        }
        Some(())
    }

    fn end(&mut self, tag: TagEnd) -> Option<()> {
        let markup = match tag {
            TagEnd::Paragraph => "</p>\n",
            TagEnd::Heading(level) => {
                self.raw(&format!("</{level}>\n"));
                return Some(());
            }
            TagEnd::Table => "</tbody></table>\n",
            TagEnd::TableHead => {
                self.in_head = false;
                "</tr></thead><tbody>\n"
            }
            TagEnd::TableRow => "</tr>\n",
            TagEnd::TableCell if self.in_head => "</th>",
            TagEnd::TableCell => "</td>",
            TagEnd::BlockQuote(None) => "</blockquote>\n",
            TagEnd::CodeBlock => "</code></pre>\n",
            TagEnd::List(true) => "</ol>\n",
            TagEnd::List(false) => "</ul>\n",
            TagEnd::Item => "</li>\n",
            TagEnd::Emphasis => "</em>",
            TagEnd::Strong => "</strong>",
            TagEnd::Strikethrough => "</del>",
            TagEnd::Link => "</a>",
            _ => return None,
        };
        self.raw(markup);
        Some(())
    }
}

/// A link address as the sanitiser reads it from pulldown-cmark's HTML: percent-encoded by
/// pulldown-cmark, with its `&amp;` and `&#x27;` decoded again by the HTML parser.
fn as_parsed_href(dest: &str) -> String {
    let mut escaped = String::with_capacity(dest.len());
    // Writing into a String cannot fail.
    let _ = escape_href(&mut escaped, dest);
    let mut parsed = String::with_capacity(escaped.len());
    let mut rest = escaped.as_str();
    while let Some(at) = rest.find('&') {
        parsed.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some(after) = rest.strip_prefix("&amp;") {
            parsed.push('&');
            rest = after;
        } else if let Some(after) = rest.strip_prefix("&#x27;") {
            parsed.push('\'');
            rest = after;
        } else {
            parsed.push('&');
            rest = &rest[1..];
        }
    }
    parsed.push_str(rest);
    parsed
}

/// The sanitiser's rule for an address: an absolute URL with an allowed scheme, or a relative
/// one; anything else (`javascript:`, `data:`, an address that does not parse) is dropped.
pub(super) fn allowed_link(href: &str) -> bool {
    match url::Url::parse(href) {
        Ok(url) => SCHEMES.contains(&url.scheme()),
        Err(error) => error == url::ParseError::RelativeUrlWithoutBase,
    }
}

/// Escapes text as the HTML serialiser does: `&`, `<`, `>` and the no-break space.
fn escape_text(out: &mut String, text: &str) {
    escape(out, text, false);
}

/// Escapes an attribute value as the HTML serialiser does: `&`, `"`, `<`, `>` and the
/// no-break space.
fn escape_attribute(out: &mut String, text: &str) {
    escape(out, text, true);
}

fn escape(out: &mut String, text: &str, attribute: bool) {
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let entity = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if attribute => "&quot;",
            '\u{a0}' => "&nbsp;",
            _ => continue,
        };
        out.push_str(&text[start..i]);
        out.push_str(entity);
        start = i + c.len_utf8();
    }
    out.push_str(&text[start..]);
}
