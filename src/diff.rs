//! What a change does to the ISMS, in ISMS terms: the semantic difference between two loaded
//! [`Isms`] values (findings through their lifecycle, corrective actions, SoA decisions, risk
//! scores, documents and their approvals, audits, people and areas, management reviews and
//! their decisions, objectives and their results, incidents). Pure: no git, no I/O;
//! `isms diff` loads both revisions and adds the impartiality verdict.
//!
//! The JSON shape (`isms diff --format json`) is the serialization of [`Report`] and is stable:
//! fields are only ever added.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Files;
use crate::model::{Audit, Document, Finding, Isms, Risk, SoaEntry};

/// One side of a change: the model and the files it was read from (documents' text).
#[derive(Clone, Copy)]
pub struct Side<'a> {
    pub isms: &'a Isms,
    pub files: &'a Files,
}

/// A value before (BASE) and after (HEAD) the change; `null` on a side where the object does
/// not exist or the field is not set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FromTo<T> {
    pub from: T,
    pub to: T,
}

/// What happened to an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// New in HEAD (a finding opened, an audit planned, a risk identified ...).
    Added,
    /// Gone from HEAD.
    Removed,
    /// Present on both sides and different.
    Changed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// The semantic difference between two revisions of an ISMS.
#[derive(Clone, Debug, Default, Serialize)]
pub struct IsmsDiff {
    pub findings: Vec<FindingChange>,
    pub soa: Vec<SoaChange>,
    pub risks: Vec<RiskChange>,
    pub documents: Vec<DocumentChange>,
    pub audits: Vec<AuditChange>,
    pub people: Vec<ObjectChange>,
    pub areas: Vec<ObjectChange>,
    /// Exceptions to controls: added, removed, or changed (renewed, re-approved).
    pub exceptions: Vec<ObjectChange>,
    /// Management reviews and their decisions, objectives and their results, incidents.
    #[serde(flatten)]
    pub closing_the_loop: loop_changes::LoopChanges,
}

impl IsmsDiff {
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
            && self.soa.is_empty()
            && self.risks.is_empty()
            && self.documents.is_empty()
            && self.audits.is_empty()
            && self.people.is_empty()
            && self.areas.is_empty()
            && self.exceptions.is_empty()
            && self.closing_the_loop.is_empty()
    }
}

