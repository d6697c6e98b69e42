//! Every page of the site: the data each template receives.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::coverage::{self, Coverage};
use super::worker::{Job, Jobs};
use super::{BuildError, Options, SiteFiles, markdown, opt, slug};
use crate::catalog;
use crate::check::Outcome;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::json::Location;
use crate::history::{Resolver, Who};
use crate::independence;
use crate::model::{Audit, Date, FileId, Finding, ImplStatus, Isms, Origin, Plan};
use crate::workspace::Workspace;

mod areas;
mod chart;
mod documents;
mod exceptions;
mod findings;
mod frameworks;
mod incidents;
mod maturity;
mod objectives;
mod people;
mod reviews;
mod risks;
mod rules;
mod teams;

pub(crate) use maturity::Timeline;

pub struct Site<'a> {
    workspace: &'a Workspace,
    outcome: &'a Outcome,
    isms: &'a Isms,
    options: &'a Options,
    jobs: Jobs,
    /// Past versions of files, read through the history module (document diffs, maturity).
    contents: Option<crate::history::Contents>,
    /// Who each commit's identities are, for every page showing history.
    resolver: Resolver<'a>,
    /// Files other than rendered pages: the search index and copied evidence.
    files: SiteFiles,
    /// Every page path sent, by its lower-case form, so no page overwrites another.
    paths: BTreeMap<String, String>,
    search: Vec<Value>,
    coverage: Coverage,
    /// Maturity claims and assessments over time, for the maturity and control pages.
    maturity: maturity::Timeline,
}

fn url(dir: &str, id: &str) -> String {
    format!("{dir}/{}.html", slug(id))
}

impl<'a> Site<'a> {
    pub fn new(
        workspace: &'a Workspace,
        outcome: &'a Outcome,
        options: &'a Options,
        jobs: Jobs,
        contents: Option<crate::history::Contents>,
        maturity: Timeline,
    ) -> Self {
        let isms = &outcome.isms;
        Site {
            workspace,
            outcome,
            isms,
            options,
            jobs,
            contents,
            resolver: Resolver::new(isms, outcome.history.as_ref()),
            files: SiteFiles::new(),
            paths: BTreeMap::new(),
            search: Vec::new(),
            coverage: coverage::of(isms, options.today),
            maturity,
        }
    }

    pub fn finish(mut self) -> SiteFiles {
        self.search.sort_by(|a, b| {
            (a["k"].as_str(), a["t"].as_str()).cmp(&(b["k"].as_str(), b["t"].as_str()))
        });
        let index = serde_json::to_string(&self.search)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        self.files.insert(
            "assets/search-index.js".into(),
            format!("window.ISMS_INDEX = {index};\n").into_bytes(),
        );
        self.files
    }

    pub fn all(&mut self) -> Result<(), BuildError> {
        for (name, out) in [
            ("style.css", "assets/style.css"),
            ("site.js", "assets/site.js"),
        ] {
            self.send(Job::asset(name, out))?;
        }
        self.dashboard()?;
        let statuses = self.framework_statuses();
        self.soa(&frameworks::by_control(&statuses))?;
        self.frameworks(&statuses)?;
        self.documents()?;
        self.audits()?;
        self.findings()?;
        self.management_reviews()?;
        self.objectives()?;
        self.incidents()?;
        self.exceptions()?;
        self.maturity_page()?;
        self.risks()?;
        self.areas()?;
        self.people()?;
        self.rules()?;
        self.copy_evidence();
        Ok(())
    }

    /// Renders `template` as the page at `path` (relative, with `/`), on a worker.
    fn page(
        &mut self,
        template: &'static str,
        path: &str,
        nav: &'static str,
        page: Value,
    ) -> Result<(), BuildError> {
        self.send(Job::page(template, path, nav, page))
    }

    /// Hands a job to the workers, unless its page would overwrite another's: two ids that
    /// differ only in case name one file on case-insensitive file systems (macOS, Windows).
    fn send(&mut self, job: Job) -> Result<(), BuildError> {
        let key = job.path().to_ascii_lowercase();
        if let Some(first) = self.paths.insert(key, job.path().to_string()) {
            return Err(BuildError(format!(
                "two pages would be written to one file: `{first}` and `{}`; rename one of the two objects (`isms check` reports them as LOAD003)",
                job.path()
            )));
        }
        self.jobs
            .send(job)
            .map_err(|_| BuildError("the rendering thread stopped".into()))
    }

    fn index(&mut self, kind: &str, title: String, url: String) {
        self.search.push(json!({"k": kind, "t": title, "u": url}));
    }

    /// Indexes an object with the words of its row (owner, area, status, references...), so
    /// the search finds it by more than its title.
    fn index_object(&mut self, kind: &str, title: String, url: String, row: &Value) {
        let words = search_words(row, &title);
        self.search
            .push(json!({"k": kind, "t": title, "u": url, "x": words}));
    }

    // ---- references -------------------------------------------------------------------

