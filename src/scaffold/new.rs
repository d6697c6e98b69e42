//! `isms new audit|report|finding|document|risk`: a new object from a template, its id allocated.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::json;

use super::{
    NewFile, SchemaRef, next_file_id, next_id, question, render, replace, toml_string, write_all,
};
use crate::catalog::iso27001;
use crate::history::{History, Resolver};
use crate::independence::{self, Candidate};
use crate::model::{
    Audit, Date, DocKind, FindingType, Isms, ItemResult, Kind, Method, Plan, RequirementRef,
    Treatment,
};
use crate::suggest;

/// What a `new` command wrote, and what the user should know.
#[derive(Default)]
pub struct Done {
    pub id: String,
    pub written: Vec<PathBuf>,
    pub changed: Vec<PathBuf>,
    /// Lines for the user (proposed auditors, links made, what to fill in).
    pub notes: Vec<String>,
}

pub(super) fn unknown(isms: &Isms, kind: Kind, id: &str) -> String {
    let ids = isms.ids(kind);
    let hint = suggest::hint(id, ids.iter().copied()).map_or(String::new(), |h| format!(" ({h})"));
    format!(
        "there is no {} `{id}` in {}{hint}",
        kind.noun(),
        kind.home()
    )
}

/// An owner or approver: a person, or a team of teams.toml.
pub(super) fn holder(isms: &Isms, id: &str) -> Result<(), String> {
    if isms.team(id).is_some() {
        return Ok(());
    }
    isms.person(id)
        .map(|_| ())
        .ok_or_else(|| unknown(isms, Kind::Person, id))
}

fn person_name(isms: &Isms, id: &str) -> String {
    isms.person(id)
        .map_or(id.to_string(), |p| p.name.get().clone())
}

/// Clauses in catalogue order, controls in catalogue order.
fn catalogue_sorted(ids: BTreeSet<String>, controls: bool) -> Vec<String> {
    let cat = iso27001();
    let mut v: Vec<String> = ids.into_iter().collect();
    if controls {
        v.sort_by_key(|c| (cat.control_index(c).unwrap_or(usize::MAX), c.clone()));
    } else {
        v.sort_by_key(|c| {
            (
                cat.clauses
                    .iter()
                    .position(|x| &x.id == c)
                    .unwrap_or(usize::MAX),
                c.clone(),
            )
        });
    }
    v
}

fn title_of(reference: &str) -> String {
    let cat = iso27001();
    cat.control(reference)
        .map(|c| c.title.clone())
        .or_else(|| cat.clause(reference).map(|c| c.title.clone()))
        .unwrap_or_default()
}

// ---------------------------------------------------------------- audit

pub struct AuditOptions {
    pub areas: Vec<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub lead: Option<String>,
    pub team: Vec<String>,
    pub title: Option<String>,
    pub force: bool,
    pub today: Date,
}

