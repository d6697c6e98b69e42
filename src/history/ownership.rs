//! Who owned what before HEAD: the committed versions of areas.toml, soa.toml and the documents'
//! front matter, so that IND001 looks over the whole lookback window (an owner who steps down
//! just before auditing their area is still barred) and an area's `paths` are judged as each
//! commit saw them (narrowing them today does not hide last year's edits). Only the versions
//! that matter are read: those dated on or after the earliest window's start, and the one
//! version in effect at that start.

use std::collections::BTreeMap;

use super::{History, Repo};
use crate::load::front_matter;
use crate::model::{Date, Isms};

/// An area as one version of areas.toml records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PastArea {
    pub owner: Option<String>,
    pub members: Vec<String>,
    /// Globs relative to the ISMS root, as written.
    pub paths: Vec<String>,
}

/// One committed version of a file: the commit that wrote it (an index into the history's
/// commits) and what it recorded (`None`: deleted or unreadable).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Past<T> {
    pub commit: usize,
    /// The day it took effect: the commit's date, or for areas.toml that of the commit of
    /// HEAD's first-parent line that brought it (a merge, for a side branch's change).
    pub on: Date,
    pub value: Option<T>,
}

/// A version of areas.toml in effect on HEAD's first-parent line: from `on`, written by
/// `commit` (an index into the history's commits), its blob (`None`: no areas.toml).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AreasStep {
    pub commit: usize,
    pub on: Date,
    pub blob: Option<git2::Oid>,
}

/// The versions of areas.toml along HEAD's first-parent line, newest first, from the changes
/// `steps` found at raw positions (`areas`: the version at each), `kept` mapping each commit of
/// the history to its raw position (the staged change: `None`), `date` the day of a raw
/// position, and what the staged change, if any, wrote to areas.toml.
pub(super) fn areas_line(
    steps: &[super::lineage::Step],
    areas: &[Option<git2::Oid>],
    kept: &[Option<usize>],
    date: impl Fn(usize) -> Date,
    staged: Option<(Date, Option<Option<git2::Oid>>)>,
) -> Vec<AreasStep> {
    let mut index_of: Vec<Option<usize>> = vec![None; areas.len()];
    for (index, raw) in kept.iter().enumerate() {
        if let Some(slot) = raw.and_then(|r| index_of.get_mut(r)) {
            *slot = Some(index);
        }
    }
    let mut out = Vec::new();
    if let Some((on, Some(blob))) = staged {
        out.push(AreasStep {
            commit: 0,
            on,
            blob,
        });
    }
    for step in steps {
        // The commit that wrote the version; a version no kept commit wrote (a merge that
        // combined both sides' edits cleanly) is named by the newest kept commit below it.
        let commit = index_of[step.by].or_else(|| index_of[step.at..].iter().find_map(|i| *i));
        if let Some(commit) = commit {
            out.push(AreasStep {
                commit,
                on: date(step.at),
                blob: areas[step.at],
            });
        }
    }
    out
}

/// The versions read, each newest first.
#[derive(Clone, Debug, Default)]
pub struct Ownership {
    /// areas.toml: area id -> its record.
    pub areas: Vec<Past<BTreeMap<String, PastArea>>>,
    /// soa.toml: control -> its owner.
    pub controls: Vec<Past<BTreeMap<String, String>>>,
    /// Per document path (relative to the ISMS root): its `owner`.
    pub documents: BTreeMap<String, Vec<Past<String>>>,
    /// The versions of areas.toml in effect at the commits dated from the earliest window's
    /// start (each commit's own tree, so a side branch has its own), each with those commits
    /// (indexes into the history's commits, newest first).
    pub areas_in_effect: Vec<AreasInEffect>,
}

/// A version of areas.toml (area id -> its record) and the commits it was in effect at.
pub type AreasInEffect = (BTreeMap<String, PastArea>, Vec<usize>);

/// A tie that held in a committed version and that the checked model no longer shows: the
/// commit that ended it, or `None` when HEAD's version still records it (only an uncommitted
/// change ended it, which proves nothing: HEAD's version counts as in effect until now).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ended {
    pub commit: Option<usize>,
}