    fn person(&self, id: &str) -> Value {
        if let Some(team) = self.team_ref(id) {
            return team;
        }
        let name = self.isms.person(id).map(|p| p.name.to_string());
        json!({"id": id, "name": name.unwrap_or_else(|| id.to_string()), "url": format!("people.html#p-{}", slug(id)), "known": self.isms.person(id).is_some()})
    }

    fn area_ref(&self, id: &str) -> Value {
        let a = self.isms.area(id);
        json!({"id": id, "name": a.map_or(id.to_string(), |a| a.name.to_string()), "url": a.map(|_| url("areas", id))})
    }

    fn control_ref(&self, id: &str) -> Value {
        let c = catalog::iso27001().control(id);
        let status = self.isms.soa_entry(id).map(|e| soa_status(Some(e)));
        json!({"id": id, "title": c.map(|c| c.title.clone()), "url": c.map(|_| url("controls", id)), "status": status})
    }

    fn clause_ref(&self, id: &str) -> Value {
        let c = catalog::iso27001().clause(id);
        json!({"id": id, "title": c.map(|c| c.title.clone()), "clause": true})
    }

    /// A control or a clause, as a checklist item or a finding names it.
    fn requirement_ref(&self, id: &str) -> Value {
        if id.starts_with("A.") {
            self.control_ref(id)
        } else {
            self.clause_ref(id)
        }
    }

    fn doc_ref(&self, id: &str) -> Value {
        let d = self.isms.document(id);
        json!({"id": id, "title": d.map(|d| d.front.title.to_string()), "url": d.map(|_| url("documents", id)), "draft": d.is_some_and(|d| d.is_draft())})
    }

    fn risk_ref(&self, id: &str) -> Value {
        let r = self.isms.risk(id);
        json!({"id": id, "title": r.map(|r| r.title.to_string()), "url": r.map(|_| format!("risks.html#r-{}", slug(id)))})
    }

    fn audit_ref(&self, id: &str) -> Value {
        let a = self.isms.audit(id);
        let title = a.and_then(|a| a.plan.as_ref()).map(|p| p.title.to_string());
        json!({"id": id, "title": title, "url": a.map(|_| url("audits", id))})
    }

    fn finding_ref(&self, f: &Finding) -> Value {
        json!({"id": f.id.as_str(), "url": url("findings", f.id.as_str()), "type": f.kind.as_str(), "status": f.status().as_str()})
    }

    fn evidence_ref(&self, path: &str) -> Value {
        match crate::model::locate_evidence(path) {
            Ok(crate::model::EvidenceLocation::Url(address)) => {
                return json!({"path": path, "external": address});
            }
            Ok(crate::model::EvidenceLocation::Tool { tool, .. }) => {
                return json!({"path": path, "tool": tool});
            }
            _ => {}
        }
        let present = publishable(self.isms, path);
        let url = present.then(|| format!("files/{}", published_name(path)));
        json!({"path": path, "url": url, "as_text": present && is_active(path)})
    }

    // ---- diagnostics ------------------------------------------------------------------

    fn diagnostic(&self, d: &Diagnostic) -> Value {
        let loc = d
            .origin
            .as_ref()
            .map(|o| Location::of(o, &self.outcome.files));
        json!({
            "code": d.code(),
            "severity": d.severity.as_str(),
            "message": d.text(),
            "help": d.help,
            "file": loc.as_ref().map(|l| l.file),
            "line": loc.as_ref().map(|l| l.line),
            "column": loc.as_ref().map(|l| l.column),
        })
    }

    /// The diagnostics that point inside an object (its file, within its span).
    fn diagnostics_in(&self, origin: &Origin, whole_file: bool) -> Vec<Value> {
        // The diagnostics are sorted by file and position: the object's are one run of them.
        let (from, to) = if whole_file {
            (0, usize::MAX)
        } else {
            (
                origin.span.start,
                origin.span.end.max(origin.span.start + 1),
            )
        };
        let all = &self.outcome.diagnostics;
        let at = |d: &Diagnostic| d.origin.as_ref().map(|o| (o.file, o.span.start));
        let first = all.partition_point(|d| at(d) < Some((origin.file, from)));
        let end = all.partition_point(|d| at(d) < Some((origin.file, to)));
        all[first..end.max(first)]
            .iter()
            .map(|d| self.diagnostic(d))
            .collect()
    }

    fn diagnostics_of_file(&self, file: FileId) -> Vec<Value> {
        self.diagnostics_in(&Origin::in_file(file), true)
    }

    // ---- dashboard --------------------------------------------------------------------