/// One line per auditor: eligible, or why not.
fn verdicts(candidates: &[Candidate<'_>]) -> Vec<String> {
    candidates
        .iter()
        .map(|c| {
            let id = c.person.id.as_str();
            if c.conflicts.is_empty() {
                format!("  {id}: eligible")
            } else {
                let why: Vec<String> = c
                    .conflicts
                    .iter()
                    .map(|v| format!("{}: {}", v.unit, v.why))
                    .collect();
                format!("  {id}: not eligible ({})", why.join("; "))
            }
        })
        .collect()
}

pub fn audit(
    root: &Path,
    isms: &Isms,
    history: Option<&History>,
    options: &AuditOptions,
) -> Result<Done, String> {
    if options.areas.is_empty() {
        return Err("name the areas to audit: --areas AREA,AREA".into());
    }
    let mut areas = Vec::new();
    for a in &options.areas {
        areas.push(isms.area(a).ok_or_else(|| unknown(isms, Kind::Area, a))?);
    }
    let config = isms.config.clone().unwrap_or_default();
    let notice = i64::from(*config.audit.notice_days.get());
    let start = options
        .start
        .unwrap_or_else(|| options.today.add_days(notice + 7));
    let end = options
        .end
        .unwrap_or_else(|| start.add_days((areas.len() as i64 - 1).clamp(0, 4)));
    if end < start {
        return Err(format!(
            "the audit would end ({end}) before it starts ({start})"
        ));
    }
    let id_format = config.audit.id_format.get();
    let prefix = id_format.prefix(start, config.audit.cycle_start.as_ref().map(|d| *d.get()));
    let mut ids: Vec<String> = isms.audits.iter().map(|a| a.id.to_string()).collect();
    if let Ok(dirs) = std::fs::read_dir(root.join("audits")) {
        ids.extend(
            dirs.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned()),
        );
    }
    let id = next_id(&prefix, ids.iter().map(String::as_str), id_format.width());

    let controls = catalogue_sorted(
        areas
            .iter()
            .flat_map(|a| a.controls.iter().map(|c| c.to_string()))
            .collect(),
        true,
    );
    let clauses = catalogue_sorted(
        areas
            .iter()
            .flat_map(|a| a.clauses.iter().map(|c| c.to_string()))
            .collect(),
        false,
    );
    let area_ids: Vec<&str> = areas.iter().map(|a| a.id.as_str()).collect();
    let names: Vec<String> = areas.iter().map(|a| a.name.get().clone()).collect();
    let title = options.title.clone().unwrap_or_else(|| audit_title(&names));
    let mut criteria = Vec::new();
    if !clauses.is_empty() {
        criteria.push(format!("ISO/IEC 27001:2022 clauses {}", clauses.join(", ")));
    }
    if !controls.is_empty() {
        criteria.push(format!(
            "ISO/IEC 27001:2022 Annex A controls {}",
            controls.join(", ")
        ));
    }
    let docs: Vec<String> = isms
        .documents
        .iter()
        .filter(|d| {
            d.front
                .area
                .as_ref()
                .is_some_and(|a| area_ids.contains(&a.as_str()))
                || d.front
                    .controls
                    .iter()
                    .any(|c| controls.contains(&c.to_string()))
        })
        .map(|d| match &d.front.version {
            Some(v) => format!("{} v{}", d.front.id.as_str(), v.as_str()),
            None => d.front.id.to_string(),
        })
        .collect();
    if !docs.is_empty() {
        criteria.push(format!("Internal documents: {}", docs.join(", ")));
    }
    let objectives = format!(
        "Determine whether {} conform{} to ISO/IEC 27001:2022 and to the organisation's policies, and whether the controls in scope are effectively implemented and maintained, by testing their operation on samples, not only by reading documents.",
        names.join(", "),
        if names.len() == 1 { "s" } else { "" }
    );
    let mut notified: Vec<String> = Vec::new();
    for p in &isms.people {
        let id = p.id.as_str();
        if *p.top_management.get() || areas.iter().any(|a| a.owner.as_str() == id) {
            notified.push(id.to_string());
        }
    }
    for a in &areas {
        if !notified.iter().any(|n| n == a.owner.as_str()) {
            notified.push(a.owner.to_string());
        }
    }

    let auditors: Vec<&str> = isms
        .people
        .iter()
        .filter(|p| *p.auditor.get())
        .map(|p| p.id.as_str())
        .collect();
    let provisional = options
        .lead
        .clone()
        .or_else(|| auditors.first().map(|s| s.to_string()))
        .ok_or_else(|| "no one in people.toml has `auditor = true`: add the internal auditors (with a competence record, clause 7.2), or name one with --lead".to_string())?;
    let schema = SchemaRef::of(root);
    let mut ctx = json!({
        "id": id, "title": title, "objectives": objectives, "criteria": criteria,
        "areas": area_ids, "clauses": clauses, "controls": controls,
        "lead": provisional, "team": options.team,
        "start": start.to_string(), "end": end.to_string(),
        "notified": notified, "today": options.today.to_string(), "notice_days": notice,
    });
    let draft = render(root, "plan.toml", schema.as_ref(), 2, ctx.clone())?;
    let plan: Plan = toml::from_str(&draft)
        .map_err(|e| format!("the plan template does not give a valid plan.toml: {e}"))?;
    let resolver = Resolver::new(isms, history);
    let months = *config.independence.lookback_months.get();
    let candidates = independence::candidates(isms, &plan, history, &resolver, months);
    let eligible: Vec<&str> = candidates
        .iter()
        .filter(|c| c.eligible())
        .map(|c| c.person.id.as_str())
        .collect();
    let mut notes = vec![format!(
        "Auditors for {id} (ownership, membership{}):",
        if history.is_some() {
            format!(", and commits in the {months} months before {start}")
        } else {
            "; git history not read".into()
        }
    )];
    notes.extend(verdicts(&candidates));
    notes.push(format!(
        "Eligible: {}",
        if eligible.is_empty() {
            "no one".to_string()
        } else {
            eligible.join(", ")
        }
    ));
    let judge = |who: &str, role: &str| -> Result<(), String> {
        let Some(person) = isms.person(who) else {
            return Err(unknown(isms, Kind::Person, who));
        };
        if options.force {
            return Ok(());
        }
        if !*person.auditor.get() {
            return Err(format!(
                "{who} is not an auditor (`auditor = true` in people.toml with a competence record); choose another {role}, or pass --force\n{}",
                notes.join("\n")
            ));
        }
        if !eligible.contains(&who) {
            return Err(format!(
                "{who} may not audit this scope impartially (ISO/IEC 27001 9.2.2 b); choose another {role}, or pass --force to plan it anyway (the check will then report it)\n{}",
                notes.join("\n")
            ));
        }
        Ok(())
    };
    let lead = match &options.lead {
        Some(lead) => {
            judge(lead, "lead")?;
            lead.clone()
        }
        None => match eligible
            .iter()
            .find(|e| !options.team.iter().any(|t| t == *e))
        {
            Some(e) => e.to_string(),
            None => {
                return Err(format!(
                    "no auditor is eligible to lead an audit of {}: add an independent auditor to people.toml (an external one if need be), or name one with --lead and --force, with an approved [[waiver]] in the plan\n{}",
                    area_ids.join(", "),
                    notes.join("\n")
                ));
            }
        },
    };
    for t in &options.team {
        judge(t, "team member")?;
    }
    notes.push(format!(
        "Lead: {lead}{}",
        if options.lead.is_none() {
            " (the first eligible auditor; --lead chooses another)"
        } else {
            ""
        }
    ));
    ctx["lead"] = json!(lead);
    let plan_text = render(root, "plan.toml", schema.as_ref(), 2, ctx.clone())?;

    let mut items = Vec::new();
    for r in clauses.iter().chain(controls.iter()) {
        let (q, m) = match question(r) {
            Some(q) => (q.question.clone(), q.method),
            None => (
                format!(
                    "How is {r} ({}) implemented, and what shows it operates effectively? Test a sample.",
                    title_of(r)
                ),
                Method::Interview,
            ),
        };
        items.push(json!({"ref": r, "title": title_of(r), "question": q, "method": m.as_str()}));
    }
    ctx["items"] = json!(items);
    let checklist_text = render(root, "checklist.toml", schema.as_ref(), 2, ctx)?;
    let dir = root.join("audits").join(&id);
    let files = vec![
        NewFile {
            path: dir.join("plan.toml"),
            text: plan_text,
        },
        NewFile {
            path: dir.join("checklist.toml"),
            text: checklist_text,
        },
    ];
    write_all(&files)?;
    notes.push(format!(
        "Notify {} at least {notice} days before {start}, then set `notified_on` in the plan.",
        notified.join(", ")
    ));
    Ok(Done {
        id,
        written: files.into_iter().map(|f| f.path).collect(),
        changed: Vec::new(),
        notes,
    })
}

