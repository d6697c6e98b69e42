//! The Statement of Applicability (one row per Annex A control) and a page per control: its
//! SoA entry, the documents, risks, areas, audits, checklist items and findings that name it,
//! the frameworks that need it and its maturity over time.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::controls::InternalControlLink;
use super::findings::FindingRow;
use super::frameworks::Need;
use super::maturity::ControlMaturity;
use super::reviews::to_value;
use super::{BuildError, Site, soa_status, url};
use crate::catalog::{self, Control};
use crate::model::{Basis, SoaEntry};

/// What the SoA's row and the control's page both show.
#[derive(Clone, Serialize)]
struct ControlHead {
    id: String,
    title: String,
    theme: String,
    url: String,
    status: &'static str,
    applicable: Option<bool>,
    justification: Option<String>,
    basis: Vec<Basis>,
    owner: Option<Value>,
    evidence: Vec<Value>,
}

/// A control in the SoA.
#[derive(Serialize)]
struct ControlRow {
    #[serde(flatten)]
    head: ControlHead,
    /// The frameworks that need the control (without their status).
    frameworks: Vec<NeedBrief>,
    /// As the SoA entry lists them.
    risks: Vec<Value>,
    documents: Vec<Value>,
}

#[derive(Serialize)]
struct NeedBrief {
    framework: String,
    citation: String,
    title: String,
    url: String,
}

/// A control's own page.
#[derive(Serialize)]
struct ControlPage {
    #[serde(flatten)]
    head: ControlHead,
    frameworks: Vec<Need>,
    /// The SoA entry's and every document that names the control.
    documents: Vec<Value>,
    /// The SoA entry's and every risk treated by the control.
    risks: Vec<Value>,
    areas: Vec<Value>,
    audits: Vec<AuditStart>,
    checklist: Vec<ChecklistUse>,
    findings: Vec<FindingRow>,
    diagnostics: Vec<Value>,
    in_soa: bool,
    maturity: Option<ControlMaturity>,
    /// The organisation's own controls mapped to it.
    internal_controls: Vec<InternalControlLink>,
    /// The exceptions to the control, with their expiry.
    exceptions: Vec<super::exceptions::ExceptionLink>,
}

/// An audit whose plan covers the control.
#[derive(Serialize)]
struct AuditStart {
    #[serde(flatten)]
    audit: Value,
    start: String,
}

/// A checklist item of an audit that tested the control.
#[derive(Serialize)]
struct ChecklistUse {
    audit: Value,
    question: String,
    result: &'static str,
    evidence: Option<String>,
}

#[derive(Serialize)]
struct SoaPage {
    controls: Vec<ControlRow>,
    unknown: Vec<UnknownControl>,
    themes: Vec<String>,
}

/// An SoA entry that names no Annex A control.
#[derive(Serialize)]
struct UnknownControl {
    id: String,
}