    fn dashboard(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let today = self.options.today;
        let catalog = catalog::iso27001();
        let mut soa: BTreeMap<&str, usize> = BTreeMap::new();
        for control in &catalog.controls {
            *soa.entry(soa_status(isms.soa_entry(&control.id)))
                .or_default() += 1;
        }
        let soa_bar = bar(&[
            ("implemented", soa.get("implemented").copied().unwrap_or(0)),
            ("partial", soa.get("partial").copied().unwrap_or(0)),
            ("planned", soa.get("planned").copied().unwrap_or(0)),
            ("excluded", soa.get("excluded").copied().unwrap_or(0)),
            ("incomplete", soa.get("incomplete").copied().unwrap_or(0)),
            ("missing", soa.get("missing").copied().unwrap_or(0)),
        ]);
        // Open findings by type and age.
        let buckets = ["≤30", "31–90", "91–180", ">180"];
        let mut by_type: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
        let mut open = Vec::new();
        for f in &isms.findings {
            if !f.status().is_open() {
                continue;
            }
            let age = f.raised_on.get().days_until(today).max(0);
            let b = match age {
                0..=30 => 0,
                31..=90 => 1,
                91..=180 => 2,
                _ => 3,
            };
            by_type.entry(f.kind.as_str()).or_default()[b] += 1;
            let mut r = self.finding_ref(f);
            r["age"] = json!(age);
            r["statement"] = opt(f.statement.as_ref().map(|s| s.get()));
            open.push(r);
        }
        let types: Vec<Value> = ["major-nc", "minor-nc", "observation", "opportunity"]
            .iter()
            .map(|t| {
                let c = by_type.get(t).copied().unwrap_or_default();
                json!({"type": t, "buckets": c, "total": c.iter().sum::<usize>()})
            })
            .collect();
        let overdue = self.overdue_actions();
        let mut due: Vec<Value> = self
            .coverage
            .areas
            .iter()
            .map(|a| {
                json!({
                    "area": self.area_ref(&a.area),
                    "next_due": a.next_due.to_string(),
                    "days": today.days_until(a.next_due),
                    "overdue": a.next_due < today && a.planned.is_none(),
                    "planned": a.planned.as_ref().map(|(id, d)| json!({"audit": self.audit_ref(id), "start": d.to_string()})),
                    "last": a.last.as_ref().map(|(id, d)| json!({"audit": self.audit_ref(id), "end": d.to_string()})),
                })
            })
            .collect();
        due.sort_by(|a, b| {
            (a["next_due"].as_str(), a["area"]["id"].as_str())
                .cmp(&(b["next_due"].as_str(), b["area"]["id"].as_str()))
        });
        let settings = &isms.config_or_default().risk;
        let high_risks: Vec<Value> = isms
            .risks
            .iter()
            .filter(|r| settings.needs_acceptance(r.residual_score()))
            .map(|r| {
                let mut v = self.risk_ref(r.id.as_str());
                v["score"] = json!(r.residual_score());
                v["accepted"] = json!(!r.accepted_by.is_empty());
                v
            })
            .collect();
        let diagnostics: Vec<Value> = self
            .outcome
            .diagnostics
            .iter()
            .map(|d| self.diagnostic(d))
            .collect();
        let cov = self.coverage_summary();
        let page = json!({
            "soa": soa_bar,
            "applicable": isms.soa.iter().filter(|c| c.is_applicable()).count(),
            "findings_by_type": types,
            "buckets": buckets,
            "open_findings": open,
            "overdue_actions": overdue,
            "due": due,
            "high_risks": high_risks,
            "threshold": settings.acceptance_threshold.get(),
            "risks_clear": if settings.acceptance.is_some() {
                "No residual risk is at a level that [risk.acceptance] asks someone to accept.".to_string()
            } else {
                format!("Every residual risk is at or below {}.", settings.acceptance_threshold.get())
            },
            "diagnostics": diagnostics,
            "coverage": cov,
            "counts": {
                "documents": isms.documents.len(), "risks": isms.risks.len(), "audits": isms.audits.len(),
                "findings": isms.findings.len(), "areas": isms.areas.len(), "people": isms.people.len(),
            },
        });
        self.index("page", "Dashboard".into(), "index.html".into());
        self.page("index.html", "index.html", "index", page)
    }

    fn overdue_actions(&self) -> Vec<Value> {
        let today = self.options.today;
        let mut out = Vec::new();
        for f in &self.isms.findings {
            for a in &f.actions {
                if let Some(due) = &a.due {
                    if a.completed_on.is_none() && *due.get() < today {
                        out.push(json!({
                            "finding": self.finding_ref(f),
                            "description": a.description.get(),
                            "owner": a.owner.as_ref().map(|o| self.person(o.as_str())),
                            "due": due.get().to_string(),
                            "days": due.get().days_until(today),
                        }));
                    }
                }
            }
        }
        out.sort_by(|a, b| a["due"].as_str().cmp(&b["due"].as_str()));
        out
    }

    fn coverage_summary(&self) -> Value {
        let c = &self.coverage;
        let [clauses, controls, areas] = c.counts;
        json!({
            "cycle": c.cycle.map(|cy| json!({"start": cy.start.to_string(), "end": cy.end.add_days(-1).to_string()})),
            "clauses": clauses,
            "controls": controls,
            "areas": areas,
        })
    }

    // ---- SoA and controls -------------------------------------------------------------

