//! The people page: everyone with their roles, what they own and which audits they worked on,
//! and the auditor x area impartiality matrix exactly as `isms independence` computes it.

use serde::Serialize;
use serde_json::Value;

use super::reviews::to_value;
use super::teams::TeamRow;
use super::{BuildError, Site, slug};
use crate::independence::{self, Window};

#[derive(Serialize)]
struct PeoplePage {
    people: Vec<PersonRow>,
    /// Teams with what they own (`teams.toml`).
    teams: Vec<TeamRow>,
    auditors: Vec<Value>,
    matrix: Vec<MatrixRow>,
    window: WindowRow,
    git: bool,
    git_problem: Option<String>,
}

#[derive(Serialize)]
struct PersonRow {
    id: String,
    anchor: String,
    name: String,
    roles: Vec<String>,
    top_management: bool,
    auditor: bool,
    external: bool,
    competence: Vec<String>,
    owns_areas: Vec<Value>,
    member_of: Vec<Value>,
    audits: Vec<Value>,
}

/// One area against every auditor.
#[derive(Serialize)]
struct MatrixRow {
    area: Value,
    cells: Vec<Cell>,
}

#[derive(Serialize)]
struct Cell {
    eligible: bool,
    /// Why not, when not eligible.
    why: Option<String>,
}

/// The commits that count: the look-back window up to today.
#[derive(Serialize)]
struct WindowRow {
    from: String,
    until: String,
    months: u32,
}

impl Site<'_> {
    pub(super) fn people(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let history = self.outcome.history.as_ref();
        let months = *isms.config_or_default().independence.lookback_months.get();
        let window = Window::through(self.options.today, months);
        let matrix = independence::matrix(isms, history, &self.resolver, window)
            .into_iter()
            .map(|(area, cells)| MatrixRow {
                area: self.area_ref(area.id.as_str()),
                cells: cells
                    .iter()
                    .map(|(_, conflicts)| Cell {
                        eligible: conflicts.is_empty(),
                        why: (!conflicts.is_empty())
                            .then(|| independence::reasons(history, conflicts)),
                    })
                    .collect(),
            })
            .collect();
        let mut people = Vec::new();
        for p in &isms.people {
            let id = p.id.as_str();
            let row = PersonRow {
                id: id.to_string(),
                anchor: format!("p-{}", slug(id)),
                name: p.name.get().clone(),
                roles: p.roles.iter().map(|r| r.get().clone()).collect(),
                top_management: *p.top_management.get(),
                auditor: *p.auditor.get(),
                external: *p.external.get(),
                competence: p.competence.iter().map(|c| c.describe()).collect(),
                owns_areas: isms
                    .areas
                    .iter()
                    .filter(|a| a.owner.as_str() == id)
                    .map(|a| self.area_ref(a.id.as_str()))
                    .collect(),
                member_of: isms
                    .areas
                    .iter()
                    .filter(|a| a.members.iter().any(|m| m.as_str() == id))
                    .map(|a| self.area_ref(a.id.as_str()))
                    .collect(),
                audits: isms
                    .audits
                    .iter()
                    .filter_map(|a| a.plan.as_ref())
                    .filter(|pl| pl.auditors().any(|x| x.as_str() == id))
                    .map(|pl| self.audit_ref(pl.id.as_str()))
                    .collect(),
            };
            self.index_object(
                "person",
                format!("{} ({id})", row.name),
                format!("people.html#{}", row.anchor),
                &to_value(&row),
            );
            people.push(row);
        }
        let teams = self.team_rows()?;
        let page = PeoplePage {
            people,
            teams,
            auditors: isms
                .people
                .iter()
                .filter(|p| *p.auditor.get())
                .map(|p| self.person(p.id.as_str()))
                .collect(),
            matrix,
            window: WindowRow {
                from: window.from.to_string(),
                until: window.until.add_days(-1).to_string(),
                months,
            },
            git: history.is_some(),
            git_problem: self
                .outcome
                .git_unavailable
                .as_ref()
                .map(|why| why.message()),
        };
        self.index(
            "page",
            "People and impartiality".into(),
            "people.html".into(),
        );
        self.page("people.html", "people.html", "people", page)
    }
}
