//! `isms independence [PATH] [--audit ID]`: who may audit what, and why not, as a matrix of
//! areas against auditors, or the eligible auditors for one audit's scope.

use super::check::{checked, today};
use super::independence_json as json;
use super::{FAILURE, Fatal, SUCCESS};
use crate::cli::{IndependenceArgs, IndependenceFormat};
use crate::history::{History, Resolver};
use crate::independence::{self, Window};
use crate::model::{Isms, Plan};
use crate::rules::Rule;
use crate::signing::KeyOwner;

pub fn run(args: &IndependenceArgs) -> Result<u8, Fatal> {
    let today = today(args.today.as_deref())?;
    let (_, outcome) = checked(args.path.as_deref(), today, args.no_git)?;
    let isms = &outcome.isms;
    let history = outcome.history.as_ref();
    let months = *isms.config_or_default().independence.lookback_months.get();
    let mut out = String::new();
    match (history, &outcome.git_unavailable) {
        (Some(h), _) => out.push_str(&format!(
            "Git history: {} commits read ({} from the cache).\n",
            h.commits().len(),
            h.stats.cached
        )),
        (None, Some(why)) => out.push_str(&format!(
            "warning: {}\n  help: {}\nOnly ownership and membership are judged below.\n",
            why.message(),
            why.help()
        )),
        (None, None) => out.push_str("warning: git history was not read (--no-git): only ownership and membership are judged below.\n"),
    }
    let resolver = Resolver::new(isms, history);
    let plan = match &args.audit {
        Some(id) => {
            let Some(plan) = isms.audit(id).and_then(|a| a.plan.as_ref()) else {
                let ids = isms.ids(crate::model::Kind::Audit);
                let hint = crate::suggest::hint(id, ids.iter().copied())
                    .map_or(String::new(), |h| format!(" ({h})"));
                return Err(Fatal(format!(
                    "there is no audit `{id}` with a plan.toml{hint}"
                )));
            };
            Some(plan)
        }
        None => None,
    };
    if args.format == IndependenceFormat::Json {
        let git = json::Git {
            history,
            unavailable: outcome.git_unavailable.as_ref(),
        };
        let value = match plan {
            Some(plan) => json::audit(isms, plan, git, &resolver, months),
            None => json::matrix(isms, git, &resolver, Window::through(today, months), months),
        };
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| Fatal(format!("cannot write the JSON report: {e}")))?;
        super::print(&format!("{text}\n"))?;
    } else {
        match plan {
            Some(plan) => audit(&mut out, isms, plan, history, &resolver, months),
            None => matrix(
                &mut out,
                isms,
                history,
                &resolver,
                Window::through(today, months),
                months,
            ),
        }
        if let Some(h) = history {
            signatures(&mut out, isms, h);
        }
        super::print(&out)?;
    }
    // Unreadable history fails the command as IND006 fails the check (unless turned off).
    let failed = outcome.diagnostics.iter().any(|d| d.rule == Rule::IND006);
    Ok(if failed { FAILURE } else { SUCCESS })
}

/// Left-aligned columns separated by two spaces.
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub(super) use crate::independence::matrix as matrix_cells;

fn matrix(
    out: &mut String,
    isms: &Isms,
    history: Option<&History>,
    resolver: &Resolver<'_>,
    window: Window,
    months: u32,
) {
    let auditors: Vec<_> = isms.people.iter().filter(|p| *p.auditor.get()).collect();
    out.push_str(&format!(
        "\nWho may audit each area: ownership, membership, and commits from {} to {} (the {months} months up to and including today).\n\n",
        window.from,
        window.until.add_days(-1)
    ));
    if auditors.is_empty() || isms.areas.is_empty() {
        out.push_str(
            "No auditors (`auditor = true` in people.toml) or no areas (areas.toml) to judge.\n",
        );
        return;
    }
    let mut rows = vec![
        std::iter::once("area".to_string())
            .chain(auditors.iter().map(|p| p.id.to_string()))
            .collect::<Vec<_>>(),
    ];
    for (area, cells) in matrix_cells(isms, history, resolver, window) {
        let mut row = vec![area.id.to_string()];
        for (_, conflicts) in cells {
            row.push(if conflicts.is_empty() {
                "eligible".into()
            } else {
                independence::reasons(history, &conflicts)
            });
        }
        rows.push(row);
    }
    out.push_str(&table(&rows));
    out.push_str("\n`isms independence --audit ID` judges one audit's scope at its start date, with its waivers.\n");
}

