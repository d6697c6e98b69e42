//! The documents and a page per document: its metadata and review date, the controls and
//! clauses it serves, the rendered Markdown, and its versions from git with who changed what,
//! the approval each version recorded or was given in review (an `Approved-by:` trailer, judged
//! as DOC004 judges it) and a diff against the version before.

use serde::Serialize;
use serde_json::Value;

use super::Job;
use super::changes::CommitAuthor;
use super::reviews::to_value;
use super::{BuildError, Site, markdown, url};
use crate::history::Recorded;
use crate::model::Document;
use crate::review::{self, RecordedApproval, Trailer, Verdict};

/// Newest versions of a document shown with a diff against the one before.
const DIFFS_PER_DOCUMENT: usize = 10;

#[derive(Clone, Serialize)]
struct DocumentRow {
    id: String,
    url: String,
    title: String,
    kind: &'static str,
    /// `status = "draft"`: not yet a controlled document.
    draft: bool,
    version: Option<String>,
    owner: Option<Value>,
    area: Option<Value>,
    approved_by: Option<Value>,
    approved_on: Option<String>,
    review_due: Option<String>,
    review_overdue: bool,
    path: String,
}

#[derive(Serialize)]
struct DocumentPage {
    #[serde(flatten)]
    row: DocumentRow,
    controls: Vec<Value>,
    clauses: Vec<Value>,
    versions: Vec<VersionRow>,
    diagnostics: Vec<Value>,
    /// The current text was approved in review after the approval the front matter records.
    review_approval: Option<ReviewApproval>,
}

/// The approval in review of a document's current text: the counted trailer of its newest
/// change, every change since the recorded approval being approved in review.
#[derive(Serialize)]
struct ReviewApproval {
    by: Value,
    on: String,
    /// The short hash of the commit carrying the trailer.
    commit: String,
    /// That commit is the merge that brought the change, not the change itself.
    merge: bool,
    /// The short hash of the approved change: its row in the versions table.
    change: String,
}

/// An `Approved-by:` trailer of a version, judged as DOC004 judges it.
#[derive(Serialize)]
struct TrailerRow {
    by: Value,
    on: String,
    /// The short hash of the commit carrying the trailer.
    commit: String,
    merge: bool,
    counted: bool,
    /// Why it is not counted.
    reason: Option<String>,
}

/// One commit that changed the document.
#[derive(Serialize)]
struct VersionRow {
    commit: String,
    date: String,
    subject: String,
    author: CommitAuthor,
    staged: bool,
    /// For the newest versions only.
    #[serde(flatten)]
    detail: Option<VersionDetail>,
}

/// What a version recorded, and how it changed the text.
#[derive(Serialize)]
struct VersionDetail {
    approved_by: Option<Value>,
    approved_on: Option<String>,
    /// This version recorded an approval the version before did not: the approving commit.
    records_approval: bool,
    version: Option<String>,
    diff: Vec<DiffLine>,
    /// Its `Approved-by:` trailers (and those of the merge that brought it), judged for the
    /// approver this version records.
    review: Vec<TrailerRow>,
}

/// A line of a diff: `op` is `+`, `-`, ` `, or `@` for skipped context.
#[derive(Serialize)]
struct DiffLine {
    op: &'static str,
    text: String,
}

#[derive(Serialize)]
struct DocumentsPage {
    documents: Vec<DocumentRow>,
}

/// What the search finds a document by: its row and its headings.
#[derive(Serialize)]
struct DocumentWords<'a> {
    #[serde(flatten)]
    row: &'a DocumentRow,
    headings: Vec<String>,
}

