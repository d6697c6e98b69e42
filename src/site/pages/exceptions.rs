//! The exceptions to controls: each with its control, reason, compensating controls, risk
//! level, approval and expiry (expired ones marked, EXC001); control pages link to the
//! exceptions of their control through [`Site::exceptions_of`].

use serde::Serialize;
use serde_json::Value;

use super::{BuildError, Site, slug};
use crate::model::Exception;

#[derive(Serialize)]
struct ExceptionRow {
    id: String,
    anchor: String,
    control: Value,
    reason: String,
    compensating_controls: Vec<Value>,
    risk: &'static str,
    approved_by: Vec<Value>,
    approved_on: Option<String>,
    expires_on: String,
    /// Days from the build's day to the last day it applies; negative once expired.
    days_left: i64,
    /// Days since it expired (0 while it applies).
    days_ago: i64,
    expired: bool,
    diagnostics: Vec<Value>,
}

#[derive(Serialize)]
struct ExceptionsPage {
    exceptions: Vec<ExceptionRow>,
}

/// A link to an exception, as a control page shows it.
#[derive(Serialize)]
pub(super) struct ExceptionLink {
    pub id: String,
    pub url: String,
    pub expires_on: String,
    pub expired: bool,
}

fn exception_url(id: &str) -> String {
    format!("exceptions.html#x-{}", slug(id))
}

impl Site<'_> {
    /// The exceptions to a control, by id.
    pub(super) fn exceptions_of(&self, control: &str) -> Vec<ExceptionLink> {
        let today = self.options.today;
        let mut out: Vec<ExceptionLink> = self
            .isms
            .exceptions
            .iter()
            .filter(|e| e.control.as_str() == control)
            .map(|e| ExceptionLink {
                id: e.id.to_string(),
                url: exception_url(e.id.as_str()),
                expires_on: e.expires_on.get().to_string(),
                expired: e.is_expired(today),
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    pub(super) fn exceptions(&mut self) -> Result<(), BuildError> {
        if self.isms.exceptions.is_empty() {
            return Ok(());
        }
        let today = self.options.today;
        let mut exceptions: Vec<&Exception> = self.isms.exceptions.iter().collect();
        exceptions.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
        let mut rows = Vec::new();
        for e in exceptions {
            let id = e.id.as_str();
            let row = ExceptionRow {
                id: id.to_string(),
                anchor: format!("x-{}", slug(id)),
                control: self.control_ref(e.control.as_str()),
                reason: e.reason.get().clone(),
                compensating_controls: e
                    .compensating_controls
                    .iter()
                    .map(|c| self.control_ref(c.as_str()))
                    .collect(),
                risk: e.risk.get().as_str(),
                approved_by: e
                    .approved_by
                    .iter()
                    .map(|p| self.person(p.as_str()))
                    .collect(),
                approved_on: e.approved_on.as_ref().map(|d| d.get().to_string()),
                expires_on: e.expires_on.get().to_string(),
                days_left: e.days_left(today),
                days_ago: (-e.days_left(today)).max(0),
                expired: e.is_expired(today),
                diagnostics: self.diagnostics_of_file(e.origin.file),
            };
            let words = serde_json::json!({"control": e.control.as_str(), "reason": row.reason});
            self.index_object(
                "exception",
                format!("{id} {}", e.control.as_str()),
                exception_url(id),
                &words,
            );
            rows.push(row);
        }
        self.index(
            "page",
            "Exceptions to controls".into(),
            "exceptions.html".into(),
        );
        self.page(
            "exceptions.html",
            "exceptions.html",
            "exceptions",
            ExceptionsPage { exceptions: rows },
        )
    }
}
