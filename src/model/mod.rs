//! The ISMS as data: one type per file kind, with spans, and no I/O.
//!
//! The loader fills an [`Isms`]; rules, the site and the exports only read it.

mod area;
mod audit;
pub(crate) mod bounds;
mod config;
mod date;
mod document;
mod evidence;
mod exception;
mod finding;
mod id_format;
mod ids;
mod incident;
mod internal_control;
mod lookup;
mod objective;
mod one_or_many;
mod person;
mod review;
mod risk;
mod risk_levels;
mod signing_key;
mod soa;
mod spanned;
mod team;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

pub use crate::placeholder::Placeholder;
pub use area::{Area, RiskLevel};
pub use audit::{
    Audit, AuditKind, Checklist, ChecklistItem, Conclusion, ItemResult, Method, Plan, Programme,
    ProgrammeFile, Report, ReportFront, Section, Waiver,
};
pub use config::{
    ActionDays, AuditSettings, Config, FindingRating, FindingSettings, Framework, FrameworkId,
    Frequency, IncidentSettings, IndependenceSettings, ManagementReviewSettings, Organisation,
    RiskSettings, SeverityOverride, SignatureMode,
};
pub use date::Date;
pub use document::{DocKind, DocStatus, Document, DocumentFront};
pub use evidence::{EvidenceLocation, locate as locate_evidence};
pub use exception::Exception;
pub use finding::{
    Action, Closure, ClosureBasis, Finding, FindingStatus, FindingType, RootCause, Verification,
};
pub use id_format::{DEFAULT_AUDIT_ID_FORMAT, IdFormat, fiscal_year};
pub use ids::{
    AreaId, AuditId, ClauseId, ControlId, DocumentId, ExceptionId, FindingId, IncidentId,
    InternalControlId, ObjectiveId, PersonId, RequirementRef, ReviewId, RiskId,
};
pub use incident::{Incident, IncidentReview, IncidentSeverity};
pub use internal_control::InternalControl;
pub use objective::{Objective, ObjectiveResult};
pub use one_or_many::OneOrMany;
pub use person::{Competence, CompetenceKind, CompetenceRecord, Person};
pub use review::{Decision, ManagementReview, ReviewInputs};
pub use risk::{Risk, Treatment};
pub use risk_levels::{
    AcceptanceByLevel, DEFAULT_REVIEW_MONTHS, LevelBounds, ResidualLevel, ReviewByLevel,
    ReviewMonths,
};
pub use signing_key::{KeyId, KeyKind};
pub use soa::{Basis, ImplStatus, Maturity, SoaEntry};
pub use spanned::Spanned;
pub use team::{Holdings, Team};

/// Which loaded file something came from (an index into the loader's file list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// Where an object was written: its file and the span of its table (or front matter).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Origin {
    pub file: FileId,
    pub span: Range<usize>,
}

impl Origin {
    /// A whole file (no span: diagnostics show the file, not a line).
    pub fn in_file(file: FileId) -> Origin {
        Origin { file, span: 0..0 }
    }

    /// The place of one of the object's fields; the whole object when the field was absent.
    pub fn at<T>(&self, field: &Spanned<T>) -> Origin {
        let span = field.span();
        Origin {
            file: self.file,
            span: if span.is_empty() && span.start == 0 {
                self.span.clone()
            } else {
                span
            },
        }
    }

    /// The same file, another span.
    pub fn at_span(&self, span: Range<usize>) -> Origin {
        Origin {
            file: self.file,
            span,
        }
    }
}

/// The kinds of object that have ids, for references and duplicate checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Person,
    Area,
    Control,
    Risk,
    Document,
    Audit,
    Finding,
    ManagementReview,
    Objective,
    Incident,
    Team,
    InternalControl,
    Exception,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Area => "area",
            Kind::Control => "control",
            Kind::Risk => "risk",
            Kind::Document => "document",
            Kind::Audit => "audit",
            Kind::Finding => "finding",
            Kind::ManagementReview => "management review",
            Kind::Objective => "objective",
            Kind::Incident => "incident",
            Kind::Team => "team",
            Kind::InternalControl => "internal control",
            Kind::Exception => "exception",
        }
    }

    /// Where objects of this kind are defined, for hints.
    pub fn home(self) -> &'static str {
        match self {
            Kind::Person => "people.toml",
            Kind::Area => "areas.toml",
            Kind::Control => "soa.toml",
            Kind::Risk => "risks.toml",
            Kind::Document => "documents/",
            Kind::Audit => "audits/",
            Kind::Finding => "findings/",
            Kind::ManagementReview => "management-reviews/",
            Kind::Objective => "objectives.toml",
            Kind::Incident => "incidents/",
            Kind::Team => "teams.toml",
            Kind::InternalControl => "controls.toml",
            Kind::Exception => "exceptions/",
        }
    }
}

