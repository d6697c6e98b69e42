//! DOC: documented information is owned, versioned, approved and reviewed (5.2, 7.5).

use crate::diagnostics::Diagnostic;
use crate::model::{DocKind, Kind};

use super::{Context, Rule};

/// How a draft becomes controlled documented information.
pub(super) const APPROVE_HELP: &str = "when top management has approved it, remove `status = \"draft\"` and add `approved_by = \"<person id>\"`, `approved_on = <YYYY-MM-DD>` and `version = \"1.0\"` to its front matter";

/// Months between reviews of a document that does not set `review_months`.
const DEFAULT_REVIEW_MONTHS: u32 = 12;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for doc in &cx.isms.documents {
        let f = &doc.front;
        let o = &doc.origin;
        let id = f.id.as_str();
        let draft = doc.is_draft();
        let mut missing = Vec::new();
        if f.owner.is_none() {
            missing.push("owner");
        }
        // A draft is being written: its approval comes when it is approved. `version` may be
        // omitted (git's history then versions the document, approved by merge request); a
        // version written blank is a version missing.
        if !draft && f.version.as_ref().is_some_and(|v| v.trim().is_empty()) {
            missing.push("version");
        }
        if !draft && f.approved_by.is_none() {
            missing.push("approved_by");
        }
        if !draft && f.approved_on.is_none() {
            missing.push("approved_on");
        }
        if !missing.is_empty() {
            let fields = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>();
            let fields = match fields.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            out.push(
                Diagnostic::new(Rule::DOC001, format!("document {id} lacks {fields}"))
                    .at(o.at(&f.id))
                    .label("in this document's front matter")
                    .help(if draft {
                        "even a draft has an owner who writes it: add `owner = \"<person id>\"` to the front matter".to_string()
                    } else {
                        "documented information is owned, versioned and approved (7.5.2): add the missing fields to the front matter, or mark a document still being written with `status = \"draft\"`".to_string()
                    }),
            );
        }
        if let Some(on) = f.approved_on.as_ref().filter(|_| !draft) {
            let months = f
                .review_months
                .as_ref()
                .map_or(DEFAULT_REVIEW_MONTHS, |m| *m.get());
            let due = on.get().add_months(i64::from(months));
            if due < cx.today {
                out.push(
                    Diagnostic::new(Rule::DOC002, format!("document {id} was due for review on {due}"))
                        .at(o.at(on))
                        .label(format!("approved {}, reviewed every {months} months", on.get()))
                        .help("review the document, then record the new approval (`approved_by`, `approved_on`, and `version` if it changed)"),
                );
            }
        }
    }
    for doc in &cx.isms.documents {
        team_approval(cx, doc, out);
    }
    let unreadable = cx.isms.unreadable.iter().any(|(k, _)| *k == Kind::Document);
    if !cx.isms.incomplete.contains(&Kind::Document) && !unreadable {
        let policies: Vec<_> = cx
            .isms
            .documents
            .iter()
            .filter(|d| {
                *d.front.kind.get() == DocKind::Policy
                    && d.front.clauses.iter().any(|c| c.as_str() == "5.2")
            })
            .collect();
        if policies.iter().all(|d| d.is_draft()) {
            out.push(match policies.first() {
                None => Diagnostic::new(Rule::DOC003, "there is no information security policy")
                    .at(cx.isms.config_origin.clone().unwrap_or_default())
                    .help("write it as a document with `kind = \"policy\"` and `clauses = [\"5.2\"]` in its front matter, approved by top management"),
                Some(draft) => {
                    let status = draft.front.status.as_ref();
                    Diagnostic::new(
                        Rule::DOC003,
                        format!(
                            "the information security policy {} is still a draft",
                            draft.front.id.as_str()
                        ),
                    )
                    .at(status.map_or_else(|| draft.origin.clone(), |s| draft.origin.at(s)))
                    .label("a draft is not yet the organisation's policy")
                    .help(APPROVE_HELP)
                }
            });
        }
    }
}

/// DOC008: an approval by a team names the member who gave it; a person's approval names no
/// one else.
fn team_approval(cx: &Context<'_>, doc: &crate::model::Document, out: &mut Vec<Diagnostic>) {
    let f = &doc.front;
    let Some(by) = &f.approved_by else { return };
    let id = f.id.as_str();
    match (cx.isms.team(by.as_str()), &f.approved_by_person) {
        (Some(team), None) => out.push(
            Diagnostic::new(Rule::DOC008, format!("document {id} was approved by the team `{}` without naming who approved it", by.as_str()))
                .at(doc.origin.at(by))
                .label("a team")
                .help(format!("name the member who gave the approval: `approved_by_person = \"{}\"` (one of {}), or set `approved_by` to that person", team.lead.as_str(), team.people().join(", "))),
        ),
        (Some(team), Some(person)) if !team.includes(person.as_str()) => out.push(
            Diagnostic::new(Rule::DOC008, format!("document {id} was approved for the team `{}` by `{}`, who is not in it", by.as_str(), person.as_str()))
                .at(doc.origin.at(person))
                .label("not a member of the approving team")
                .related(team.origin.at(&team.id), "the team")
                .help(format!("an approval by a team is given by its lead or a member ({}): correct `approved_by_person`, or add the person to the team in teams.toml", team.people().join(", "))),
        ),
        (None, Some(person)) if person.as_str() != by.as_str() => out.push(
            Diagnostic::new(Rule::DOC008, format!("document {id} names `{}` as approver beside the person `{}`", person.as_str(), by.as_str()))
                .at(doc.origin.at(person))
                .label("`approved_by` is a person, not a team")
                .help("`approved_by_person` names the member of an approving team; with a person in `approved_by`, remove it"),
        ),
        _ => {}
    }
}
