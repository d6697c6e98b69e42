//! `isms export oscal`: the audit programme, audits and findings as OSCAL 1.1.2 JSON, for GRC
//! tools that read the assessment layer of NIST's Open Security Controls Assessment Language.
//!
//! - assessment-plan: the programme (objectives, criteria, methods) and each audit plan as a
//!   task with its dates, team and areas; the controls in scope as reviewed controls.
//! - assessment-results: one result per completed audit; its checklist items as observations
//!   with their evidence, and nonconformities as findings targeting their controls, each with
//!   the finding as a risk.
//! - poam: open findings with their corrective actions and due dates.
//!
//! Annex A controls are referenced by their ids (`A.5.15`), clauses as `clause-9.2.2` (an OSCAL
//! token may not start with a digit). Every UUID is version 5, derived from the organisation
//! and the object's id, so the same ISMS always gives the same document.

mod types;

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::coverage;
use crate::model::{Audit, Date, Finding, Isms, ItemResult, Method, RequirementRef};
use types::*;

/// The namespace of every UUID this tool derives (itself a version 5 UUID of the tool's name).
const NAMESPACE: Uuid = Uuid::from_u128(0x6f1c_3b0e_5d2a_5f4e_9b7a_2c8d_1e0f_4a3b);

/// Which OSCAL model to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    AssessmentPlan,
    AssessmentResults,
    Poam,
}

impl Model {
    fn key(self) -> &'static str {
        match self {
            Model::AssessmentPlan => "assessment-plan",
            Model::AssessmentResults => "assessment-results",
            Model::Poam => "poam",
        }
    }
}

struct Builder<'a> {
    isms: &'a Isms,
    organisation: String,
    today: Date,
}

