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

/// The lines of every audit's checklist.toml and report.md, by path relative to the ISMS root.
pub(super) fn read(
    repo: &Repo,
    history: &History,
    isms: &Isms,
    start: Option<git2::Oid>,
) -> Result<BTreeMap<String, Vec<RecordLine>>, git2::Error> {
    let by_id: HashMap<&str, usize> = history
        .commits()
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.staged)
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let staged = history.commits().first().filter(|c| c.staged);
    let mut out = BTreeMap::new();
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
            if lines.is_empty() {
                continue;
            }
            let lines = lines
                .into_iter()
                .map(|(text, oid)| RecordLine {
                    text,
                    commit: match oid {
                        Some(oid) => by_id.get(oid.to_string().as_str()).copied(),
                        None => staged.map(|_| 0),
                    },
                })
                .collect();
            out.insert(path, lines);
        }
    }
    Ok(out)
}
