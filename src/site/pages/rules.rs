//! The rules reference: every rule by family with its severity, the override isms.toml sets,
//! its requirement, its documentation and how often the check found it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{BuildError, Site, markdown};
use crate::rules::Rule;

#[derive(Serialize)]
struct RulesPage {
    families: Vec<Family>,
}

#[derive(Serialize)]
struct Family {
    family: &'static str,
    rules: Vec<RuleRow>,
}

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    severity: &'static str,
    /// The severity `[rules]` in isms.toml sets instead, if any.
    #[serde(rename = "override")]
    override_: Option<String>,
    requirement: &'static str,
    summary: &'static str,
    html: String,
    /// How many diagnostics of this rule the check found.
    count: usize,
}

impl Site<'_> {
    pub(super) fn rules(&mut self) -> Result<(), BuildError> {
        let overrides: BTreeMap<String, String> = self
            .isms
            .config
            .as_ref()
            .map(|c| {
                c.rules
                    .iter()
                    .map(|(k, v)| (k.get().clone(), format!("{:?}", v.get()).to_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &self.outcome.diagnostics {
            *counts.entry(d.code()).or_default() += 1;
        }
        let mut families: BTreeMap<&'static str, Vec<RuleRow>> = BTreeMap::new();
        for rule in Rule::ALL {
            let info = rule.info();
            self.index_object(
                "rule",
                format!("{} {}", info.code, info.summary),
                format!("rules.html#{}", info.code),
                &serde_json::json!({"requirement": info.requirement, "severity": info.severity.as_str()}),
            );
            families.entry(rule.family()).or_default().push(RuleRow {
                code: info.code,
                severity: info.severity.as_str(),
                override_: overrides.get(info.code).cloned(),
                requirement: info.requirement,
                summary: info.summary,
                html: markdown::render(info.docs),
                count: counts.get(info.code).copied().unwrap_or(0),
            });
        }
        let page = RulesPage {
            families: families
                .into_iter()
                .map(|(family, rules)| Family { family, rules })
                .collect(),
        };
        self.index("page", "Rules reference".into(), "rules.html".into());
        self.page("rules.html", "rules.html", "rules", page)
    }
}
