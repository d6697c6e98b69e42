//! Facts that need the content of past versions: which commit recorded a document's current
//! approval (and the one before), and which recorded a finding's verification. Only the
//! versions needed are read, newest first, and only the few fields are kept.

use std::collections::BTreeMap;

use super::{History, Repo, Resolver};
use crate::diagnostics::Files;
use crate::load::front_matter::{self, text_of};
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

/// A fact read from one version of a file, storable in the blob cache as a few strings.
pub(super) trait Fact: Sized + PartialEq {
    /// Distinguishes the kinds in the cache.
    const KIND: &'static str;
    fn extract(text: &str) -> Option<Self>;
    fn fields(&self) -> Vec<String>;
    fn from_fields(fields: &[String]) -> Option<Self>;
}

impl Fact for Approval {
    const KIND: &'static str = "a";
    fn extract(text: &str) -> Option<Self> {
        approval(text)
    }
    fn fields(&self) -> Vec<String> {
        vec![self.by.clone(), self.on.clone()]
    }
    fn from_fields(f: &[String]) -> Option<Self> {
        match f {
            [by, on] => Some(Approval {
                by: by.clone(),
                on: on.clone(),
            }),
            _ => None,
        }
    }
}

impl Fact for Verification {
    const KIND: &'static str = "v";
    fn extract(text: &str) -> Option<Self> {
        verification(text)
    }
    fn fields(&self) -> Vec<String> {
        vec![self.by.clone(), self.on.clone(), self.effective.to_string()]
    }
    fn from_fields(f: &[String]) -> Option<Self> {
        match f {
            [by, on, effective] => Some(Verification {
                by: by.clone(),
                on: on.clone(),
                effective: effective == "true",
            }),
            _ => None,
        }
    }
}

/// Blob facts already known (from the cache) and whether new ones were added.
#[derive(Default)]
pub(super) struct Known {
    pub facts: super::cache::BlobFacts,
    pub added: bool,
}

impl Known {
    pub(super) fn get<K: Fact>(
        &mut self,
        repo: &Repo,
        oid: git2::Oid,
    ) -> Result<(Option<K>, u64), git2::Error> {
        let key = format!("{}{oid}", K::KIND);
        if let Some((fields, content)) = self.facts.get(&key) {
            let value = fields.as_deref().and_then(K::from_fields);
            if fields.is_none() || value.is_some() {
                return Ok((value, *content));
            }
        }
        let bytes = repo.blob(oid)?;
        let text = std::str::from_utf8(&bytes).ok();
        let value = text.and_then(K::extract);
        let content = text.map_or(0, content_hash);
        self.facts
            .insert(key, (value.as_ref().map(K::fields), content));
        self.added = true;
        Ok((value, content))
    }
}

pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    files: &Files,
    known: &mut Known,
) -> Result<Provenance, git2::Error> {
    let mut out = Provenance::default();
    for doc in &isms.documents {
        let versions = versions::<Approval>(repo, history, &doc.path, 3, known)?;
        out.approvals.insert(doc.path.clone(), versions);
    }
    for finding in &isms.findings {
        if out.verifications.contains_key(finding.id.as_str())
            || (finding.origin.file.0 as usize) >= files.len()
        {
            continue;
        }
        let path = &files.get(finding.origin.file).path;
        let versions = versions::<Verification>(repo, history, path, 2, known)?;
        out.verifications.insert(finding.id.to_string(), versions);
        out.finding_paths
            .insert(finding.id.to_string(), path.clone());
    }
    Ok(out)
}

