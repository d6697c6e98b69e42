//! Each requirement's status (`covered`, `partial`, `gap`), worked out from the SoA, the risk
//! register, the audit coverage of the current cycle and the open nonconformities.
//!
//! - `gap`: a mapped control is excluded, missing from the SoA or undecided, or none of the
//!   mapped controls is implemented.
//! - `covered`: every mapped control is applicable, implemented, tested by a completed audit of
//!   the cycle, has no open nonconformity and no risk it treats above the acceptance threshold
//!   without acceptance; and every mapped clause was tested by a completed audit of the cycle.
//! - `partial`: anything between.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Obligation, Pack, Requirement, mapping};
use crate::catalog::Catalog;
use crate::coverage::{self, Item};
use crate::model::{Date, ImplStatus, Isms};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Gap,
    Partial,
    Covered,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Gap => "gap",
            Status::Partial => "partial",
            Status::Covered => "covered",
        }
    }
}

/// What the SoA says of a control.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Applicable,
    Excluded,
    /// Listed without `applicable`.
    Undecided,
    /// Not in the SoA at all.
    Missing,
}

/// A mapped control as the ISMS stands.
#[derive(Clone, Debug, Serialize)]
pub struct ControlState {
    pub id: String,
    pub title: String,
    pub applicability: Applicability,
    pub implementation: Option<ImplStatus>,
    /// Completed audits of the cycle that tested it.
    pub audited_by: Vec<String>,
    /// Audits of the cycle planned to test it.
    pub planned_in: Vec<String>,
    /// Open nonconformities that name it.
    pub open_findings: Vec<String>,
    /// Risks it treats (from the SoA and the risk register).
    pub risks: Vec<String>,
    /// Of those, risks above the acceptance threshold that are not accepted.
    pub unaccepted_risks: Vec<String>,
}

/// A mapped clause and the completed audits of the cycle that tested it.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseState {
    pub id: String,
    pub audited_by: Vec<String>,
    pub planned_in: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RequirementStatus {
    pub id: String,
    pub citation: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub obligation: Option<Obligation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub status: Status,
    /// Why the requirement is not covered, one sentence each.
    pub reasons: Vec<String>,
    pub controls: Vec<ControlState>,
    pub clauses: Vec<ClauseState>,
    /// The organisation's own controls that name the requirement in controls.toml; their
    /// Annex A controls are among `controls`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub internal_controls: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub covered: usize,
    pub partial: usize,
    pub gap: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct FrameworkStatus {
    pub name: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// `built-in`, or the user's pack file.
    pub pack: String,
    /// The audit cycle the coverage is measured in.
    pub cycle: String,
    pub counts: Counts,
    pub requirements: Vec<RequirementStatus>,
}

/// What every requirement's status is built from, computed once per ISMS.
pub struct Assessor<'a> {
    isms: &'a Isms,
    catalog: &'a Catalog,
    cycle: String,
    controls: BTreeMap<String, Item>,
    clauses: BTreeMap<String, Item>,
}

impl<'a> Assessor<'a> {
    pub fn new(isms: &'a Isms, catalog: &'a Catalog, today: Date) -> Self {
        let config = isms.config_or_default();
        let cycle = coverage::current_cycle(config, today);
        let cov = coverage::coverage(isms, catalog, cycle, today);
        let index = |items: Vec<Item>| items.into_iter().map(|i| (i.id.clone(), i)).collect();
        Self {
            isms,
            catalog,
            cycle: cycle.label(),
            controls: index(cov.controls),
            clauses: index(cov.clauses),
        }
    }

    /// The status of every requirement of a pack.
    pub fn framework(&self, pack: &Pack, pack_file: Option<&str>) -> FrameworkStatus {
        let requirements: Vec<RequirementStatus> = pack
            .requirements
            .iter()
            .map(|r| self.requirement(pack.name.as_str(), r))
            .collect();
        let mut counts = Counts::default();
        for r in &requirements {
            match r.status {
                Status::Covered => counts.covered += 1,
                Status::Partial => counts.partial += 1,
                Status::Gap => counts.gap += 1,
            }
        }
        FrameworkStatus {
            name: pack.name.to_string(),
            title: pack.title.to_string(),
            source: pack.source.as_ref().map(|s| s.to_string()),
            pack: pack_file.unwrap_or("built-in").to_string(),
            cycle: self.cycle.clone(),
            counts,
            requirements,
        }
    }

