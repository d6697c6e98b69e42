//! The incident register (A.5.24-A.5.28): each incident with its severity, its post-incident
//! review and the audit that validated the changes; audit pages link back through
//! [`Site::incidents_validated_by`].

use serde::Serialize;
use serde_json::Value;

use super::{BuildError, Site, slug};
use crate::model::Incident;

#[derive(Serialize)]
struct IncidentRow {
    id: String,
    anchor: String,
    url: String,
    title: String,
    severity: &'static str,
    detected_on: String,
    resolved_on: Option<String>,
    areas: Vec<Value>,
    controls: Vec<Value>,
    summary: Option<String>,
    review: Option<ReviewRow>,
    diagnostics: Vec<Value>,
}

/// The post-incident review.
#[derive(Serialize)]
struct ReviewRow {
    on: String,
    by: Value,
    lessons: Option<String>,
    findings: Vec<Value>,
    /// The audit that validated the changes, once done.
    audit: Option<Value>,
}

#[derive(Serialize)]
struct IncidentsPage {
    incidents: Vec<IncidentRow>,
}

/// A link to an incident, as an audit page shows it.
#[derive(Serialize)]
pub(super) struct IncidentLink {
    pub id: String,
    pub title: String,
    pub severity: &'static str,
    pub url: String,
}

fn incident_url(id: &str) -> String {
    format!("incidents.html#i-{}", slug(id))
}

impl Site<'_> {
    /// The incidents whose changes an audit validated.
    pub(super) fn incidents_validated_by(&self, audit: &str) -> Vec<IncidentLink> {
        let mut out: Vec<IncidentLink> = self
            .isms
            .incidents
            .iter()
            .filter(|i| {
                i.review
                    .as_ref()
                    .and_then(|r| r.audit.as_ref())
                    .is_some_and(|a| a.as_str() == audit)
            })
            .map(|i| IncidentLink {
                id: i.id.to_string(),
                title: i.title.get().clone(),
                severity: i.severity.get().as_str(),
                url: incident_url(i.id.as_str()),
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    pub(super) fn incidents(&mut self) -> Result<(), BuildError> {
        if self.isms.incidents.is_empty() {
            return Ok(());
        }
        let mut incidents: Vec<&Incident> = self.isms.incidents.iter().collect();
        incidents.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut rows = Vec::new();
        for i in incidents {
            let id = i.id.as_str();
            let row = IncidentRow {
                id: id.to_string(),
                anchor: format!("i-{}", slug(id)),
                url: incident_url(id),
                title: i.title.get().clone(),
                severity: i.severity.get().as_str(),
                detected_on: i.detected_on.get().to_string(),
                resolved_on: i.resolved_on.as_ref().map(|d| d.get().to_string()),
                areas: i.areas.iter().map(|a| self.area_ref(a.as_str())).collect(),
                controls: i
                    .controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                summary: i.summary.as_ref().map(|s| s.get().clone()),
                review: i.review.as_ref().map(|r| ReviewRow {
                    on: r.on.get().to_string(),
                    by: self.person(r.by.as_str()),
                    lessons: r.lessons.as_ref().map(|l| l.get().clone()),
                    findings: r
                        .findings
                        .iter()
                        .map(|f| match self.isms.finding(f.as_str()) {
                            Some(f) => self.finding_ref(f),
                            None => serde_json::json!({"id": f.as_str(), "url": null}),
                        })
                        .collect(),
                    audit: r.audit.as_ref().map(|a| self.audit_ref(a.as_str())),
                }),
                diagnostics: self.diagnostics_of_file(i.origin.file),
            };
            let words = serde_json::json!({"severity": row.severity, "summary": row.summary, "areas": row.areas});
            self.index_object(
                "incident",
                format!("{id} {}", row.title),
                row.url.clone(),
                &words,
            );
            rows.push(row);
        }
        self.index("page", "Incident register".into(), "incidents.html".into());
        self.page(
            "incidents.html",
            "incidents.html",
            "incidents",
            IncidentsPage { incidents: rows },
        )
    }
}
