//! REF: every reference between objects resolves (REF001), and nothing relies on an excluded
//! control (REF002).

use crate::diagnostics::Diagnostic;
use crate::model::{Kind, Origin, RequirementRef, Spanned};
use crate::suggest;

use super::{Context, Rule};

pub(super) fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut r = Refs { cx, out };
    r.people_and_areas();
    r.teams();
    r.soa();
    r.risks();
    r.documents();
    r.audits();
    r.findings();
    r.closing_the_loop();
    r.exceptions();
    r.excluded_controls();
}

struct Refs<'c, 'a> {
    cx: &'c Context<'a>,
    out: &'c mut Vec<Diagnostic>,
}

impl Refs<'_, '_> {
    /// REF001 for management reviews, objectives and incidents.
    fn closing_the_loop(&mut self) {
        let isms = self.cx.isms;
        for r in &isms.management_reviews {
            let o = &r.origin;
            self.opt(Kind::Person, &r.chair, o, "chair");
            self.objects(Kind::Person, &r.attendees, o, "attendees");
            self.objects(Kind::Audit, &r.audits_reviewed, o, "audits_reviewed");
            self.objects(Kind::Finding, &r.findings_reviewed, o, "findings_reviewed");
            self.objects(
                Kind::Objective,
                &r.objectives_reviewed,
                o,
                "objectives_reviewed",
            );
            for d in &r.decisions {
                self.opt_holder(&d.owner, o, "owner");
            }
        }
        for obj in &isms.objectives {
            self.opt_holder(&obj.owner, &obj.origin, "owner");
        }
        for i in &isms.incidents {
            let o = &i.origin;
            self.objects(Kind::Area, &i.areas, o, "areas");
            for c in &i.controls {
                self.control(c, o, "controls");
            }
            if let Some(review) = &i.review {
                self.object(Kind::Person, &review.by, o, "by");
                self.objects(Kind::Finding, &review.findings, o, "findings");
                self.opt(Kind::Audit, &review.audit, o, "audit");
            }
        }
    }

    /// REF001 for an exception's controls and approvers.
    fn exceptions(&mut self) {
        for e in &self.cx.isms.exceptions {
            let o = &e.origin;
            self.control(&e.control, o, "control");
            self.controls(&e.compensating_controls, o, "compensating_controls");
            self.objects(Kind::Person, &e.approved_by.0, o, "approved_by");
        }
    }

    /// REF001 when `id` names no object of `kind`.
    fn object<T: AsRef<str>>(&mut self, kind: Kind, id: &Spanned<T>, origin: &Origin, field: &str) {
        let isms = self.cx.isms;
        let id_str = id.get().as_ref();
        if isms.incomplete.contains(&kind) || isms.knows(kind, id_str) {
            return;
        }
        let noun = kind.noun();
        let d = Diagnostic::new(
            Rule::REF001,
            format!("`{field}` names the unknown {noun} `{id_str}`"),
        )
        .at(origin.at(id));
        let ids = isms.ids(kind);
        self.out
            .push(match suggest::did_you_mean(id_str, ids.iter().copied()) {
                Some(best) => d.label(format!("did you mean `{best}`?")).help(format!(
                    "use the id of an existing {noun}, or define `{id_str}` in {}",
                    kind.home()
                )),
                None => d.label(format!("no {noun} has this id")).help(format!(
                    "define `{id_str}` in {}, or correct the id",
                    kind.home()
                )),
            });
    }

    /// REF001 when an owner or approver names neither a person nor a team.
    fn holder<T: AsRef<str>>(&mut self, id: &Spanned<T>, origin: &Origin, field: &str) {
        let isms = self.cx.isms;
        let id_str = id.get().as_ref();
        let known = |kind| isms.incomplete.contains(&kind) || isms.knows(kind, id_str);
        if known(Kind::Person) || known(Kind::Team) {
            return;
        }
        let d = Diagnostic::new(
            Rule::REF001,
            format!("`{field}` names `{id_str}`, who is neither a person nor a team"),
        )
        .at(origin.at(id));
        let ids = isms
            .ids(Kind::Person)
            .into_iter()
            .chain(isms.ids(Kind::Team));
        self.out.push(match suggest::did_you_mean(id_str, ids) {
            Some(best) => d.label(format!("did you mean `{best}`?")).help(format!(
                "use the id of a person in people.toml or of a team in teams.toml, or define `{id_str}` there"
            )),
            None => d.label("no person or team has this id").help(format!(
                "define `{id_str}` in people.toml (a person) or teams.toml (a team), or correct the id"
            )),
        });
    }