    fn audits_covering_control(&self, id: &str) -> Vec<Value> {
        let mut out = Vec::new();
        for a in &self.isms.audits {
            if let Some(plan) = &a.plan {
                if coverage::plan_controls(self.isms, plan)
                    .iter()
                    .any(|c| c == id)
                {
                    let mut r = self.audit_ref(a.id.as_str());
                    r["start"] = json!(plan.start.get().to_string());
                    out.push(r);
                }
            }
        }
        out.sort_by(|a, b| a["start"].as_str().cmp(&b["start"].as_str()));
        out
    }

    fn soa(&mut self, frameworks: &BTreeMap<String, Vec<Value>>) -> Result<(), BuildError> {
        let isms = self.isms;
        let catalog = catalog::iso27001();
        let mut rows = Vec::new();
        for control in &catalog.controls {
            let entry = isms.soa_entry(&control.id);
            let theme = catalog
                .theme(&control.theme)
                .map_or(control.theme.clone(), |t| t.title.clone());
            let needed_by = frameworks.get(&control.id).cloned().unwrap_or_default();
            let row = json!({
                "id": control.id,
                "title": control.title,
                "theme": theme,
                "frameworks": needed_by.iter().map(|r| json!({"framework": r["framework"], "citation": r["citation"], "title": r["title"], "url": r["url"]})).collect::<Vec<_>>(),
                "url": url("controls", &control.id),
                "status": soa_status(entry),
                "applicable": entry.and_then(|e| e.applicable.as_ref().map(|a| *a.get())),
                "justification": entry.and_then(|e| e.justification.as_ref().map(|j| j.to_string())),
                "basis": entry.map_or(vec![], |e| e.basis.iter().map(|b| json!(b.get())).collect()),
                "owner": entry.and_then(|e| e.owner.as_ref()).map(|o| self.person(o.as_str())),
                "risks": entry.map_or(vec![], |e| e.risks.iter().map(|r| self.risk_ref(r.as_str())).collect()),
                "documents": entry.map_or(vec![], |e| e.documents.iter().map(|d| self.doc_ref(d.as_str())).collect()),
                "evidence": entry.map_or(vec![], |e| e.evidence.iter().map(|p| self.evidence_ref(p.as_str())).collect()),
            });
            // The control's own page.
            let mut page = row.clone();
            let docs: BTreeSet<&str> = entry
                .map(|e| {
                    e.documents
                        .iter()
                        .map(|d| d.as_str())
                        .collect::<BTreeSet<_>>()
                })
                .unwrap_or_default()
                .into_iter()
                .chain(
                    isms.documents
                        .iter()
                        .filter(|d| d.front.controls.iter().any(|c| c.as_str() == control.id))
                        .map(|d| d.front.id.as_str()),
                )
                .collect();
            page["documents"] = json!(docs.iter().map(|d| self.doc_ref(d)).collect::<Vec<_>>());
            let mut risks: BTreeSet<&str> = entry
                .map(|e| e.risks.iter().map(|r| r.as_str()).collect())
                .unwrap_or_default();
            risks.extend(
                isms.risks
                    .iter()
                    .filter(|r| r.controls.iter().any(|c| c.as_str() == control.id))
                    .map(|r| r.id.as_str()),
            );
            page["risks"] = json!(risks.iter().map(|r| self.risk_ref(r)).collect::<Vec<_>>());
            page["areas"] = json!(
                isms.areas
                    .iter()
                    .filter(|a| a.controls.iter().any(|c| c.as_str() == control.id))
                    .map(|a| self.area_ref(a.id.as_str()))
                    .collect::<Vec<_>>()
            );
            page["audits"] = json!(self.audits_covering_control(&control.id));
            let mut items = Vec::new();
            for a in &isms.audits {
                for item in a.checklist.iter().flat_map(|c| c.items.iter()) {
                    if item.reference.as_str() == control.id {
                        items.push(json!({
                            "audit": self.audit_ref(a.id.as_str()),
                            "question": item.question.get(),
                            "result": item.result.as_str(),
                            "evidence": opt(item.evidence.as_ref().map(|e| e.get())),
                        }));
                    }
                }
            }
            page["checklist"] = json!(items);
            page["findings"] = json!(
                isms.findings
                    .iter()
                    .filter(|f| f.refs.iter().any(|r| r.as_str() == control.id))
                    .map(|f| self.finding_summary(f))
                    .collect::<Vec<_>>()
            );
            page["diagnostics"] =
                json!(entry.map_or(vec![], |e| self.diagnostics_in(&e.origin, false)));
            page["in_soa"] = json!(entry.is_some());
            page["maturity"] = json!(self.control_maturity(&control.id));
            page["frameworks"] = json!(needed_by);
            page["exceptions"] = json!(self.exceptions_of(&control.id));
            self.index_object(
                "control",
                format!("{} {}", control.id, control.title),
                url("controls", &control.id),
                &row,
            );
            self.page("control.html", &url("controls", &control.id), "soa", page)?;
            rows.push(row);
        }
        let unknown: Vec<Value> = isms
            .soa
            .iter()
            .filter(|e| catalog.control(e.id.as_str()).is_none())
            .map(|e| json!({"id": e.id.as_str()}))
            .collect();
        let themes: Vec<Value> = catalog.themes.iter().map(|t| json!(t.title)).collect();
        self.index(
            "page",
            "Statement of Applicability".into(),
            "soa.html".into(),
        );
        self.page(
            "soa.html",
            "soa.html",
            "soa",
            json!({"controls": rows, "unknown": unknown, "themes": themes}),
        )
    }

