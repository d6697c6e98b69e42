//! The organisation's own controls: a list, and one page per control with its owner, the
//! Annex A controls and framework requirements it maps to, the SoA entries it implements and
//! its test history (the audits' checklist items that named it, with days and results). The
//! Annex A control pages link to the internal controls mapped to them through
//! [`Site::internal_controls_of`].

use serde::Serialize;
use serde_json::Value;

use super::reviews::to_value;
use super::{BuildError, Site, slug, url};
use crate::control_tests::{self, ControlTest};
use crate::model::InternalControl;

/// Where an internal control's page is.
pub(super) fn internal_control_url(id: &str) -> String {
    url("internal-controls", id)
}

/// A link to an internal control, as Annex A control pages and team pages show it.
#[derive(Clone, Serialize)]
pub(super) struct InternalControlLink {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// Its requirements in one framework.
#[derive(Serialize)]
struct FrameworkIds {
    framework: String,
    ids: Vec<FrameworkId>,
}

#[derive(Serialize)]
struct FrameworkId {
    id: String,
    /// The requirement's place on the framework's page, when the framework is enabled.
    url: Option<String>,
}

/// One checklist item that named the control.
#[derive(Serialize)]
struct TestRow {
    audit: Value,
    kind: &'static str,
    on: String,
    state: &'static str,
    method: &'static str,
    result: &'static str,
    finding: Option<String>,
    finding_url: Option<String>,
    counts: bool,
}

#[derive(Serialize)]
struct ControlRow {
    id: String,
    url: String,
    title: String,
    owner: Option<Value>,
    annex_a: Vec<Value>,
    frameworks: Vec<FrameworkIds>,
    implements: Vec<Value>,
    frequency_months: Option<u32>,
    last_tested: Option<String>,
    next_due: Option<String>,
    overdue: bool,
}

#[derive(Serialize)]
struct ControlPage {
    #[serde(flatten)]
    row: ControlRow,
    tests: Vec<TestRow>,
    diagnostics: Vec<Value>,
}

#[derive(Serialize)]
struct ControlsPage {
    controls: Vec<ControlRow>,
}

impl Site<'_> {
    /// The internal controls mapped to the Annex A control `annex_a`, for its page.
    pub(super) fn internal_controls_of(&self, annex_a: &str) -> Vec<InternalControlLink> {
        self.isms
            .internal_controls
            .iter()
            .filter(|c| c.annex_a.iter().any(|a| a.as_str() == annex_a))
            .map(|c| self.internal_control_link(c))
            .collect()
    }

    pub(super) fn internal_control_link(&self, c: &InternalControl) -> InternalControlLink {
        InternalControlLink {
            id: c.id.to_string(),
            title: c.title.to_string(),
            url: internal_control_url(c.id.as_str()),
        }
    }

    fn framework_ids(&self, c: &InternalControl) -> Vec<FrameworkIds> {
        crate::frameworks::mapping::describe(c)
            .into_iter()
            .map(|(framework, ids)| {
                let enabled = self
                    .isms
                    .frameworks
                    .iter()
                    .find(|p| p.name.as_str() == framework);
                let ids = ids
                    .into_iter()
                    .map(|id| FrameworkId {
                        url: enabled
                            .and_then(|p| p.requirement(&id))
                            .map(|_| format!("{}#{}", url("frameworks", &framework), slug(&id))),
                        id,
                    })
                    .collect();
                FrameworkIds { framework, ids }
            })
            .collect()
    }

    fn control_row(&self, c: &InternalControl, tests: &[ControlTest]) -> ControlRow {
        let isms = self.isms;
        let today = self.options.today;
        let id = c.id.as_str();
        let due = control_tests::next_due(isms, c, tests, today);
        ControlRow {
            id: id.to_string(),
            url: internal_control_url(id),
            title: c.title.to_string(),
            owner: c.owner.as_ref().map(|o| self.person(o.as_str())),
            annex_a: c
                .annex_a
                .iter()
                .map(|a| self.control_ref(a.as_str()))
                .collect(),
            frameworks: self.framework_ids(c),
            implements: isms
                .soa
                .iter()
                .filter(|e| e.implemented_by.iter().any(|b| b.as_str() == id))
                .map(|e| self.control_ref(e.id.as_str()))
                .collect(),
            frequency_months: c.frequency_months.as_ref().map(|m| *m.get()),
            last_tested: control_tests::last_tested(tests).map(|t| t.on.to_string()),
            next_due: due.map(|d| d.to_string()),
            overdue: due.is_some_and(|d| d < today),
        }
    }

    fn test_row(&self, t: &ControlTest) -> TestRow {
        let finding = t.finding.clone();
        TestRow {
            audit: self.audit_ref(&t.audit),
            kind: t.kind,
            on: t.on.to_string(),
            state: t.state.as_str(),
            method: t.method.as_str(),
            result: t.result.as_str(),
            finding_url: finding
                .as_deref()
                .filter(|f| self.isms.finding(f).is_some())
                .map(|f| url("findings", f)),
            finding,
            counts: t.counts,
        }
    }

    /// `internal-controls.html` and a page per control; nothing without controls.toml.
    pub(super) fn internal_controls(&mut self) -> Result<(), BuildError> {
        let isms = self.isms;
        if isms.internal_controls.is_empty() {
            return Ok(());
        }
        let today = self.options.today;
        let mut rows = Vec::new();
        for c in &isms.internal_controls {
            let id = c.id.as_str();
            let tests = control_tests::history(isms, id, today);
            let page = ControlPage {
                row: self.control_row(c, &tests),
                tests: tests.iter().map(|t| self.test_row(t)).collect(),
                diagnostics: self.diagnostics_in(&c.origin, false),
            };
            self.index_object(
                "control",
                format!("{id} {}", c.title.as_str()),
                internal_control_url(id),
                &to_value(&page),
            );
            self.page(
                "internal-control.html",
                &internal_control_url(id),
                "soa",
                page,
            )?;
            rows.push(self.control_row(c, &tests));
        }
        self.index(
            "page",
            "Internal controls".into(),
            "internal-controls.html".into(),
        );
        self.page(
            "internal-controls.html",
            "internal-controls.html",
            "soa",
            ControlsPage { controls: rows },
        )
    }
}
