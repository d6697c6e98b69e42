//! SOA009: the maturity the SoA claims for a control is not above what its latest audit found.

use crate::diagnostics::Diagnostic;
use crate::model::{Date, Isms, Maturity, RequirementRef};

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in &cx.isms.soa {
        let Some(claimed) = &entry.maturity else {
            continue;
        };
        let Some((audit, assessed)) = latest_assessment(cx.isms, entry.id.as_str()) else {
            continue;
        };
        if *claimed.get() <= assessed {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::SOA009,
                format!(
                    "the SoA claims maturity {} ({}) for {}, above the {} ({}) audit {audit} assessed",
                    claimed.get().level(),
                    claimed.get().name(),
                    entry.id.as_str(),
                    assessed.level(),
                    assessed.name()
                ),
            )
            .at(entry.origin.at(claimed))
            .help(format!(
                "set `maturity = {}` as the audit found, or have an audit assess the control again",
                assessed.level()
            )),
        );
    }
}

/// The latest audit (by its end date, then id) that assessed the maturity of `control`, and
/// the lowest maturity it recorded for it.
pub(crate) fn latest_assessment<'a>(isms: &'a Isms, control: &str) -> Option<(&'a str, Maturity)> {
    let mut best: Option<(Date, &str, Maturity)> = None;
    for audit in &isms.audits {
        let (Some(plan), Some(checklist)) = (&audit.plan, &audit.checklist) else {
            continue;
        };
        let assessed = checklist
            .items
            .iter()
            .filter(|i| matches!(i.reference.get(), RequirementRef::Control(c) if c.as_str() == control))
            .filter_map(|i| i.maturity.as_ref().map(|m| *m.get()))
            .min();
        let Some(assessed) = assessed else { continue };
        let key = (*plan.end.get(), audit.id.as_str());
        if best.is_none_or(|(d, id, _)| key > (d, id)) {
            best = Some((key.0, key.1, assessed));
        }
    }
    best.map(|(_, id, m)| (id, m))
}
