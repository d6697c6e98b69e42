//! `isms independence --format json`: the matrix, or one audit's verdicts, as one JSON object
//! (version 1) for tools and the site, each conflict with its kind and, for authorship, its
//! commits. Only formats what `isms independence` judges.

use serde_json::{Value, json};

use super::independence::matrix_cells;
use crate::history::{History, Resolver, Unavailable};
use crate::independence::{self, Conflict, Window};
use crate::model::{Isms, Plan};
use crate::signing::{self, KeyOwner};

/// What the report says of the git history.
#[derive(Clone, Copy)]
pub(super) struct Git<'a> {
    pub history: Option<&'a History>,
    pub unavailable: Option<&'a Unavailable>,
}

fn git(git: Git<'_>) -> Value {
    json!({
        "read": git.history.is_some(),
        "commits": git.history.map(|h| h.commits().len()),
        "unavailable": git.unavailable.map(Unavailable::message),
    })
}

fn window(w: Window, months: u32) -> Value {
    json!({
        "from": w.from.to_string(),
        "until": w.until.add_days(-1).to_string(),
        "lookback_months": months,
    })
}

/// Whether the auditors' commits that had to be signed were, and by which keys: for each key,
/// whose it was when it signed (`own`, `platform`, `another person`, `no one`) and whether its
/// signatures prove the auditor. `null` without git history.
fn signatures(isms: &Isms, history: Option<&History>) -> Value {
    let Some(history) = history else {
        return Value::Null;
    };
    let auditors: Vec<Value> = signing::auditors(isms, history)
        .into_iter()
        .map(|(person, s)| {
            let keys: Vec<Value> = s
                .keys
                .iter()
                .map(|((owner, key), commits)| {
                    let (whose, who) = match owner {
                        KeyOwner::Own => ("own", Some(person.id.as_str())),
                        KeyOwner::Platform => ("platform", None),
                        KeyOwner::Other(p) => ("another person", Some(p.as_str())),
                        KeyOwner::Nobody => ("no one", None),
                    };
                    json!({
                        "key": key,
                        "commits": commits,
                        "whose": whose,
                        "person": who,
                        "proves": owner.proves(),
                    })
                })
                .collect();
            json!({
                "person": person.id.as_str(),
                "required": s.required,
                "proven": s.proven,
                "keys": keys,
            })
        })
        .collect();
    json!({
        "mode": isms.config_or_default().independence.signatures.get().as_str(),
        "identity": signing::identity(isms),
        "auditors": auditors,
    })
}

/// One conflict: `{"kind": "owns-area"}`, ..., `{"kind": "authored", "commits": [...]}`.
fn conflict(history: Option<&History>, c: &Conflict<'_>) -> Value {
    match c {
        Conflict::OwnsArea => json!({"kind": "owns-area"}),
        Conflict::MemberOfArea => json!({"kind": "member-of-area"}),
        Conflict::OwnsControl(control) => json!({"kind": "owns-control", "control": control}),
        Conflict::OwnsDocument(d) => {
            json!({"kind": "owns-document", "document": d.front.id.as_str()})
        }
        Conflict::OwnsProgramme(clause) => json!({"kind": "owns-programme", "clause": clause}),
        Conflict::Authored(list) => {
            let commits: Vec<Value> = list
                .iter()
                .filter_map(|(i, paths)| {
                    let c = history?.commit(*i);
                    Some(json!({
                        "id": c.id,
                        "short": c.short(),
                        "date": c.date.to_string(),
                        "subject": c.subject,
                        "author": c.author.email,
                        "paths": paths,
                    }))
                })
                .collect();
            json!({"kind": "authored", "commits": commits})
        }
        Conflict::Former(tie, ended) => {
            let mut v = conflict(history, tie);
            if let (Some(h), Some(obj)) = (history, v.as_object_mut()) {
                obj.insert("former".into(), Value::Bool(true));
                // `null`: HEAD still records the tie; only an uncommitted change ended it.
                let ended_by = ended.map(|c| h.commit(c)).map_or(Value::Null, |c| {
                    json!({"id": c.id, "short": c.short(), "date": c.date.to_string(), "subject": c.subject})
                });
                obj.insert("ended_by".into(), ended_by);
            }
            v
        }
    }
}

/// The matrix of areas against auditors over the `months` before today.
pub(super) fn matrix(
    isms: &Isms,
    g: Git<'_>,
    resolver: &Resolver<'_>,
    w: Window,
    months: u32,
) -> Value {
    let areas: Vec<Value> = matrix_cells(isms, g.history, resolver, w)
        .into_iter()
        .map(|(area, cells)| {
            let auditors: Vec<Value> = cells
                .iter()
                .map(|(person, conflicts)| {
                    json!({
                        "person": person.id.as_str(),
                        "eligible": conflicts.is_empty(),
                        "reasons": conflicts.iter().map(|c| conflict(g.history, c)).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({"area": area.id.as_str(), "auditors": auditors})
        })
        .collect();
    json!({
        "version": 1,
        "git": git(g),
        "window": window(w, months),
        "areas": areas,
        "signatures": signatures(isms, g.history),
    })
}

/// Every auditor judged against one audit's scope at its start, with the waivers that count.
pub(super) fn audit(
    isms: &Isms,
    plan: &Plan,
    g: Git<'_>,
    resolver: &Resolver<'_>,
    months: u32,
) -> Value {
    let w = Window::audit(*plan.start.get(), *plan.end.get(), months);
    let auditors: Vec<Value> = independence::candidates(isms, plan, g.history, resolver, months)
        .iter()
        .map(|c| {
            let id = c.person.id.as_str();
            let role = if plan.lead.as_str() == id {
                Some("lead")
            } else if plan.team.iter().any(|t| t.as_str() == id) {
                Some("team")
            } else {
                None
            };
            let units: Vec<Value> = c
                .conflicts
                .iter()
                .map(|v| {
                    json!({
                        "unit": v.unit,
                        "area": v.area,
                        "reasons": v.conflicts.iter().map(|x| conflict(g.history, x)).collect::<Vec<_>>(),
                        "waiver": v.waiver.map(|w| json!({
                            "approved_by": w.approved_by.as_str(),
                            "approved_on": w.approved_on.get().to_string(),
                            "reason": w.reason.as_str(),
                        })),
                    })
                })
                .collect();
            json!({
                "person": id,
                "role": role,
                "eligible": c.eligible(),
                "conflicts": units,
            })
        })
        .collect();
    json!({
        "version": 1,
        "git": git(g),
        "audit": plan.id.as_str(),
        "start": plan.start.get().to_string(),
        "window": window(w, months),
        "auditors": auditors,
        "signatures": signatures(isms, g.history),
    })
}