impl Site<'_> {
    pub(super) fn soa(
        &mut self,
        frameworks: &BTreeMap<String, Vec<Need>>,
    ) -> Result<(), BuildError> {
        let isms = self.isms;
        let catalog = catalog::iso27001();
        let mut rows = Vec::new();
        for control in &catalog.controls {
            let entry = isms.soa_entry(&control.id);
            let needed_by = frameworks.get(&control.id).cloned().unwrap_or_default();
            let head = self.control_head(control, entry);
            let row = ControlRow {
                head: head.clone(),
                frameworks: needed_by
                    .iter()
                    .map(|n| NeedBrief {
                        framework: n.framework.clone(),
                        citation: n.citation.clone(),
                        title: n.title.clone(),
                        url: n.url.clone(),
                    })
                    .collect(),
                risks: entry.map_or(vec![], |e| {
                    e.risks.iter().map(|r| self.risk_ref(r.as_str())).collect()
                }),
                documents: entry.map_or(vec![], |e| {
                    e.documents
                        .iter()
                        .map(|d| self.doc_ref(d.as_str()))
                        .collect()
                }),
            };
            let page = self.control_page(control, entry, head, needed_by);
            let row_value = to_value(&row);
            self.index_object(
                "control",
                format!("{} {}", control.id, control.title),
                url("controls", &control.id),
                &row_value,
            );
            self.page("control.html", &url("controls", &control.id), "soa", page)?;
            rows.push(row);
        }
        let page = SoaPage {
            controls: rows,
            unknown: isms
                .soa
                .iter()
                .filter(|e| catalog.control(e.id.as_str()).is_none())
                .map(|e| UnknownControl {
                    id: e.id.to_string(),
                })
                .collect(),
            themes: catalog.themes.iter().map(|t| t.title.clone()).collect(),
        };
        self.index(
            "page",
            "Statement of Applicability".into(),
            "soa.html".into(),
        );
        self.page("soa.html", "soa.html", "soa", page)
    }

    fn control_head(&self, control: &Control, entry: Option<&SoaEntry>) -> ControlHead {
        let theme = catalog::iso27001()
            .theme(&control.theme)
            .map_or(control.theme.clone(), |t| t.title.clone());
        ControlHead {
            id: control.id.clone(),
            title: control.title.clone(),
            theme,
            url: url("controls", &control.id),
            status: soa_status(entry),
            applicable: entry.and_then(|e| e.applicable.as_ref().map(|a| *a.get())),
            justification: entry.and_then(|e| e.justification.as_ref().map(|j| j.to_string())),
            basis: entry.map_or(vec![], |e| e.basis.iter().map(|b| *b.get()).collect()),
            owner: entry
                .and_then(|e| e.owner.as_ref())
                .map(|o| self.person(o.as_str())),
            evidence: entry.map_or(vec![], |e| {
                e.evidence
                    .iter()
                    .map(|p| self.evidence_ref(p.as_str()))
                    .collect()
            }),
        }
    }

    fn control_page(
        &self,
        control: &Control,
        entry: Option<&SoaEntry>,
        head: ControlHead,
        frameworks: Vec<Need>,
    ) -> ControlPage {
        let isms = self.isms;
        let id = control.id.as_str();
        let mut documents: BTreeSet<&str> = entry
            .map(|e| e.documents.iter().map(|d| d.as_str()).collect())
            .unwrap_or_default();
        documents.extend(
            isms.documents
                .iter()
                .filter(|d| d.front.controls.iter().any(|c| c.as_str() == id))
                .map(|d| d.front.id.as_str()),
        );
        let mut risks: BTreeSet<&str> = entry
            .map(|e| e.risks.iter().map(|r| r.as_str()).collect())
            .unwrap_or_default();
        risks.extend(
            isms.risks
                .iter()
                .filter(|r| r.controls.iter().any(|c| c.as_str() == id))
                .map(|r| r.id.as_str()),
        );
        let mut checklist = Vec::new();
        for a in &isms.audits {
            for item in a.checklist.iter().flat_map(|c| c.items.iter()) {
                if item.reference.as_str() == id {
                    checklist.push(ChecklistUse {
                        audit: self.audit_ref(a.id.as_str()),
                        question: item.question.get().to_string(),
                        result: item.result.as_str(),
                        evidence: item.evidence.as_ref().map(|e| e.get().to_string()),
                    });
                }
            }
        }
        ControlPage {
            head,
            frameworks,
            documents: documents.iter().map(|d| self.doc_ref(d)).collect(),
            risks: risks.iter().map(|r| self.risk_ref(r)).collect(),
            areas: isms
                .areas
                .iter()
                .filter(|a| a.controls.iter().any(|c| c.as_str() == id))
                .map(|a| self.area_ref(a.id.as_str()))
                .collect(),
            audits: self.audits_covering_control(id),
            checklist,
            findings: isms
                .findings
                .iter()
                .filter(|f| f.refs.iter().any(|r| r.as_str() == id))
                .map(|f| self.finding_summary(f))
                .collect(),
            diagnostics: entry.map_or(vec![], |e| self.diagnostics_in(&e.origin, false)),
            in_soa: entry.is_some(),
            maturity: self.control_maturity(id),
            internal_controls: self.internal_controls_of(id),
            exceptions: self.exceptions_of(id),
        }
    }

    /// The audits whose plan covers a control, by start date.
    fn audits_covering_control(&self, id: &str) -> Vec<AuditStart> {
        let mut out: Vec<AuditStart> = self
            .isms
            .audits
            .iter()
            .filter_map(|a| a.plan.as_ref().map(|plan| (a, plan)))
            .filter(|(_, plan)| {
                super::coverage::plan_controls(self.isms, plan)
                    .iter()
                    .any(|c| c == id)
            })
            .map(|(a, plan)| AuditStart {
                audit: self.audit_ref(a.id.as_str()),
                start: plan.start.get().to_string(),
            })
            .collect();
        out.sort_by(|a, b| a.start.cmp(&b.start));
        out
    }
}
