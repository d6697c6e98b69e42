//! The check's diagnostics as pages show them: all of them on the dashboard, and those inside
//! one object (its file, within its span) on the object's page.

use serde_json::{Value, json};

use super::Site;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::json::Location;
use crate::model::{FileId, Origin};

impl Site<'_> {
    pub(super) fn diagnostic(&self, d: &Diagnostic) -> Value {
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
    pub(super) fn diagnostics_in(&self, origin: &Origin, whole_file: bool) -> Vec<Value> {
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

    pub(super) fn diagnostics_of_file(&self, file: FileId) -> Vec<Value> {
        self.diagnostics_in(&Origin::in_file(file), true)
    }
}
