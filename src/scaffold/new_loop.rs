//! `isms new management-review|objective|incident`: the records that close the loop, from
//! templates, their ids allocated; a management review drafted from the ISMS itself.

use std::path::Path;

use serde_json::json;

use super::new::{Done, unknown};
use super::{NewFile, SchemaRef, next_file_id, next_id, render, write_all};
use crate::model::{Date, FindingStatus, IncidentSeverity, Isms, Kind, ManagementReview};
use crate::rules::review::chronological;

pub struct ReviewOptions {
    /// The day of the review; default: today.
    pub date: Option<Date>,
    pub chair: Option<String>,
    pub id: Option<String>,
    pub today: Date,
}

/// What the review drafts from the ISMS: everything since the previous review (by date).
struct Since<'a> {
    previous: Option<&'a ManagementReview>,
    date: Date,
}

impl Since<'_> {
    fn after_previous(&self, day: Date) -> bool {
        self.previous.is_none_or(|p| day > *p.date.get())
    }
    fn covers(&self, day: Date) -> bool {
        self.after_previous(day) && day <= self.date
    }
}

/// a): each decision of the previous review by its tag, with its status, so that MR006 finds it.
fn previous_actions(previous: Option<&ManagementReview>, date: Date) -> String {
    let Some(previous) = previous else {
        return String::new();
    };
    let lines: Vec<String> = previous
        .decisions
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let status = match (&d.completed_on, &d.due) {
                (Some(on), _) => format!("completed on {}", on.get()),
                (None, Some(due)) if *due.get() < date => {
                    format!("open, overdue since {}", due.get())
                }
                (None, Some(due)) => format!("open, due {}", due.get()),
                (None, None) => "open".to_string(),
            };
            format!(
                "{}#{} {}: {status}.",
                previous.id.as_str(),
                i + 1,
                d.description.get()
            )
        })
        .collect();
    lines.join(" ")
}

/// d): audit results, nonconformities and objectives, as recorded.
fn performance(isms: &Isms, since: &Since<'_>, audits: &[String], findings: &[String]) -> String {
    let mut parts = Vec::new();
    let audit_texts: Vec<String> = audits
        .iter()
        .filter_map(|id| isms.audit(id))
        .map(|a| match &a.report {
            Some(r) => format!("{} ({})", a.id, r.front.conclusion.get().words()),
            None => a.id.to_string(),
        })
        .collect();
    if !audit_texts.is_empty() {
        parts.push(format!("Audits: {}.", audit_texts.join(", ")));
    }
    let open: Vec<String> = findings
        .iter()
        .filter_map(|id| isms.finding(id))
        .filter(|f| f.status() != FindingStatus::Closed)
        .map(|f| {
            format!(
                "{} {} {}",
                f.id.as_str(),
                f.kind.get().as_str(),
                f.status().as_str()
            )
        })
        .collect();
    if !open.is_empty() {
        parts.push(format!("Findings not closed: {}.", open.join(", ")));
    }
    let objectives: Vec<String> = isms
        .objectives
        .iter()
        .filter_map(|o| {
            // The latest result known on the day of the review.
            let r = o
                .results
                .iter()
                .filter(|r| *r.on.get() <= since.date)
                .max_by_key(|r| *r.on.get())?;
            let met = if *r.met.get() { "met" } else { "missed" };
            Some(format!(
                "{} {} ({} on {})",
                o.id.as_str(),
                met,
                r.value.get(),
                r.on.get()
            ))
        })
        .collect();
    if !objectives.is_empty() {
        parts.push(format!("Objectives: {}.", objectives.join(", ")));
    }
    parts.join(" ")
}