    fn opt_holder<T: AsRef<str>>(&mut self, id: &Option<Spanned<T>>, origin: &Origin, field: &str) {
        if let Some(id) = id {
            self.holder(id, origin, field);
        }
    }

    /// REF001 for a team's lead and members: people, not teams; and for the owners of the
    /// organisation's own controls.
    fn teams(&mut self) {
        for control in &self.cx.isms.internal_controls {
            self.opt_holder(&control.owner, &control.origin, "owner");
        }
        for team in &self.cx.isms.teams {
            let o = &team.origin;
            self.object(Kind::Person, &team.lead, o, "lead");
            self.objects(Kind::Person, &team.members, o, "members");
        }
    }

    fn objects<T: AsRef<str>>(
        &mut self,
        kind: Kind,
        ids: &[Spanned<T>],
        origin: &Origin,
        field: &str,
    ) {
        for id in ids {
            self.object(kind, id, origin, field);
        }
    }

    fn opt<T: AsRef<str>>(
        &mut self,
        kind: Kind,
        id: &Option<Spanned<T>>,
        origin: &Origin,
        field: &str,
    ) {
        if let Some(id) = id {
            self.object(kind, id, origin, field);
        }
    }

    /// REF001 when a control is neither in Annex A nor in the organisation's own catalogue.
    /// (A control of Annex A missing from the SoA is SOA001's.)
    fn control<T: AsRef<str>>(&mut self, id: &Spanned<T>, origin: &Origin, field: &str) {
        let catalog = self.cx.catalog;
        let isms = self.cx.isms;
        let id_str = id.get().as_ref();
        if catalog.control(id_str).is_some()
            || isms.knows(Kind::InternalControl, id_str)
            || (!id_str.starts_with("A.") && isms.incomplete.contains(&Kind::InternalControl))
        {
            return;
        }
        // Close to an internal control: name it; otherwise compare with Annex A below.
        let internal = isms.ids(Kind::InternalControl);
        if !id_str.starts_with("A.")
            && suggest::did_you_mean(id_str, internal.iter().copied()).is_some()
        {
            self.object(Kind::InternalControl, id, origin, field);
            return;
        }
        let d = Diagnostic::new(
            Rule::REF001,
            format!("`{field}` names `{id_str}`, which is not an Annex A control"),
        )
        .at(origin.at(id));
        let ids = catalog.controls.iter().map(|c| c.id.as_str());
        self.out.push(match suggest::did_you_mean(id_str, ids) {
            Some(best) => d.label(format!("did you mean `{best}`?")).help("ISO/IEC 27001:2022 Annex A has controls A.5.1 to A.5.37, A.6.1 to A.6.8, A.7.1 to A.7.14 and A.8.1 to A.8.34"),
            None => d.label("not in Annex A").help("ISO/IEC 27001:2022 Annex A has controls A.5.1 to A.5.37, A.6.1 to A.6.8, A.7.1 to A.7.14 and A.8.1 to A.8.34"),
        });
    }

    fn controls<T: AsRef<str>>(&mut self, ids: &[Spanned<T>], origin: &Origin, field: &str) {
        for id in ids {
            self.control(id, origin, field);
        }
    }

    fn clause<T: AsRef<str>>(&mut self, id: &Spanned<T>, origin: &Origin, field: &str) {
        let id_str = id.get().as_ref();
        if self.cx.catalog.clause(id_str).is_some() {
            return;
        }
        let d = Diagnostic::new(
            Rule::REF001,
            format!("`{field}` names `{id_str}`, which is not a clause of ISO/IEC 27001:2022"),
        )
        .at(origin.at(id));
        self.out.push(match self.cx.catalog.control_without_prefix(id_str) {
            // `clauses` lists take clauses only: the control belongs in the `controls` beside it.
            Some(control) if field.ends_with("clauses") => d
                .label(format!("did you mean the control `{}`?", control.id))
                .help(format!("`{}` is the Annex A control \"{}\": list it under `controls`", control.id, control.title)),
            Some(control) => d
                .label(format!("did you mean `{}`?", control.id))
                .help(format!("Annex A controls are written with `A.`: `{}` is \"{}\"", control.id, control.title)),
            None => d
                .label("unknown clause")
                .help("management-system clauses run from 4.1 to 10.2 (for example 6.1.3 or 9.2.2); Annex A controls are written A.5.1"),
        });
    }

