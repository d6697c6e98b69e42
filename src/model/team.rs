//! teams.toml: groups of people that own areas, controls, documents, risks and actions, and
//! approve documents, as real organisations assign them. A team's members answer for what it
//! owns (impartiality); its lead answers where one person must (acceptance, notification).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Isms, Origin, PersonId, Spanned};

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[serde(skip)]
    #[schemars(skip)]
    pub origin: Origin,
    /// Named wherever a person may be (`owner`, `approved_by`): `[a-z0-9][a-z0-9-]*`, distinct
    /// from every person's id.
    pub id: Spanned<PersonId>,
    pub name: Spanned<String>,
    /// The person who answers for the team where one person must: accepting a risk, receiving
    /// an audit report.
    pub lead: Spanned<PersonId>,
    /// The other people of the team (the lead counts as a member without being listed).
    #[serde(default)]
    pub members: Vec<Spanned<PersonId>>,
}

impl Team {
    /// Whether `person` is the lead or a member.
    pub fn includes(&self, person: &str) -> bool {
        self.lead.as_str() == person || self.members.iter().any(|m| m.as_str() == person)
    }

    /// The lead, then the members, each once.
    pub fn people(&self) -> Vec<&str> {
        let mut out = vec![self.lead.as_str()];
        for m in &self.members {
            if !out.contains(&m.as_str()) {
                out.push(m.as_str());
            }
        }
        out
    }
}

impl Isms {
    /// Whether `person` holds what `holder` (a person or a team) holds: they are the holder,
    /// or the holder is a team they lead or belong to.
    pub fn answers_for(&self, holder: &str, person: &str) -> bool {
        holder == person || self.team(holder).is_some_and(|t| t.includes(person))
    }

    /// The one person who answers for `holder`: a team's lead, or the person themself.
    pub fn accountable<'a>(&'a self, holder: &'a str) -> &'a str {
        self.team(holder).map_or(holder, |t| t.lead.as_str())
    }
}

/// Everything a holder (a team, or a person) owns or approved, by id, in file order: what a
/// team's page and `isms export teams` list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holdings<'a> {
    pub areas: Vec<&'a str>,
    /// Annex A controls whose SoA entry it owns.
    pub controls: Vec<&'a str>,
    /// Controls of the organisation's own catalogue (controls.toml) it owns.
    pub internal_controls: Vec<&'a str>,
    pub documents: Vec<&'a str>,
    /// Documents it approved.
    pub approved: Vec<&'a str>,
    pub risks: Vec<&'a str>,
    /// Findings with a corrective action it owns.
    pub findings: Vec<&'a str>,
}

impl Isms {
    /// What `holder` owns by name (not through membership: a member's own holdings are theirs).
    pub fn holdings<'a>(&'a self, holder: &str) -> Holdings<'a> {
        let is = |o: Option<&'a Spanned<PersonId>>| o.is_some_and(|o| o.as_str() == holder);
        Holdings {
            areas: self
                .areas
                .iter()
                .filter(|a| is(Some(&a.owner)))
                .map(|a| a.id.as_str())
                .collect(),
            controls: self
                .soa
                .iter()
                .filter(|e| is(e.owner.as_ref()))
                .map(|e| e.id.as_str())
                .collect(),
            internal_controls: self
                .internal_controls
                .iter()
                .filter(|c| is(c.owner.as_ref()))
                .map(|c| c.id.as_str())
                .collect(),
            documents: self
                .documents
                .iter()
                .filter(|d| is(d.front.owner.as_ref()))
                .map(|d| d.front.id.as_str())
                .collect(),
            approved: self
                .documents
                .iter()
                .filter(|d| is(d.front.approved_by.as_ref()))
                .map(|d| d.front.id.as_str())
                .collect(),
            risks: self
                .risks
                .iter()
                .filter(|r| is(Some(&r.owner)))
                .map(|r| r.id.as_str())
                .collect(),
            findings: self
                .findings
                .iter()
                .filter(|f| f.actions.iter().any(|a| is(a.owner.as_ref())))
                .map(|f| f.id.as_str())
                .collect(),
        }
    }
}
