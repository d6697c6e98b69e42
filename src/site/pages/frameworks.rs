//! The framework pages: one per enabled regulatory overlay (each requirement with its citation,
//! status, mapped controls (with the internal controls that bring some of them), the audits that tested them and their open findings), an index, and
//! the frameworks that need each control, for the control pages and the SoA.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{BuildError, Site, url};
use crate::catalog;
use crate::frameworks::{Assessor, FrameworkStatus};

/// The requirements of the enabled frameworks that map to each control.
pub(super) fn by_control(statuses: &[FrameworkStatus]) -> BTreeMap<String, Vec<Value>> {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for f in statuses {
        for r in &f.requirements {
            for c in &r.controls {
                map.entry(c.id.clone()).or_default().push(json!({
                    "framework": f.name,
                    "id": r.id,
                    "citation": r.citation,
                    "title": r.title,
                    "status": r.status.as_str(),
                    "url": format!("{}#{}", url("frameworks", &f.name), super::slug(&r.id)),
                }));
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
            let requirements: Vec<Value> = f
                .requirements
                .iter()
                .map(|r| {
                    let controls: Vec<Value> = r
                        .controls
                        .iter()
                        .map(|c| {
                            let mut v = self.control_ref(&c.id);
                            v["applicability"] = json!(c.applicability);
                            v["implementation"] = json!(c.implementation.map(|i| i.as_str()));
                            v["audits"] = json!(
                                c.audited_by
                                    .iter()
                                    .map(|a| self.audit_ref(a))
                                    .collect::<Vec<_>>()
                            );
                            v["planned"] = json!(
                                c.planned_in
                                    .iter()
                                    .map(|a| self.audit_ref(a))
                                    .collect::<Vec<_>>()
                            );
                            v["findings"] = json!(
                                c.open_findings
                                    .iter()
                                    .filter_map(|id| self.isms.finding(id))
                                    .map(|f| self.finding_ref(f))
                                    .collect::<Vec<_>>()
                            );
                            v
                        })
                        .collect();
                    let clauses: Vec<Value> = r
                        .clauses
                        .iter()
                        .map(|c| {
                            let mut v = self.clause_ref(&c.id);
                            v["audits"] = json!(
                                c.audited_by
                                    .iter()
                                    .map(|a| self.audit_ref(a))
                                    .collect::<Vec<_>>()
                            );
                            v
                        })
                        .collect();
                    json!({
                        "id": r.id,
                        "anchor": super::slug(&r.id),
                        "citation": r.citation,
                        "title": r.title,
                        "obligation": r.obligation.map(|o| o.as_str()),
                        "note": r.note,
                        "status": r.status.as_str(),
                        "reasons": r.reasons,
                        "controls": controls,
                        "clauses": clauses,
                        "internal_controls": r
                            .internal_controls
                            .iter()
                            .filter_map(|id| self.isms.internal_control(id))
                            .map(|c| self.internal_control_link(c))
                            .collect::<Vec<_>>(),
                    })
                })
                .collect();
            let row = json!({
                "name": f.name,
                "title": f.title,
                "source": f.source,
                "pack": f.pack,
                "cycle": f.cycle,
                "counts": f.counts,
                "total": f.requirements.len(),
                "url": page_url,
            });
            let mut page = row.clone();
            page["requirements"] = json!(requirements);
            self.index_object(
                "framework",
                format!("{} {}", f.name, f.title),
                page_url.clone(),
                &row,
            );
            self.page("framework.html", &page_url, "frameworks", page)?;
            rows.push(row);
        }
        self.index("page", "Frameworks".into(), "frameworks.html".into());
        self.page(
            "frameworks.html",
            "frameworks.html",
            "frameworks",
            json!({"frameworks": rows}),
        )
    }
}
