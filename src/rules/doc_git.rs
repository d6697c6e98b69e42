//! DOC004 and DOC005: document change control from git history (7.5.2, 7.5.3). A document
//! changed after its approval needs a new approval (recorded in the front matter, or given in
//! review: an `Approved-by:` trailer on the merge or squashed commit that brought the change),
//! and no one approves only their own changes. A trailer is text whoever commits can write, so
//! it counts only when the commit carrying it proves it (see [`review`]).
//! Commits by identities not in people.toml are IND007's and are not judged here.

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::history::{Approval, History, Resolver, ReviewApproval, Signer, Version, Who};
use crate::model::SignatureMode;

use super::ind::describe_all;
use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(history) = cx.history() else { return };
    let resolver = Resolver::new(cx.isms, cx.history());
    for doc in &cx.isms.documents {
        let f = &doc.front;
        // A draft is not under change control yet.
        if doc.is_draft() {
            continue;
        }
        let (Some(by_field), Some(on)) = (&f.approved_by, &f.approved_on) else {
            continue;
        };
        let Some(versions) = history.provenance.approvals.get(&doc.path) else {
            continue;
        };
        let current = Approval {
            by: by_field.as_str().to_string(),
            on: on.get().to_string(),
        };
        // The working tree may hold an approval not committed yet: nothing to judge in history.
        if versions.first().and_then(|v| v.value.as_ref()) != Some(&current) {
            continue;
        }
        let runs = runs(versions);
        let Some(run0) = runs.first() else { continue };
        let Some(approval) = run0.last() else {
            continue;
        };
        let id = f.id.as_str();
        // The member who approved for a team is judged as the approver.
        let by = f.approver().unwrap_or(by_field).as_str();
        let path = history.repo_path(&doc.path);
        let paths = [path.as_str()];

        // DOC004: commits since the approval was recorded that changed what the document says,
        // dated after the approval date.
        let mut not_counted: BTreeSet<String> = BTreeSet::new();
        let changed: Vec<usize> = changes(versions, 0, run0.len() - 1)
            .into_iter()
            .filter(|&c| {
                let commit = history.commit(c);
                if commit.date <= *on.get() || !matches!(resolver.author(commit), Who::Person(_)) {
                    return false;
                }
                match review(cx.isms, history, &resolver, commit, by_field.as_str()) {
                    Review::Approved => false,
                    Review::NotProven(why) => {
                        not_counted.extend(why);
                        true
                    }
                }
            })
            .collect();
        if !changed.is_empty() {
            let listed = describe_all(history, changed.iter().map(|c| (*c, &paths[..])));
            let mut message = format!(
                "document {id} was changed after its approval on {} without a new approval: {listed}",
                on.get()
            );
            let mut help = "have the change approved: update `approved_by`, `approved_on` and `version` in the front matter when the approver has reviewed it, or revert the change".to_string();
            if !not_counted.is_empty() {
                for why in &not_counted {
                    message.push_str("; ");
                    message.push_str(why);
                }
                help.push_str(". An `Approved-by:` trailer counts only when the commit carrying it proves it: committed by someone other than the change's authors (the approver, or a maintainer merging the request), or signed by the approver's key or a platform key (`[independence] platform_keys`); with `[independence] signatures` on it must be signed");
            }
            out.push(
                Diagnostic::new(Rule::DOC004, message)
                    .at(doc.origin.at(on))
                    .label(format!(
                        "approved by {by} (recorded in {})",
                        history.commit(approval.commit).short()
                    ))
                    .commits(changed.iter().map(|&c| history.commit(c).id.as_str()))
                    .help(help),
            );
        }

        // DOC005: the approver is the only author of the changes since the previous approval
        // (the commits that changed what the document says, from the one after the commit
        // recording the previous approval up to the one recording this approval).
        let mut end = run0.len();
        if let Some(run1) = runs.get(1) {
            let previous_approved = run1.first().is_some_and(|v| v.value.is_some());
            end += if previous_approved {
                run1.len() - 1
            } else {
                run1.len()
            };
        }
        let since = changes(versions, run0.len() - 1, end);
        if since.is_empty() {
            continue;
        }
        if let Some(authors) = sole_authors(history, &resolver, &since) {
            if authors.len() == 1 && authors.contains(by) {
                let listed = describe_all(history, since.iter().map(|c| (*c, &[][..])));
                out.push(
                    Diagnostic::new(
                        Rule::DOC005,
                        format!(
                            "document {id} was approved by {by}, the only author of its changes since the previous approval: {listed}"
                        ),
                    )
                    .at(doc.origin.at(by_field))
                    .label("self-approval")
                    .person(by)
                    .commits(since.iter().map(|&c| history.commit(c).id.as_str()))
                    .help("documented information is reviewed and approved by someone other than its author (7.5.2): have the owner or top management review the change and record their approval"),
                );
            }
        }
    }
}

/// Whether a change was approved in review.
enum Review {
    Approved,
    /// Not approved; why each trailer naming an allowed approver was not counted.
    NotProven(Vec<String>),
}

/// Whether an `Approved-by:` trailer of the commit (or of the merge that brought it) names
/// someone allowed to approve the document (its approver, or a member of the approving team)
/// who is not an author of the change, and is proven by the commit carrying it: that commit
/// was committed by a known person who is not an author of the change, or signed by the
/// approver's key or a platform key. With `[independence] signatures` on, the carrier must be
/// signed: by the approver, by a platform, or by its committer when they may vouch for it.
fn review(
    isms: &crate::model::Isms,
    history: &History,
    resolver: &Resolver<'_>,
    commit: &crate::history::Commit,
    approver: &str,
) -> Review {
    let person = |ident| match resolver.identity(ident) {
        Who::Person(p) => Some(p.id.as_str()),
        _ => None,
    };
    let mut authors: BTreeSet<&str> = commit.identities().filter_map(person).collect();
    if let Who::Person(p) = resolver.author(commit) {
        authors.insert(p.id.as_str());
    }
    let signing = *isms.config_or_default().independence.signatures.get() != SignatureMode::Off;
    let mut why = Vec::new();
    for approval in &commit.approvals {
        let Some(by) = person(&approval.approver) else {
            continue;
        };
        if !isms.answers_for(approver, by) || authors.contains(by) {
            continue;
        }
        match proof(resolver, history, approval, by, &authors, signing) {
            Ok(()) => return Review::Approved,
            Err(reason) => why.push(format!(
                "the Approved-by trailer naming {by} in {} is not counted: {reason}",
                approval.carrier.get(..7).unwrap_or(&approval.carrier)
            )),
        }
    }
    Review::NotProven(why)
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
        Ok(c) => Err(format!(
            "`[independence] signatures` requires it to be signed by {c}, {by} or a platform key"
        )),
    }
}

/// The commits of `versions[from..to]` that changed the content (the oldest version known
/// counts as a change: it created the file, or its predecessor was not read).
fn changes(versions: &[Version<Approval>], from: usize, to: usize) -> Vec<usize> {
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

/// The people who authored `commits`; `None` when an identity is unknown, so that the sole
/// author cannot be told.
fn sole_authors<'a>(
    history: &History,
    resolver: &Resolver<'a>,
    commits: &[usize],
) -> Option<BTreeSet<&'a str>> {
    let mut out = BTreeSet::new();
    for &c in commits {
        let commit = history.commit(c);
        if commit.ignored {
            continue;
        }
        for ident in commit.identities() {
            match resolver.identity(ident) {
                Who::Person(p) => {
                    out.insert(p.id.as_str());
                }
                Who::Unknown => return None,
                Who::Ignored => {}
            }
        }
    }
    Some(out)
}
