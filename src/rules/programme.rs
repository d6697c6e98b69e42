//! PROG: a risk-based audit programme that covers every requirement clause, applicable control
//! and area in each cycle, and re-audits areas after nonconformities (9.2.2).

use crate::coverage::{self, Coverage, Cycle, Item};
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Kind, Origin};

use super::{Context, Rule};

/// How many days ahead a due date that nothing is planned for is announced as a warning.
pub const DUE_SOON_DAYS: i64 = 30;

/// At most this many uncovered ids are listed in one diagnostic.
const MAX_LISTED: usize = 40;

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let isms = cx.isms;
    let config = cx.config();
    let config_origin = isms.config_origin.clone().unwrap_or_default();
    let programme_origin = match &isms.programme {
        Some(p) => p.origin.at(&p.owner),
        None if isms.files.contains("audits/programme.toml") => return, // unreadable: LOAD reported it
        None => {
            out.push(
                Diagnostic::new(Rule::PROG001, "there is no audit programme (audits/programme.toml)")
                    .at(config_origin)
                    .help("plan the internal audits (9.2.2): write audits/programme.toml with `[programme]` owner, objectives, criteria and methods, and plan the audits of the cycle under audits/<ID>/plan.toml"),
            );
            return;
        }
    };

    // Coverage and due dates need every audit, area and SoA entry: when some could not be read
    // (LOAD reported it), they would report gaps that are not there.
    let partial = [Kind::Audit, Kind::Area, Kind::Control, Kind::Finding]
        .iter()
        .any(|k| isms.incomplete.contains(k) || isms.unreadable.iter().any(|(u, _)| u == k));
    if partial {
        return;
    }

    // PROG002: areas due by their risk frequency.
    for area in &isms.areas {
        let Some(due) = coverage::frequency_due(isms, config, area.id.as_str(), cx.today) else {
            continue;
        };
        // A planned audit answers for the area only when it starts by the due date.
        let late_plan = match &due.planned {
            Some(p) if p.start <= due.due => continue,
            Some(p) => Some(p),
            None => None,
        };
        let coverage::DueReason::Frequency {
            months,
            last_audit,
            last_audit_end,
            escalated,
            ..
        } = &due.reason
        else {
            continue;
        };
        let since = match (last_audit, last_audit_end) {
            (Some(a), Some(end)) => format!("last audited in {a}, which ended on {end}"),
            _ => "never audited".to_string(),
        };
        // PROG006: the results of previous audits put the area on the high frequency.
        let rule = if escalated.is_some() {
            Rule::PROG006
        } else {
            Rule::PROG002
        };
        let left = cx.today.days_until(due.due);
        let mut d = if left < 0 {
            Diagnostic::new(
                rule,
                format!(
                    "area `{}` is overdue for audit since {} ({since})",
                    area.id.as_str(),
                    due.due
                ),
            )
        } else if left <= DUE_SOON_DAYS {
            let planned = match late_plan {
                Some(p) => format!("its next audit, {}, starts only on {}", p.audit, p.start),
                None => "no audit of it is planned".to_string(),
            };
            let mut d = Diagnostic::new(
                rule,
                format!(
                    "area `{}` is due for audit on {} and {planned} ({since})",
                    area.id.as_str(),
                    due.due
                ),
            );
            d.severity = Severity::Warning;
            d
        } else {
            continue;
        };
        if let Some(p) = late_plan {
            d = d.label(format!(
                "{} risk: audited every {months} months; {} starts {} after the due date",
                area.risk.as_str(),
                p.audit,
                p.start
            ));
        } else {
            d = d.label(format!(
                "{} risk: audited every {months} months",
                area.risk.as_str()
            ));
        }
        if let Some(why) = escalated {
            d = d
                .label(format!(
                    "{} risk, but audited every {months} months: {why}",
                    area.risk.as_str()
                ))
                .help(format!("the results of previous audits and incidents since (9.2.2) ask for an audit of `{}` by {}: plan it (`isms new audit --areas {}`), starting by that date", area.id.as_str(), due.due, area.id.as_str()));
            out.push(d.at(area.origin.at(&area.risk)));
            continue;
        }
        d = d
            .at(area.origin.at(&area.risk))
            .help(format!("plan an audit of `{}` that starts by {} (`isms new audit --areas {}`), or bring the planned one forward; change the area's risk rating only if the assessment changed", area.id.as_str(), due.due, area.id.as_str()));
        out.push(d);
    }

    // PROG007: an area rated below the residual risks assigned to it.
    let settings = &config.risk;
    let max = settings.max_score();
    for area in &isms.areas {
        let highest = isms
            .risks
            .iter()
            .filter(|r| {
                r.area
                    .as_ref()
                    .is_some_and(|a| a.as_str() == area.id.as_str())
            })
            .map(|r| (settings.level_of(r.residual_score()), r))
            .max_by_key(|(level, r)| (*level, r.residual_score()));
        let Some((level, risk)) = highest else {
            continue;
        };
        if level.area_rating() >= *area.risk.get() {
            continue;
        }
        let mut d = Diagnostic::new(
            Rule::PROG007,
            format!(
                "area `{}` is rated `{}` risk, but its risk {} has a {} residual score of {} out of {max}",
                area.id.as_str(),
                area.risk.as_str(),
                risk.id.as_str(),
                level.as_str(),
                risk.residual_score()
            ),
        )
        .at(area.origin.at(&area.risk))
        .label(format!("lower than `{}`", level.area_rating().as_str()))
        .related(risk.origin.at(&risk.id), format!("residual score {}", risk.residual_score()))
        .help(format!("the programme considers the importance of the processes (9.2.2): rate the area `risk = \"{}\"` so it is audited as often as its risks ask, or reassign the risk to the area that carries it (levels: `[risk.levels]`)", level.area_rating().as_str()));
        d.severity = Severity::Warning;
        out.push(d);
    }

    // PROG003/PROG004: coverage of the current cycle (warnings) and of the last ended one (errors).
    let current = coverage::current_cycle(config, cx.today);
    let now = coverage::coverage(isms, cx.catalog, current, cx.today);
    uncovered(&now, &programme_origin, false, out);
    if let Some(previous) = coverage::previous_cycle(config, cx.today) {
        let before = coverage::coverage(isms, cx.catalog, previous, cx.today);
        uncovered(&before, &programme_origin, true, out);
    }

    // PROG005: areas with an open nonconformity are re-audited within nc_followup_months.
    for area in &isms.areas {
        for f in coverage::open_nonconformities(isms, area.id.as_str()) {
            // A rated finding is re-audited by its rating's deadline.
            let months = config.followup_months(f);
            let source = if config.findings.deadline(f).is_some() {
                "the deadline of its rating, `[findings.ratings]`"
            } else {
                "`[audit] nc_followup_months`"
            };
            if coverage::followup_audit(isms, f, months, cx.today).is_some() {
                continue;
            }
            let deadline = f.raised_on.get().add_months(i64::from(months));
            let left = cx.today.days_until(deadline);
            let mut d = if left < 0 {
                Diagnostic::new(
                    Rule::PROG005,
                    format!(
                        "area `{}` was not re-audited by {deadline}, {months} months after the open nonconformity {} was raised",
                        area.id.as_str(),
                        f.id.as_str()
                    ),
                )
            } else if left <= DUE_SOON_DAYS {
                let mut d = Diagnostic::new(
                    Rule::PROG005,
                    format!(
                        "area `{}` must be re-audited by {deadline} for the open nonconformity {}, and no audit of it is planned",
                        area.id.as_str(),
                        f.id.as_str()
                    ),
                );
                d.severity = Severity::Warning;
                d
            } else {
                continue;
            };
            d = d
                .at(f.origin.at(&f.raised_on))
                .label(format!("raised {}", f.raised_on.get()))
                .related(area.origin.at(&area.id), "the area")
                .help(format!("plan an audit of `{}` that starts by {deadline} ({source}) to verify the corrective actions", area.id.as_str()));
            out.push(d);
        }
    }
}

