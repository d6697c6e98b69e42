//! Splits a Markdown file into TOML front matter (between `+++` lines) and its body.

use std::ops::Range;

/// The front matter of a Markdown file, prepared so TOML spans are file positions.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter {
    /// The file up to the closing `+++`, with the delimiter lines blanked out: parsing it gives
    /// spans that are byte offsets in the file itself, with no shifting.
    pub toml: String,
    /// The span of the front matter including its delimiters.
    pub span: Range<usize>,
    /// Where the Markdown body starts.
    pub body_start: usize,
}

/// Why a file has no usable front matter, with the span to point at.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    pub message: &'static str,
    pub span: Range<usize>,
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r', '\n']) == "+++"
}

/// The front matter of a Markdown file as a TOML table, when it has readable front matter
/// (for past versions of a document, read from git, where only a few fields matter).
pub(crate) fn table(text: &str) -> Option<toml::Table> {
    toml::from_str(&split(text).ok()?.toml).ok()
}

/// A front-matter or record value as text (dates as written).
pub(crate) fn text_of(value: Option<&toml::Value>) -> Option<String> {
    match value? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        other => Some(other.to_string()),
    }
}

pub fn split(text: &str) -> Result<FrontMatter, FrontMatterError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = text[bom..].split_inclusive('\n').scan(bom, |offset, line| {
        let start = *offset;
        *offset += line.len();
        Some((start, line))
    });
    let Some((_, first)) = lines.next().filter(|(_, l)| is_delimiter(l)) else {
        let first_len = text[bom..].find('\n').unwrap_or(text.len() - bom);
        return Err(FrontMatterError {
            message: "the file does not start with a `+++` line opening its TOML front matter",
            span: bom..bom + first_len,
        });
    };
    let open_end = bom + first.len();
    let Some((close_start, close)) = lines.find(|(_, l)| is_delimiter(l)) else {
        return Err(FrontMatterError {
            message: "the front matter opened by `+++` is never closed by a second `+++` line",
            span: bom..bom + first.trim_end().len(),
        });
    };
    let close_end = close_start + close.len();
    // Same byte length, so every offset after it is unchanged.
    let blank = |s: &str| {
        s.chars()
            .map(|c| {
                if c == '\n' {
                    "\n".to_string()
                } else {
                    " ".repeat(c.len_utf8())
                }
            })
            .collect::<String>()
    };
    let mut toml = String::with_capacity(close_end);
    toml.push_str(&blank(&text[..open_end]));
    toml.push_str(&text[open_end..close_start]);
    toml.push_str(&blank(&text[close_start..close_end]));
    debug_assert_eq!(toml.len(), close_end);
    Ok(FrontMatter {
        toml,
        span: bom..close_end,
        body_start: close_end,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_stay_file_positions() {
        let text = "+++\nid = \"POL\"\n+++\n# Title\n";
        let fm = split(text).unwrap();
        assert_eq!(fm.toml.len(), 19);
        let at = fm.toml.find("POL").unwrap();
        assert_eq!(&text[at..at + 3], "POL");
        assert_eq!(&text[fm.body_start..], "# Title\n");
        assert!(fm.toml.starts_with("   \n"));
    }

    #[test]
    fn windows_line_ends_and_bom() {
        let text = "\u{feff}+++\r\nid = 1\r\n+++\r\nbody";
        let fm = split(text).unwrap();
        assert_eq!(&text[fm.body_start..], "body");
        assert_eq!(fm.toml.len(), fm.body_start);
    }

    #[test]
    fn missing_or_unclosed() {
        assert!(
            split("# Title\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(
            split("+++\nid = 1\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
        assert!(split("").is_err());
    }
}