/// A corrective action of a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActionInfo {
    pub description: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub completed_on: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VerificationInfo {
    pub by: String,
    pub on: String,
    pub effective: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FindingChange {
    pub id: String,
    /// `added` is a finding opened (raised) by the change.
    pub change: ChangeKind,
    pub audit: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub area: Option<String>,
    pub statement: Option<String>,
    /// The derived lifecycle status on each side (`null` where the finding does not exist).
    pub status: FromTo<Option<String>>,
    /// Whether the change closed the finding (status `closed` in HEAD, not in BASE).
    pub closed: bool,
    pub actions_added: Vec<ActionInfo>,
    pub actions_completed: Vec<ActionInfo>,
    /// A verification recorded (or changed) by the change.
    pub verification: Option<VerificationInfo>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SoaChange {
    pub control: String,
    pub change: ChangeKind,
    /// `true` included, `false` excluded, `null` undecided (or absent on that side).
    pub applicable: FromTo<Option<bool>>,
    pub status: FromTo<Option<String>>,
    /// HEAD's justification (BASE's for a removed entry).
    pub justification: Option<String>,
    /// Set when the justification itself changed: BASE's text.
    pub justification_before: Option<String>,
    pub owner: FromTo<Option<String>>,
    /// Other fields that changed (risks, documents, evidence, basis).
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RiskChange {
    pub id: String,
    pub title: String,
    pub change: ChangeKind,
    /// Likelihood x impact, on each side.
    pub inherent: FromTo<Option<i64>>,
    pub residual: FromTo<Option<i64>>,
    pub rescored: bool,
    pub treatment: FromTo<Option<String>>,
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DocumentChange {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub change: ChangeKind,
    pub path: FromTo<Option<String>>,
    pub version: FromTo<Option<String>>,
    pub approved_by: FromTo<Option<String>>,
    pub approved_on: FromTo<Option<String>>,
    /// The change recorded a new approval (`version` or `approved_on` changed, and HEAD has one).
    pub new_approval: bool,
    /// An approved document whose text changed without a new approval being recorded.
    pub unapproved_edit: bool,
    /// Unified diff of the file (front matter and body), BASE to HEAD.
    pub diff: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditChange {
    pub id: String,
    pub change: ChangeKind,
    pub title: Option<String>,
    /// The plan appeared in this change.
    pub planned: bool,
    /// The report appeared in this change.
    pub reported: bool,
    pub lead: Option<String>,
    pub team: Vec<String>,
    pub areas: Vec<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub conclusion: Option<String>,
    /// Which parts changed: plan, checklist, report.
    pub parts: Vec<String>,
}

/// A person or an area: what changed, briefly.
#[derive(Clone, Debug, Serialize)]
pub struct ObjectChange {
    pub id: String,
    pub name: String,
    pub change: ChangeKind,
    pub fields: Vec<String>,
}

/// Compares BASE and HEAD.
pub fn diff(base: Side<'_>, head: Side<'_>) -> IsmsDiff {
    IsmsDiff {
        findings: findings(base.isms, head.isms),
        soa: soa(base.isms, head.isms),
        risks: risks(base.isms, head.isms),
        documents: documents(base, head),
        audits: audits(base, head),
        people: objects(
            &base.isms.people,
            &head.isms.people,
            |p| p.id.as_str().to_string(),
            |p| p.name.as_str().to_string(),
        ),
        areas: objects(
            &base.isms.areas,
            &head.isms.areas,
            |a| a.id.as_str().to_string(),
            |a| a.name.as_str().to_string(),
        ),
        exceptions: objects(
            &base.isms.exceptions,
            &head.isms.exceptions,
            |e| e.id.as_str().to_string(),
            |e| {
                format!(
                    "{} ({} risk), expires on {}",
                    e.control.as_str(),
                    e.risk.get().as_str(),
                    e.expires_on.get()
                )
            },
        ),
        closing_the_loop: loop_changes::diff(base.isms, head.isms),
    }
}

/// Ids of both sides, BASE's order first, then the new ones in HEAD's order.
fn ids<T>(base: &[T], head: &[T], id: impl Fn(&T) -> String) -> Vec<String> {
    let mut seen = BTreeSet::new();
    base.iter()
        .chain(head.iter())
        .map(id)
        .filter(|i| seen.insert(i.clone()))
        .collect()
}

pub(crate) fn value<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// The top-level fields whose values differ, sorted.
fn changed_fields(a: &Value, b: &Value) -> Vec<String> {
    let empty = serde_json::Map::new();
    let a = a.as_object().unwrap_or(&empty);
    let b = b.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| {
            let x = a.get(*k).filter(|v| !is_blank(v));
            let y = b.get(*k).filter(|v| !is_blank(v));
            x != y
        })
        .cloned()
        .collect()
}

fn is_blank(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(Vec::is_empty)
}

fn change_kind<T>(b: Option<T>, h: Option<T>) -> ChangeKind {
    match (b, h) {
        (None, Some(_)) => ChangeKind::Added,
        (Some(_), None) => ChangeKind::Removed,
        _ => ChangeKind::Changed,
    }
}

fn action_info(a: &crate::model::Action) -> ActionInfo {
    ActionInfo {
        description: a.description.as_str().to_string(),
        owner: a.owner.as_ref().map(|o| o.as_str().to_string()),
        due: a.due.as_ref().map(|d| d.get().to_string()),
        completed_on: a.completed_on.as_ref().map(|d| d.get().to_string()),
    }
}

fn verification_info(f: &Finding) -> Option<VerificationInfo> {
    f.verification.as_ref().map(|v| VerificationInfo {
        by: v.by.as_str().to_string(),
        on: v.on.get().to_string(),
        effective: *v.effective.get(),
    })
}

fn findings(base: &Isms, head: &Isms) -> Vec<FindingChange> {
    let mut out = Vec::new();
    for id in ids(&base.findings, &head.findings, |f| {
        f.id.as_str().to_string()
    }) {
        let b = base.finding(&id);
        let h = head.finding(&id);
        if let (Some(b), Some(h)) = (b, h) {
            if value(b) == value(h) {
                continue;
            }
        }
        let Some(f) = h.or(b) else { continue };
        let status = FromTo {
            from: b.map(|f| f.status().as_str().to_string()),
            to: h.map(|f| f.status().as_str().to_string()),
        };
        let closed = status.to.as_deref() == Some("closed") && status.from != status.to;
        let base_actions: Vec<ActionInfo> = b
            .map(|f| f.actions.iter().map(action_info).collect())
            .unwrap_or_default();
        let head_actions: Vec<ActionInfo> = h
            .map(|f| f.actions.iter().map(action_info).collect())
            .unwrap_or_default();
        let actions_added = head_actions
            .iter()
            .filter(|a| !base_actions.iter().any(|x| x.description == a.description))
            .cloned()
            .collect();
        let actions_completed = head_actions
            .iter()
            .filter(|a| {
                a.completed_on.is_some()
                    && !base_actions
                        .iter()
                        .any(|x| x.description == a.description && x.completed_on.is_some())
            })
            .cloned()
            .collect();
        let verification = h
            .and_then(verification_info)
            .filter(|v| b.and_then(verification_info).as_ref() != Some(v));
        out.push(FindingChange {
            id: id.clone(),
            change: change_kind(b, h),
            audit: f.audit.as_str().to_string(),
            kind: f.kind.get().as_str().to_string(),
            area: f.area.as_ref().map(|a| a.as_str().to_string()),
            statement: f.statement.as_ref().map(|s| s.as_str().to_string()),
            status,
            closed,
            actions_added,
            actions_completed,
            verification,
        });
    }
    out
}

fn soa(base: &Isms, head: &Isms) -> Vec<SoaChange> {
    let mut out = Vec::new();
    for id in ids(&base.soa, &head.soa, |c| c.id.as_str().to_string()) {
        let b = base.soa_entry(&id);
        let h = head.soa_entry(&id);
        let (vb, vh) = (b.map(value), h.map(value));
        if b.is_some() && h.is_some() && vb == vh {
            continue;
        }
        let applicable =
            |e: Option<&SoaEntry>| e.and_then(|e| e.applicable.as_ref().map(|a| *a.get()));
        let status = |e: Option<&SoaEntry>| {
            e.and_then(|e| e.status.as_ref().map(|s| s.get().as_str().to_string()))
        };
        let justification =
            |e: Option<&SoaEntry>| e.and_then(|e| e.justification.as_ref().map(|j| j.to_string()));
        let owner = |e: Option<&SoaEntry>| e.and_then(|e| e.owner.as_ref().map(|o| o.to_string()));
        let jb = justification(b);
        let jh = justification(h);
        let fields = changed_fields(
            vb.as_ref().unwrap_or(&Value::Null),
            vh.as_ref().unwrap_or(&Value::Null),
        )
        .into_iter()
        .filter(|f| {
            !matches!(
                f.as_str(),
                "id" | "applicable" | "status" | "justification" | "owner"
            )
        })
        .collect();
        out.push(SoaChange {
            control: id.clone(),
            change: change_kind(b, h),
            applicable: FromTo {
                from: applicable(b),
                to: applicable(h),
            },
            status: FromTo {
                from: status(b),
                to: status(h),
            },
            justification_before: (b.is_some() && h.is_some() && jb != jh)
                .then(|| jb.clone())
                .flatten(),
            justification: if h.is_some() { jh } else { jb },
            owner: FromTo {
                from: owner(b),
                to: owner(h),
            },
            fields,
        });
    }
    out
}

fn risks(base: &Isms, head: &Isms) -> Vec<RiskChange> {
    let mut out = Vec::new();
    for id in ids(&base.risks, &head.risks, |r| r.id.as_str().to_string()) {
        let b = base.risk(&id);
        let h = head.risk(&id);
        let (vb, vh) = (b.map(value), h.map(value));
        if b.is_some() && h.is_some() && vb == vh {
            continue;
        }
        let Some(r) = h.or(b) else { continue };
        let inherent = FromTo {
            from: b.map(Risk::inherent_score),
            to: h.map(Risk::inherent_score),
        };
        let residual = FromTo {
            from: b.map(Risk::residual_score),
            to: h.map(Risk::residual_score),
        };
        let rescored = b.is_some()
            && h.is_some()
            && (inherent.from != inherent.to || residual.from != residual.to);
        let treatment = |r: Option<&Risk>| {
            r.map(|r| {
                value(r.treatment.get())
                    .as_str()
                    .unwrap_or_default()
                    .to_string()
            })
        };
        let fields = changed_fields(
            vb.as_ref().unwrap_or(&Value::Null),
            vh.as_ref().unwrap_or(&Value::Null),
        )
        .into_iter()
        .filter(|f| f != "id")
        .collect();
        out.push(RiskChange {
            id: id.clone(),
            title: r.title.to_string(),
            change: change_kind(b, h),
            inherent,
            residual,
            rescored,
            treatment: FromTo {
                from: treatment(b),
                to: treatment(h),
            },
            fields,
        });
    }
    out
}

fn text_of<'a>(side: Side<'a>, doc: &Document) -> &'a str {
    if (doc.origin.file.0 as usize) < side.files.len() {
        &side.files.get(doc.origin.file).text
    } else {
        ""
    }
}

/// A unified diff of two texts, with three lines of context.
pub fn unified(from: &str, to: &str, from_name: &str, to_name: &str) -> String {
    similar::TextDiff::from_lines(from, to)
        .unified_diff()
        .context_radius(3)
        .header(from_name, to_name)
        .to_string()
}

fn documents(base: Side<'_>, head: Side<'_>) -> Vec<DocumentChange> {
    let mut out = Vec::new();
    let key = |d: &Document| d.front.id.as_str().to_string();
    for id in ids(&base.isms.documents, &head.isms.documents, key) {
        let b = base.isms.document(&id);
        let h = head.isms.document(&id);
        let tb = b.map_or("", |d| text_of(base, d));
        let th = h.map_or("", |d| text_of(head, d));
        let pb = b.map(|d| d.path.clone());
        let ph = h.map(|d| d.path.clone());
        if b.is_some() && h.is_some() && tb == th && pb == ph {
            continue;
        }
        let Some(d) = h.or(b) else { continue };
        let version =
            |d: Option<&Document>| d.and_then(|d| d.front.version.as_ref().map(|v| v.to_string()));
        let approved_by = |d: Option<&Document>| {
            d.and_then(|d| d.front.approved_by.as_ref().map(|v| v.to_string()))
        };
        let approved_on = |d: Option<&Document>| {
            d.and_then(|d| d.front.approved_on.as_ref().map(|v| v.get().to_string()))
        };
        let version = FromTo {
            from: version(b),
            to: version(h),
        };
        let approved_by = FromTo {
            from: approved_by(b),
            to: approved_by(h),
        };
        let approved_on = FromTo {
            from: approved_on(b),
            to: approved_on(h),
        };
        let approved_now = approved_on.to.is_some() && approved_by.to.is_some();
        let new_approval = approved_now
            && (version.from != version.to
                || approved_on.from != approved_on.to
                || approved_by.from != approved_by.to);
        let text_changed = b.is_some() && h.is_some() && tb != th;
        let unapproved_edit = text_changed && !new_approval && approved_on.from.is_some();
        let from_name = pb
            .as_deref()
            .map_or("/dev/null".to_string(), |p| format!("a/{p}"));
        let to_name = ph
            .as_deref()
            .map_or("/dev/null".to_string(), |p| format!("b/{p}"));
        out.push(DocumentChange {
            id: id.clone(),
            title: d.front.title.to_string(),
            kind: d.front.kind.get().as_str().to_string(),
            change: change_kind(b, h),
            path: FromTo { from: pb, to: ph },
            version,
            approved_by,
            approved_on,
            new_approval,
            unapproved_edit,
            diff: if tb == th {
                String::new()
            } else {
                unified(tb, th, &from_name, &to_name)
            },
        });
    }
    out
}

fn audits(base: Side<'_>, head: Side<'_>) -> Vec<AuditChange> {
    let mut out = Vec::new();
    for id in ids(&base.isms.audits, &head.isms.audits, |a| a.id.to_string()) {
        let b = base.isms.audit(&id);
        let h = head.isms.audit(&id);
        let plan = |a: Option<&Audit>| a.and_then(|a| a.plan.as_ref()).map(value);
        let checklist = |a: Option<&Audit>| {
            a.and_then(|a| a.checklist.as_ref())
                .map(|c| value(&c.items))
        };
        let report = |side: Side<'_>, a: Option<&Audit>| {
            a.and_then(|a| a.report.as_ref()).map(|r| {
                if (r.origin.file.0 as usize) < side.files.len() {
                    side.files.get(r.origin.file).text.clone()
                } else {
                    String::new()
                }
            })
        };
        let mut parts = Vec::new();
        if plan(b) != plan(h) {
            parts.push("plan".to_string());
        }
        if checklist(b) != checklist(h) {
            parts.push("checklist".to_string());
        }
        if report(base, b) != report(head, h) {
            parts.push("report".to_string());
        }
        if parts.is_empty() {
            continue;
        }
        let Some(a) = h.or(b) else { continue };
        let p = a.plan.as_ref();
        let has_plan = |a: Option<&Audit>| a.is_some_and(|a| a.plan.is_some());
        let has_report = |a: Option<&Audit>| a.is_some_and(|a| a.report.is_some());
        out.push(AuditChange {
            id: id.clone(),
            change: change_kind(b, h),
            title: p.map(|p| p.title.to_string()),
            planned: has_plan(h) && !has_plan(b),
            reported: has_report(h) && !has_report(b),
            lead: p.map(|p| p.lead.to_string()),
            team: p
                .map(|p| p.team.iter().map(|t| t.to_string()).collect())
                .unwrap_or_default(),
            areas: p
                .map(|p| p.areas.iter().map(|t| t.to_string()).collect())
                .unwrap_or_default(),
            start: p.map(|p| p.start.get().to_string()),
            end: p.map(|p| p.end.get().to_string()),
            conclusion: a
                .report
                .as_ref()
                .and_then(|r| value(r.front.conclusion.get()).as_str().map(str::to_string)),
            parts,
        });
    }
    out
}

pub(crate) fn objects<T: Serialize>(
    base: &[T],
    head: &[T],
    id: impl Fn(&T) -> String,
    name: impl Fn(&T) -> String,
) -> Vec<ObjectChange> {
    let mut out = Vec::new();
    for key in ids(base, head, &id) {
        let b = base.iter().find(|x| id(x) == key);
        let h = head.iter().find(|x| id(x) == key);
        let (vb, vh) = (b.map(value), h.map(value));
        if b.is_some() && h.is_some() && vb == vh {
            continue;
        }
        let Some(x) = h.or(b) else { continue };
        let fields = if b.is_some() && h.is_some() {
            changed_fields(
                vb.as_ref().unwrap_or(&Value::Null),
                vh.as_ref().unwrap_or(&Value::Null),
            )
        } else {
            Vec::new()
        };
        out.push(ObjectChange {
            id: key.clone(),
            name: name(x),
            change: change_kind(b, h),
            fields,
        });
    }
    out
}

mod loop_changes;
pub mod report;
pub use loop_changes::{DecisionChange, LoopChanges, ResultChange};
pub use report::{CommitInfo, MARKER, Problem, Report, Revision, Verdict};
