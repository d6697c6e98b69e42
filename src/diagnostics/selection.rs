//! Which diagnostics `isms check` shows: `--select` and `--ignore` take rule codes or their
//! prefixes (a family such as `SOA`, or `SOA00`), as ruff does; and which rules the human output
//! folds into one line because they are too many to read.

use super::Diagnostic;
use crate::rules::Rule;

/// More diagnostics of one rule than this are folded into a count in the human output.
pub const FOLD_OVER: usize = 10;

/// The rules a check reports.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    select: Vec<String>,
    ignore: Vec<String>,
}

impl Selection {
    /// From the values of `--select` and `--ignore` (each a code or prefix; case is ignored).
    /// An entry that names no rule is an error, with the closest code or family.
    pub fn new(select: &[String], ignore: &[String]) -> Result<Self, String> {
        let parse = |option: &str, items: &[String]| -> Result<Vec<String>, String> {
            items
                .iter()
                .map(|item| {
                    let upper = item.trim().to_ascii_uppercase();
                    if !upper.is_empty() && Rule::ALL.iter().any(|r| r.code().starts_with(&upper)) {
                        return Ok(upper);
                    }
                    let mut known: Vec<&str> = Rule::ALL.iter().map(|r| r.code()).collect();
                    known.extend(Rule::ALL.iter().map(|r| r.family()));
                    let hint = crate::suggest::hint(&upper, known)
                        .map_or(String::new(), |h| format!("; {h}"));
                    Err(format!(
                        "{option} {item}: no rule code starts with `{upper}`{hint}\n  help: `isms rules` lists the codes; a family prefix such as `SOA` selects all of its rules"
                    ))
                })
                .collect()
        };
        Ok(Self {
            select: parse("--select", select)?,
            ignore: parse("--ignore", ignore)?,
        })
    }

    /// Whether `--select` was given.
    pub fn is_narrowed(&self) -> bool {
        !self.select.is_empty()
    }

    /// Whether diagnostics of `code` are reported.
    pub fn keeps(&self, code: &str) -> bool {
        let matches = |items: &[String]| items.iter().any(|p| code.starts_with(p.as_str()));
        (self.select.is_empty() || matches(&self.select)) && !matches(&self.ignore)
    }

    /// The diagnostics this selection keeps, in their order.
    pub fn apply(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| self.keeps(d.code()))
            .collect()
    }
}

/// How many diagnostics each rule has, most first, then by code.
pub fn counts(diagnostics: &[Diagnostic]) -> Vec<(Rule, usize)> {
    let mut counts: std::collections::BTreeMap<Rule, usize> = Default::default();
    for d in diagnostics {
        *counts.entry(d.rule).or_default() += 1;
    }
    let mut counts: Vec<(Rule, usize)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(b.0.code())));
    counts
}

/// The rules with more than [`FOLD_OVER`] diagnostics, which the human output folds unless the
/// user narrowed the check with `--select`.
pub fn folded(diagnostics: &[Diagnostic], selection: &Selection) -> Vec<Rule> {
    if selection.is_narrowed() {
        return Vec::new();
    }
    counts(diagnostics)
        .into_iter()
        .filter(|(_, n)| *n > FOLD_OVER)
        .map(|(rule, _)| rule)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn codes_and_families_select_and_ignore() {
        let s = Selection::new(&strings(&["soa", "DOC001"]), &strings(&["SOA008"])).unwrap();
        assert!(s.keeps("SOA001") && s.keeps("DOC001"));
        assert!(!s.keeps("SOA008") && !s.keeps("DOC002") && !s.keeps("RISK001"));
        let all = Selection::new(&[], &strings(&["IND"])).unwrap();
        assert!(all.keeps("SOA008") && !all.keeps("IND002"));
    }

    #[test]
    fn an_unknown_code_is_refused_with_the_closest() {
        let e = Selection::new(&strings(&["SAO008"]), &[]).unwrap_err();
        assert!(e.contains("no rule code starts with `SAO008`"), "{e}");
        assert!(e.contains("did you mean `SOA008`?"), "{e}");
        assert!(Selection::new(&[], &strings(&[""])).is_err());
    }
}