fn audit(
    out: &mut String,
    isms: &Isms,
    plan: &Plan,
    history: Option<&History>,
    resolver: &Resolver<'_>,
    months: u32,
) {
    let window = Window::audit(*plan.start.get(), *plan.end.get(), months);
    let areas: Vec<&str> = plan.areas.iter().map(|a| a.as_str()).collect();
    out.push_str(&format!(
        "\nAudit {} \"{}\" starts {}: commits from {} to {} count.\nAreas: {}\n\n",
        plan.id.as_str(),
        plan.title.as_str(),
        plan.start.get(),
        window.from,
        window.until.add_days(-1),
        if areas.is_empty() {
            "(none)".to_string()
        } else {
            areas.join(", ")
        },
    ));
    let candidates = independence::candidates(isms, plan, history, resolver, months);
    if candidates.is_empty() {
        out.push_str("No one has `auditor = true` in people.toml.\n");
        return;
    }
    let mut rows = vec![vec![
        "auditor".to_string(),
        "role".to_string(),
        "verdict".to_string(),
    ]];
    for c in &candidates {
        let id = c.person.id.as_str();
        let role = if plan.lead.as_str() == id {
            "lead"
        } else if plan.team.iter().any(|t| t.as_str() == id) {
            "team"
        } else {
            "-"
        };
        let verdict = if c.conflicts.is_empty() {
            "eligible".to_string()
        } else {
            let parts: Vec<String> = c
                .conflicts
                .iter()
                .map(|v| match v.waiver {
                    Some(w) => format!(
                        "{}: {} (waived by {})",
                        v.unit,
                        v.why,
                        w.approved_by.as_str()
                    ),
                    None => format!("{}: {}", v.unit, v.why),
                })
                .collect();
            format!(
                "{}: {}",
                if c.eligible() {
                    "eligible by waiver"
                } else {
                    "not eligible"
                },
                parts.join("; ")
            )
        };
        rows.push(vec![id.to_string(), role.to_string(), verdict]);
    }
    out.push_str(&table(&rows));
    let eligible: Vec<&str> = candidates
        .iter()
        .filter(|c| c.eligible())
        .map(|c| c.person.id.as_str())
        .collect();
    out.push_str(&format!(
        "\nEligible: {}\n",
        if eligible.is_empty() {
            "no one".to_string()
        } else {
            eligible.join(", ")
        }
    ));
}

/// Whether the auditors' commits that must be signed were signed, and by which keys.
fn signatures(out: &mut String, isms: &Isms, history: &History) {
    let mode = *isms.config_or_default().independence.signatures.get();
    if mode == crate::model::SignatureMode::Off {
        out.push_str("\nIdentity: asserted by author emails (`[independence] signatures` is off): commits are not required to be signed.\n");
        return;
    }
    let setting = mode.as_str();
    out.push_str(&format!(
        "\nIdentity: signed (`[independence] signatures = \"{setting}\"`). Auditors' commits that must be signed:\n\n"
    ));
    let mut rows = vec![vec![
        "auditor".to_string(),
        "signed by their key".to_string(),
        "keys".to_string(),
    ]];
    for (person, s) in crate::signing::auditors(isms, history) {
        let keys: Vec<String> = s
            .keys
            .iter()
            .map(|((owner, key), &commits)| match owner {
                KeyOwner::Own => key.clone(),
                KeyOwner::Platform => format!("{key} (platform key)"),
                _ => format!(
                    "{key} ({}: {} {}, IND015)",
                    owner.text(),
                    commits,
                    if commits == 1 { "commit" } else { "commits" }
                ),
            })
            .collect();
        rows.push(vec![
            person.id.to_string(),
            format!("{} of {}", s.proven, s.required),
            if keys.is_empty() {
                "-".to_string()
            } else {
                keys.join(", ")
            },
        ]);
    }
    out.push_str(&table(&rows));
}
