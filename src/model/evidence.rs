//! Where a piece of evidence lives: a file below the ISMS root, a web address, or a record in a
//! compliance tool (`hyperproof:CTL-123`). Only the spelling is checked; nothing is fetched.

/// One evidence entry, classified by its spelling.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvidenceLocation<'a> {
    /// A path relative to the ISMS root (`evidence/...`).
    File(&'a str),
    /// An `https://` (or `http://`) address.
    Url(&'a str),
    /// A record in another tool: `tool:ID`.
    Tool { tool: &'a str, id: &'a str },
}

/// Classifies `entry`; an address or tool reference that is misspelled gets the reason.
pub fn locate(entry: &str) -> Result<EvidenceLocation<'_>, String> {
    if let Some(rest) = strip_scheme(entry) {
        return check_url(entry, rest).map(|()| EvidenceLocation::Url(entry));
    }
    match entry.split_once(':') {
        Some((tool, id)) if is_tool_name(tool) => {
            check_tool_id(entry, id).map(|()| EvidenceLocation::Tool { tool, id })
        }
        _ => Ok(EvidenceLocation::File(entry)),
    }
}

fn strip_scheme(entry: &str) -> Option<&str> {
    let lower = entry.get(..8).map(str::to_ascii_lowercase);
    match lower.as_deref() {
        Some("https://") => entry.get(8..),
        Some(s) if s.starts_with("http://") => entry.get(7..),
        _ => None,
    }
}

/// A tool's name: a lowercase word (`hyperproof`, `drata`, `jira-cloud`), at least two letters so
/// a Windows drive (`C:`) is not taken for one.
fn is_tool_name(tool: &str) -> bool {
    tool.len() >= 2
        && tool.starts_with(|c: char| c.is_ascii_lowercase())
        && tool
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn check_tool_id(entry: &str, id: &str) -> Result<(), String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/#".contains(c);
    if id.is_empty() {
        return Err(format!(
            "`{entry}` names no record after the tool: write `tool:ID`, for example `hyperproof:CTL-123`"
        ));
    }
    match id.chars().find(|&c| !allowed(c)) {
        None => Ok(()),
        Some(c) => Err(format!(
            "`{entry}` is not a tool reference: its id contains {}; ids of records use ASCII letters, digits, `.`, `_`, `-`, `/` and `#` (for example `hyperproof:CTL-123`)",
            describe(c)
        )),
    }
}

/// An address: a host of letters, digits, `.` and `-` (with an optional port), then an optional
/// path without spaces, quotes, angle brackets or control characters.
fn check_url(entry: &str, rest: &str) -> Result<(), String> {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let host = authority
        .rsplit_once(':')
        .filter(|(_, port)| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        .map_or(authority, |(host, _)| host);
    let host_ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && !host.ends_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !host_ok {
        return Err(format!(
            "`{entry}` is not a web address: write it like `https://tool.example.com/evidence/123` (a host name of letters, digits, `.` and `-`, then the path)"
        ));
    }
    match path
        .chars()
        .find(|&c| c.is_control() || c.is_whitespace() || "\"<>\\`{}|^".contains(c))
    {
        None => Ok(()),
        Some(c) => Err(format!(
            "`{entry}` is not a web address: it contains {}; percent-encode it (a space is `%20`)",
            describe(c)
        )),
    }
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else if c.is_ascii_graphic() {
        format!("`{c}`")
    } else {
        format!("U+{:04X}", u32::from(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_addresses_and_tool_records_are_told_apart() {
        assert_eq!(
            locate("evidence/a.pdf"),
            Ok(EvidenceLocation::File("evidence/a.pdf"))
        );
        assert_eq!(
            locate("https://drive.example.com/x?y=1#z"),
            Ok(EvidenceLocation::Url("https://drive.example.com/x?y=1#z"))
        );
        assert_eq!(
            locate("hyperproof:CTL-123"),
            Ok(EvidenceLocation::Tool {
                tool: "hyperproof",
                id: "CTL-123"
            })
        );
        // A drive letter is a (bad) path, not a tool.
        assert_eq!(
            locate("C:evidence"),
            Ok(EvidenceLocation::File("C:evidence"))
        );
    }

    #[test]
    fn misspelled_addresses_and_tool_records_are_rejected() {
        for bad in [
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com/<script>",
            "hyperproof:",
            "hyperproof:CTL 1",
            "javascript:alert(1)",
        ] {
            assert!(locate(bad).is_err(), "{bad} was accepted");
        }
    }
}
