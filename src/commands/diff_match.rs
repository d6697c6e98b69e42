//! Which problem of BASE is which problem of HEAD, for `isms diff`'s verdict: problems are
//! matched by what they are about (rule, file and typed data: person, area, audit, commits,
//! exemptions), never by their message, so a problem reworded by a changed count or date is
//! still the same problem, and two problems with the same text are still two.

use crate::diagnostics::Diagnostic;
use crate::diff::Problem;

/// The problems a change brings, and those it resolves.
pub(crate) struct Matched {
    pub introduced: Vec<Problem>,
    pub resolved: Vec<Problem>,
}

/// Pairs each HEAD problem with at most one BASE problem, closest first: same data and same
/// message, then same data, then the same subject with other commits or exemptions. A HEAD
/// problem is the change's when it has no pair, or when it grew by naming one of the change's
/// own commits or by listing an exemption in effect that BASE did not; a BASE problem without
/// a pair is resolved.
pub(crate) fn match_problems(
    head: &[(&Diagnostic, Problem)],
    base: &[(&Diagnostic, Problem)],
) -> Matched {
    let mut pair: Vec<Option<usize>> = vec![None; head.len()];
    let mut taken = vec![false; base.len()];
    let passes: [&Pass; 3] = [
        &|h, b| same_data(h, b) && h.1.message == b.1.message,
        &|h, b| same_data(h, b),
        &|h, b| same_subject(h, b),
    ];
    for pass in passes {
        for (i, h) in head.iter().enumerate() {
            if pair[i].is_some() {
                continue;
            }
            let best = base
                .iter()
                .enumerate()
                .filter(|(j, b)| !taken[*j] && pass(h, b))
                .max_by_key(|(j, b)| {
                    (
                        shared_commits(h.0, b.0),
                        h.1.line == b.1.line,
                        usize::MAX - j,
                    )
                })
                .map(|(j, _)| j);
            if let Some(j) = best {
                taken[j] = true;
                pair[i] = Some(j);
            }
        }
    }
    let introduced = head
        .iter()
        .zip(&pair)
        .filter(|(h, paired)| match paired {
            None => true,
            Some(_) => !h.1.commits.is_empty() || brings_exemption(h.0, base),
        })
        .map(|(h, _)| h.1.clone())
        .collect();
    let resolved = base
        .iter()
        .zip(&taken)
        .filter(|(_, taken)| !**taken)
        .map(|(b, _)| b.1.clone())
        .collect();
    Matched {
        introduced,
        resolved,
    }
}

type Side<'a> = (&'a Diagnostic, Problem);

/// Whether a HEAD problem and a BASE problem may be paired in one pass.
type Pass = dyn Fn(&Side, &Side) -> bool;

/// The same rule, in the same file, about the same person, area and audit.
fn same_subject(h: &Side, b: &Side) -> bool {
    let (hd, bd) = (&h.0.subject, &b.0.subject);
    h.1.code == b.1.code
        && h.1.file == b.1.file
        && hd.person == bd.person
        && hd.area == bd.area
        && hd.audit == bd.audit
        // A problem about commits only (an unknown identity, a forged date) is about the same
        // thing when the commits it names overlap.
        && (hd.person.is_some()
            || hd.area.is_some()
            || hd.audit.is_some()
            || hd.commits.is_empty() && bd.commits.is_empty()
            || shared_commits(h.0, b.0) > 0)
}

/// The same subject, naming the same commits and exemptions.
fn same_data(h: &Side, b: &Side) -> bool {
    same_subject(h, b)
        && h.0.subject.commits == b.0.subject.commits
        && h.0.subject.exempted == b.0.subject.exempted
}

fn shared_commits(a: &Diagnostic, b: &Diagnostic) -> usize {
    a.subject
        .commits
        .iter()
        .filter(|c| b.subject.commits.contains(c))
        .count()
}

/// Whether `d` lists an exemption in effect that no BASE problem of its rule and audit listed
/// (told by the exemption's data, not by the message).
fn brings_exemption(d: &Diagnostic, base: &[(&Diagnostic, Problem)]) -> bool {
    d.subject.exempted.iter().any(|e| {
        !base.iter().any(|(b, _)| {
            b.code() == d.code()
                && b.subject.audit == d.subject.audit
                && b.subject.exempted.contains(e)
        })
    })
}