/// The whole ISMS as loaded. Collections keep file order; lookups go through the maps.
#[derive(Debug, Default)]
pub struct Isms {
    pub config: Option<Config>,
    /// Where isms.toml was read from, once loaded.
    pub config_origin: Option<Origin>,
    pub people: Vec<Person>,
    /// teams.toml, in file order.
    pub teams: Vec<Team>,
    /// controls.toml: the organisation's own controls, in file order.
    pub internal_controls: Vec<InternalControl>,
    pub areas: Vec<Area>,
    pub soa: Vec<SoaEntry>,
    /// Where soa.toml was read from, when it exists.
    pub soa_origin: Option<Origin>,
    pub risks: Vec<Risk>,
    pub documents: Vec<Document>,
    pub programme: Option<Programme>,
    pub audits: Vec<Audit>,
    pub findings: Vec<Finding>,
    /// The framework packs isms.toml enables, in its order, with the user's packs applied.
    pub frameworks: Vec<crate::frameworks::Pack>,
    /// management-reviews/<ID>.toml, in file order.
    pub management_reviews: Vec<ManagementReview>,
    pub objectives: Vec<Objective>,
    pub incidents: Vec<Incident>,
    /// exceptions/<ID>.toml, in file order.
    pub exceptions: Vec<Exception>,
    /// Every file below the ISMS root, relative to it with `/`, including evidence.
    pub files: BTreeSet<String>,
    /// The files among them that are symbolic links: never read, followed or published.
    pub links: BTreeSet<String>,
    /// Ids whose object exists but could not be read; references to them are not reported again.
    pub unreadable: BTreeSet<(Kind, String)>,
    /// Kinds of which some object could not be read at all (not even its id): rules that need
    /// the complete set (a missing SoA entry, no policy) stay silent for them.
    pub incomplete: BTreeSet<Kind>,
    /// Indexes behind the lookups below.
    lookups: Lookups,
}

#[derive(Debug, Default)]
struct Lookups {
    people: lookup::Index,
    teams: lookup::Index,
    internal_controls: lookup::Index,
    areas: lookup::Index,
    soa: lookup::Index,
    risks: lookup::Index,
    documents: lookup::Index,
    audits: lookup::Index,
    findings: lookup::Index,
    management_reviews: lookup::Index,
    objectives: lookup::Index,
    incidents: lookup::Index,
    exceptions: lookup::Index,
}

/// The settings of an ISMS whose isms.toml could not be read.
static DEFAULT_CONFIG: std::sync::LazyLock<Config> = std::sync::LazyLock::new(Config::default);