/// The OSCAL document for `model`, optionally limited to one audit, as pretty JSON.
pub fn write(
    isms: &Isms,
    model: Model,
    audit: Option<&str>,
    today: Date,
) -> Result<String, String> {
    if let Some(id) = audit {
        if isms.audit(id).is_none() {
            let ids = isms.audits.iter().map(|a| a.id.as_str());
            let hint = crate::suggest::did_you_mean(id, ids)
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            return Err(format!("no audit `{id}` in audits/{hint}"));
        }
    }
    let b = Builder {
        isms,
        organisation: isms
            .config
            .as_ref()
            .map(|c| c.organisation.name.to_string())
            .unwrap_or_default(),
        today,
    };
    let scope = audit.map_or_else(|| "the ISMS".to_string(), |id| format!("audit {id}"));
    let document = match model {
        Model::AssessmentPlan => Document::AssessmentPlan(b.plan(audit)),
        Model::AssessmentResults => {
            let results = b.results(audit);
            if results.results.is_empty() {
                return Err(format!(
                    "nothing to write: {scope} has no completed audit (with its report), and OSCAL assessment results hold at least one result"
                ));
            }
            Document::AssessmentResults(results)
        }
        Model::Poam => {
            let poam = b.poam(audit);
            if poam.poam_items.is_empty() {
                return Err(format!(
                    "nothing to write: {scope} has no open nonconformity, and an OSCAL plan of action and milestones holds at least one item"
                ));
            }
            Document::Poam(poam)
        }
    };
    let mut text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

/// `2026-03-16T00:00:00Z`: OSCAL dates carry a time and a zone.
fn at_start(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

fn at_end(d: Date) -> String {
    format!("{d}T23:59:59Z")
}

/// An OSCAL control id for a control or clause reference.
fn control_id(reference: &str) -> String {
    if reference.starts_with("A.") {
        reference.to_string()
    } else {
        format!("clause-{reference}")
    }
}

fn method(m: Method) -> &'static str {
    match m {
        Method::DocumentReview | Method::Observation => "EXAMINE",
        Method::Interview => "INTERVIEW",
        Method::TechnicalTest => "TEST",
    }
}

fn selection(
    ids: impl IntoIterator<Item = String>,
    description: Option<String>,
) -> ReviewedControls {
    let mut seen = BTreeSet::new();
    let include_controls: Vec<SelectControl> = ids
        .into_iter()
        .filter(|id| seen.insert(id.clone()))
        .map(|control_id| SelectControl { control_id })
        .collect();
    ReviewedControls {
        control_selections: vec![ControlSelection {
            description: description.or_else(|| {
                include_controls
                    .is_empty()
                    .then(|| "No control in scope.".to_string())
            }),
            include_controls,
        }],
    }
}

impl Builder<'_> {
    fn uuid(&self, kind: &str, id: &str) -> Uuid {
        Uuid::new_v5(
            &NAMESPACE,
            format!("{}\n{kind}\n{id}", self.organisation).as_bytes(),
        )
    }

    fn audits<'s>(&'s self, only: Option<&'s str>) -> impl Iterator<Item = &'s Audit> + 's {
        self.isms
            .audits
            .iter()
            .filter(move |a| only.is_none_or(|id| a.id.as_str() == id))
    }

    fn metadata(&self, title: String, parties: Vec<Party>, remarks: Option<String>) -> Metadata {
        let organisation = Party {
            uuid: self.uuid("party", "organisation"),
            kind: "organization",
            name: self.organisation.clone(),
            email_addresses: Vec::new(),
        };
        let mut all = vec![organisation];
        all.extend(parties);
        let responsible_parties = vec![ResponsibleParty {
            role_id: "prepared-for",
            party_uuids: vec![self.uuid("party", "organisation")],
        }];
        Metadata {
            title,
            last_modified: at_start(self.today),
            version: self.today.to_string(),
            oscal_version: OSCAL_VERSION,
            roles: vec![
                Role {
                    id: "prepared-for",
                    title: "The organisation whose ISMS is audited",
                },
                Role {
                    id: "assessment-lead",
                    title: "Lead auditor",
                },
                Role {
                    id: "assessor",
                    title: "Internal auditor",
                },
            ],
            parties: all,
            responsible_parties,
            remarks,
        }
    }

    /// The people named as auditors of the audits written.
    fn auditors(&self, only: Option<&str>) -> Vec<Party> {
        let mut ids = BTreeSet::new();
        for audit in self.audits(only) {
            if let Some(plan) = &audit.plan {
                ids.extend(plan.auditors().map(|p| p.to_string()));
            }
        }
        ids.into_iter()
            .map(|id| {
                let person = self.isms.person(&id);
                Party {
                    uuid: self.uuid("person", &id),
                    kind: "person",
                    name: person.map_or_else(|| id.clone(), |p| p.name.to_string()),
                    email_addresses: person
                        .map(|p| p.emails.iter().map(|e| e.to_string()).collect())
                        .unwrap_or_default(),
                }
            })
            .collect()
    }

    /// An area's component: one for the plan, and one per result (a UUID names one object).
    fn area_uuid(&self, audit: Option<&Audit>, area: &str) -> Uuid {
        match audit {
            None => self.uuid("area", area),
            Some(a) => self.uuid("audited-area", &format!("{}#{area}", a.id.as_str())),
        }
    }

    /// Areas as components the tasks and observations point at: those of `audit`, or all.
    fn areas(&self, audit: Option<&Audit>) -> Option<LocalDefinitions> {
        let in_scope = |id: &str| {
            audit.is_none_or(|a| {
                a.plan
                    .as_ref()
                    .is_some_and(|p| p.areas.iter().any(|x| x.as_str() == id))
            })
        };
        let components: Vec<Component> = self
            .isms
            .areas
            .iter()
            .filter(|a| in_scope(a.id.as_str()))
            .map(|a| Component {
                uuid: self.area_uuid(audit, a.id.as_str()),
                kind: "process-procedure",
                title: a.name.to_string(),
                description: format!("ISMS area `{}`", a.id.as_str()),
                status: ComponentStatus {
                    state: "operational",
                },
            })
            .collect();
        (!components.is_empty()).then_some(LocalDefinitions { components })
    }

    fn area_subjects(&self, audit: &Audit) -> Vec<AssessmentSubject> {
        let Some(plan) = &audit.plan else {
            return Vec::new();
        };
        let include_subjects: Vec<SelectSubject> = plan
            .areas
            .iter()
            .filter(|a| self.isms.area(a.as_str()).is_some())
            .map(|a| SelectSubject {
                subject_uuid: self.uuid("area", a.as_str()),
                kind: "component",
            })
            .collect();
        if include_subjects.is_empty() {
            Vec::new()
        } else {
            vec![AssessmentSubject {
                kind: "component",
                include_subjects,
            }]
        }
    }

    fn scope_ids(&self, audit: &Audit) -> Vec<String> {
        audit
            .plan
            .as_ref()
            .map(|p| {
                coverage::scope(self.isms, p)
                    .requirements()
                    .map(control_id)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn plan(&self, only: Option<&str>) -> AssessmentPlan {
        let mut tasks = Vec::new();
        let mut reviewed = Vec::new();
        let mut subjects = Vec::new();
        for audit in self.audits(only) {
            let Some(plan) = &audit.plan else { continue };
            reviewed.extend(self.scope_ids(audit));
            let task_subjects = self.area_subjects(audit);
            subjects.extend(
                task_subjects
                    .iter()
                    .flat_map(|s| s.include_subjects.iter())
                    .map(|s| s.subject_uuid),
            );
            let mut roles = vec![ResponsibleRole {
                role_id: "assessment-lead",
                party_uuids: vec![self.uuid("person", plan.lead.as_str())],
            }];
            if !plan.team.is_empty() {
                roles.push(ResponsibleRole {
                    role_id: "assessor",
                    party_uuids: plan
                        .team
                        .iter()
                        .map(|p| self.uuid("person", p.as_str()))
                        .collect(),
                });
            }
            let mut description = plan
                .objectives
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default();
            if !plan.criteria.is_empty() {
                let criteria: Vec<&str> = plan.criteria.iter().map(|c| c.as_str()).collect();
                description.push_str(&format!("\n\nCriteria: {}.", criteria.join("; ")));
            }
            tasks.push(Task {
                uuid: self.uuid("audit", audit.id.as_str()),
                kind: "action",
                title: format!("{}: {}", audit.id.as_str(), plan.title.as_str()),
                description: Some(description.trim().to_string()).filter(|d| !d.is_empty()),
                timing: Some(Timing::WithinDateRange {
                    start: at_start(*plan.start.get()),
                    end: at_end(*plan.end.get()),
                }),
                subjects: task_subjects,
                responsible_roles: roles,
            });
        }
        let mut seen = BTreeSet::new();
        subjects.retain(|u| seen.insert(*u));
        let assessment_subjects = if subjects.is_empty() {
            Vec::new()
        } else {
            vec![AssessmentSubject {
                kind: "component",
                include_subjects: subjects
                    .into_iter()
                    .map(|subject_uuid| SelectSubject {
                        subject_uuid,
                        kind: "component",
                    })
                    .collect(),
            }]
        };
        let mut parts = Vec::new();
        if let Some(p) = &self.isms.programme {
            let list = |items: &[crate::model::Spanned<String>]| {
                items
                    .iter()
                    .map(|s| format!("- {}", s.as_str()))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            if !p.objectives.is_empty() {
                parts.push(Part {
                    name: "assessment-objectives",
                    title: Some("Audit programme objectives".into()),
                    prose: list(&p.objectives),
                });
            }
            if !p.criteria.is_empty() {
                parts.push(Part {
                    name: "assessment-criteria",
                    title: Some("Audit criteria".into()),
                    prose: list(&p.criteria),
                });
            }
            if !p.methods.is_empty() {
                let methods: Vec<&str> = p.methods.iter().map(|m| m.as_str()).collect();
                parts.push(Part {
                    name: "methodology",
                    title: Some("Audit methods".into()),
                    prose: methods.join(", "),
                });
            }
        }
        let scope = only.map_or_else(|| "audit programme".to_string(), |id| format!("audit {id}"));
        AssessmentPlan {
            uuid: self.uuid("assessment-plan", only.unwrap_or("programme")),
            metadata: self.metadata(
                format!("{}: internal ISMS {scope} (ISO/IEC 27001:2022 clause 9.2)", self.organisation),
                self.auditors(only),
                None,
            ),
            import_ssp: Href {
                href: "soa.toml".into(),
                remarks: Some("The ISMS has no OSCAL system security plan; its Statement of Applicability is soa.toml.".into()),
            },
            local_definitions: self.areas(None),
            terms_and_conditions: (!parts.is_empty()).then_some(TermsAndConditions { parts }),
            reviewed_controls: selection(reviewed, None),
            assessment_subjects,
            tasks,
        }
    }

    fn results(&self, only: Option<&str>) -> AssessmentResults {
        let mut results = Vec::new();
        for audit in self.audits(only) {
            let (Some(plan), Some(report)) = (&audit.plan, &audit.report) else {
                continue;
            };
            let subjects: Vec<SubjectReference> = plan
                .areas
                .iter()
                .filter(|a| self.isms.area(a.as_str()).is_some())
                .map(|a| SubjectReference {
                    subject_uuid: self.area_uuid(Some(audit), a.as_str()),
                    kind: "component",
                })
                .collect();
            let mut observations = Vec::new();
            let collected = at_end(*plan.end.get());
            for (n, item) in audit
                .checklist
                .iter()
                .flat_map(|c| c.items.iter())
                .enumerate()
            {
                let reference = item.reference.as_str();
                observations.push(Observation {
                    uuid: self.uuid("observation", &format!("{}#{}", audit.id.as_str(), n + 1)),
                    title: format!("{reference}: {}", item.result.as_str()),
                    description: item.question.to_string(),
                    methods: vec![method(*item.method.get())],
                    subjects: subjects
                        .iter()
                        .map(|s| SubjectReference {
                            subject_uuid: s.subject_uuid,
                            kind: s.kind,
                        })
                        .collect(),
                    relevant_evidence: item
                        .evidence
                        .as_ref()
                        .map(|e| {
                            vec![Evidence {
                                description: e.to_string(),
                            }]
                        })
                        .unwrap_or_default(),
                    collected: collected.clone(),
                    remarks: (*item.result.get() == ItemResult::NotAssessed)
                        .then(|| "Not assessed.".to_string()),
                });
            }
            let mut risks = Vec::new();
            let mut findings = Vec::new();
            for finding in self.isms.findings_of(audit.id.as_str()) {
                let related: Vec<RelatedObservation> = audit
                    .checklist
                    .iter()
                    .flat_map(|c| c.items.iter())
                    .enumerate()
                    .filter(|(_, i)| {
                        i.finding
                            .as_ref()
                            .is_some_and(|f| f.as_str() == finding.id.as_str())
                    })
                    .map(|(n, _)| RelatedObservation {
                        observation_uuid: self
                            .uuid("observation", &format!("{}#{}", audit.id.as_str(), n + 1)),
                    })
                    .collect();
                let nonconformity = finding.kind.is_nonconformity();
                let risk = nonconformity.then(|| self.risk(finding));
                for target in &finding.refs {
                    findings.push(
                        self.finding(
                            finding,
                            target.as_str(),
                            related
                                .iter()
                                .map(|r| RelatedObservation {
                                    observation_uuid: r.observation_uuid,
                                })
                                .collect(),
                            risk.as_ref().map(|r| r.uuid),
                            (!nonconformity).then(|| {
                                format!(
                                    "An {} of the audit, not a nonconformity.",
                                    finding.kind.as_str()
                                )
                            }),
                        ),
                    );
                }
                risks.extend(risk);
            }
            results.push(AssessmentResult {
                uuid: self.uuid("result", audit.id.as_str()),
                title: format!("{}: {}", audit.id.as_str(), plan.title.as_str()),
                description: format!(
                    "Internal audit {} reported on {}; conclusion: {}.",
                    audit.id.as_str(),
                    report.front.date.get(),
                    conclusion(*report.front.conclusion.get())
                ),
                start: at_start(*plan.start.get()),
                end: Some(at_end(*plan.end.get())),
                local_definitions: self.areas(Some(audit)),
                reviewed_controls: selection(self.scope_ids(audit), None),
                observations,
                risks,
                findings,
                remarks: None,
            });
        }
        let scope = only.map_or_else(|| "audits".to_string(), |id| format!("audit {id}"));
        AssessmentResults {
            uuid: self.uuid("assessment-results", only.unwrap_or("programme")),
            metadata: self.metadata(
                format!(
                    "{}: results of the internal ISMS {scope}",
                    self.organisation
                ),
                self.auditors(only),
                results.is_empty().then(|| {
                    "No completed audit (an audit with its report) to report.".to_string()
                }),
            ),
            import_ap: Href {
                href: "audits/programme.toml".into(),
                remarks: None,
            },
            results,
        }
    }

    /// An OSCAL finding: one per requirement a finding of the ISMS names.
    fn finding(
        &self,
        finding: &Finding,
        target: &str,
        related_observations: Vec<RelatedObservation>,
        risk: Option<Uuid>,
        remarks: Option<String>,
    ) -> OscalFinding {
        let nonconformity = finding.kind.is_nonconformity();
        OscalFinding {
            uuid: self.uuid("finding", &format!("{}#{target}", finding.id.as_str())),
            title: format!(
                "{} ({}): {target}",
                finding.id.as_str(),
                finding.kind.as_str()
            ),
            description: finding
                .statement
                .as_ref()
                .map_or_else(|| finding.id.to_string(), |s| s.to_string()),
            target: FindingTarget {
                kind: "objective-id",
                target_id: control_id(target),
                status: ObjectiveStatus {
                    state: if nonconformity {
                        "not-satisfied"
                    } else {
                        "satisfied"
                    },
                    reason: None,
                },
            },
            related_observations,
            related_risks: risk
                .map(|risk_uuid| vec![RelatedRisk { risk_uuid }])
                .unwrap_or_default(),
            remarks,
        }
    }

    /// A finding as an OSCAL risk, with its corrective actions as remediations.
    fn risk(&self, finding: &Finding) -> Risk {
        let open = finding.status().is_open();
        let remediations = finding
            .actions
            .iter()
            .enumerate()
            .map(|(n, action)| {
                let id = format!("{}#action-{}", finding.id.as_str(), n + 1);
                let task = action.due.as_ref().map(|due| Task {
                    uuid: self.uuid("task", &id),
                    kind: "milestone",
                    title: format!("Due: {}", due.get()),
                    description: None,
                    timing: Some(Timing::OnDate {
                        date: at_end(*due.get()),
                    }),
                    subjects: Vec::new(),
                    responsible_roles: Vec::new(),
                });
                Response {
                    uuid: self.uuid("remediation", &id),
                    lifecycle: if action.completed_on.is_some() {
                        "completed"
                    } else {
                        "planned"
                    },
                    title: format!("Corrective action {} of {}", n + 1, finding.id.as_str()),
                    description: action.description.to_string(),
                    tasks: task.into_iter().collect(),
                }
            })
            .collect();
        let deadline = finding
            .actions
            .iter()
            .filter(|a| a.completed_on.is_none())
            .filter_map(|a| a.due.as_ref().map(|d| *d.get()))
            .max();
        Risk {
            uuid: self.uuid("risk", finding.id.as_str()),
            title: format!("{} ({})", finding.id.as_str(), finding.kind.as_str()),
            description: finding
                .statement
                .as_ref()
                .map_or_else(|| finding.id.to_string(), |s| s.to_string()),
            statement: finding
                .evidence
                .as_ref()
                .map_or_else(|| "No evidence recorded.".to_string(), |e| e.to_string()),
            status: if !open {
                "closed"
            } else if finding.actions.is_empty() {
                "open"
            } else {
                "remediating"
            },
            deadline: deadline.map(at_end),
            remediations,
        }
    }

    fn poam(&self, only: Option<&str>) -> Poam {
        let open: Vec<&Finding> = self
            .isms
            .findings
            .iter()
            .filter(|f| only.is_none_or(|id| f.audit.as_str() == id))
            .filter(|f| f.kind.is_nonconformity() && f.status().is_open())
            .collect();
        let mut risks = Vec::new();
        let mut findings = Vec::new();
        let mut items = Vec::new();
        for finding in open {
            let risk = self.risk(finding);
            let targets: Vec<&RequirementRef> = finding.refs.iter().map(|r| r.get()).collect();
            let mut related = Vec::new();
            for target in &targets {
                let f = self.finding(
                    finding,
                    target.as_str(),
                    Vec::new(),
                    Some(risk.uuid),
                    Some(format!(
                        "Raised in audit {} on {}.",
                        finding.audit.as_str(),
                        finding.raised_on.get()
                    )),
                );
                related.push(RelatedFinding {
                    finding_uuid: f.uuid,
                });
                findings.push(f);
            }
            items.push(PoamItem {
                uuid: self.uuid("poam-item", finding.id.as_str()),
                title: format!(
                    "{}: correct the {} against {}",
                    finding.id.as_str(),
                    finding.kind.as_str(),
                    targets
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                description: finding
                    .statement
                    .as_ref()
                    .map_or_else(|| finding.id.to_string(), |s| s.to_string()),
                related_findings: related,
                related_risks: vec![RelatedRisk {
                    risk_uuid: risk.uuid,
                }],
            });
            risks.push(risk);
        }
        let scope = only.map_or_else(String::new, |id| format!(" of audit {id}"));
        Poam {
            uuid: self.uuid("poam", only.unwrap_or("programme")),
            metadata: self.metadata(
                format!(
                    "{}: open nonconformities{scope} and their corrective actions",
                    self.organisation
                ),
                Vec::new(),
                items
                    .is_empty()
                    .then(|| "No open nonconformity.".to_string()),
            ),
            local_definitions: None,
            observations: Vec::new(),
            risks,
            findings,
            poam_items: items,
        }
    }
}

fn conclusion(c: crate::model::Conclusion) -> &'static str {
    c.words()
}

impl std::fmt::Display for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}