    // ---- audits -----------------------------------------------------------------------

    fn audits(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        let today = self.options.today;
        let mut audits: Vec<&Audit> = isms.audits.iter().collect();
        audits.sort_by(|a, b| {
            let key = |x: &Audit| (x.plan.as_ref().map(|p| *p.start.get()), x.id.to_string());
            key(a).cmp(&key(b))
        });
        let cycle = self.coverage.cycle;
        let (t0, t1) = match cycle {
            Some(c) => (c.start, c.end),
            None => {
                let starts: Vec<Date> = audits
                    .iter()
                    .filter_map(|a| a.plan.as_ref())
                    .map(|p| *p.start.get())
                    .collect();
                let s = starts.iter().min().copied().unwrap_or(today);
                (s, s.add_months(12))
            }
        };
        let span = t0.days_until(t1).max(1) as f64;
        let x = |d: Date| (t0.days_until(d) as f64 / span * 1000.0).clamp(0.0, 1000.0);
        let mut rows = Vec::new();
        for a in &audits {
            let id = a.id.as_str();
            let plan = a.plan.as_ref();
            let status = audit_status(a, today);
            let row = json!({
                "id": id,
                "url": url("audits", id),
                "title": plan.map(|p| p.title.to_string()),
                "start": plan.map(|p| p.start.get().to_string()),
                "end": plan.map(|p| p.end.get().to_string()),
                "lead": plan.map(|p| self.person(p.lead.as_str())),
                "kind": plan.map(|p| p.kind.as_str()),
                "transcribed_by": plan.and_then(|p| p.transcribed_by.as_ref()).map(|t| self.person(t.as_str())),
                "areas": plan.map_or(vec![], |p| p.areas.iter().map(|a| self.area_ref(a.as_str())).collect()),
                "status": status,
                "conclusion": a.report.as_ref().map(|r| conclusion(r.front.conclusion.get())),
                "findings": isms.findings_of(id).count(),
                "x": plan.map(|p| x(*p.start.get())),
                "w": plan.map(|p| (x(*p.end.get()) - x(*p.start.get())).max(6.0)),
                "label": plan.map(|p| {
                    let (x0, x1) = (x(*p.start.get()), x(*p.end.get()).max(x(*p.start.get()) + 6.0));
                    timeline_label(&format!("{id} · {}", p.title.get()), x0, x1)
                }),
            });
            self.audit_page(a, row.clone())?;
            rows.push(row);
        }
        let mut months = Vec::new();
        let mut m = t0;
        while m < t1 {
            months.push(json!({"x": x(m), "label": month_label(m)}));
            m = m.add_months(1);
        }
        let c = &self.coverage;
        let clauses: Vec<Value> = catalog::iso27001()
            .requirement_clauses()
            .filter_map(|cl| c.clauses.get_key_value(&cl.id))
            .map(|(id, audits)| json!({"ref": self.clause_ref(id), "audits": audits.iter().map(|a| self.audit_ref(a)).collect::<Vec<_>>()}))
            .collect();
        let controls: Vec<Value> = catalog::iso27001()
            .controls
            .iter()
            .filter_map(|ct| c.controls.get_key_value(&ct.id))
            .map(|(id, audits)| json!({"ref": self.control_ref(id), "audits": audits.iter().map(|a| self.audit_ref(a)).collect::<Vec<_>>()}))
            .collect();
        let programme = isms.programme.as_ref().map(|p| {
            json!({
                "owner": self.person(p.owner.as_str()),
                "objectives": p.objectives.iter().map(|o| o.get()).collect::<Vec<_>>(),
                "criteria": p.criteria.iter().map(|o| o.get()).collect::<Vec<_>>(),
                "methods": p.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            })
        });
        let today_x = if t0 <= today && today < t1 {
            json!(x(today))
        } else {
            Value::Null
        };
        let page = json!({
            "audits": rows,
            "programme": programme,
            "months": months,
            "today_x": today_x,
            "cycle": {"start": t0.to_string(), "end": t1.add_days(-1).to_string()},
            "coverage": self.coverage_summary(),
            "clauses": clauses,
            "controls": controls,
            "areas_due": self.dashboard_due(),
        });
        self.index("page", "Audit programme".into(), "audits.html".into());
        self.page("audits.html", "audits.html", "audits", page)
    }

    fn dashboard_due(&self) -> Vec<Value> {
        self.coverage
            .areas
            .iter()
            .map(|a| json!({
                "area": self.area_ref(&a.area),
                "last": a.last.as_ref().map(|(id, d)| json!({"audit": self.audit_ref(id), "end": d.to_string()})),
                "planned": a.planned.as_ref().map(|(id, d)| json!({"audit": self.audit_ref(id), "start": d.to_string()})),
                "next_due": a.next_due.to_string(),
                "overdue": a.next_due < self.options.today && a.planned.is_none(),
            }))
            .collect()
    }