    fn clauses<T: AsRef<str>>(&mut self, ids: &[Spanned<T>], origin: &Origin, field: &str) {
        for id in ids {
            self.clause(id, origin, field);
        }
    }

    fn requirement(&mut self, r: &Spanned<RequirementRef>, origin: &Origin, field: &str) {
        match r.get() {
            RequirementRef::Control(_) => self.control(r, origin, field),
            RequirementRef::Clause(_) => self.clause(r, origin, field),
        }
    }

    /// REF001 for evidence that is misspelled, leaves the ISMS folder or names a missing file.
    /// Addresses and tool records are checked for their spelling only (nothing is fetched).
    fn evidence(&mut self, path: &Spanned<String>, origin: &Origin) {
        let isms = self.cx.isms;
        match crate::model::locate_evidence(path.get()) {
            Ok(crate::model::EvidenceLocation::File(_)) => {}
            Ok(_) => return,
            Err(reason) => {
                self.out.push(
                    Diagnostic::new(Rule::REF001, format!("evidence {reason}"))
                        .at(origin.at(path))
                        .label("misspelled reference")
                        .help("evidence is a file below the ISMS root (`evidence/...`), a web address (`https://...`) or a record in a compliance tool (`tool:ID`)"),
                );
                return;
            }
        }
        let p = path.trim_start_matches("./");
        let escapes = p.starts_with('/') || p.split('/').any(|part| part == "..");
        if escapes {
            self.out.push(
                Diagnostic::new(
                    Rule::REF001,
                    format!("evidence `{}` is outside the ISMS folder", path.get()),
                )
                .at(origin.at(path))
                .label("paths are relative to the ISMS root and stay inside it")
                .help("copy the evidence into evidence/ and refer to it as evidence/..."),
            );
        } else if !isms.files.contains(p)
            && !isms
                .files
                .iter()
                .any(|f| f.starts_with(&format!("{}/", p.trim_end_matches('/'))))
        {
            let d = Diagnostic::new(
                Rule::REF001,
                format!("evidence file `{}` does not exist", path.get()),
            )
            .at(origin.at(path));
            let candidates = isms
                .files
                .iter()
                .filter(|f| f.starts_with("evidence/"))
                .map(String::as_str);
            self.out
                .push(match suggest::did_you_mean_path(p, candidates) {
                Some(best) => d
                    .label(format!("did you mean `{best}`?"))
                    .help("evidence paths are relative to the ISMS root"),
                None => d.label("no such file").help(
                    "add the file under evidence/, or correct the path (relative to the ISMS root)",
                ),
            });
        }
    }

    fn people_and_areas(&mut self) {
        for area in &self.cx.isms.areas {
            let o = &area.origin;
            self.holder(&area.owner, o, "owner");
            for member in &area.members {
                self.holder(member, o, "members");
            }
            self.controls(&area.controls, o, "controls");
            self.clauses(&area.clauses, o, "clauses");
        }
        for person in &self.cx.isms.people {
            for record in &person.competence {
                if let crate::model::Competence::Record(r) = record.get()
                    && let Some(path) = &r.evidence
                {
                    self.evidence(path, &person.origin);
                }
            }
        }
    }

    fn soa(&mut self) {
        for entry in &self.cx.isms.soa {
            let o = &entry.origin;
            self.opt_holder(&entry.owner, o, "owner");
            self.objects(Kind::Risk, &entry.risks, o, "risks");
            self.objects(Kind::Document, &entry.documents, o, "documents");
            for path in &entry.evidence {
                self.evidence(path, o);
            }
        }
    }

    fn risks(&mut self) {
        for risk in &self.cx.isms.risks {
            let o = &risk.origin;
            self.holder(&risk.owner, o, "owner");
            self.opt(Kind::Area, &risk.area, o, "area");
            self.controls(&risk.controls, o, "controls");
            for by in &risk.accepted_by.0 {
                self.holder(by, o, "accepted_by");
            }
        }
    }

