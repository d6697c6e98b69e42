//! The areas and a page per area: owner, members, paths, controls and clauses, documents,
//! risks, audit history, findings, the next due date, and who recently changed its files.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::changes::CommitAuthor;
use super::findings::FindingRow;
use super::reviews::to_value;
use super::{BuildError, Site, url};
use crate::history::{History, Who};
use crate::independence;
use crate::model::{Area, Date};

#[derive(Clone, Serialize)]
struct AreaRow {
    id: String,
    url: String,
    name: String,
    owner: Value,
    members: Vec<Value>,
    risk: &'static str,
    next_due: Option<String>,
    overdue: bool,
    last: Option<AuditOn>,
    planned: Option<AuditOn>,
}

/// An audit with the day that matters: `end` of the last one, `start` of a planned one.
#[derive(Clone, Serialize)]
struct AuditOn {
    audit: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<String>,
}

/// An audit of the area with the day it starts.
#[derive(Serialize)]
struct AuditStarting {
    #[serde(flatten)]
    audit: Value,
    start: String,
}

#[derive(Serialize)]
struct AreaPage {
    #[serde(flatten)]
    row: AreaRow,
    paths: Vec<String>,
    controls: Vec<Value>,
    clauses: Vec<Value>,
    documents: Vec<Value>,
    risks: Vec<Value>,
    audits: Vec<AuditStarting>,
    findings: Vec<FindingRow>,
    /// Who changed the area's files, most recent first; absent without git history.
    #[serde(skip_serializing_if = "Option::is_none")]
    authors: Option<Vec<Author>>,
    diagnostics: Vec<Value>,
}

#[derive(Serialize)]
struct Author {
    who: CommitAuthor,
    latest: String,
    commits: usize,
}

#[derive(Serialize)]
struct AreasPage {
    areas: Vec<AreaRow>,
}

impl Site<'_> {
    pub(super) fn areas(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let mut rows = Vec::new();
        let mut areas: Vec<&Area> = isms.areas.iter().collect();
        areas.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        for area in areas {
            let id = area.id.as_str();
            let due = self.coverage.areas.iter().find(|a| a.area == id);
            let row = AreaRow {
                id: id.to_string(),
                url: url("areas", id),
                name: area.name.get().clone(),
                owner: self.person(area.owner.as_str()),
                members: area
                    .members
                    .iter()
                    .map(|m| self.person(m.as_str()))
                    .collect(),
                risk: area.risk.as_str(),
                next_due: due.map(|d| d.next_due.to_string()),
                overdue: due
                    .is_some_and(|d| d.next_due < self.options.today && d.planned.is_none()),
                last: due.and_then(|d| d.last.as_ref()).map(|(a, d)| AuditOn {
                    audit: self.audit_ref(a),
                    end: Some(d.to_string()),
                    start: None,
                }),
                planned: due.and_then(|d| d.planned.as_ref()).map(|(a, d)| AuditOn {
                    audit: self.audit_ref(a),
                    end: None,
                    start: Some(d.to_string()),
                }),
            };
            let page = AreaPage {
                row: row.clone(),
                paths: area.paths.iter().map(|p| p.get().clone()).collect(),
                controls: area
                    .controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                clauses: area
                    .clauses
                    .iter()
                    .map(|c| self.clause_ref(c.as_str()))
                    .collect(),
                documents: isms
                    .documents
                    .iter()
                    .filter(|d| d.front.area.as_ref().is_some_and(|a| a.as_str() == id))
                    .map(|d| self.doc_ref(d.front.id.as_str()))
                    .collect(),
                risks: isms
                    .risks
                    .iter()
                    .filter(|r| r.area.as_ref().is_some_and(|a| a.as_str() == id))
                    .map(|r| self.risk_ref(r.id.as_str()))
                    .collect(),
                audits: isms
                    .audits
                    .iter()
                    .filter_map(|a| a.plan.as_ref())
                    .filter(|p| p.areas.iter().any(|x| x.as_str() == id))
                    .map(|p| AuditStarting {
                        audit: self.audit_ref(p.id.as_str()),
                        start: p.start.get().to_string(),
                    })
                    .collect(),
                findings: isms
                    .findings
                    .iter()
                    .filter(|f| f.area.as_ref().is_some_and(|a| a.as_str() == id))
                    .map(|f| self.finding_summary(f))
                    .collect(),
                authors: self
                    .outcome
                    .history
                    .as_ref()
                    .map(|h| self.recent_authors(h, area)),
                diagnostics: self.diagnostics_in(&area.origin, false),
            };
            self.index_object(
                "area",
                format!("{id} {}", area.name.get()),
                url("areas", id),
                &to_value(&row),
            );
            self.page("area.html", &url("areas", id), "areas", page)?;
            rows.push(row);
        }
        self.index("page", "Areas".into(), "areas.html".into());
        self.page(
            "areas.html",
            "areas.html",
            "areas",
            AreasPage { areas: rows },
        )
    }

    /// Who changed the area's files, most recent first (ties by who), ignored commits left out.
    fn recent_authors(&self, history: &History, area: &Area) -> Vec<Author> {
        let unit = independence::area_unit(self.isms, area, history.prefix());
        let commits = independence::unit_commits(history, &unit);
        let mut authors: BTreeMap<String, (Date, usize, CommitAuthor)> = BTreeMap::new();
        for &i in commits.keys() {
            let c = history.commit(i);
            let key = match self.resolver.author(c) {
                Who::Person(p) => p.id.to_string(),
                Who::Ignored => continue,
                Who::Unknown => c.author.email.clone(),
            };
            let e = authors
                .entry(key)
                .or_insert_with(|| (c.date, 0, self.commit_author(c)));
            e.0 = e.0.max(c.date);
            e.1 += 1;
        }
        let mut list: Vec<_> = authors.into_iter().collect();
        list.sort_by(|a, b| (b.1.0, &a.0).cmp(&(a.1.0, &b.0)));
        list.into_iter()
            .map(|(_, (d, n, who))| Author {
                who,
                latest: d.to_string(),
                commits: n,
            })
            .collect()
    }
}
