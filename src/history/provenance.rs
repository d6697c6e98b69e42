//! Facts that need the content of past versions: which commit recorded a document's current
//! approval (and the one before), and which recorded a finding's verification. Only the
//! versions needed are read, newest first, and only the few fields are kept.

use std::collections::BTreeMap;

use super::{History, Repo};
use crate::diagnostics::Files;
use crate::model::Isms;

/// A document's approval as one version of the file records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approval {
    pub by: String,
    pub on: String,
}

/// A finding's `[verification]` as one version of the file records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    pub by: String,
    pub on: String,
    pub effective: bool,
}

/// One version of a file: the commit that wrote it and what it recorded (`None`: nothing, or
/// the file was deleted or unreadable then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version<K> {
    pub commit: usize,
    pub value: Option<K>,
    /// A hash of the text without the fields that record approval (`approved_by`,
    /// `approved_on`, `version`): two versions with the same hash say the same thing.
    pub content: u64,
}

#[derive(Clone, Debug, Default)]
pub struct Provenance {
    /// Per document path (relative to the ISMS root): versions newest first, read back until
    /// the approval changed twice (enough to find the previous approval and the changes since).
    pub approvals: BTreeMap<String, Vec<Version<Approval>>>,
    /// Per finding id: versions newest first, read back until the verification changed.
    pub verifications: BTreeMap<String, Vec<Version<Verification>>>,
    /// Per finding id: its file, relative to the ISMS root.
    pub finding_paths: BTreeMap<String, String>,
}

pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    files: &Files,
) -> Result<Provenance, git2::Error> {
    let mut out = Provenance::default();
    for doc in &isms.documents {
        let versions = versions(repo, history, &doc.path, 3, approval)?;
        out.approvals.insert(doc.path.clone(), versions);
    }
    for finding in &isms.findings {
        if out.verifications.contains_key(finding.id.as_str())
            || (finding.origin.file.0 as usize) >= files.len()
        {
            continue;
        }
        let path = &files.get(finding.origin.file).path;
        let versions = versions(repo, history, path, 2, verification)?;
        out.verifications.insert(finding.id.to_string(), versions);
        out.finding_paths
            .insert(finding.id.to_string(), path.clone());
    }
    Ok(out)
}

/// The versions of one file newest first, until `runs` distinct values have been seen.
fn versions<K: PartialEq>(
    repo: &Repo,
    history: &History,
    isms_path: &str,
    runs: usize,
    extract: fn(&str) -> Option<K>,
) -> Result<Vec<Version<K>>, git2::Error> {
    let repo_path = history.repo_path(isms_path);
    let mut out: Vec<Version<K>> = Vec::new();
    let mut seen = 0;
    for &i in history.touching(&repo_path) {
        let blob = history.commits[i]
            .changes
            .iter()
            .find(|c| c.path == repo_path)
            .and_then(|c| c.blob);
        let (value, content) = match blob {
            Some(oid) => {
                let bytes = repo.blob(oid)?;
                let text = std::str::from_utf8(&bytes).ok();
                (text.and_then(extract), text.map_or(0, content_hash))
            }
            None => (None, 0),
        };
        if out.last().is_none_or(|v| v.value != value) {
            seen += 1;
            if seen > runs {
                break;
            }
        }
        out.push(Version {
            commit: i,
            value,
            content,
        });
    }
    Ok(out)
}

/// FNV-1a of the lines that are not approval fields.
fn content_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for line in text.lines() {
        let key = line.split('=').next().unwrap_or("").trim();
        if matches!(key, "approved_by" | "approved_on" | "version") {
            continue;
        }
        for b in line.bytes().chain(std::iter::once(b'\n')) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The TOML between the opening and closing `+++` lines of a Markdown file.
fn front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "+++" {
        return None;
    }
    let start = first.len();
    let mut end = start;
    for line in lines {
        if line.trim_end() == "+++" {
            return text.get(start..end);
        }
        end += line.len();
    }
    None
}

fn text_of(value: Option<&toml::Value>) -> Option<String> {
    match value? {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        other => Some(other.to_string()),
    }
}

fn approval(text: &str) -> Option<Approval> {
    let table: toml::Table = toml::from_str(front_matter(text)?).ok()?;
    Some(Approval {
        by: text_of(table.get("approved_by"))?,
        on: text_of(table.get("approved_on"))?,
    })
}

fn verification(text: &str) -> Option<Verification> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let v = table.get("verification")?.as_table()?;
    Some(Verification {
        by: text_of(v.get("by"))?,
        on: text_of(v.get("on"))?,
        effective: v
            .get("effective")
            .and_then(toml::Value::as_bool)
            .unwrap_or(false),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_from_front_matter() {
        let doc = "+++\nid = \"P\"\napproved_by = \"alice\"\napproved_on = 2026-02-10\n+++\n# P\n";
        assert_eq!(
            approval(doc),
            Some(Approval {
                by: "alice".into(),
                on: "2026-02-10".into()
            })
        );
        assert_eq!(approval("# no front matter"), None);
        assert_eq!(approval("+++\nid = \"P\"\n+++\n"), None);
    }

    #[test]
    fn verification_from_finding() {
        let f = "id = \"F\"\n[verification]\nby = \"dave\"\non = 2026-06-01\neffective = true\n";
        assert_eq!(
            verification(f),
            Some(Verification {
                by: "dave".into(),
                on: "2026-06-01".into(),
                effective: true
            })
        );
        assert_eq!(verification("id = \"F\"\n"), None);
    }
}
