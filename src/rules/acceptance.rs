//! Who may accept a residual risk or approve an exception: the entries of `[risk.acceptance]`
//! (`owner`, `top_management`, a person or a team), shared by RISK004 and EXC002 so both read a level's
//! entry the same way.

use crate::diagnostics::Diagnostic;
use crate::model::{Isms, PersonId, ResidualLevel, Spanned};

use super::{Context, Rule};

/// The entry that the owner of the risk (or of the excepted control) satisfies.
pub(crate) const OWNER: &str = "owner";
/// The entry that any member of top management (`top_management = true`) satisfies.
pub(crate) const TOP_MANAGEMENT: &str = "top_management";

/// Who must accept at `level`: the `[risk.acceptance]` entry, or, without that table, the owner.
pub(crate) fn required(cx: &Context<'_>, level: ResidualLevel) -> Vec<String> {
    match &cx.config().risk.acceptance {
        Some(by_level) => by_level
            .for_level(level)
            .unwrap_or_default()
            .iter()
            .map(|e| e.get().clone())
            .collect(),
        None => vec![OWNER.to_string()],
    }
}

/// The entries of `required` that nobody in `given` satisfies, in the order written.
pub(crate) fn unmet<'r>(
    isms: &Isms,
    required: &'r [String],
    given: &[Spanned<PersonId>],
    owner: Option<&str>,
) -> Vec<&'r str> {
    required
        .iter()
        .map(String::as_str)
        .filter(|entry| {
            !given
                .iter()
                .any(|p| satisfies(isms, entry, p.as_str(), owner))
        })
        .collect()
}

fn satisfies(isms: &Isms, entry: &str, person: &str, owner: Option<&str>) -> bool {
    match entry {
        // A team that owns answers through its lead, as it does wherever one person must.
        OWNER => owner.is_some_and(|o| o == person || isms.accountable(o) == person),
        TOP_MANAGEMENT => isms.person(person).is_some_and(|p| *p.top_management.get()),
        // An entry naming a team is satisfied by its lead or one of its members.
        named => named == person || isms.team(named).is_some_and(|t| t.includes(person)),
    }
}

/// REF001 for an entry of `[risk.acceptance]` that is neither a keyword nor a person.
pub(crate) fn check_entries(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(by_level) = &cx.config().risk.acceptance else {
        return;
    };
    let origin = cx.isms.config_origin.clone().unwrap_or_default();
    for (level, entry) in by_level.entries() {
        let name = entry.as_str();
        if name == OWNER
            || name == TOP_MANAGEMENT
            || cx.isms.person(name).is_some()
            || cx.isms.team(name).is_some()
        {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::REF001,
                format!(
                    "[risk.acceptance] {} names `{name}`, which is neither `owner`, `top_management`, a person nor a team",
                    level.as_str()
                ),
            )
            .at(origin.at(entry))
            .label("no person has this id")
            .help("write `owner` (the risk owner), `top_management` (anyone with `top_management = true`), or the id of a person in people.toml"),
        );
    }
}
