//! `isms new audit|report|finding|document|risk|management-review|objective|incident|team|control|exception`.

use super::check::today;
use super::{Fatal, SUCCESS};
use crate::check::{self, GitMode};
use crate::cli::{NewCommand, NewCommon};
use crate::model::{Date, DocKind, FindingType, IncidentSeverity, Isms, Treatment};
use crate::scaffold::new::{self, Done};
use crate::scaffold::new_loop;
use crate::workspace::Workspace;

fn date(what: &str, s: &Option<String>) -> Result<Option<Date>, Fatal> {
    s.as_deref()
        .map(|s| Date::parse(s).map_err(|e| Fatal(format!("{what}: {e}"))))
        .transpose()
}

/// A kebab-case value of one of the model's enums.
fn choice<T: serde::de::DeserializeOwned>(what: &str, s: &str, allowed: &str) -> Result<T, Fatal> {
    T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(s))
        .map_err(|_| Fatal(format!("`{s}` is not a {what}: use one of {allowed}")))
}

struct Loaded {
    workspace: Workspace,
    isms: Isms,
    history: Option<crate::history::History>,
    today: Date,
}

fn load(common: &NewCommon, git: GitMode) -> Result<Loaded, Fatal> {
    let today = today(common.today.as_deref())?;
    let workspace = Workspace::find(common.path.as_deref())?;
    let outcome = check::run_with(
        &workspace,
        &check::Options {
            today,
            git,
            cache: true,
        },
    )?;
    if outcome.isms.config.is_none() {
        return Err(Fatal(format!(
            "{} cannot be read: run `isms check` and fix it first",
            workspace.root.join("isms.toml").display()
        )));
    }
    Ok(Loaded {
        workspace,
        isms: outcome.isms,
        history: outcome.history,
        today,
    })
}

fn print(root: &std::path::Path, what: &str, done: &Done) -> Result<(), Fatal> {
    let rel = |p: &std::path::Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let mut text = format!("{what} {}\n", done.id);
    for p in &done.written {
        text.push_str(&format!("  wrote   {}\n", rel(p)));
    }
    for p in &done.changed {
        text.push_str(&format!("  changed {}\n", rel(p)));
    }
    for n in &done.notes {
        text.push_str(&format!("{n}\n"));
    }
    super::print(&text)
}

pub fn run(command: &NewCommand) -> Result<u8, Fatal> {
    match command {
        NewCommand::Audit(a) => {
            let l = load(&a.common, GitMode::Head)?;
            let done = new::audit(
                &l.workspace.root,
                &l.isms,
                l.history.as_ref(),
                &new::AuditOptions {
                    areas: a.areas.clone(),
                    start: date("--start", &a.start)?,
                    end: date("--end", &a.end)?,
                    lead: a.lead.clone(),
                    team: a.team.clone(),
                    title: a.title.clone(),
                    force: a.force,
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New audit", &done)?;
        }
        NewCommand::Report(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let done = new::report(&l.workspace.root, &l.isms, &a.audit, l.today)?;
            print(&l.workspace.root, "New report of", &done)?;
        }
        NewCommand::Finding(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let kind: FindingType = choice(
                "finding type",
                &a.kind,
                "major-nc, minor-nc, observation, opportunity",
            )?;
            let done = new::finding(
                &l.workspace.root,
                &l.isms,
                &new::FindingOptions {
                    audit: a.audit.clone(),
                    kind,
                    reference: a.reference.clone(),
                    area: a.area.clone(),
                    statement: a.statement.clone(),
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New finding", &done)?;
        }
        NewCommand::Document(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let kind: DocKind = choice(
                "document kind",
                &a.kind,
                "policy, procedure, standard, plan, record",
            )?;
            let done = new::document(
                &l.workspace.root,
                &l.isms,
                &new::DocumentOptions {
                    kind,
                    title: a.title.clone(),
                    id: a.id.clone(),
                    owner: a.owner.clone(),
                    area: a.area.clone(),
                    controls: a.controls.clone(),
                    clauses: a.clauses.clone(),
                    approved_by: a.approved_by.clone(),
                    approved_on: date("--approved-on", &a.approved_on)?,
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New document", &done)?;
        }
        NewCommand::Risk(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let treatment: Option<Treatment> = a
                .treatment
                .as_deref()
                .map(|t| choice("treatment", t, "modify, retain, avoid, share"))
                .transpose()?;
            let done = new::risk(
                &l.workspace.root,
                &l.isms,
                &new::RiskOptions {
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    area: a.area.clone(),
                    likelihood: a.likelihood,
                    impact: a.impact,
                    treatment,
                    controls: a.controls.clone(),
                    residual_likelihood: a.residual_likelihood,
                    residual_impact: a.residual_impact,
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New risk", &done)?;
        }
        NewCommand::ManagementReview(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let done = new_loop::management_review(
                &l.workspace.root,
                &l.isms,
                &new_loop::ReviewOptions {
                    date: date("--date", &a.date)?,
                    chair: a.chair.clone(),
                    id: a.id.clone(),
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New management review", &done)?;
        }
        NewCommand::Objective(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let done = new_loop::objective(
                &l.workspace.root,
                &l.isms,
                &new_loop::ObjectiveOptions {
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    measure: a.measure.clone(),
                    target: a.target.clone(),
                    method: a.method.clone(),
                    frequency_months: a.frequency_months,
                    due: date("--due", &a.due)?,
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New objective", &done)?;
        }
        NewCommand::Incident(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let severity: IncidentSeverity =
                choice("severity", &a.severity, "low, medium, high, critical")?;
            let done = new_loop::incident(
                &l.workspace.root,
                &l.isms,
                &new_loop::IncidentOptions {
                    title: a.title.clone(),
                    severity,
                    detected_on: date("--detected-on", &a.detected_on)?,
                    areas: a.areas.clone(),
                    controls: a.controls.clone(),
                    summary: a.summary.clone(),
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New incident", &done)?;
        }
        NewCommand::Team(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let done = crate::scaffold::team(
                &l.workspace.root,
                &l.isms,
                &crate::scaffold::TeamOptions {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    lead: a.lead.clone(),
                    members: a.members.clone(),
                },
            )?;
            print(&l.workspace.root, "New team", &done)?;
        }
        NewCommand::Control(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let done = crate::scaffold::control(
                &l.workspace.root,
                &l.isms,
                &crate::scaffold::ControlOptions {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    owner: a.owner.clone(),
                    annex_a: a.annex_a.clone(),
                    frameworks: a.frameworks.clone(),
                    frequency_months: a.frequency_months,
                },
            )?;
            print(&l.workspace.root, "New control", &done)?;
        }
        NewCommand::Exception(a) => {
            let l = load(&a.common, GitMode::Skip)?;
            let risk: crate::model::ResidualLevel =
                choice("risk level", &a.risk, "low, medium, high, critical")?;
            let expires = Date::parse(&a.expires).map_err(|e| Fatal(format!("--expires: {e}")))?;
            let done = crate::scaffold::exception(
                &l.workspace.root,
                &l.isms,
                &crate::scaffold::ExceptionOptions {
                    control: a.control.clone(),
                    reason: a.reason.clone(),
                    compensating: a.compensating.clone(),
                    risk,
                    expires,
                    approved_by: a.approved_by.clone(),
                    approved_on: date("--approved-on", &a.approved_on)?,
                    today: l.today,
                },
            )?;
            print(&l.workspace.root, "New exception", &done)?;
        }
    }
    Ok(SUCCESS)
}