// ---------------------------------------------------------------- report

fn plan_of<'a>(isms: &'a Isms, id: &str) -> Result<(&'a Audit, &'a Plan), String> {
    let audit = isms
        .audit(id)
        .ok_or_else(|| unknown(isms, Kind::Audit, id))?;
    let plan = audit
        .plan
        .as_ref()
        .ok_or_else(|| format!("audit {id} has no readable plan.toml"))?;
    Ok((audit, plan))
}

/// A table cell: one line, no `|`.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

pub fn report(root: &Path, isms: &Isms, audit_id: &str, today: Date) -> Result<Done, String> {
    let (audit, plan) = plan_of(isms, audit_id)?;
    let items = audit
        .checklist
        .as_ref()
        .map(|c| c.items.as_slice())
        .unwrap_or_default();
    let count = |r: ItemResult| items.iter().filter(|i| *i.result.get() == r).count();
    let mut methods = Vec::new();
    for m in [
        Method::DocumentReview,
        Method::Interview,
        Method::Observation,
        Method::TechnicalTest,
    ] {
        let n = items
            .iter()
            .filter(|i| *i.method.get() == m && *i.result.get() != ItemResult::NotAssessed)
            .count();
        if n > 0 {
            methods.push(json!({"method": m.as_str().replace('-', " "), "count": n}));
        }
    }
    let findings: Vec<_> = items
        .iter()
        .filter(|i| {
            matches!(
                i.result.get(),
                ItemResult::Nonconformity | ItemResult::Observation | ItemResult::Opportunity
            )
        })
        .map(|i| {
            json!({
                "ref": i.reference.as_str(),
                "result": i.result.as_str(),
                "finding": i.finding.as_ref().map_or("not raised yet".to_string(), |f| f.to_string()),
                "evidence": cell(i.evidence.as_ref().map_or("", |e| e.as_str())),
            })
        })
        .collect();
    let exceptions = count(ItemResult::Nonconformity) + count(ItemResult::Observation) > 0;
    let areas: Vec<_> = plan
        .areas
        .iter()
        .map(|a| match isms.area(a.as_str()) {
            Some(area) => json!({"id": a.as_str(), "name": area.name.as_str(), "owner": person_name(isms, area.owner.as_str())}),
            None => json!({"id": a.as_str(), "name": a.as_str(), "owner": "?"}),
        })
        .collect();
    let controls = crate::coverage::scope(isms, plan).controls;
    let ctx = json!({
        "id": plan.id.as_str(), "title": plan.title.as_str(), "today": today.to_string(),
        "conclusion": if exceptions { "effective-with-exceptions" } else { "effective" },
        "distributed_to": plan.notified.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "lead_name": person_name(isms, plan.lead.as_str()),
        "team_names": plan.team.iter().map(|t| person_name(isms, t.as_str())).collect::<Vec<_>>(),
        "start": plan.start.to_string(), "end": plan.end.to_string(),
        "areas": areas,
        "clauses": plan.clauses.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        "controls": controls,
        "criteria": plan.criteria.iter().map(|c| c.get().clone()).collect::<Vec<_>>(),
        "objectives": plan.objectives.as_ref().map_or("TODO: the objectives of the audit.".to_string(), |o| o.get().clone()),
        "total": items.len(),
        "assessed": items.len() - count(ItemResult::NotAssessed),
        "not_assessed": count(ItemResult::NotAssessed),
        "conforming": count(ItemResult::Conforming),
        "nonconformities": count(ItemResult::Nonconformity),
        "observations": count(ItemResult::Observation),
        "opportunities": count(ItemResult::Opportunity),
        "methods": methods,
        "findings": findings,
    });
    let text = render(root, "report.md", SchemaRef::of(root).as_ref(), 2, ctx)?;
    let path = root.join("audits").join(plan.id.as_str()).join("report.md");
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let mut notes = vec![format!(
        "Write the Summary, Recommendations and Conclusion, review `conclusion`, then distribute the report to {} and set `distributed_on`.",
        plan.notified
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )];
    let unraised = items
        .iter()
        .filter(|i| {
            matches!(
                i.result.get(),
                ItemResult::Nonconformity | ItemResult::Observation
            ) && i.finding.is_none()
        })
        .count();
    if unraised > 0 {
        notes.push(format!(
            "{unraised} {} no finding yet: `isms new finding --audit {audit_id} --type minor-nc --ref REF`",
            if unraised == 1 { "nonconformity or observation has" } else { "nonconformities or observations have" }
        ));
    }
    Ok(Done {
        id: plan.id.to_string(),
        written: vec![path],
        changed: Vec::new(),
        notes,
    })
}