    fn documents(&mut self) {
        for doc in &self.cx.isms.documents {
            let (o, f) = (&doc.origin, &doc.front);
            self.opt_holder(&f.owner, o, "owner");
            self.opt(Kind::Area, &f.area, o, "area");
            self.opt_holder(&f.approved_by, o, "approved_by");
            self.opt(Kind::Person, &f.approved_by_person, o, "approved_by_person");
            self.controls(&f.controls, o, "controls");
            self.clauses(&f.clauses, o, "clauses");
        }
    }

    fn audits(&mut self) {
        if let Some(programme) = &self.cx.isms.programme {
            self.object(Kind::Person, &programme.owner, &programme.origin, "owner");
        }
        for audit in &self.cx.isms.audits {
            if let Some(plan) = &audit.plan {
                let o = &plan.origin;
                self.objects(Kind::Area, &plan.areas, o, "areas");
                self.clauses(&plan.clauses, o, "clauses");
                if let Some(controls) = &plan.controls {
                    self.controls(controls, o, "controls");
                }
                self.object(Kind::Person, &plan.lead, o, "lead");
                self.opt(Kind::Person, &plan.transcribed_by, o, "transcribed_by");
                self.objects(Kind::Person, &plan.team, o, "team");
                // A plan or report may be sent to a team (its list): the team's lead answers.
                for who in &plan.notified {
                    self.holder(who, o, "notified");
                }
                for waiver in &plan.waivers {
                    self.object(Kind::Person, &waiver.auditor, o, "auditor");
                    self.object(Kind::Area, &waiver.area, o, "area");
                    self.object(Kind::Person, &waiver.approved_by, o, "approved_by");
                }
            }
            if let Some(checklist) = &audit.checklist {
                for item in &checklist.items {
                    self.requirement(&item.reference, &item.origin, "ref");
                    self.opt(Kind::Finding, &item.finding, &item.origin, "finding");
                }
            }
            if let Some(report) = &audit.report {
                for who in &report.front.distributed_to {
                    self.holder(who, &report.origin, "distributed_to");
                }
            }
        }
    }

    fn findings(&mut self) {
        for f in &self.cx.isms.findings {
            let o = &f.origin;
            self.object(Kind::Audit, &f.audit, o, "audit");
            for r in &f.refs {
                self.requirement(r, o, "refs");
            }
            self.opt(Kind::Area, &f.area, o, "area");
            self.object(Kind::Person, &f.raised_by, o, "raised_by");
            if let Some(rc) = &f.root_cause {
                self.object(Kind::Person, &rc.by, o, "root_cause.by");
            }
            for action in &f.actions {
                self.opt_holder(&action.owner, o, "action.owner");
            }
            if let Some(v) = &f.verification {
                self.object(Kind::Person, &v.by, o, "verification.by");
            }
            if let Some(c) = &f.closure {
                self.object(Kind::Person, &c.by, o, "closure.by");
                self.opt(Kind::Risk, &c.risk, o, "closure.risk");
                for by in &c.accepted_by {
                    self.holder(by, o, "closure.accepted_by");
                }
            }
        }
    }

    /// REF002: areas and documents that rely on a control the SoA excludes. (Risks are SOA005's.)
    fn excluded_controls(&mut self) {
        let isms = self.cx.isms;
        let excluded = |id: &str| isms.soa_entry(id).filter(|e| e.is_excluded());
        let mut report = |what: String,
                          control: &Spanned<crate::model::ControlId>,
                          origin: &Origin| {
            if let Some(entry) = excluded(control.as_str()) {
                self.out.push(
                    Diagnostic::new(Rule::REF002, format!("{what} relies on {}, which the SoA excludes", control.as_str()))
                        .at(origin.at(control))
                        .label("excluded in the SoA")
                        .related(entry.applicable.as_ref().map_or(entry.origin.clone(), |a| entry.origin.at(a)), "excluded here")
                        .help(format!("either include {} in the SoA (applicable = true, with a justification) or remove it here", control.as_str())),
                );
            }
        };
        for area in &isms.areas {
            for c in &area.controls {
                report(format!("area `{}`", area.id.as_str()), c, &area.origin);
            }
        }
        for doc in &isms.documents {
            for c in &doc.front.controls {
                report(
                    format!("document `{}`", doc.front.id.as_str()),
                    c,
                    &doc.origin,
                );
            }
        }
    }
}