impl Site<'_> {
    pub(super) fn documents(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let mut docs: Vec<&Document> = isms.documents.iter().collect();
        docs.sort_by(|a, b| a.front.id.as_str().cmp(b.front.id.as_str()));
        let mut rows = Vec::new();
        for doc in docs {
            let f = &doc.front;
            let id = f.id.as_str();
            let review_due = match (&f.approved_on, &f.review_months) {
                (Some(on), Some(m)) => Some(on.get().add_months(i64::from(*m.get()))),
                (Some(on), None) => Some(on.get().add_months(12)),
                _ => None,
            };
            let row = DocumentRow {
                id: id.to_string(),
                url: url("documents", id),
                title: f.title.get().clone(),
                kind: f.kind.as_str(),
                draft: doc.is_draft(),
                version: f.version.as_ref().map(|v| v.get().clone()),
                owner: f.owner.as_ref().map(|o| self.person(o.as_str())),
                area: f.area.as_ref().map(|a| self.area_ref(a.as_str())),
                approved_by: f.approved_by.as_ref().map(|o| self.person(o.as_str())),
                approved_on: f.approved_on.as_ref().map(|d| d.get().to_string()),
                review_due: review_due.map(|d| d.to_string()),
                review_overdue: review_due.is_some_and(|d| d < self.options.today),
                path: doc.path.clone(),
            };
            let text = &self.outcome.files.get(doc.origin.file).text;
            let body = text.get(doc.body_start..).unwrap_or("");
            let page = DocumentPage {
                row: row.clone(),
                controls: f
                    .controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                clauses: f
                    .clauses
                    .iter()
                    .map(|c| self.clause_ref(c.as_str()))
                    .collect(),
                versions: self.versions(&doc.path),
                diagnostics: self.diagnostics_of_file(doc.origin.file),
                review_approval: self.review_approval(doc),
            };
            let words = DocumentWords {
                row: &row,
                headings: markdown::headings(body),
            };
            self.index_object(
                "document",
                format!("{id} {}", f.title.get()),
                url("documents", id),
                &to_value(&words),
            );
            self.send(Job::document(
                "document.html",
                &url("documents", id),
                "documents",
                page,
                body,
            ))?;
            rows.push(row);
        }
        self.index("page", "Documents".into(), "documents.html".into());
        self.page(
            "documents.html",
            "documents.html",
            "documents",
            DocumentsPage { documents: rows },
        )
    }

    /// The versions of a document from the history module, newest first, with what each
    /// recorded and a diff against the version before for the newest ones.
    fn versions(&self, isms_path: &str) -> Vec<VersionRow> {
        let (Some(history), Some(contents)) =
            (self.outcome.history.as_ref(), self.contents.as_ref())
        else {
            return Vec::new();
        };
        // One more than those shown with a diff: the last diff is against it.
        let versions = contents.document_versions(history, isms_path, DIFFS_PER_DOCUMENT + 1);
        let text_at = |n: usize| {
            versions
                .get(n)
                .and_then(|v| v.text.clone())
                .unwrap_or_default()
        };
        let mut out = Vec::new();
        for (n, version) in versions.iter().enumerate() {
            let commit = history.commit(version.commit);
            let author = self.commit_author(commit);
            let detail = (n < DIFFS_PER_DOCUMENT).then(|| {
                let recorded = version.recorded.clone().unwrap_or_default();
                let trailers = review::judge(
                    self.isms,
                    history,
                    &self.resolver,
                    commit,
                    recorded.approved_by.as_deref(),
                );
                let before = versions.get(n + 1).and_then(|v| v.recorded.as_ref());
                let approval = |r: &Recorded| (r.approved_by.clone(), r.approved_on.clone());
                let records_approval = recorded.approved_on.is_some()
                    && recorded.approved_by.is_some()
                    && before.map(approval) != Some(approval(&recorded));
                VersionDetail {
                    approved_by: recorded.approved_by.map(|id| self.person(&id)),
                    approved_on: recorded.approved_on,
                    records_approval,
                    version: recorded.version,
                    diff: diff_lines(&text_at(n + 1), &text_at(n)),
                    review: trailers
                        .iter()
                        .map(|t| self.trailer_row(commit, t))
                        .collect(),
                }
            });
            out.push(VersionRow {
                commit: commit.short().to_string(),
                date: commit.date.to_string(),
                subject: commit.subject.clone(),
                author,
                staged: commit.staged,
                detail,
            });
        }
        out
    }
}

impl Site<'_> {
    /// The approval in review of the document's current text: when its newest change since
    /// the approval its front matter records is approved in review, and DOC004 finds no change
    /// since without approval.
    fn review_approval(&self, doc: &Document) -> Option<ReviewApproval> {
        let history = self.outcome.history.as_ref()?;
        let recorded = RecordedApproval::of(history, doc)?;
        let newest = review::changes(recorded.versions, 0, recorded.current_run().len())
            .first()
            .copied()?;
        let changes = recorded.changes_since(self.isms, history, &self.resolver);
        let first = changes.first().filter(|c| c.commit == newest)?;
        if changes
            .iter()
            .any(|c| review::approval(&c.trailers).is_none())
        {
            return None;
        }
        let trailer = review::approval(&first.trailers)?;
        let change = history.commit(first.commit);
        Some(ReviewApproval {
            by: self.trailer_person(trailer),
            on: trailer.on.to_string(),
            commit: trailer.carrier_short().to_string(),
            merge: trailer.carrier != change.id,
            change: change.short().to_string(),
        })
    }

    fn trailer_row(&self, commit: &crate::history::Commit, t: &Trailer) -> TrailerRow {
        let reason = match &t.verdict {
            Verdict::Counted => None,
            Verdict::NotAllowed(why) | Verdict::NotProven(why) => Some(why.clone()),
        };
        TrailerRow {
            by: self.trailer_person(t),
            on: t.on.to_string(),
            commit: t.carrier_short().to_string(),
            merge: t.carrier != commit.id,
            counted: reason.is_none(),
            reason,
        }
    }

    fn trailer_person(&self, t: &Trailer) -> Value {
        if t.known {
            self.person(&t.by)
        } else {
            serde_json::json!({"id": null, "name": t.by, "url": null})
        }
    }
}

/// A line diff, with `…` between groups of changes and three lines of context around them.
fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut out = Vec::new();
    for (i, group) in diff.grouped_ops(3).iter().enumerate() {
        if i > 0 {
            out.push(DiffLine {
                op: "@",
                text: "…".into(),
            });
        }
        for op in group {
            for change in diff.iter_changes(op) {
                let op = match change.tag() {
                    similar::ChangeTag::Delete => "-",
                    similar::ChangeTag::Insert => "+",
                    similar::ChangeTag::Equal => " ",
                };
                out.push(DiffLine {
                    op,
                    text: change.value().trim_end_matches('\n').to_string(),
                });
            }
        }
    }
    out
}