impl Isms {
    /// isms.toml, or the defaults when it could not be read.
    pub fn config_or_default(&self) -> &Config {
        self.config.as_ref().unwrap_or(&DEFAULT_CONFIG)
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.lookups
            .people
            .find(&self.people, |p| p.id.as_str(), id)
    }
    pub fn team(&self, id: &str) -> Option<&Team> {
        self.lookups.teams.find(&self.teams, |t| t.id.as_str(), id)
    }
    pub fn internal_control(&self, id: &str) -> Option<&InternalControl> {
        self.lookups
            .internal_controls
            .find(&self.internal_controls, |c| c.id.as_str(), id)
    }
    pub fn area(&self, id: &str) -> Option<&Area> {
        self.lookups.areas.find(&self.areas, |a| a.id.as_str(), id)
    }
    pub fn soa_entry(&self, id: &str) -> Option<&SoaEntry> {
        self.lookups.soa.find(&self.soa, |c| c.id.as_str(), id)
    }
    pub fn risk(&self, id: &str) -> Option<&Risk> {
        self.lookups.risks.find(&self.risks, |r| r.id.as_str(), id)
    }
    pub fn document(&self, id: &str) -> Option<&Document> {
        self.lookups
            .documents
            .find(&self.documents, |d| d.front.id.as_str(), id)
    }
    pub fn audit(&self, id: &str) -> Option<&Audit> {
        self.lookups
            .audits
            .find(&self.audits, |a| a.id.as_str(), id)
    }
    pub fn finding(&self, id: &str) -> Option<&Finding> {
        self.lookups
            .findings
            .find(&self.findings, |f| f.id.as_str(), id)
    }
    pub fn management_review(&self, id: &str) -> Option<&ManagementReview> {
        self.lookups
            .management_reviews
            .find(&self.management_reviews, |r| r.id.as_str(), id)
    }
    pub fn objective(&self, id: &str) -> Option<&Objective> {
        self.lookups
            .objectives
            .find(&self.objectives, |o| o.id.as_str(), id)
    }
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.lookups
            .incidents
            .find(&self.incidents, |i| i.id.as_str(), id)
    }

    pub fn exception(&self, id: &str) -> Option<&Exception> {
        self.lookups
            .exceptions
            .find(&self.exceptions, |e| e.id.as_str(), id)
    }

    /// Whether an object of `kind` named `id` exists (or exists but could not be read).
    pub fn knows(&self, kind: Kind, id: &str) -> bool {
        self.unreadable.contains(&(kind, id.to_string()))
            || match kind {
                Kind::Person => self.person(id).is_some(),
                Kind::Area => self.area(id).is_some(),
                Kind::Control => self.soa_entry(id).is_some(),
                Kind::Risk => self.risk(id).is_some(),
                Kind::Document => self.document(id).is_some(),
                Kind::Audit => self.audit(id).is_some(),
                Kind::Finding => self.finding(id).is_some(),
                Kind::ManagementReview => self.management_review(id).is_some(),
                Kind::Objective => self.objective(id).is_some(),
                Kind::Incident => self.incident(id).is_some(),
                Kind::Team => self.team(id).is_some(),
                Kind::InternalControl => self.internal_control(id).is_some(),
                Kind::Exception => self.exception(id).is_some(),
            }
    }

    /// All ids of a kind, for "did you mean" suggestions.
    pub fn ids(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Person => self.people.iter().map(|p| p.id.as_str()).collect(),
            Kind::Area => self.areas.iter().map(|a| a.id.as_str()).collect(),
            Kind::Control => self.soa.iter().map(|c| c.id.as_str()).collect(),
            Kind::Risk => self.risks.iter().map(|r| r.id.as_str()).collect(),
            Kind::Document => self.documents.iter().map(|d| d.front.id.as_str()).collect(),
            Kind::Audit => self.audits.iter().map(|a| a.id.as_str()).collect(),
            Kind::Finding => self.findings.iter().map(|f| f.id.as_str()).collect(),
            Kind::ManagementReview => self
                .management_reviews
                .iter()
                .map(|r| r.id.as_str())
                .collect(),
            Kind::Objective => self.objectives.iter().map(|o| o.id.as_str()).collect(),
            Kind::Incident => self.incidents.iter().map(|i| i.id.as_str()).collect(),
            Kind::Team => self.teams.iter().map(|t| t.id.as_str()).collect(),
            Kind::InternalControl => self
                .internal_controls
                .iter()
                .map(|c| c.id.as_str())
                .collect(),
            Kind::Exception => self.exceptions.iter().map(|e| e.id.as_str()).collect(),
        }
    }

    /// The top-management people: those who approve waivers and receive audit reports.
    pub fn top_management(&self) -> impl Iterator<Item = &Person> {
        self.people.iter().filter(|p| *p.top_management.get())
    }

    /// Findings per audit, in file order.
    pub fn findings_of<'a>(&'a self, audit: &'a str) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| f.audit.as_str() == audit)
    }

    /// Documents grouped by the area they belong to.
    pub fn documents_by_area(&self) -> BTreeMap<&str, Vec<&Document>> {
        let mut map: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
        for doc in &self.documents {
            if let Some(area) = &doc.front.area {
                map.entry(area.as_str()).or_default().push(doc);
            }
        }
        map
    }
}
