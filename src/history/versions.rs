//! The content of files as past commits left them, for the pages that show change over time
//! (a document's versions and diffs, a finding's status on a past day, the SoA's maturity
//! claims): read from git on demand, only for the versions asked for, and parsed here, so the
//! site never opens the repository, walks blobs or parses past versions itself.

use std::collections::BTreeMap;

use super::provenance::Recorded;
use super::{History, Repo};
use crate::model::{Date, Finding, FindingStatus};
use crate::workspace::Workspace;

/// Reads past versions of the ISMS's files.
pub struct Contents {
    repo: Repo,
}

/// The maturity levels one committed version of soa.toml claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaturityVersion {
    /// The commit's short hash.
    pub commit: String,
    pub date: Date,
    /// Control id -> `maturity` as that version says it (entries without one are absent).
    pub levels: BTreeMap<String, u8>,
}

/// One committed version of a document, newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentVersion {
    /// The commit's index in the history.
    pub commit: usize,
    /// The text and what its front matter recorded (approver, approval date, version), for
    /// the newest versions asked for; `None` for older ones, or when the commit deleted it.
    pub text: Option<String>,
    pub recorded: Option<Recorded>,
}

impl Contents {
    /// The repository around `workspace`, when there is one.
    pub fn open(workspace: &Workspace) -> Option<Contents> {
        workspace.repo_root.as_ref()?;
        Repo::open(&workspace.root)
            .ok()
            .map(|repo| Contents { repo })
    }

    /// The text of `isms_path` (relative to the ISMS root) as the history's commit `index` left
    /// it; `None` when that commit deleted it or its blob cannot be read.
    pub fn text_at(&self, history: &History, index: usize, isms_path: &str) -> Option<String> {
        let repo_path = history.repo_path(isms_path);
        let oid = history
            .commit(index)
            .changes
            .iter()
            .find(|c| c.path == repo_path)
            .and_then(|c| c.blob)?;
        let bytes = self.repo.blob(oid).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Every version of a document (`isms_path`, relative to the ISMS root), newest first, with
    /// the text and the recorded approval of the newest `read` ones: the front matter is read
    /// as DOC004 and DOC005 read it ([`Recorded`]).
    pub fn document_versions(
        &self,
        history: &History,
        isms_path: &str,
        read: usize,
    ) -> Vec<DocumentVersion> {
        let repo_path = history.repo_path(isms_path);
        history
            .touching(&repo_path)
            .iter()
            .enumerate()
            .map(|(n, &commit)| {
                let text = (n < read)
                    .then(|| self.text_at(history, commit, isms_path))
                    .flatten();
                DocumentVersion {
                    commit,
                    recorded: text.as_deref().map(Recorded::of),
                    text,
                }
            })
            .collect()
    }

    /// The status a finding (its file `isms_path`) had at the end of `day`: as the newest
    /// version committed on or before that day records it. `None` when no version was
    /// committed by then, or that version was deleted or is not a valid finding.
    pub fn finding_status_on(
        &self,
        history: &History,
        isms_path: &str,
        day: Date,
    ) -> Option<FindingStatus> {
        let repo_path = history.repo_path(isms_path);
        let &then = history.touching(&repo_path).iter().find(|&&i| {
            let commit = history.commit(i);
            !commit.staged && commit.date <= day
        })?;
        let text = self.text_at(history, then, isms_path)?;
        let finding: Finding = toml::from_str(&text).ok()?;
        Some(finding.status())
    }

    /// The maturity claimed in each committed version of soa.toml, oldest first. A version
    /// that is not valid TOML claims nothing and is left out (its commit is still in the
    /// file's history on the page of each control); the staged change counts as no version.
    pub fn soa_maturity(&self, history: &History) -> Vec<MaturityVersion> {
        let repo_path = history.repo_path("soa.toml");
        let mut out: Vec<MaturityVersion> = history
            .touching(&repo_path)
            .iter()
            .filter(|&&i| !history.commit(i).staged)
            .filter_map(|&i| {
                let text = self.text_at(history, i, "soa.toml")?;
                let commit = history.commit(i);
                Some(MaturityVersion {
                    commit: commit.short().to_string(),
                    date: commit.date,
                    levels: maturity_levels(&text)?,
                })
            })
            .collect();
        out.reverse();
        out
    }
}

/// `maturity` per `[[control]]` of a soa.toml text; `None` when it is not TOML.
fn maturity_levels(text: &str) -> Option<BTreeMap<String, u8>> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let controls = table.get("control").and_then(|c| c.as_array());
    Some(
        controls
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let id = c.get("id")?.as_str()?;
                let level = c.get("maturity")?.as_integer()?;
                let level = u8::try_from(level).ok().filter(|l| *l <= 5)?;
                Some((id.to_string(), level))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::maturity_levels;

    #[test]
    fn levels_are_read_per_control_and_out_of_range_ones_ignored() {
        let text = "[[control]]\nid = \"A.5.1\"\nmaturity = 3\n[[control]]\nid = \"A.5.2\"\n[[control]]\nid = \"A.5.3\"\nmaturity = 9\n";
        let levels = maturity_levels(text).unwrap();
        assert_eq!(
            levels.into_iter().collect::<Vec<_>>(),
            [("A.5.1".to_string(), 3)]
        );
        assert_eq!(maturity_levels("not = [toml"), None);
    }
}
