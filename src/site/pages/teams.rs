//! The teams: a row each on the people page, and a page per team listing everything it owns or
//! approved (areas, Annex A and internal controls, documents, risks, findings with its
//! corrective actions), so an auditor sees at one glance who answers for what a team holds.

use serde::Serialize;
use serde_json::Value;

use super::controls::InternalControlLink;
use super::refs::PersonLink;
use super::reviews::to_value;
use super::{BuildError, Site, url};

/// Where a team is shown: its own page.
pub(super) fn team_url(id: &str) -> String {
    url("teams", id)
}

#[derive(Clone, Serialize)]
pub(super) struct TeamRow {
    id: String,
    anchor: String,
    url: String,
    name: String,
    lead: Value,
    members: Vec<Value>,
    areas: Vec<Value>,
    controls: Vec<Value>,
    internal_controls: Vec<InternalControlLink>,
    documents: Vec<Value>,
    approved: Vec<Value>,
    risks: Vec<Value>,
    /// Findings with a corrective action the team owns.
    actions: Vec<Value>,
}

#[derive(Serialize)]
struct TeamPage {
    #[serde(flatten)]
    row: TeamRow,
    diagnostics: Vec<Value>,
}

impl Site<'_> {
    /// A person or a team named as owner or approver, for the `person` macro.
    pub(super) fn team_ref(&self, id: &str) -> Option<PersonLink> {
        let team = self.isms.team(id)?;
        Some(PersonLink {
            id: id.to_string(),
            name: team.name.to_string(),
            url: team_url(id),
            known: true,
        })
    }

    fn team_row(&self, team: &crate::model::Team) -> TeamRow {
        let isms = self.isms;
        let id = team.id.as_str();
        let held = isms.holdings(id);
        TeamRow {
            id: id.to_string(),
            anchor: format!("t-{}", super::slug(id)),
            url: team_url(id),
            name: team.name.to_string(),
            lead: self.person(team.lead.as_str()),
            members: team
                .members
                .iter()
                .map(|m| self.person(m.as_str()))
                .collect(),
            areas: held.areas.iter().map(|a| self.area_ref(a)).collect(),
            controls: held.controls.iter().map(|c| self.control_ref(c)).collect(),
            internal_controls: held
                .internal_controls
                .iter()
                .filter_map(|c| isms.internal_control(c))
                .map(|c| self.internal_control_link(c))
                .collect(),
            documents: held.documents.iter().map(|d| self.doc_ref(d)).collect(),
            approved: held.approved.iter().map(|d| self.doc_ref(d)).collect(),
            risks: held.risks.iter().map(|r| self.risk_ref(r)).collect(),
            actions: held
                .findings
                .iter()
                .filter_map(|f| isms.finding(f))
                .map(|f| self.finding_ref(f))
                .collect(),
        }
    }

    /// One row per team for the people page, each team's own page written on the way.
    pub(super) fn team_rows(&mut self) -> Result<Vec<TeamRow>, BuildError> {
        let mut rows = Vec::new();
        for team in &self.isms.teams {
            let id = team.id.as_str();
            let row = self.team_row(team);
            self.index_object(
                "team",
                format!("{} ({id})", team.name.get()),
                team_url(id),
                &to_value(&row),
            );
            let page = TeamPage {
                row: row.clone(),
                diagnostics: self.diagnostics_in(&team.origin, false),
            };
            self.page("team.html", &team_url(id), "people", page)?;
            rows.push(row);
        }
        Ok(rows)
    }
}