/// f): the residual risks above the acceptance threshold and whether they were accepted.
fn risk(isms: &Isms) -> String {
    if isms.risks.is_empty() {
        return String::new();
    }
    let settings = &isms.config_or_default().risk;
    let threshold = settings.acceptance_threshold.get();
    let above: Vec<String> = isms
        .risks
        .iter()
        .filter(|r| settings.needs_acceptance(r.residual_score()))
        .map(|r| {
            let by: Vec<&str> = r.accepted_by.iter().map(|p| p.as_str()).collect();
            let accepted = match &r.accepted_on {
                Some(on) if !by.is_empty() => {
                    format!("accepted by {} on {}", by.join(" and "), on.get())
                }
                _ => "not accepted".to_string(),
            };
            format!(
                "{} (residual {}, {accepted})",
                r.id.as_str(),
                r.residual_score()
            )
        })
        .collect();
    let mut text = format!("{} risks in the register", isms.risks.len());
    if above.is_empty() {
        text.push_str(&format!(", none with a residual score above {threshold}."));
    } else {
        text.push_str(&format!(
            "; residual above {threshold}: {}.",
            above.join(", ")
        ));
    }
    text
}

pub fn management_review(
    root: &Path,
    isms: &Isms,
    options: &ReviewOptions,
) -> Result<Done, String> {
    let date = options.date.unwrap_or(options.today);
    let id = options
        .id
        .clone()
        .unwrap_or_else(|| format!("MR-{:04}-{:02}", date.year(), date.month()));
    crate::model::ReviewId::parse(&id)?;
    if isms.management_review(&id).is_some() {
        return Err(format!(
            "the management review {id} exists already: give another id with --id"
        ));
    }
    let chair = match &options.chair {
        Some(c) => {
            isms.person(c).ok_or_else(|| unknown(isms, Kind::Person, c))?;
            c.clone()
        }
        None => isms
            .top_management()
            .next()
            .map(|p| p.id.to_string())
            .ok_or("nobody in people.toml is top management (`top_management = true`): give the chair with --chair")?,
    };
    let mut attendees: Vec<String> = vec![chair.clone()];
    let manager = isms.programme.as_ref().map(|p| p.owner.to_string());
    for p in isms
        .top_management()
        .map(|p| p.id.to_string())
        .chain(manager)
    {
        if !attendees.contains(&p) {
            attendees.push(p);
        }
    }
    let previous = chronological(&isms.management_reviews)
        .into_iter()
        .rfind(|r| *r.date.get() < date);
    let since = Since { previous, date };
    let audits: Vec<String> = isms
        .audits
        .iter()
        .filter(|a| {
            a.report
                .as_ref()
                .and_then(|r| r.front.distributed_on.as_ref())
                .is_some_and(|on| since.covers(*on.get()))
        })
        .map(|a| a.id.to_string())
        .collect();
    let findings: Vec<String> = isms
        .findings
        .iter()
        .filter(|f| {
            *f.raised_on.get() <= date
                && (f.status() != FindingStatus::Closed || since.after_previous(*f.raised_on.get()))
        })
        .map(|f| f.id.to_string())
        .collect();
    let objectives: Vec<String> = isms.objectives.iter().map(|o| o.id.to_string()).collect();
    let ctx = json!({
        "id": id, "date": date.to_string(), "today": options.today.to_string(),
        "since": previous.map_or("the start of the ISMS".to_string(), |p| format!("{} ({})", p.id.as_str(), p.date.get())),
        "chair": chair, "attendees": attendees,
        "audits": audits, "findings": findings, "objectives": objectives,
        "previous_actions": previous_actions(previous, date),
        "performance": performance(isms, &since, &audits, &findings),
        "risk": risk(isms),
    });
    let text = render(
        root,
        "management-review.toml",
        SchemaRef::of(root).as_ref(),
        1,
        ctx,
    )?;
    let path = root.join("management-reviews").join(format!("{id}.toml"));
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let mut notes = vec![format!(
        "Drafted from {} audit(s), {} finding(s) and {} objective(s); write inputs b), c), e) and g), check the drafted ones, and record the decisions.",
        audits.len(),
        findings.len(),
        objectives.len()
    )];
    if let Some(p) = previous {
        notes.push(format!(
            "Input a) reports the {} decision(s) of {} by their tags.",
            p.decisions.len(),
            p.id.as_str()
        ));
    }
    Ok(Done {
        id,
        written: vec![path],
        changed: Vec::new(),
        notes,
    })
}

pub struct ObjectiveOptions {
    pub title: String,
    pub owner: String,
    pub measure: Option<String>,
    pub target: Option<String>,
    pub method: Option<String>,
    pub frequency_months: u32,
    pub due: Option<Date>,
    pub today: Date,
}

