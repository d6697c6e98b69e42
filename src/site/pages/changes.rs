//! Who changed a record file and when, from the history module: the commits that touched it,
//! and the signature of the latest one where records must be signed.

use serde::Serialize;
use serde_json::Value;

use super::Site;
use crate::history::{Commit, Who};
use crate::model::FileId;

/// One commit that changed a file (no diff).
#[derive(Serialize)]
pub(super) struct FileChange {
    commit: String,
    date: String,
    subject: String,
    author: CommitAuthor,
}

/// Who made a commit: a link to the person the history module resolved it to, else the
/// commit's author name alone (`id` and `url` empty), which templates show as plain text.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum CommitAuthor {
    Person(Value),
    Unknown {
        id: Option<String>,
        name: String,
        url: Option<String>,
    },
}

/// Who signed the latest change of a record file.
#[derive(Serialize)]
pub(super) struct RecordSignature {
    path: String,
    commit: String,
    date: String,
    proven: bool,
    text: String,
}

impl Site<'_> {
    /// Who made the commit, as pages show it (ignored commits by their author name).
    pub(super) fn commit_author(&self, c: &Commit) -> CommitAuthor {
        match self.resolver.author(c) {
            Who::Person(p) => CommitAuthor::Person(self.person(p.id.as_str())),
            Who::Ignored | Who::Unknown => CommitAuthor::Unknown {
                id: None,
                name: c.author.name.clone(),
                url: None,
            },
        }
    }

    /// Who signed the latest change of each record file, where signatures are required.
    pub(super) fn record_signatures(
        &self,
        files: impl Iterator<Item = FileId>,
    ) -> Vec<RecordSignature> {
        let Some(history) = self.outcome.history.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for file in files {
            let path = &self.outcome.files.get(file).path;
            let Some(&latest) = history.touching(&history.repo_path(path)).first() else {
                continue;
            };
            let Some((proven, text)) = crate::signing::seal_text(self.isms, history, latest) else {
                continue;
            };
            let commit = history.commit(latest);
            out.push(RecordSignature {
                path: path.to_string(),
                commit: commit.short().to_string(),
                date: commit.date.to_string(),
                proven,
                text,
            });
        }
        out
    }

    /// Who changed a file, when: commit, date, author, subject (no diffs).
    pub(super) fn file_history(&self, file: FileId) -> Vec<FileChange> {
        let Some(history) = self.outcome.history.as_ref() else {
            return Vec::new();
        };
        let path = &self.outcome.files.get(file).path;
        let repo_path = history.repo_path(path);
        history
            .touching(&repo_path)
            .iter()
            .map(|&i| {
                let c = history.commit(i);
                FileChange {
                    commit: c.short().to_string(),
                    date: c.date.to_string(),
                    subject: c.subject.clone(),
                    author: self.commit_author(c),
                }
            })
            .collect()
    }
}