    fn audit_page(&mut self, audit: &Audit, mut page: Value) -> Result<(), BuildError> {
        let isms = self.isms;
        let id = audit.id.as_str();
        if let Some(plan) = &audit.plan {
            page["plan"] = self.plan(plan);
            page["diagnostics_plan"] = json!(self.diagnostics_of_file(plan.origin.file));
        }
        if let Some(checklist) = &audit.checklist {
            let items: Vec<Value> = checklist.items.iter().map(|item| json!({
                "ref": self.requirement_ref(item.reference.as_str()),
                "question": item.question.get(),
                "method": item.method.as_str(),
                "result": item.result.as_str(),
                "evidence": opt(item.evidence.as_ref().map(|e| e.get())),
                "finding": item.finding.as_ref().map(|f| json!({"id": f.as_str(), "url": isms.finding(f.as_str()).map(|_| url("findings", f.as_str()))})),
            })).collect();
            let mut results: BTreeMap<&str, usize> = BTreeMap::new();
            for item in &checklist.items {
                *results.entry(item.result.as_str()).or_default() += 1;
            }
            page["checklist"] = json!(items);
            page["results"] = bar(&[
                (
                    "conforming",
                    results.get("conforming").copied().unwrap_or(0),
                ),
                (
                    "observation",
                    results.get("observation").copied().unwrap_or(0),
                ),
                (
                    "opportunity",
                    results.get("opportunity").copied().unwrap_or(0),
                ),
                (
                    "nonconformity",
                    results.get("nonconformity").copied().unwrap_or(0),
                ),
                (
                    "not-assessed",
                    results.get("not-assessed").copied().unwrap_or(0),
                ),
            ]);
            page["diagnostics_checklist"] = json!(self.diagnostics_of_file(checklist.origin.file));
        }
        if let Some(report) = &audit.report {
            let text = &self.outcome.files.get(report.origin.file).text;
            let body = text.get(report.body_start..).unwrap_or("");
            let f = &report.front;
            page["report"] = json!({
                "date": f.date.get().to_string(),
                "conclusion": conclusion(f.conclusion.get()),
                "distributed_to": f.distributed_to.iter().map(|p| self.person(p.as_str())).collect::<Vec<_>>(),
                "distributed_on": opt(f.distributed_on.as_ref().map(|d| d.get())),
                "html": markdown::render(body),
            });
            page["diagnostics_report"] = json!(self.diagnostics_of_file(report.origin.file));
        }
        let records = [
            audit.plan.as_ref().map(|p| p.origin.file),
            audit.checklist.as_ref().map(|c| c.origin.file),
            audit.report.as_ref().map(|r| r.origin.file),
        ];
        page["signatures"] = json!(self.record_signatures(records.into_iter().flatten()));
        page["reviewed_in"] =
            json!(self.reviewed_in(|r| { r.audits_reviewed.iter().any(|a| a.as_str() == id) }));
        page["incidents"] = json!(self.incidents_validated_by(id));
        page["finding_list"] = json!(
            isms.findings_of(id)
                .map(|f| self.finding_summary(f))
                .collect::<Vec<_>>()
        );
        let title = page["title"].as_str().unwrap_or("").to_string();
        self.index_object(
            "audit",
            format!("{id} {title}"),
            url("audits", id),
            &page["plan"],
        );
        self.page("audit.html", &url("audits", id), "audits", page)
    }

    /// Who signed the latest change of each record file, where signatures are required.
    fn record_signatures(&self, files: impl Iterator<Item = crate::model::FileId>) -> Vec<Value> {
        let Some(history) = self.outcome.history.as_ref() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for file in files {
            let path = &self.outcome.files.get(file).path;
            let Some(&latest) = history.touching(&history.repo_path(path)).first() else {
                continue;
            };
            let Some((proven, text)) = crate::signing::seal_text(self.isms, history, latest) else {
                continue;
            };
            let commit = history.commit(latest);
            out.push(json!({
                "path": path,
                "commit": commit.short(),
                "date": commit.date.to_string(),
                "proven": proven,
                "text": text,
            }));
        }
        out
    }

