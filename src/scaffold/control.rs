//! `isms new control`: a control of the organisation's own catalogue appended to controls.toml,
//! its owner, Annex A mappings and framework ids checked before anything is written.

use std::collections::BTreeMap;
use std::path::Path;

use super::new::{Done, holder};
use super::{append_to_register, next_id, toml_list, toml_string};
use crate::catalog::iso27001;
use crate::frameworks;
use crate::model::{ControlId, InternalControlId, Isms};
use crate::suggest;

pub struct ControlOptions {
    /// The id; allocated as `CTL-NNN` when absent.
    pub id: Option<String>,
    pub title: String,
    pub owner: Option<String>,
    pub annex_a: Vec<String>,
    /// `framework=ID` pairs, such as `soc2=CC6.1`.
    pub frameworks: Vec<String>,
    pub frequency_months: Option<u32>,
}

fn checked_id(isms: &Isms, options: &ControlOptions) -> Result<String, String> {
    let Some(id) = &options.id else {
        let ids = isms.internal_controls.iter().map(|c| c.id.as_str());
        return Ok(next_id("CTL-", ids, 3));
    };
    InternalControlId::parse(id)?;
    if id.starts_with("A.") {
        return Err(format!(
            "`{id}` is written like an Annex A control: give the control an id of your own catalogue (for example `IAM.1.01`) and map it with --annex-a"
        ));
    }
    if isms.internal_control(id).is_some() {
        return Err(format!(
            "the control `{id}` already exists in controls.toml"
        ));
    }
    Ok(id.clone())
}

/// An Annex A id, a 2013 id answered with its 2022 equivalents, or a near miss named.
fn checked_annex_a(id: &str) -> Result<(), String> {
    ControlId::parse(id)?;
    let catalog = iso27001();
    if catalog.control(id).is_some() {
        return Ok(());
    }
    let ids = catalog.controls.iter().map(|c| c.id.as_str());
    let hint = suggest::hint(id, ids).map_or(String::new(), |h| format!(" ({h})"));
    Err(format!(
        "`{id}` is not an Annex A control of ISO/IEC 27001:2022{hint}"
    ))
}

/// `soc2=CC6.1` pairs grouped by framework, each id checked against the framework's pack when
/// one is enabled or built in.
fn checked_frameworks(
    isms: &Isms,
    pairs: &[String],
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut by_framework: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for pair in pairs {
        let Some((name, id)) = pair
            .split_once('=')
            .filter(|(n, i)| !n.is_empty() && !i.is_empty())
        else {
            return Err(format!(
                "--framework `{pair}` is not FRAMEWORK=ID: write it like `soc2=CC6.1`"
            ));
        };
        let (name, id) = (name.trim(), id.trim());
        if !frameworks::is_valid_name(name) {
            return Err(format!(
                "`{name}` is not a framework name: use lowercase letters, digits and `-`, such as `soc2` or `nist-800-53`"
            ));
        }
        let pack = isms
            .frameworks
            .iter()
            .find(|p| p.name.as_str() == name)
            .or_else(|| frameworks::builtin(name));
        if let Some(pack) = pack
            && pack.requirement(id).is_none()
        {
            let ids = pack.requirements.iter().map(|r| r.id.as_str());
            let hint = suggest::hint(id, ids).map_or(String::new(), |h| format!(" ({h})"));
            return Err(format!(
                "`{id}` is not a requirement of {name}{hint}: `isms frameworks {name}` lists them"
            ));
        }
        let ids = by_framework.entry(name.to_string()).or_default();
        if !ids.iter().any(|i| i == id) {
            ids.push(id.to_string());
        }
    }
    Ok(by_framework)
}

/// A TOML key: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        key.to_string()
    } else {
        toml_string(key)
    }
}

pub fn control(root: &Path, isms: &Isms, options: &ControlOptions) -> Result<Done, String> {
    let id = checked_id(isms, options)?;
    if options.title.trim().is_empty() {
        return Err("--title is empty: say what the control does in one line".into());
    }
    if let Some(owner) = &options.owner {
        holder(isms, owner)?;
    }
    for a in &options.annex_a {
        checked_annex_a(a)?;
    }
    let max = crate::model::bounds::MAX_MONTHS;
    if let Some(m) = options.frequency_months
        && !(1..=max).contains(&m)
    {
        return Err(format!(
            "--frequency-months {m} is outside 1..{max}: say how many months pass between two tests"
        ));
    }
    let by_framework = checked_frameworks(isms, &options.frameworks)?;
    let mut annex_a: Vec<&str> = Vec::new();
    for a in &options.annex_a {
        if !annex_a.contains(&a.as_str()) {
            annex_a.push(a);
        }
    }
    let mut block = format!(
        "\n[[control]]\nid = {}\ntitle = {}\n",
        toml_string(&id),
        toml_string(options.title.trim())
    );
    if let Some(owner) = &options.owner {
        block.push_str(&format!("owner = {}\n", toml_string(owner)));
    }
    block.push_str(&format!("annex_a = {}\n", toml_list(&annex_a)));
    if !by_framework.is_empty() {
        let entries: Vec<String> = by_framework
            .iter()
            .map(|(name, ids)| format!("{} = {}", toml_key(name), toml_list(ids)))
            .collect();
        block.push_str(&format!("frameworks = {{ {} }}\n", entries.join(", ")));
    }
    if let Some(m) = options.frequency_months {
        block.push_str(&format!("frequency_months = {m}\n"));
    }
    let path = append_to_register(
        root,
        "controls.toml",
        "controls",
        "The organisation's own controls, each mapped to the Annex A controls it implements.",
        &block,
    )?;
    let mut notes = Vec::new();
    if annex_a.is_empty() {
        notes.push(format!(
            "`{id}` maps to no Annex A control yet: add `annex_a = [...]` so its audits count for Annex A."
        ));
    } else {
        notes.push(format!(
            "List `{id}` in `implemented_by` of {} in soa.toml, and name it in the checklist items that test it.",
            annex_a.join(", ")
        ));
    }
    for a in &annex_a {
        if isms.soa_entry(a).is_some_and(|e| e.is_excluded()) {
            notes.push(format!(
                "{a} is excluded in the SoA: include it, or `isms check` reports SOA011."
            ));
        }
    }
    Ok(Done {
        id,
        written: Vec::new(),
        changed: vec![path],
        notes,
    })
}