    fn control(&self, id: &str) -> ControlState {
        let isms = self.isms;
        let entry = isms.soa_entry(id);
        let applicability = match entry {
            None => Applicability::Missing,
            Some(e) if e.is_applicable() => Applicability::Applicable,
            Some(e) if e.is_excluded() => Applicability::Excluded,
            Some(_) => Applicability::Undecided,
        };
        let implementation = entry
            .filter(|e| e.is_applicable())
            .and_then(|e| e.status.as_ref().map(|s| *s.get()));
        let item = self.controls.get(id);
        let open_findings = isms
            .findings
            .iter()
            .filter(|f| {
                f.kind.is_nonconformity()
                    && f.status().is_open()
                    && f.refs.iter().any(|r| r.as_str() == id)
            })
            .map(|f| f.id.to_string())
            .collect();
        let mut risks: Vec<String> = entry
            .map(|e| e.risks.iter().map(|r| r.to_string()).collect())
            .unwrap_or_default();
        risks.extend(
            isms.risks
                .iter()
                .filter(|r| r.controls.iter().any(|c| c.as_str() == id))
                .map(|r| r.id.to_string()),
        );
        risks.sort();
        risks.dedup();
        let settings = &isms.config_or_default().risk;
        let unaccepted_risks = risks
            .iter()
            .filter(|r| {
                isms.risk(r).is_some_and(|r| {
                    settings.needs_acceptance(r.residual_score()) && r.accepted_by.is_empty()
                })
            })
            .cloned()
            .collect();
        ControlState {
            id: id.to_string(),
            title: self
                .catalog
                .control(id)
                .map(|c| c.title.clone())
                .unwrap_or_default(),
            applicability,
            implementation,
            audited_by: item.map(|i| i.audited_by.clone()).unwrap_or_default(),
            planned_in: item.map(|i| i.planned_in.clone()).unwrap_or_default(),
            open_findings,
            risks,
            unaccepted_risks,
        }
    }

    /// The status of one requirement of the framework `framework`, through its pack's mapping
    /// and the internal controls that name it.
    pub fn requirement(&self, framework: &str, r: &Requirement) -> RequirementStatus {
        let controls: Vec<ControlState> = mapping::mapped_controls(self.isms, framework, r)
            .iter()
            .map(|c| self.control(c))
            .collect();
        let internal_controls = mapping::internal_controls_for(self.isms, framework, r.id.as_str())
            .map(|c| c.id.to_string())
            .collect();
        let clauses: Vec<ClauseState> = r
            .clauses
            .iter()
            .map(|c| {
                let item = self.clauses.get(c.as_str());
                ClauseState {
                    id: c.to_string(),
                    audited_by: item.map(|i| i.audited_by.clone()).unwrap_or_default(),
                    planned_in: item.map(|i| i.planned_in.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let (status, reasons) = judge(&controls, &clauses, &self.cycle);
        RequirementStatus {
            id: r.id.to_string(),
            citation: r.citation.to_string(),
            title: r.title.to_string(),
            obligation: r.obligation.as_ref().map(|o| *o.get()),
            note: r.note.as_ref().map(|n| n.to_string()),
            status,
            reasons,
            controls,
            clauses,
            internal_controls,
        }
    }
}

/// The status and the reasons for it, in the order of the mapping.
fn judge(controls: &[ControlState], clauses: &[ClauseState], cycle: &str) -> (Status, Vec<String>) {
    let mut gaps = Vec::new();
    let mut partial = Vec::new();
    for c in controls {
        match c.applicability {
            Applicability::Excluded => gaps.push(format!("{} is excluded by the SoA", c.id)),
            Applicability::Missing => gaps.push(format!("{} is not in the SoA", c.id)),
            Applicability::Undecided => gaps.push(format!("{} is undecided in the SoA", c.id)),
            Applicability::Applicable => match c.implementation {
                Some(ImplStatus::Implemented) => {}
                Some(other) => partial.push(format!("{} is {}", c.id, other.as_str())),
                None => partial.push(format!("{} has no implementation status", c.id)),
            },
        }
        if c.applicability == Applicability::Applicable {
            if c.audited_by.is_empty() {
                partial.push(match c.planned_in.first() {
                    Some(audit) => format!("{} is planned in {audit}, not yet audited", c.id),
                    None => format!("{} is not audited in {cycle}", c.id),
                });
            }
            for f in &c.open_findings {
                partial.push(format!("open nonconformity {f} against {}", c.id));
            }
            for r in &c.unaccepted_risks {
                partial.push(format!(
                    "risk {r} treated by {} is above the acceptance threshold and not accepted",
                    c.id
                ));
            }
        }
    }
    let implemented = controls
        .iter()
        .any(|c| c.implementation == Some(ImplStatus::Implemented));
    if !controls.is_empty() && !implemented {
        gaps.push("no mapped control is implemented".into());
    }
    for c in clauses {
        if c.audited_by.is_empty() {
            partial.push(match c.planned_in.first() {
                Some(audit) => format!("clause {} is planned in {audit}, not yet audited", c.id),
                None => format!("clause {} is not audited in {cycle}", c.id),
            });
        }
    }
    if !gaps.is_empty() {
        gaps.extend(partial);
        (Status::Gap, gaps)
    } else if !partial.is_empty() {
        (Status::Partial, partial)
    } else {
        (Status::Covered, Vec::new())
    }
}