fn listed(items: &[&Item]) -> String {
    let ids: Vec<&str> = items
        .iter()
        .take(MAX_LISTED)
        .map(|i| i.id.as_str())
        .collect();
    let more = items.len().saturating_sub(MAX_LISTED);
    let mut s = ids.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

fn uncovered(cov: &Coverage, origin: &Origin, ended: bool, out: &mut Vec<Diagnostic>) {
    let cycle: &Cycle = &cov.cycle;
    let when = format!("cycle {}", cycle.label_with_dates());
    for (rule, items, noun) in [
        (Rule::PROG003, &cov.clauses, "requirement clause"),
        (Rule::PROG004, &cov.controls, "applicable control"),
    ] {
        let missing: Vec<&Item> = items.iter().filter(|i| !i.is_covered()).collect();
        if missing.is_empty() {
            continue;
        }
        let n = missing.len();
        let nouns = if n == 1 {
            noun.to_string()
        } else {
            format!("{noun}s")
        };
        let mut d = if ended {
            Diagnostic::new(rule, format!("{n} {nouns} {} not audited in {when}: {}", if n == 1 { "was" } else { "were" }, listed(&missing)))
                .label("programme owner: the cycle ended uncovered")
                .help(format!("audit the missing {noun}s now and record why the programme missed them; the programme covers every {noun} once per cycle"))
        } else {
            let mut d = Diagnostic::new(rule, format!("{n} {nouns} {} neither audited nor planned in {when}: {}", if n == 1 { "is" } else { "are" }, listed(&missing)))
                .label("programme owner: plan them in this cycle")
                .help(format!("add them to the scope (`clauses` or `controls`, or an area that holds them) of an audit planned before {}", cycle.end));
            d.severity = Severity::Warning;
            d
        };
        d = d.at(origin.clone());
        out.push(d);
    }
}
