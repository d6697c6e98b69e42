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