    fn plan(&self, plan: &Plan) -> Value {
        let isms = self.isms;
        let history = self.outcome.history.as_ref();
        let months = *isms.config_or_default().independence.lookback_months.get();
        let resolver = &self.resolver;
        let auditors: BTreeSet<&str> = plan.auditors().map(|a| a.as_str()).collect();
        let candidates: Vec<Value> =
            independence::candidates(isms, plan, history, resolver, months)
                .iter()
                .filter(|c| auditors.contains(c.person.id.as_str()))
                .map(|c| {
                    json!({
                        "person": self.person(c.person.id.as_str()),
                        "eligible": c.eligible(),
                        "conflicts": c.conflicts.iter().map(|v| json!({
                            "unit": v.unit, "why": v.why,
                            "waived_by": v.waiver.map(|w| self.person(w.approved_by.as_str())),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
        json!({
            "objectives": opt(plan.objectives.as_ref().map(|o| o.get())),
            "criteria": plan.criteria.iter().map(|c| c.get()).collect::<Vec<_>>(),
            "clauses": coverage::plan_clauses(isms, plan).iter().map(|c| self.clause_ref(c)).collect::<Vec<_>>(),
            "controls": coverage::plan_controls(isms, plan).iter().map(|c| self.control_ref(c)).collect::<Vec<_>>(),
            "team": plan.team.iter().map(|p| self.person(p.as_str())).collect::<Vec<_>>(),
            "methods": plan.methods.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "resources": opt(plan.resources.as_ref().map(|r| r.get())),
            "notified": plan.notified.iter().map(|p| self.person(p.as_str())).collect::<Vec<_>>(),
            "notified_on": opt(plan.notified_on.as_ref().map(|d| d.get())),
            "waivers": plan.waivers.iter().map(|w| json!({
                "auditor": self.person(w.auditor.as_str()),
                "area": self.area_ref(w.area.as_str()),
                "reason": w.reason.get(),
                "approved_by": self.person(w.approved_by.as_str()),
                "approved_on": w.approved_on.get().to_string(),
            })).collect::<Vec<_>>(),
            "impartiality": candidates,
            "exemptions": self.exemptions_of(plan.id.as_str()),
            "git": history.is_some(),
        })
    }

    /// The exemptions in effect for an audit, from its IND012 diagnostic's data.
    fn exemptions_of(&self, audit: &str) -> Vec<String> {
        self.outcome
            .diagnostics
            .iter()
            .filter(|d| d.rule == crate::rules::Rule::IND012)
            .filter(|d| d.subject.audit.as_deref() == Some(audit))
            .flat_map(|d| d.subject.exemptions.iter().cloned())
            .collect()
    }

    /// Who changed a file, when: commit, date, author, subject (no diffs).
    fn file_history(&self, file: FileId) -> Vec<Value> {
        let Some(history) = self.outcome.history.as_ref() else {
            return Vec::new();
        };
        let resolver = &self.resolver;
        let path = &self.outcome.files.get(file).path;
        let repo_path = history.repo_path(path);
        history
            .touching(&repo_path)
            .iter()
            .map(|&i| {
                let c = history.commit(i);
                let author = match resolver.author(c) {
                    Who::Person(p) => self.person(p.id.as_str()),
                    _ => json!({"name": c.author.name}),
                };
                json!({"commit": c.short(), "date": c.date.to_string(), "subject": c.subject, "author": author})
            })
            .collect()
    }

    // ---- evidence ---------------------------------------------------------------------

    /// Copies the evidence files the SoA links to, when they lie below the ISMS root as
    /// regular files (never through a symlink).
    fn copy_evidence(&mut self) {
        let root = &self.workspace.root;
        let paths: BTreeSet<&str> = self
            .isms
            .soa
            .iter()
            .flat_map(|e| e.evidence.iter().map(|p| p.as_str()))
            .collect();
        for path in paths {
            if !publishable(self.isms, path) {
                continue;
            }
            // Every component must be a real folder or file, not a symlink.
            let mut current = root.clone();
            let mut ok = true;
            for part in path.split('/') {
                current.push(part);
                match std::fs::symlink_metadata(&current) {
                    Ok(m) if !m.file_type().is_symlink() => {}
                    _ => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok || !current.is_file() {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&current) {
                self.files
                    .insert(format!("files/{}", published_name(path)), bytes);
            }
        }
    }
}

/// An evidence file the site copies: listed below the ISMS root, a regular file (not a link), at
/// a path that stays in its folder.
fn publishable(isms: &Isms, path: &str) -> bool {
    isms.files.contains(path) && !isms.links.contains(path) && safe_rel(path)
}

/// Kinds of file a browser runs scripts in when it opens them from the site's origin.
const ACTIVE_EXTENSIONS: [&str; 14] = [
    "htm", "html", "shtml", "xht", "xhtml", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt",
    "js", "mjs",
];

/// Evidence a browser would execute (HTML, SVG, XML and the like).
fn is_active(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ACTIVE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// The name evidence is published under: active evidence gets a `.txt` suffix, so a static host
/// serves it as plain text and no script in it runs on the site's origin.
fn published_name(path: &str) -> String {
    if is_active(path) {
        format!("{path}.txt")
    } else {
        path.to_string()
    }
}

/// A relative path with no `..`, no empty or hidden component and no backslash.
fn safe_rel(path: &str) -> bool {
    !path.contains('\\')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != ".." && p != "." && !p.starts_with('.'))
}

fn soa_status(entry: Option<&crate::model::SoaEntry>) -> &'static str {
    match entry {
        None => "missing",
        Some(e) if e.is_excluded() => "excluded",
        Some(e) if e.is_applicable() => match e.status.as_ref().map(|s| *s.get()) {
            Some(ImplStatus::Implemented) => "implemented",
            Some(ImplStatus::Partial) => "partial",
            Some(ImplStatus::Planned) => "planned",
            None => "incomplete",
        },
        Some(_) => "incomplete",
    }
}

/// Where a timeline bar's label goes: on the side of the bar (from `x0` to `x1`, of 1000) with
/// more room, cut with an ellipsis to fit it, so no label runs off the chart.
fn timeline_label(text: &str, x0: f64, x1: f64) -> Value {
    /// The average width of a character of the 13-unit label font, in chart units.
    const CHAR: f64 = 7.2;
    const GAP: f64 = 6.0;
    let (left, right) = (x0 - GAP + 10.0, 1020.0 - x1 - GAP);
    let (end, x, room) = if left > right {
        (true, x0 - GAP, left)
    } else {
        (false, x1 + GAP, right)
    };
    let fits = (room / CHAR).floor().max(1.0) as usize;
    let text = if text.chars().count() <= fits {
        text.to_string()
    } else {
        let cut: String = text.chars().take(fits.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    };
    json!({"x": x, "end": end, "text": text})
}

/// Segments of a stacked bar: `[{name, count, x, w}]` in per cent of the total.
fn bar(parts: &[(&str, usize)]) -> Value {
    let total: usize = parts.iter().map(|p| p.1).sum();
    let mut x = 0.0;
    let mut segs = Vec::new();
    for (name, count) in parts {
        let w = if total == 0 {
            0.0
        } else {
            *count as f64 * 100.0 / total as f64
        };
        segs.push(json!({"name": name, "count": count, "x": x, "w": w}));
        x += w;
    }
    json!({"total": total, "parts": segs})
}

/// The audit's state as the check and the coverage see it ([`crate::coverage::state`]), in the
/// words of the pages.
fn audit_status(audit: &Audit, today: Date) -> &'static str {
    use crate::coverage::AuditState;
    match crate::coverage::state(audit, today) {
        None => "no plan",
        Some(AuditState::Planned) => "planned",
        Some(AuditState::InProgress) => "in progress",
        Some(AuditState::Completed) => "reported",
        Some(AuditState::Lapsed) => "awaiting report",
    }
}

fn conclusion(c: &crate::model::Conclusion) -> &'static str {
    match c {
        crate::model::Conclusion::Effective => "effective",
        crate::model::Conclusion::EffectiveWithExceptions => "effective with exceptions",
        crate::model::Conclusion::NotEffective => "not effective",
    }
}

fn month_label(d: Date) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let s = d.to_string();
    let month: usize = s.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!("{} {}", NAMES[(month - 1) % 12], s.get(2..4).unwrap_or(""))
}

/// The words an object can be found by besides its title: every text of its row but links,
/// rendered HTML and check results, each word once, at most a few hundred characters.
fn search_words(row: &Value, title: &str) -> String {
    const SKIP: [&str; 5] = ["url", "anchor", "html", "diagnostics", "known"];
    const LIMIT: usize = 600;
    fn walk<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| !SKIP.contains(&k.as_str()))
                .for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut texts = Vec::new();
    walk(row, &mut texts);
    let title = title.to_lowercase();
    let mut seen = BTreeSet::new();
    let mut words = String::new();
    for word in texts.iter().flat_map(|t| t.split_whitespace()) {
        let lower = word.to_lowercase();
        if words.len() + word.len() >= LIMIT {
            break;
        }
        if title.contains(&lower) || !seen.insert(lower) {
            continue;
        }
        if !words.is_empty() {
            words.push(' ');
        }
        words.push_str(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::{search_words, timeline_label};
    use serde_json::json;

    #[test]
    fn search_words_skip_links_html_checks_and_title_words() {
        let row = json!({
            "title": "Access Control Policy",
            "owner": {"name": "Frank Delacroix", "url": "people.html#p-frank", "known": true},
            "html": "<p>body</p>",
            "diagnostics": [{"message": "DOC004 stale"}],
            "controls": [{"id": "A.5.15"}, {"id": "A.5.15"}],
            "version": 2,
        });
        assert_eq!(
            search_words(&row, "POL-ACCESS Access Control Policy"),
            "A.5.15 Frank Delacroix"
        );
        let long = json!({"text": "word ".repeat(10) + &"x".repeat(700)});
        assert!(search_words(&long, "").len() <= 600);
    }

    #[test]
    fn timeline_labels_take_the_roomier_side_and_fit_it() {
        let early = timeline_label("IA-1 · Short", 50.0, 60.0);
        assert_eq!(
            early,
            json!({"x": 66.0, "end": false, "text": "IA-1 · Short"})
        );
        let late = timeline_label(&"y".repeat(200), 700.0, 710.0);
        assert_eq!(late["end"], true);
        let text = late["text"].as_str().unwrap();
        assert!(text.ends_with('…'));
        assert!(text.chars().count() as f64 * 7.2 <= 704.0, "{text}");
    }
}