impl Ownership {
    /// The newest commit that ended a tie which held at some time in `[from, until)`: versions
    /// newest first, `held(v)` whether version `v` records the tie. A tie that still holds in
    /// the newest committed version held until now: asked only when the checked model no
    /// longer shows it, it was ended by an uncommitted change (`commit: None`).
    pub fn ended<T>(
        versions: &[Past<T>],
        from: Date,
        until: Date,
        held: impl Fn(Option<&T>) -> bool,
    ) -> Option<Ended> {
        let holds: Vec<bool> = versions.iter().map(|v| held(v.value.as_ref())).collect();
        let run = holds.iter().take_while(|h| **h).count();
        if run > 0 {
            let start = versions[run - 1].on;
            if start < until {
                return Some(Ended { commit: None });
            }
        }
        for k in 1..versions.len() {
            if !holds[k] || holds[k - 1] {
                continue;
            }
            let end = versions[k - 1].on;
            // The oldest version of the run that held the tie: when it started.
            let run = holds[k..].iter().take_while(|h| **h).count();
            let start = versions[k + run - 1].on;
            if end >= from && start < until {
                return Some(Ended {
                    commit: Some(versions[k - 1].commit),
                });
            }
        }
        None
    }
}

/// Reads the versions of areas.toml, soa.toml and every document dated on or after `since`,
/// and the one before (in effect at `since`). Nothing when no audit asks (`since` is `None`).
/// A document version's owner is a blob fact: taken from `known` when a run before read it.
pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    since: Option<Date>,
    known: &mut super::provenance::Known,
) -> Result<Ownership, git2::Error> {
    let Some(since) = since else {
        return Ok(Ownership::default());
    };
    let mut out = Ownership {
        areas: areas_on_the_line(repo, history, since)?,
        controls: versions(history, "soa.toml", since, |oid| {
            parsed(repo, oid, controls)
        })?,
        documents: BTreeMap::new(),
        areas_in_effect: areas_in_effect(repo, history, since)?,
    };
    for doc in &isms.documents {
        let v = versions(history, &doc.path, since, |oid| {
            Ok(known.get::<Owner>(repo, oid)?.0.map(|o| o.0))
        })?;
        out.documents.insert(doc.path.clone(), v);
    }
    Ok(out)
}

/// The versions of areas.toml along HEAD's first-parent line dated on or after `since`, and the
/// one before (in effect at `since`), newest first: a side branch's stale copy, or a version
/// dated like another, does not say who owned an area on the line the audit checks.
fn areas_on_the_line(
    repo: &Repo,
    history: &History,
    since: Date,
) -> Result<Vec<Past<BTreeMap<String, PastArea>>>, git2::Error> {
    let mut parsed: std::collections::HashMap<git2::Oid, Option<BTreeMap<String, PastArea>>> =
        Default::default();
    let mut out = Vec::new();
    for step in &history.areas_line {
        let value = match step.blob {
            Some(oid) => match parsed.get(&oid) {
                Some(v) => v.clone(),
                None => {
                    let v = std::str::from_utf8(&repo.blob(oid)?).ok().and_then(areas);
                    parsed.insert(oid, v.clone());
                    v
                }
            },
            None => None,
        };
        out.push(Past {
            commit: step.commit,
            on: step.on,
            value,
        });
        if step.on < since {
            break;
        }
    }
    Ok(out)
}

/// The versions of areas.toml in the trees of the commits dated on or after `since`, each with
/// its commits, in the order the commits come (newest first).
fn areas_in_effect(
    repo: &Repo,
    history: &History,
    since: Date,
) -> Result<Vec<AreasInEffect>, git2::Error> {
    let mut by_blob: std::collections::HashMap<git2::Oid, usize> = Default::default();
    let mut out: Vec<AreasInEffect> = Vec::new();
    for (i, commit) in history.commits().iter().enumerate() {
        let Some(blob) = history.areas_versions.get(i).copied().flatten() else {
            continue;
        };
        if commit.date < since {
            continue;
        }
        let slot = match by_blob.get(&blob) {
            Some(&slot) => slot,
            None => {
                let bytes = repo.blob(blob)?;
                let parsed = std::str::from_utf8(&bytes).ok().and_then(areas);
                out.push((parsed.unwrap_or_default(), Vec::new()));
                by_blob.insert(blob, out.len() - 1);
                out.len() - 1
            }
        };
        out[slot].1.push(i);
    }
    Ok(out)
}

/// The earliest day any audit's lookback window starts, when there is an audit.
pub(super) fn earliest_window(isms: &Isms) -> Option<Date> {
    let months = isms
        .config
        .as_ref()
        .map_or(24, |c| *c.independence.lookback_months.get());
    isms.audits
        .iter()
        .filter_map(|a| a.plan.as_ref())
        .map(|p| p.start.get().add_months(-i64::from(months)))
        .min()
}