// ---------------------------------------------------------------- finding

pub struct FindingOptions {
    pub audit: String,
    pub kind: FindingType,
    pub reference: String,
    pub area: Option<String>,
    pub statement: Option<String>,
    pub today: Date,
}

fn finding_type_str(t: FindingType) -> &'static str {
    match t {
        FindingType::MajorNc => "major-nc",
        FindingType::MinorNc => "minor-nc",
        FindingType::Observation => "observation",
        FindingType::Opportunity => "opportunity",
    }
}

/// `text` with `line` inserted after the last line of the checklist item spanning `fields`
/// (the byte ranges of its values). Comments and layout are kept as they are.
pub fn insert_after_item(text: &str, fields_end: usize, line: &str) -> String {
    let end = fields_end.min(text.len());
    let at = match text[end..].find('\n') {
        Some(i) => end + i + 1,
        None => text.len(),
    };
    let mut out = String::with_capacity(text.len() + line.len() + 2);
    out.push_str(&text[..at]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(line);
    out.push('\n');
    out.push_str(&text[at..]);
    out
}

/// A short default title: each area by the part of its name before a colon, at most three, as
/// `Internal audit: ISMS office and Cloud operations` or `... and 2 more areas`.
fn audit_title(names: &[String]) -> String {
    let short: Vec<&str> = names
        .iter()
        .map(|n| n.split([':', '(']).next().unwrap_or(n).trim())
        .collect();
    let listed = match short.as_slice() {
        [] => "the scope of the plan".to_string(),
        [one] => (*one).to_string(),
        [first @ .., last] if short.len() <= 3 => format!("{} and {last}", first.join(", ")),
        more => format!("{} and {} more areas", more[..2].join(", "), more.len() - 2),
    };
    format!("Internal audit: {listed}")
}

/// The folder below documents/ that the area's first such path names (`documents/isms` for
/// `documents/isms/**`), where a new document of the area goes.
fn documents_folder(area: &crate::model::Area) -> Option<String> {
    area.paths.iter().find_map(|p| {
        let p = p.as_str().trim_start_matches("./");
        let literal = &p[..p.find(['*', '?', '[', '{']).unwrap_or(p.len())];
        let folder = literal.trim_end_matches('/');
        (folder.starts_with("documents/") && !folder.ends_with(".md")).then(|| folder.to_string())
    })
}

pub fn finding(root: &Path, isms: &Isms, options: &FindingOptions) -> Result<Done, String> {
    let (audit, plan) = plan_of(isms, &options.audit)?;
    let reference = RequirementRef::parse(&options.reference)?;
    let r = reference.as_str();
    let cat = iso27001();
    if cat.control(r).is_none() && cat.clause(r).is_none() {
        let hint = cat.control_without_prefix(r).map_or(String::new(), |c| {
            format!(
                "\n  help: did you mean `{}` ({})? Annex A controls are written with `A.`",
                c.id, c.title
            )
        });
        return Err(format!(
            "`{r}` is neither an Annex A control nor a clause of ISO/IEC 27001:2022{hint}"
        ));
    }
    let area = match &options.area {
        Some(a) => {
            isms.area(a).ok_or_else(|| unknown(isms, Kind::Area, a))?;
            Some(a.clone())
        }
        None => plan
            .areas
            .iter()
            .filter_map(|a| isms.area(a.as_str()))
            .find(|a| {
                a.controls.iter().any(|c| c.as_str() == r)
                    || a.clauses.iter().any(|c| c.as_str() == r)
            })
            .map(|a| a.id.to_string())
            .or_else(|| match plan.areas.as_slice() {
                [only] => Some(only.to_string()),
                _ => None,
            }),
    };
    let year = options.today.year();
    let prefix = format!("F-{year}-");
    let loaded = isms.findings.iter().map(|f| f.id.as_str());
    let id = next_file_id(root, "findings", &prefix, loaded);
    let checklist = audit.checklist.as_ref();
    let item = checklist.and_then(|c| {
        c.items
            .iter()
            .find(|i| i.reference.as_str() == r && i.finding.is_none())
    });
    let evidence = item
        .and_then(|i| i.evidence.as_ref())
        .map(|e| e.get().clone())
        .unwrap_or_else(|| "TODO: the objective evidence: what was sampled, seen or tested, with record identifiers.".into());
    let statement = options.statement.clone().unwrap_or_else(|| {
        format!(
            "TODO: the requirement of {r} ({}) that is not met, and how it is not met.",
            title_of(r)
        )
    });
    let ctx = json!({
        "id": id, "audit": plan.id.as_str(), "type": finding_type_str(options.kind),
        "refs": [r], "area": area, "raised_by": plan.lead.as_str(),
        "today": options.today.to_string(), "statement": statement, "evidence": evidence,
    });
    let text = render(root, "finding.toml", SchemaRef::of(root).as_ref(), 1, ctx)?;
    let path = root.join("findings").join(format!("{id}.toml"));
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let mut done = Done {
        id: id.clone(),
        written: vec![path],
        ..Done::default()
    };
    match (checklist, item) {
        (Some(_), Some(item)) => {
            let file = root
                .join("audits")
                .join(plan.id.as_str())
                .join("checklist.toml");
            let old = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let end = [
                item.reference.span(),
                item.question.span(),
                item.method.span(),
                item.result.span(),
                item.evidence.as_ref().map_or(0..0, |e| e.span()),
            ]
            .iter()
            .map(|s| s.end)
            .max()
            .unwrap_or(0);
            let new = insert_after_item(&old, end, &format!("finding = {}", toml_string(&id)));
            // The edit must leave a checklist that reads as before, plus the link.
            let before: toml::Table = toml::from_str(&old).map_err(|e| e.to_string())?;
            let after: toml::Table = toml::from_str(&new).map_err(|_| {
                format!("the finding {id} was written, but it could not be linked in {}: add `finding = \"{id}\"` to its item {r}", file.display())
            })?;
            let count = |t: &toml::Table| {
                t.get("item")
                    .and_then(|v| v.as_array())
                    .map_or(0, |a| a.len())
            };
            if count(&before) != count(&after) {
                return Err(format!(
                    "the finding {id} was written, but it could not be linked in {}: add `finding = \"{id}\"` to its item {r}",
                    file.display()
                ));
            }
            replace(&file, &new)?;
            done.notes.push(format!(
                "Linked from the checklist item {r} of {}.",
                plan.id.as_str()
            ));
            if *item.result.get() == ItemResult::NotAssessed
                || *item.result.get() == ItemResult::Conforming
            {
                done.notes.push(format!(
                    "The item's result is `{}`: record the result that the finding reflects.",
                    item.result.as_str()
                ));
            }
            done.changed.push(file);
        }
        _ => done.notes.push(format!(
            "No checklist item of {} for {r} without a finding: none was linked.",
            plan.id.as_str()
        )),
    }
    done.notes.push(format!(
        "Complete the statement and evidence; then the area owner records [root_cause] and [[action]] in {id}."
    ));
    Ok(done)
}

// ---------------------------------------------------------------- document

pub struct DocumentOptions {
    pub kind: DocKind,
    pub title: String,
    pub id: Option<String>,
    pub owner: Option<String>,
    pub area: Option<String>,
    pub controls: Vec<String>,
    pub clauses: Vec<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<Date>,
    pub today: Date,
}

fn kind_prefix(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Policy => "POL",
        DocKind::Procedure => "PRO",
        DocKind::Standard => "STD",
        DocKind::Plan => "PLN",
        DocKind::Record => "REC",
    }
}

