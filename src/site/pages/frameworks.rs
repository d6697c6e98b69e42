//! The framework pages: one per enabled regulatory overlay (each requirement with its citation,
//! status, mapped controls, the audits that tested them and their open findings), an index, and
//! the frameworks that need each control, for the control pages and the SoA.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::controls::InternalControlLink;
use super::reviews::to_value;
use super::{BuildError, Site, slug, url};
use crate::catalog;
use crate::frameworks::{Applicability, Assessor, Counts, FrameworkStatus, RequirementStatus};

/// A requirement of an enabled framework that maps to a control.
#[derive(Clone, Serialize)]
pub(super) struct Need {
    pub framework: String,
    pub id: String,
    pub citation: String,
    pub title: String,
    pub status: &'static str,
    pub url: String,
}

/// A framework in the index, and the head of its page.
#[derive(Clone, Serialize)]
struct FrameworkRow {
    name: String,
    title: String,
    source: Option<String>,
    pack: String,
    cycle: String,
    counts: Counts,
    total: usize,
    url: String,
}

#[derive(Serialize)]
struct FrameworkPage {
    #[serde(flatten)]
    row: FrameworkRow,
    requirements: Vec<RequirementRow>,
}

#[derive(Serialize)]
struct RequirementRow {
    id: String,
    anchor: String,
    citation: String,
    title: String,
    obligation: Option<&'static str>,
    note: Option<String>,
    status: &'static str,
    reasons: Vec<String>,
    controls: Vec<MappedControl>,
    clauses: Vec<MappedClause>,
    /// The organisation's own controls that bring some of `controls` (one mapping).
    internal_controls: Vec<InternalControlLink>,
}

/// A control a requirement maps to, with how the ISMS meets it.
#[derive(Serialize)]
struct MappedControl {
    #[serde(flatten)]
    control: Value,
    applicability: Applicability,
    implementation: Option<&'static str>,
    audits: Vec<Value>,
    planned: Vec<Value>,
    findings: Vec<Value>,
}

#[derive(Serialize)]
struct MappedClause {
    #[serde(flatten)]
    clause: Value,
    audits: Vec<Value>,
}

#[derive(Serialize)]
struct FrameworksPage {
    frameworks: Vec<FrameworkRow>,
}

/// The requirements of the enabled frameworks that map to each control.
pub(super) fn by_control(statuses: &[FrameworkStatus]) -> BTreeMap<String, Vec<Need>> {
    let mut map: BTreeMap<String, Vec<Need>> = BTreeMap::new();
    for f in statuses {
        for r in &f.requirements {
            for c in &r.controls {
                map.entry(c.id.clone()).or_default().push(Need {
                    framework: f.name.clone(),
                    id: r.id.clone(),
                    citation: r.citation.clone(),
                    title: r.title.clone(),
                    status: r.status.as_str(),
                    url: format!("{}#{}", url("frameworks", &f.name), slug(&r.id)),
                });
            }
        }
    }
    map
}

impl Site<'_> {
    /// Every enabled framework, assessed once for the pages that show them.
    pub(super) fn framework_statuses(&self) -> Vec<FrameworkStatus> {
        let assessor = Assessor::new(self.isms, catalog::iso27001(), self.options.today);
        self.isms
            .frameworks
            .iter()
            .map(|p| {
                let file = p
                    .origin
                    .as_ref()
                    .map(|o| self.outcome.files.get(o.file).path.as_str());
                assessor.framework(p, file)
            })
            .collect()
    }

    pub(super) fn frameworks(&mut self, statuses: &[FrameworkStatus]) -> Result<(), BuildError> {
        if statuses.is_empty() {
            return Ok(());
        }
        let mut rows = Vec::new();
        for f in statuses {
            let page_url = url("frameworks", &f.name);
            let row = FrameworkRow {
                name: f.name.clone(),
                title: f.title.clone(),
                source: f.source.clone(),
                pack: f.pack.clone(),
                cycle: f.cycle.clone(),
                counts: f.counts,
                total: f.requirements.len(),
                url: page_url.clone(),
            };
            self.index_object(
                "framework",
                format!("{} {}", f.name, f.title),
                page_url.clone(),
                &to_value(&row),
            );
            let page = FrameworkPage {
                requirements: f.requirements.iter().map(|r| self.requirement(r)).collect(),
                row: row.clone(),
            };
            self.page("framework.html", &page_url, "frameworks", page)?;
            rows.push(row);
        }
        self.index("page", "Frameworks".into(), "frameworks.html".into());
        self.page(
            "frameworks.html",
            "frameworks.html",
            "frameworks",
            FrameworksPage { frameworks: rows },
        )
    }

    fn requirement(&self, r: &RequirementStatus) -> RequirementRow {
        let audits = |ids: &[String]| ids.iter().map(|a| self.audit_ref(a)).collect();
        RequirementRow {
            id: r.id.clone(),
            anchor: slug(&r.id),
            citation: r.citation.clone(),
            title: r.title.clone(),
            obligation: r.obligation.map(|o| o.as_str()),
            note: r.note.clone(),
            status: r.status.as_str(),
            reasons: r.reasons.clone(),
            controls: r
                .controls
                .iter()
                .map(|c| MappedControl {
                    control: self.control_ref(&c.id),
                    applicability: c.applicability,
                    implementation: c.implementation.map(|i| i.as_str()),
                    audits: audits(&c.audited_by),
                    planned: audits(&c.planned_in),
                    findings: c
                        .open_findings
                        .iter()
                        .filter_map(|id| self.isms.finding(id))
                        .map(|f| self.finding_ref(f))
                        .collect(),
                })
                .collect(),
            clauses: r
                .clauses
                .iter()
                .map(|c| MappedClause {
                    clause: self.clause_ref(&c.id),
                    audits: audits(&c.audited_by),
                })
                .collect(),
            internal_controls: r
                .internal_controls
                .iter()
                .filter_map(|id| self.isms.internal_control(id))
                .map(|c| self.internal_control_link(c))
                .collect(),
        }
    }
}