/// A commit listed in the ignore-revs file by one of its own authors is attributed after all:
/// no one exempts their own work. The commit that added each hash is found from the file's
/// versions (the staged one included).
pub(super) fn refuse_self_exemptions(
    repo: &Repo,
    history: &mut History,
    repo_path: &str,
    resolver: &Resolver<'_>,
) -> Result<(), git2::Error> {
    if !history.commits.iter().any(|c| c.ignored) {
        return Ok(());
    }
    // Newest first: (commit, hashes listed in that version).
    let mut versions: Vec<(usize, Vec<String>)> = Vec::new();
    for &i in history.touching(repo_path) {
        let blob = history.commits[i]
            .changes
            .iter()
            .find(|c| c.path == repo_path)
            .and_then(|c| c.blob);
        let hashes = match blob {
            Some(oid) => listed_hashes(&String::from_utf8_lossy(&repo.blob(oid)?)),
            None => Vec::new(),
        };
        versions.push((i, hashes));
    }
    let mut refused = Vec::new();
    for (index, commit) in history.commits.iter().enumerate() {
        if !commit.ignored {
            continue;
        }
        let lists = |hashes: &Vec<String>| hashes.iter().any(|h| commit.id.starts_with(h.as_str()));
        // The oldest version of the newest run of versions listing it: where it was added.
        let Some(added) = versions
            .iter()
            .take_while(|(_, h)| lists(h))
            .last()
            .map(|(c, _)| *c)
        else {
            continue; // listed only in an uncommitted file: cannot tell who listed it
        };
        let mut unignored = commit.clone();
        unignored.ignored = false;
        let mut by_adder = history.commits[added].clone();
        by_adder.ignored = false;
        let authors = resolver.people(&unignored);
        let adders = resolver.people(&by_adder);
        let same_person = authors.iter().any(|a| adders.iter().any(|b| a.id == b.id));
        let same_email = unignored.identities().any(|a| {
            by_adder
                .identities()
                .any(|b| a.email.eq_ignore_ascii_case(&b.email))
        });
        if same_person || same_email {
            refused.push(index);
        }
    }
    for i in refused {
        history.commits[i].ignored = false;
    }
    Ok(())
}

/// The hashes an ignore-revs file lists, lowercase.
pub(super) fn listed_hashes(text: &str) -> Vec<String> {
    listed_hash_spans(text)
        .into_iter()
        .map(|(_, h)| h)
        .collect()
}

/// The hashes an ignore-revs file lists, lowercase, each with its byte span in `text` (one
/// hash a line, `#` comments, as git's `blame.ignoreRevsFile`).
pub(crate) fn listed_hash_spans(text: &str) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let content = line.split('#').next().unwrap_or("");
        let hash = content.trim();
        if hash.len() >= 4 && hash.chars().all(|c| c.is_ascii_hexdigit()) {
            let from = start + (content.len() - content.trim_start().len());
            out.push((from..from + hash.len(), hash.to_lowercase()));
        }
        start += line.len();
    }
    out
}

/// The versions of one file newest first, until `runs` distinct values have been seen.
fn versions<K: Fact>(
    repo: &Repo,
    history: &History,
    isms_path: &str,
    runs: usize,
    known: &mut Known,
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
            Some(oid) => known.get::<K>(repo, oid)?,
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

fn approval(text: &str) -> Option<Approval> {
    let recorded = Recorded::of(text);
    Some(Approval {
        by: recorded.approved_by?,
        on: recorded.approved_on?,
    })
}

/// What a document's front matter records about its control: approver, approval date and
/// version, each when given (nothing when the text has no front matter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recorded {
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub version: Option<String>,
}

impl Recorded {
    pub(super) fn of(text: &str) -> Recorded {
        let Some(table) = front_matter::table(text) else {
            return Recorded::default();
        };
        Recorded {
            approved_by: text_of(table.get("approved_by")),
            approved_on: text_of(table.get("approved_on")),
            version: text_of(table.get("version")),
        }
    }
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
        assert_eq!(
            Recorded::of("+++\nid = \"P\"\napproved_by = \"alice\"\nversion = \"2.1\"\n+++\n"),
            Recorded {
                approved_by: Some("alice".into()),
                approved_on: None,
                version: Some("2.1".into()),
            }
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
