//! The teams section of the people page: each team's lead and members, and everything it owns
//! or approved, so an auditor sees at one glance who answers for what a team holds.

use serde_json::{Value, json};

use super::{Site, slug};

/// Where a team is shown: its row of the people page.
pub(super) fn team_url(id: &str) -> String {
    format!("people.html#t-{}", slug(id))
}

impl Site<'_> {
    /// A person or a team named as owner or approver, for the `person` macro.
    pub(super) fn team_ref(&self, id: &str) -> Option<Value> {
        let team = self.isms.team(id)?;
        Some(json!({"id": id, "name": team.name.get(), "url": team_url(id), "known": true}))
    }

    /// One row per team: lead, members, and the areas, controls, documents, risks and
    /// corrective actions it owns, and the documents it approved.
    pub(super) fn team_rows(&mut self) -> Vec<Value> {
        let isms = self.isms;
        let mut rows = Vec::new();
        for team in &isms.teams {
            let id = team.id.as_str();
            let is = |holder: &str| holder == id;
            let row = json!({
                "id": id,
                "anchor": format!("t-{}", slug(id)),
                "name": team.name.get(),
                "lead": self.person(team.lead.as_str()),
                "members": team.members.iter().map(|m| self.person(m.as_str())).collect::<Vec<_>>(),
                "areas": isms.areas.iter().filter(|a| is(a.owner.as_str())).map(|a| self.area_ref(a.id.as_str())).collect::<Vec<_>>(),
                "controls": isms.soa.iter().filter(|e| e.owner.as_ref().is_some_and(|o| is(o.as_str()))).map(|e| self.control_ref(e.id.as_str())).collect::<Vec<_>>(),
                "documents": isms.documents.iter().filter(|d| d.front.owner.as_ref().is_some_and(|o| is(o.as_str()))).map(|d| self.doc_ref(d.front.id.as_str())).collect::<Vec<_>>(),
                "approved": isms.documents.iter().filter(|d| d.front.approved_by.as_ref().is_some_and(|o| is(o.as_str()))).map(|d| self.doc_ref(d.front.id.as_str())).collect::<Vec<_>>(),
                "risks": isms.risks.iter().filter(|r| is(r.owner.as_str())).map(|r| self.risk_ref(r.id.as_str())).collect::<Vec<_>>(),
                "actions": isms.findings.iter().filter(|f| f.actions.iter().any(|a| a.owner.as_ref().is_some_and(|o| is(o.as_str())))).map(|f| self.finding_ref(f)).collect::<Vec<_>>(),
            });
            self.index_object(
                "team",
                format!("{} ({id})", team.name.get()),
                team_url(id),
                &row,
            );
            rows.push(row);
        }
        rows
    }
}