pub fn objective(root: &Path, isms: &Isms, options: &ObjectiveOptions) -> Result<Done, String> {
    isms.person(&options.owner)
        .ok_or_else(|| unknown(isms, Kind::Person, &options.owner))?;
    if options.frequency_months == 0 {
        return Err("--frequency-months must be at least 1".into());
    }
    // The width of the existing numbers (`OBJ-1` or `OBJ-01`); two digits for the first.
    let width = isms
        .objectives
        .iter()
        .filter_map(|o| o.id.as_str().strip_prefix("OBJ-"))
        .map(str::len)
        .min()
        .unwrap_or(2);
    let id = next_id("OBJ-", isms.objectives.iter().map(|o| o.id.as_str()), width);
    let due = options.due.unwrap_or(options.today.add_months(12));
    // What was not given stays empty, so that OBJ001 asks for it until it is written.
    let given = |v: &Option<String>| v.clone().unwrap_or_default();
    let ctx = json!({
        "id": id, "title": options.title, "owner": options.owner,
        "measure": given(&options.measure),
        "target": given(&options.target),
        "method": given(&options.method),
        "frequency_months": options.frequency_months, "due": due.to_string(),
        "today": options.today.to_string(),
    });
    let block = render(root, "objective.toml", None, 0, ctx)?;
    let path = super::append_to_register(
        root,
        "objectives.toml",
        "objectives",
        "Information security objectives (6.2) and their results (9.1).",
        &block,
    )?;
    let mut notes = Vec::new();
    if options.measure.is_none() || options.target.is_none() || options.method.is_none() {
        notes.push("Write the empty `measure`, `target` and `method`: an objective is measurable (6.2 b), and `isms check` reports them (OBJ001) until they are.".to_string());
    }
    notes.push(format!(
        "Record each evaluation as [[objective.result]] under {id}, every {} month(s).",
        options.frequency_months
    ));
    Ok(Done {
        id,
        written: Vec::new(),
        changed: vec![path],
        notes,
    })
}

pub struct IncidentOptions {
    pub title: String,
    pub severity: IncidentSeverity,
    pub detected_on: Option<Date>,
    pub areas: Vec<String>,
    pub controls: Vec<String>,
    pub summary: Option<String>,
    pub today: Date,
}

pub fn incident(root: &Path, isms: &Isms, options: &IncidentOptions) -> Result<Done, String> {
    for a in &options.areas {
        isms.area(a).ok_or_else(|| unknown(isms, Kind::Area, a))?;
    }
    for c in &options.controls {
        crate::model::ControlId::parse(c)?;
    }
    let detected_on = options.detected_on.unwrap_or(options.today);
    let prefix = format!("INC-{}-", detected_on.year());
    let loaded = isms.incidents.iter().map(|i| i.id.as_str());
    let id = next_file_id(root, "incidents", &prefix, loaded);
    let ctx = json!({
        "id": id, "title": options.title, "severity": options.severity.as_str(),
        "detected_on": detected_on.to_string(), "areas": options.areas,
        "controls": options.controls, "today": options.today.to_string(),
        "summary": options.summary,
    });
    let text = render(root, "incident.toml", SchemaRef::of(root).as_ref(), 1, ctx)?;
    let path = root.join("incidents").join(format!("{id}.toml"));
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let config = isms.config_or_default();
    let mut notes = vec!["Record `resolved_on` once resolved.".to_string()];
    if options.severity >= *config.incidents.review_severity.get() {
        notes.push(format!(
            "A {} incident needs a post-incident review ([review]) within {} days of resolution (INC001).",
            options.severity.as_str(),
            config.incidents.review_days.get()
        ));
    }
    if options.severity >= IncidentSeverity::High {
        if options.areas.is_empty() {
            notes.push("Name the affected areas (`areas`): a high or critical incident brings their next audit forward (PROG006).".into());
        } else {
            notes.push(format!(
                "The next audit of {} is now due at the high frequency (PROG006); an audit must validate the changes (INC002).",
                options.areas.join(", ")
            ));
        }
    }
    Ok(Done {
        id,
        written: vec![path],
        changed: Vec::new(),
        notes,
    })
}
