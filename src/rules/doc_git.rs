//! DOC004 and DOC005: document change control from git history (7.5.2, 7.5.3). A document
//! changed after its approval needs a new approval (recorded in the front matter, or given in
//! review: an `Approved-by:` trailer on the merge or squashed commit that brought the change),
//! and no one approves only their own changes. A trailer is text whoever commits can write, so
//! it counts only when the commit carrying it proves it (the judgement is [`crate::review`]'s,
//! shared with the site's document pages).
//! Commits by identities not in people.toml are IND007's and are not judged here.

use std::collections::BTreeSet;

use crate::diagnostics::Diagnostic;
use crate::history::{History, Resolver, Who};
use crate::review::{self, RecordedApproval, Trailer, changes};

use super::ind::describe_all;
use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(history) = cx.history() else { return };
    let resolver = Resolver::new(cx.isms, cx.history());
    for doc in &cx.isms.documents {
        let Some(recorded) = RecordedApproval::of(history, doc) else {
            continue;
        };
        let (by_field, on, versions) = (recorded.by, recorded.on, recorded.versions);
        let run0 = recorded.current_run();
        let Some(approval) = run0.last() else {
            continue;
        };
        let f = &doc.front;
        let id = f.id.as_str();
        // The member who approved for a team is judged as the approver.
        let by = f.approver().unwrap_or(by_field).as_str();
        let path = history.repo_path(&doc.path);
        let paths = [path.as_str()];

        // DOC004: commits since the approval was recorded that changed what the document says,
        // dated after the approval date, not approved in review.
        let mut not_counted: BTreeSet<String> = BTreeSet::new();
        let changed: Vec<usize> = recorded
            .changes_since(cx.isms, history, &resolver)
            .into_iter()
            .filter(|change| {
                if review::approval(&change.trailers).is_some() {
                    return false;
                }
                not_counted.extend(change.trailers.iter().filter_map(Trailer::not_proven));
                true
            })
            .map(|change| change.commit)
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
        if let Some(run1) = recorded.runs.get(1) {
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
