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
        // A draft is being written: its version and approval come when it is approved.
        if !draft && f.version.as_ref().is_none_or(|v| v.trim().is_empty()) {
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