fn versions<T>(
    history: &History,
    isms_path: &str,
    since: Date,
    mut value_of: impl FnMut(git2::Oid) -> Result<Option<T>, git2::Error>,
) -> Result<Vec<Past<T>>, git2::Error> {
    let path = history.repo_path(isms_path);
    let mut out = Vec::new();
    for &i in history.touching(&path) {
        let commit = history.commit(i);
        let blob = commit
            .changes
            .iter()
            .find(|c| c.path == path)
            .and_then(|c| c.blob);
        let value = match blob {
            Some(oid) => value_of(oid)?,
            None => None,
        };
        out.push(Past {
            commit: i,
            on: commit.date,
            value,
        });
        // The first version older than `since` was in effect at its start: the last one needed.
        if commit.date < since {
            break;
        }
    }
    Ok(out)
}

fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .map(|s| s.trim().to_string())
        .collect()
}

fn text(value: Option<&toml::Value>) -> Option<String> {
    value
        .and_then(toml::Value::as_str)
        .map(|s| s.trim().to_string())
}

pub(super) fn areas(text_of: &str) -> Option<BTreeMap<String, PastArea>> {
    let table: toml::Table = toml::from_str(text_of).ok()?;
    let mut out = BTreeMap::new();
    for area in table
        .get("area")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        let Some(id) = text(area.get("id")) else {
            continue;
        };
        out.insert(
            id,
            PastArea {
                owner: text(area.get("owner")),
                members: strings(area.get("members")),
                paths: strings(area.get("paths")),
            },
        );
    }
    Some(out)
}

fn controls(text_of: &str) -> Option<BTreeMap<String, String>> {
    let table: toml::Table = toml::from_str(text_of).ok()?;
    let mut out = BTreeMap::new();
    for entry in table
        .get("control")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
    {
        if let (Some(id), Some(owner)) = (text(entry.get("id")), text(entry.get("owner"))) {
            out.insert(id, owner);
        }
    }
    Some(out)
}

/// What `extract` reads from blob `oid`, when it is text.
fn parsed<T>(
    repo: &Repo,
    oid: git2::Oid,
    extract: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, git2::Error> {
    Ok(std::str::from_utf8(&repo.blob(oid)?).ok().and_then(extract))
}

fn document_owner(text_of: &str) -> Option<String> {
    text(front_matter::table(text_of)?.get("owner"))
}

/// A document version's `owner`, kept with the blob facts (by blob id) across runs.
#[derive(PartialEq)]
pub(super) struct Owner(String);

impl super::provenance::Fact for Owner {
    const KIND: &'static str = "o";
    fn extract(text: &str) -> Option<Self> {
        document_owner(text).map(Owner)
    }
    fn fields(&self) -> Vec<String> {
        vec![self.0.clone()]
    }
    fn from_fields(fields: &[String]) -> Option<Self> {
        match fields {
            [owner] => Some(Owner(owner.clone())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_owner_kept_as_a_blob_fact_reads_back_the_same() {
        use super::super::provenance::Fact;
        let text = "+++\nid = \"POL-1\"\nowner = \"bob\"\n+++\n# Policy\n";
        let owner = Owner::extract(text).expect("an owner");
        assert_eq!(owner.0, "bob");
        assert!(Owner::from_fields(&owner.fields()) == Some(owner));
        assert!(Owner::extract("+++\nid = \"POL-1\"\n+++\n").is_none());
        assert!(Owner::from_fields(&[]).is_none());
    }

    #[test]
    fn areas_and_controls_are_read_from_their_files() {
        let a = areas(
            "[[area]]\nid = \"x\"\nowner = \"bob\"\nmembers = [\"carol\"]\npaths = [\"a/**\"]\n",
        )
        .unwrap_or_default();
        assert_eq!(a["x"].owner.as_deref(), Some("bob"));
        assert_eq!(a["x"].members, vec!["carol"]);
        assert_eq!(a["x"].paths, vec!["a/**"]);
        let c = controls("[[control]]\nid = \"A.5.15\"\nowner = \"bob\"\n").unwrap_or_default();
        assert_eq!(c.get("A.5.15").map(String::as_str), Some("bob"));
        assert_eq!(
            document_owner("+++\nid = \"P\"\nowner = \"bob\"\n+++\n# P\n").as_deref(),
            Some("bob")
        );
        assert_eq!(areas("not toml ["), None);
    }
}
