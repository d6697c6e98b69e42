//! Who wrote each line of the audit records as they stand now (as `git blame` says), so that
//! IND003 judges what a checklist or report says today: a line written by someone outside the
//! team stops counting once an auditor rewrites it (a revert by the team does).

use std::collections::{BTreeMap, HashMap};

use super::{History, Repo};
use crate::model::Isms;

/// One line of a record and the commit that wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordLine {
    pub text: String,
    /// Index into the history's commits (the staged change for staged lines); `None` when the
    /// writer is not a commit of the index (a merge's own line).
    pub commit: Option<usize>,
}

/// A record's lines as `git blame` gives them: the text and the commit that wrote it.
type Blamed = Vec<(String, Option<git2::Oid>)>;

/// The lines of every audit's checklist.toml and report.md, by path relative to the ISMS root.
pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    start: Option<git2::Oid>,
) -> Result<BTreeMap<String, Vec<RecordLine>>, git2::Error> {
    let staged = history.commits().first().filter(|c| c.staged);
    let mut blamed: Vec<(String, Blamed)> = Vec::new();
    for audit in &isms.audits {
        for file in ["checklist.toml", "report.md"] {
            let path = format!("audits/{}/{file}", audit.id);
            let repo_path = history.repo_path(&path);
            let staged_change =
                staged.and_then(|c| c.changes.iter().find(|ch| ch.path == repo_path));
            let staged_text = match staged_change {
                Some(ch) => match ch.blob {
                    Some(oid) => Some(repo.blob(oid)?),
                    None => continue, // deleted in the index
                },
                None => None,
            };
            let lines = repo.blame_lines(&repo_path, start, staged_text.as_deref())?;
            if !lines.is_empty() {
                blamed.push((path, lines));
            }
        }
    }
    let index = commit_indexes(
        history,
        blamed.iter().flat_map(|(_, l)| l).filter_map(|l| l.1),
    );
    let out = blamed
        .into_iter()
        .map(|(path, lines)| {
            let lines = lines
                .into_iter()
                .map(|(text, oid)| RecordLine {
                    text,
                    commit: match oid {
                        Some(oid) => index.get(&oid).copied(),
                        None => staged.map(|_| 0),
                    },
                })
                .collect();
            (path, lines)
        })
        .collect();
    Ok(out)
}

/// The index in the history of each commit `wanted` names that the history holds (not the
/// staged change): one pass over the commits comparing with the few wanted ids, instead of a
/// map of every commit id.
fn commit_indexes(
    history: &History,
    wanted: impl Iterator<Item = git2::Oid>,
) -> HashMap<git2::Oid, usize> {
    let mut wanted: Vec<(String, git2::Oid)> = wanted.map(|oid| (oid.to_string(), oid)).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut found = HashMap::new();
    if wanted.is_empty() {
        return found;
    }
    for (i, c) in history.commits().iter().enumerate() {
        if c.staged {
            continue;
        }
        if let Ok(k) = wanted.binary_search_by(|(id, _)| id.as_str().cmp(c.id.as_str())) {
            found.entry(wanted[k].1).or_insert(i);
        }
    }
    found
}
