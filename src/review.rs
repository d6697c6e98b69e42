//! Approval in review: whether an `Approved-by:` trailer on the merge or squashed commit that
//! brought a document change counts as the change's approval. A trailer is text whoever
//! commits can write, so it counts only when the commit carrying it proves it. DOC004 and the
//! site's document pages share this one judgement, so a page never shows as approved what the
//! check does not count.

use std::collections::BTreeSet;

use crate::history::{Approval, Commit, History, Resolver, ReviewApproval, Signer, Version, Who};
use crate::model::{Date, Document, Isms, PersonId, SignatureMode, Spanned};

/// One `Approved-by:` trailer of a change, judged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Trailer {
    /// The person the trailer names (their id), or the identity as written when it is no one
    /// in people.toml.
    pub by: String,
    /// Whether [`Trailer::by`] is a person of people.toml.
    pub known: bool,
    /// The full hash of the commit carrying the trailer (the merge, or the change itself).
    pub carrier: String,
    /// The day the carrying commit counts on.
    pub on: Date,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// The change is approved in review.
    Counted,
    /// It names someone who may not approve the change (why): not the document's approver
    /// nor a member of the approving team, an author of the change, or no one known.
    NotAllowed(String),
    /// It names someone allowed to approve, but the carrying commit does not prove it (why).
    NotProven(String),
}

impl Trailer {
    /// The carrying commit's short hash.
    pub fn carrier_short(&self) -> &str {
        self.carrier.get(..7).unwrap_or(&self.carrier)
    }

    /// Why an allowed approver's trailer is not counted, as DOC004 says it.
    pub fn not_proven(&self) -> Option<String> {
        match &self.verdict {
            Verdict::NotProven(reason) => Some(format!(
                "the Approved-by trailer naming {} in {} is not counted: {reason}",
                self.by,
                self.carrier_short()
            )),
            _ => None,
        }
    }
}

/// The first trailer that counts: the change is approved in review.
pub(crate) fn approval(trailers: &[Trailer]) -> Option<&Trailer> {
    trailers.iter().find(|t| t.verdict == Verdict::Counted)
}

/// Judges each `Approved-by:` trailer of `commit` (its own, and those of the merge that brought
/// it) for a document approved by `approver` (a person, or a team whose members approve).
/// A trailer counts when it names someone allowed to approve the document who is not an
/// author of the change, and the commit carrying it proves it: that commit was committed by a
/// known person who is not an author of the change, or signed by the approver's key or a
/// platform key. With `[independence] signatures` on, the carrier must be signed: by the
/// approver, by a platform, or by its committer when they may vouch for it.
pub(crate) fn judge(
    isms: &Isms,
    history: &History,
    resolver: &Resolver<'_>,
    commit: &Commit,
    approver: Option<&str>,
) -> Vec<Trailer> {
    let person = |ident| match resolver.identity(ident) {
        Who::Person(p) => Some(p.id.as_str()),
        _ => None,
    };
    let mut authors: BTreeSet<&str> = commit.identities().filter_map(person).collect();
    if let Who::Person(p) = resolver.author(commit) {
        authors.insert(p.id.as_str());
    }
    let signing = *isms.config_or_default().independence.signatures.get() != SignatureMode::Off;
    commit
        .approvals
        .iter()
        .map(|approval| {
            let named = person(&approval.approver);
            let verdict = match (named, approver) {
                (None, _) => Verdict::NotAllowed(format!(
                    "{} <{}> is not in people.toml",
                    approval.approver.name, approval.approver.email
                )),
                (Some(_), None) => {
                    Verdict::NotAllowed("the document names no approver (`approved_by`)".into())
                }
                (Some(by), Some(approver)) if !isms.answers_for(approver, by) => {
                    Verdict::NotAllowed(format!("{by} does not approve it ({approver} does)"))
                }
                (Some(by), _) if authors.contains(by) => {
                    Verdict::NotAllowed(format!("{by} is an author of the change"))
                }
                (Some(by), _) => match proof(resolver, history, approval, by, &authors, signing) {
                    Ok(()) => Verdict::Counted,
                    Err(reason) => Verdict::NotProven(reason),
                },
            };
            Trailer {
                by: named.map_or_else(|| approval.approver.name.clone(), str::to_string),
                known: named.is_some(),
                carrier: approval.carrier.clone(),
                on: approval.date,
                verdict,
            }
        })
        .collect()
}

