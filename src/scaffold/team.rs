//! `isms new team`: a team appended to teams.toml, its lead and members checked against people.toml.

use std::path::Path;

use super::new::Done;
use super::{append_to_register, toml_list, toml_string};
use crate::model::{Isms, Kind, PersonId};
use crate::suggest;

pub struct TeamOptions {
    pub id: String,
    pub name: String,
    pub lead: String,
    pub members: Vec<String>,
}

fn unknown_person(isms: &Isms, id: &str) -> String {
    let hint =
        suggest::hint(id, isms.ids(Kind::Person)).map_or(String::new(), |h| format!(" ({h})"));
    format!("there is no person `{id}` in people.toml{hint}")
}

pub fn team(root: &Path, isms: &Isms, options: &TeamOptions) -> Result<Done, String> {
    PersonId::parse(&options.id)?;
    if isms.team(&options.id).is_some() {
        return Err(format!(
            "the team `{}` already exists in teams.toml",
            options.id
        ));
    }
    if isms.person(&options.id).is_some() {
        return Err(format!(
            "`{}` is a person's id: owners and approvers name a person or a team by id, so choose another (for example `{}-team`)",
            options.id, options.id
        ));
    }
    for who in std::iter::once(&options.lead).chain(&options.members) {
        if isms.person(who).is_none() {
            return Err(unknown_person(isms, who));
        }
    }
    let members: Vec<&str> = options
        .members
        .iter()
        .map(String::as_str)
        .filter(|m| *m != options.lead)
        .collect();
    let block = format!(
        "\n[[team]]\nid = {}\nname = {}\nlead = {}\nmembers = {}\n",
        toml_string(&options.id),
        toml_string(&options.name),
        toml_string(&options.lead),
        toml_list(&members),
    );
    let path = append_to_register(
        root,
        "teams.toml",
        "teams",
        "Teams that own and approve: the lead answers for the team, members count as owners.",
        &block,
    )?;
    Ok(Done {
        id: options.id.clone(),
        written: Vec::new(),
        changed: vec![path],
        notes: vec![format!(
            "Name `{}` as `owner` (areas, controls, documents, risks, actions) or `approved_by` (with `approved_by_person`).",
            options.id
        )],
    })
}
