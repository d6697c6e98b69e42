//! Links from one page to another object's page (a person, an area, a control, a document...),
//! in the one shape every template's `m.person`/`m.ref` macros read, so each page kind builds
//! them the same way.

use serde::Serialize;
use serde_json::{Value, json};

use super::reviews::to_value;
use super::{Site, evidence, slug, url};
use crate::catalog;
use crate::model::{Finding, ImplStatus, SoaEntry};

/// A link to a person or a team named as owner, approver, lead or member: what the `person`
/// macro reads (`known` is false for an id in neither people.toml nor teams.toml).
#[derive(Serialize)]
pub(super) struct PersonLink {
    pub id: String,
    pub name: String,
    pub url: String,
    pub known: bool,
}

impl Site<'_> {
    pub(super) fn person(&self, id: &str) -> Value {
        let link = self.team_ref(id).unwrap_or_else(|| {
            let person = self.isms.person(id);
            PersonLink {
                id: id.to_string(),
                name: person.map_or_else(|| id.to_string(), |p| p.name.to_string()),
                url: format!("people.html#p-{}", slug(id)),
                known: person.is_some(),
            }
        });
        to_value(&link)
    }

    pub(super) fn area_ref(&self, id: &str) -> Value {
        let a = self.isms.area(id);
        json!({"id": id, "name": a.map_or(id.to_string(), |a| a.name.to_string()), "url": a.map(|_| url("areas", id))})
    }

    pub(super) fn control_ref(&self, id: &str) -> Value {
        let c = catalog::iso27001().control(id);
        let status = self.isms.soa_entry(id).map(|e| soa_status(Some(e)));
        json!({"id": id, "title": c.map(|c| c.title.clone()), "url": c.map(|_| url("controls", id)), "status": status})
    }

    pub(super) fn clause_ref(&self, id: &str) -> Value {
        let c = catalog::iso27001().clause(id);
        json!({"id": id, "title": c.map(|c| c.title.clone()), "clause": true})
    }

    /// A control or a clause, as a checklist item or a finding names it.
    pub(super) fn requirement_ref(&self, id: &str) -> Value {
        if id.starts_with("A.") {
            self.control_ref(id)
        } else {
            self.clause_ref(id)
        }
    }

    pub(super) fn doc_ref(&self, id: &str) -> Value {
        let d = self.isms.document(id);
        json!({"id": id, "title": d.map(|d| d.front.title.to_string()), "url": d.map(|_| url("documents", id)), "draft": d.is_some_and(|d| d.is_draft())})
    }

    pub(super) fn risk_ref(&self, id: &str) -> Value {
        let r = self.isms.risk(id);
        json!({"id": id, "title": r.map(|r| r.title.to_string()), "url": r.map(|_| format!("risks.html#r-{}", slug(id)))})
    }

    pub(super) fn audit_ref(&self, id: &str) -> Value {
        let a = self.isms.audit(id);
        let title = a.and_then(|a| a.plan.as_ref()).map(|p| p.title.to_string());
        json!({"id": id, "title": title, "url": a.map(|_| url("audits", id))})
    }

    pub(super) fn finding_ref(&self, f: &Finding) -> Value {
        json!({"id": f.id.as_str(), "url": url("findings", f.id.as_str()), "type": f.kind.as_str(), "status": f.status().as_str()})
    }

    /// An evidence path of the SoA: an address, a tool, or a file the site copies (published
    /// as text when a browser would run it).
    pub(super) fn evidence_ref(&self, path: &str) -> Value {
        match crate::model::locate_evidence(path) {
            Ok(crate::model::EvidenceLocation::Url(address)) => {
                return json!({"path": path, "external": address});
            }
            Ok(crate::model::EvidenceLocation::Tool { tool, .. }) => {
                return json!({"path": path, "tool": tool});
            }
            _ => {}
        }
        let present = evidence::publishable(self.isms, path);
        let url = present.then(|| format!("files/{}", evidence::published_name(path)));
        json!({"path": path, "url": url, "as_text": present && evidence::is_active(path)})
    }
}

/// A control's state in the SoA, in the words of the pages.
pub(super) fn soa_status(entry: Option<&SoaEntry>) -> &'static str {
    match entry {
        None => "missing",
        Some(e) if e.is_excluded() => "excluded",
        Some(e) if e.is_applicable() => match e.status.as_ref().map(|s| *s.get()) {
            Some(ImplStatus::Implemented) => "implemented",
            Some(ImplStatus::Partial) => "partial",
            Some(ImplStatus::Planned) => "planned",
            None => "incomplete",
        },
        Some(_) => "incomplete",
    }
}
