//! The structure of a Markdown body that rules need: its level-2 sections.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::model::Section;

/// The `##` headings of `text` from `body_start` on, with spans in the file.
pub(crate) fn level2_headings(text: &str, body_start: usize) -> Vec<Section> {
    let body = text.get(body_start..).unwrap_or("");
    let mut sections = Vec::new();
    let mut current: Option<(String, std::ops::Range<usize>)> = None;
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => {
                current = Some((String::new(), range));
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((title, _)) = &mut current {
                    title.push_str(&t);
                }
            }
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                if let Some((title, range)) = current.take() {
                    let span = body_start + range.start..body_start + range.end;
                    sections.push(Section {
                        title: title.trim().to_string(),
                        span,
                    });
                }
            }
            _ => {}
        }
    }
    sections
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_level_two_headings_outside_code() {
        let text = "+++\n+++\n# Report\n## Scope\ntext\n```\n## not a heading\n```\nSummary\n-------\n## `Findings`\n";
        let titles: Vec<_> = level2_headings(text, 8)
            .into_iter()
            .map(|s| s.title)
            .collect();
        assert_eq!(titles, ["Scope", "Summary", "Findings"]);
    }
}