/// Whether the commit carrying an approval by `by` proves it; else why not.
fn proof(
    resolver: &Resolver<'_>,
    history: &History,
    approval: &ReviewApproval,
    by: &str,
    authors: &BTreeSet<&str>,
    signing: bool,
) -> Result<(), String> {
    let signer = history.signatures.carrier(&approval.carrier);
    match signer {
        Signer::Platform => return Ok(()),
        Signer::Person(p) if p == by => return Ok(()),
        _ => {}
    }
    let committer = &approval.committer;
    let independent = match resolver.identity(committer) {
        Who::Person(p) if authors.contains(p.id.as_str()) => {
            Err(format!("{}, an author of the change", p.id.as_str()))
        }
        Who::Person(p) => Ok(p.id.as_str()),
        Who::Unknown => Err(format!(
            "{} <{}>, who is not in people.toml",
            committer.name, committer.email
        )),
        Who::Ignored => Err(format!(
            "{} <{}>, an identity in `ignore_authors`",
            committer.name, committer.email
        )),
    };
    match independent {
        Err(who) => Err(format!(
            "it was committed by {who}, and is not signed by {by}'s key or a platform key"
        )),
        Ok(_) if !signing => Ok(()),
        Ok(c) if matches!(signer, Signer::Person(p) if p == c) => Ok(()),
        Ok(c) if c == by => Err(format!(
            "`[independence] signatures` requires it to be signed by {by} or a platform key"
        )),
        Ok(c) => Err(format!(
            "`[independence] signatures` requires it to be signed by {c}, {by} or a platform key"
        )),
    }
}

/// A document's approval as its front matter records it, committed, with the versions of the
/// file around it: what DOC004 and DOC005 judge.
pub(crate) struct RecordedApproval<'a> {
    /// `approved_by`: the approving person or team.
    pub by: &'a Spanned<PersonId>,
    /// `approved_on`.
    pub on: &'a Spanned<Date>,
    /// The versions of the file, newest first.
    pub versions: &'a [Version<Approval>],
    /// The versions by the approval they record, newest first; the first holds the current
    /// approval, its oldest version the commit that recorded it.
    pub runs: Vec<&'a [Version<Approval>]>,
}

/// A change since the recorded approval that needed a new one, with its trailers judged.
pub(crate) struct Change {
    /// The commit, an index into the history.
    pub commit: usize,
    pub trailers: Vec<Trailer>,
}

impl<'a> RecordedApproval<'a> {
    /// The recorded approval of a controlled document, when the committed history holds it (a
    /// draft is not under change control; an approval not committed yet has no history).
    pub fn of(history: &'a History, doc: &'a Document) -> Option<Self> {
        let f = &doc.front;
        if doc.is_draft() {
            return None;
        }
        let (Some(by), Some(on)) = (&f.approved_by, &f.approved_on) else {
            return None;
        };
        let versions = history.provenance.approvals.get(&doc.path)?;
        let current = Approval {
            by: by.as_str().to_string(),
            on: on.get().to_string(),
        };
        if versions.first().and_then(|v| v.value.as_ref()) != Some(&current) {
            return None;
        }
        let runs = runs(versions);
        runs.first()?.last()?;
        Some(RecordedApproval {
            by,
            on,
            versions,
            runs,
        })
    }

    /// The versions that hold the current approval (never empty).
    pub fn current_run(&self) -> &'a [Version<Approval>] {
        self.runs.first().copied().unwrap_or_default()
    }

    /// The changes since the approval was recorded that need a new approval, newest first:
    /// commits that changed what the document says, dated after the approval date, by a
    /// person of people.toml (other identities are IND007's), each with its trailers judged.
    pub fn changes_since(
        &self,
        isms: &Isms,
        history: &History,
        resolver: &Resolver<'_>,
    ) -> Vec<Change> {
        let run0 = self.current_run();
        changes(self.versions, 0, run0.len().saturating_sub(1))
            .into_iter()
            .filter(|&c| {
                let commit = history.commit(c);
                commit.date > *self.on.get() && matches!(resolver.author(commit), Who::Person(_))
            })
            .map(|c| Change {
                commit: c,
                trailers: judge(
                    isms,
                    history,
                    resolver,
                    history.commit(c),
                    Some(self.by.as_str()),
                ),
            })
            .collect()
    }
}

/// The commits of `versions[from..to]` that changed the content (the oldest version known
/// counts as a change: it created the file, or its predecessor was not read).
pub(crate) fn changes(versions: &[Version<Approval>], from: usize, to: usize) -> Vec<usize> {
    (from..to.min(versions.len()))
        .filter(|&i| {
            versions
                .get(i + 1)
                .is_none_or(|older| older.content != versions[i].content)
        })
        .map(|i| versions[i].commit)
        .collect()
}

/// Consecutive versions with the same value, newest first.
fn runs(versions: &[Version<Approval>]) -> Vec<&[Version<Approval>]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=versions.len() {
        if i == versions.len() || versions[i].value != versions[start].value {
            out.push(&versions[start..i]);
            start = i;
        }
    }
    out
}