/// `Access Control Policy` (a policy) as `POL-ACCESS-CONTROL`.
pub fn document_id(kind: DocKind, title: &str) -> String {
    const SKIP: [&str; 8] = ["the", "and", "of", "for", "a", "an", "on", "to"];
    let words: Vec<String> = super::init::slug(title)
        .split('-')
        .filter(|w| !w.is_empty() && !SKIP.contains(w) && *w != kind.as_str())
        .take(3)
        .map(str::to_uppercase)
        .collect();
    if words.is_empty() {
        kind_prefix(kind).to_string()
    } else {
        format!("{}-{}", kind_prefix(kind), words.join("-"))
    }
}

pub fn document(root: &Path, isms: &Isms, options: &DocumentOptions) -> Result<Done, String> {
    let id = options
        .id
        .clone()
        .unwrap_or_else(|| document_id(options.kind, &options.title));
    crate::model::DocumentId::parse(&id)?;
    if isms.document(&id).is_some() {
        return Err(format!(
            "a document with id {id} exists: choose another with --id"
        ));
    }
    if let Some(a) = &options.area {
        isms.area(a).ok_or_else(|| unknown(isms, Kind::Area, a))?;
    }
    let owner = options.owner.clone().or_else(|| {
        options
            .area
            .as_ref()
            .and_then(|a| isms.area(a))
            .map(|a| a.owner.to_string())
    });
    for p in owner.iter().chain(options.approved_by.iter()) {
        holder(isms, p)?;
    }
    for c in &options.controls {
        crate::model::ControlId::parse(c)?;
    }
    for c in &options.clauses {
        crate::model::ClauseId::parse(c)?;
    }
    let approved = options.approved_by.is_some();
    let approved_on = options
        .approved_on
        .or(if approved { Some(options.today) } else { None });
    let ctx = json!({
        "id": id, "kind": options.kind.as_str(), "title": options.title,
        "version": if approved { "1.0" } else { "0.1" },
        "owner": owner, "area": options.area,
        "approved_by": options.approved_by, "approved_on": approved_on.map(|d| d.to_string()),
        "controls": options.controls, "clauses": options.clauses,
        "today": options.today.to_string(),
    });
    // Inside the area's paths, so the area's impartiality check sees who edits it (REF003).
    let area = options.area.as_ref().and_then(|a| isms.area(a));
    let folder = match area {
        Some(area) => {
            documents_folder(area).unwrap_or_else(|| format!("documents/{}", area.id.as_str()))
        }
        None => "documents".into(),
    };
    let name = super::init::slug(&options.title);
    let path = root.join(&folder).join(format!(
        "{}.md",
        if name.is_empty() {
            id.to_lowercase()
        } else {
            name
        }
    ));
    let text = render(root, "document.md", None, 0, ctx)?;
    write_all(&[NewFile {
        path: path.clone(),
        text,
    }])?;
    let mut notes = Vec::new();
    if let Some(area) = area.filter(|a| documents_folder(a).is_none()) {
        notes.push(format!(
            "Area `{}` has no folder under documents/ in its `paths`: add \"{folder}/**\" to them in areas.toml, or `isms check` reports the document (REF003).",
            area.id.as_str()
        ));
    }
    if owner.is_none() {
        notes.push("Set `owner`: a document has an owner (7.5.2).".to_string());
    }
    if !approved {
        notes.push(format!(
            "{id} is a draft (`status = \"draft\"`): its TODOs are DOC006 warnings, and it counts as documented information (DOC003, DOC007) once approved: then delete the `status` line and set `approved_by` and `approved_on`."
        ));
    }
    Ok(Done {
        id,
        written: vec![path],
        changed: Vec::new(),
        notes,
    })
}

