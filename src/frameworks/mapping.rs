//! The one mapping mechanism between frameworks and Annex A: a requirement of a framework is
//! answered by the Annex A controls its pack maps it to and by the organisation's own controls
//! that name it in controls.toml (`frameworks = { soc2 = ["CC6.1"] }`), through the Annex A
//! controls those map to. The status, the FW rules, the site and the exports all read it here.

use super::Requirement;
use crate::model::{InternalControl, Isms};

/// The internal controls that name `requirement` of the framework `framework`, in
/// controls.toml order.
pub fn internal_controls_for<'a>(
    isms: &'a Isms,
    framework: &'a str,
    requirement: &'a str,
) -> impl Iterator<Item = &'a InternalControl> + 'a {
    isms.internal_controls.iter().filter(move |c| {
        c.frameworks
            .get(framework)
            .is_some_and(|ids| ids.iter().any(|id| id.as_str() == requirement))
    })
}

/// The Annex A controls a requirement maps to: the pack's own, then those of the internal
/// controls that name it, in that order and without repeats.
pub fn mapped_controls(isms: &Isms, framework: &str, r: &Requirement) -> Vec<String> {
    let mut controls: Vec<String> = Vec::new();
    let through_internal = internal_controls_for(isms, framework, r.id.as_str())
        .flat_map(|c| c.annex_a.iter().map(|a| a.as_str()));
    for id in r
        .controls
        .iter()
        .map(|c| c.as_str())
        .chain(through_internal)
    {
        if !controls.iter().any(|c| c == id) {
            controls.push(id.to_string());
        }
    }
    controls
}

/// The frameworks an internal control names, with the requirement ids, for display:
/// `soc2: CC6.1, CC6.2`.
pub fn describe(control: &InternalControl) -> Vec<(String, Vec<String>)> {
    control
        .frameworks
        .iter()
        .map(|(name, ids)| (name.clone(), ids.iter().map(|i| i.to_string()).collect()))
        .collect()
}
