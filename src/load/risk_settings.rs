//! Checks of `[risk.levels]` that one field alone cannot make: bounds rising from level to
//! level and within the highest score, so every score has exactly one level.

use crate::diagnostics::Diagnostic;
use crate::model::{FileId, Origin, RiskSettings};
use crate::rules::Rule;

/// LOAD002 for each bound of `[risk.levels]` that is not above the one before it, or is at
/// or above the highest score (which would leave `critical` empty or unreachable).
pub(super) fn check_levels(file: FileId, risk: &RiskSettings) -> Vec<Diagnostic> {
    let Some(levels) = &risk.levels else {
        return Vec::new();
    };
    let max = risk.max_score();
    let mut out = Vec::new();
    let mut previous: Option<(&str, u32)> = None;
    for (level, bound) in levels.written() {
        let value = *bound.get();
        let at = Origin {
            file,
            span: bound.span(),
        };
        let problem = match previous {
            _ if value == 0 => Some((
                "at least 1".to_string(),
                format!(
                    "`{}` holds the scores up to this one: 0 holds none",
                    level.as_str()
                ),
            )),
            Some((name, before)) if value <= before => Some((
                format!("above {before}"),
                format!(
                    "`{}` must hold higher scores than `{name}` ({before})",
                    level.as_str()
                ),
            )),
            _ if value > max => Some((
                format!("at most {max}"),
                format!("the highest score is {max} (likelihood x impact)"),
            )),
            _ => None,
        };
        if let Some((label, why)) = problem {
            out.push(
                Diagnostic::new(
                    Rule::LOAD002,
                    format!("invalid value in [risk.levels]: {} = {value}: {why}", level.as_str()),
                )
                .at(at)
                .label(label)
                .help(format!("give each level the highest residual score it holds, rising from `low` to `high`, within 1 to {max}; scores above the last are `critical` (for example `low = {}, medium = {}, high = {}`)", max / 4, max / 2, max * 3 / 4)),
            );
        }
        previous = Some((level.as_str(), value));
    }
    out
}