// ---------------------------------------------------------------- risk

pub struct RiskOptions {
    pub title: String,
    pub owner: String,
    pub area: Option<String>,
    pub likelihood: u8,
    pub impact: u8,
    pub treatment: Option<Treatment>,
    pub controls: Vec<String>,
    pub residual_likelihood: Option<u8>,
    pub residual_impact: Option<u8>,
    pub today: Date,
}

pub fn risk(root: &Path, isms: &Isms, options: &RiskOptions) -> Result<Done, String> {
    holder(isms, &options.owner)?;
    if let Some(a) = &options.area {
        isms.area(a).ok_or_else(|| unknown(isms, Kind::Area, a))?;
    }
    let scale = *isms.config_or_default().risk.scale.get();
    for (what, v) in [
        ("likelihood", Some(options.likelihood)),
        ("impact", Some(options.impact)),
        ("residual likelihood", options.residual_likelihood),
        ("residual impact", options.residual_impact),
    ] {
        if let Some(v) = v
            && (v < 1 || v > scale)
        {
            return Err(format!(
                "the {what} {v} is outside the risk scale 1..{scale}"
            ));
        }
    }
    if options.residual_likelihood.is_some() != options.residual_impact.is_some() {
        return Err("give both --residual-likelihood and --residual-impact, or neither".into());
    }
    for c in &options.controls {
        crate::model::ControlId::parse(c)?;
    }
    let treatment = options.treatment.unwrap_or(if options.controls.is_empty() {
        Treatment::Retain
    } else {
        Treatment::Modify
    });
    let treatment = match treatment {
        Treatment::Modify => "modify",
        Treatment::Retain => "retain",
        Treatment::Avoid => "avoid",
        Treatment::Share => "share",
    };
    let id = next_id("R-", isms.risks.iter().map(|r| r.id.as_str()), 3);
    let ctx = json!({
        "id": id, "title": options.title, "owner": options.owner, "area": options.area,
        "likelihood": options.likelihood, "impact": options.impact, "treatment": treatment,
        "controls": options.controls,
        "residual_likelihood": options.residual_likelihood, "residual_impact": options.residual_impact,
        "today": options.today.to_string(),
    });
    let block = render(root, "risk.toml", None, 0, ctx)?;
    let path = super::append_to_register(
        root,
        "risks.toml",
        "risks",
        "Information security risk register (6.1.2, 6.1.3, 8.2, 8.3).",
        &block,
    )?;
    let mut notes = Vec::new();
    let threshold = *isms.config_or_default().risk.acceptance_threshold.get();
    let residual = u32::from(options.residual_likelihood.unwrap_or(options.likelihood))
        * u32::from(options.residual_impact.unwrap_or(options.impact));
    if residual > threshold {
        notes.push(format!(
            "The residual score {residual} is above the acceptance threshold {threshold}: the owner {} accepts it with `accepted_by` and `accepted_on` (6.1.3 f), or the treatment lowers it.",
            options.owner
        ));
    }
    if treatment == "modify" {
        notes.push("Check that the SoA marks each control of the treatment applicable.".into());
    }
    Ok(Done {
        id,
        written: Vec::new(),
        changed: vec![path],
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_titles_stay_short() {
        let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            audit_title(&names(&[
                "ISMS office: governance, risk, compliance and privacy"
            ])),
            "Internal audit: ISMS office"
        );
        assert_eq!(
            audit_title(&names(&[
                "Software development (SDLC)",
                "Cloud operations",
                "People"
            ])),
            "Internal audit: Software development, Cloud operations and People"
        );
        assert_eq!(
            audit_title(&names(&["A: x", "B", "C", "D", "E"])),
            "Internal audit: A, B and 3 more areas"
        );
    }
}
