//! The registers of the records that close the loop: incidents, objectives with their results,
//! and management reviews with their decisions, as rows for CSV, XLSX and JSON.

use crate::model::{Date, Incident, Isms, Spanned};

use super::tables::{col, join as ids, person};
use super::{Cell, Column, Mark};

fn text(s: Option<&Spanned<String>>) -> Cell {
    s.map_or(Cell::Empty, |s| Cell::text(s.trim()))
}

fn date(d: Option<&Spanned<Date>>) -> Cell {
    Cell::opt_date(d.map(|d| *d.get()))
}

pub(super) fn incident_columns() -> Vec<Column> {
    vec![
        col("incident", "Incident", 14.0),
        col("title", "Title", 50.0),
        col("severity", "Severity", 10.0),
        col("detected_on", "Detected on", 12.0),
        col("resolved_on", "Resolved on", 12.0),
        col("areas", "Areas", 24.0),
        col("controls", "Controls", 16.0),
        col("summary", "Summary", 50.0),
        col("reviewed_on", "Reviewed on", 12.0),
        col("reviewed_by", "Reviewed by", 18.0),
        col("lessons", "Lessons", 50.0),
        col("findings", "Findings", 16.0),
        col("validated_by", "Validating audit", 14.0),
    ]
}

/// Whether the post-incident review the settings ask for is late (INC001's condition).
fn review_late(isms: &Isms, i: &Incident, today: Date) -> bool {
    let settings = &isms.config_or_default().incidents;
    i.review.is_none()
        && *i.severity.get() >= *settings.review_severity.get()
        && i.resolved_on
            .as_ref()
            .is_some_and(|r| r.get().add_days(i64::from(*settings.review_days.get())) < today)
}

pub(super) fn incidents(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let mut list: Vec<&Incident> = isms.incidents.iter().collect();
    list.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    list.into_iter()
        .map(|i| {
            let review = i.review.as_ref();
            let mark = if review_late(isms, i, today) {
                Mark::Overdue
            } else if i.is_serious() && review.and_then(|r| r.audit.as_ref()).is_none() {
                Mark::Attention
            } else {
                Mark::None
            };
            let row = vec![
                Cell::text(i.id.as_str()),
                Cell::text(i.title.trim()),
                Cell::text(i.severity.get().as_str()),
                Cell::Date(*i.detected_on.get()),
                date(i.resolved_on.as_ref()),
                Cell::text(ids(&i.areas)),
                Cell::text(ids(&i.controls)),
                text(i.summary.as_ref()),
                date(review.map(|r| &r.on)),
                person(isms, review.map(|r| r.by.as_str())),
                text(review.and_then(|r| r.lessons.as_ref())),
                Cell::text(review.map_or(String::new(), |r| ids(&r.findings))),
                Cell::text(
                    review
                        .and_then(|r| r.audit.as_ref())
                        .map_or("", |a| a.as_str()),
                ),
            ];
            (row, mark)
        })
        .collect()
}

pub(super) fn objective_columns() -> Vec<Column> {
    vec![
        col("objective", "Objective", 10.0),
        col("title", "Title", 40.0),
        col("owner", "Owner", 18.0),
        col("measure", "Measure", 40.0),
        col("target", "Target", 20.0),
        col("method", "Method", 40.0),
        col("frequency_months", "Every (months)", 10.0),
        col("due", "Due", 12.0),
        col("result_on", "Result on", 12.0),
        col("value", "Value", 16.0),
        col("met", "Target met", 10.0),
    ]
}

/// One row per result, oldest first; an objective never evaluated has one row without result.
pub(super) fn objectives(isms: &Isms, _today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let mut rows = Vec::new();
    for o in &isms.objectives {
        let head = vec![
            Cell::text(o.id.as_str()),
            Cell::text(o.title.trim()),
            person(isms, o.owner.as_ref().map(|p| p.as_str())),
            text(o.measure.as_ref()),
            text(o.target.as_ref()),
            text(o.method.as_ref()),
            Cell::Number(i64::from(
                o.frequency_months.as_ref().map_or(12, |f| *f.get()),
            )),
            date(o.due.as_ref()),
        ];
        let mut results: Vec<_> = o.results.iter().collect();
        results.sort_by_key(|r| *r.on.get());
        if results.is_empty() {
            let mut row = head.clone();
            row.extend([Cell::Empty, Cell::Empty, Cell::Empty]);
            rows.push((row, Mark::None));
        }
        for r in results {
            let mut row = head.clone();
            row.extend([
                Cell::Date(*r.on.get()),
                Cell::text(r.value.trim()),
                Cell::Bool(*r.met.get()),
            ]);
            let mark = if *r.met.get() {
                Mark::None
            } else {
                Mark::Attention
            };
            rows.push((row, mark));
        }
    }
    rows
}

pub(super) fn review_columns() -> Vec<Column> {
    vec![
        col("review", "Review", 12.0),
        col("date", "Date", 12.0),
        col("chair", "Chair", 18.0),
        col("attendees", "Attendees", 30.0),
        col("audits_reviewed", "Audits reviewed", 24.0),
        col("findings_reviewed", "Findings reviewed", 30.0),
        col("objectives_reviewed", "Objectives reviewed", 24.0),
        col("previous_actions", "a) Previous actions", 40.0),
        col("changes_in_issues", "b) Issues", 40.0),
        col("interested_parties", "c) Interested parties", 40.0),
        col("performance", "d) Performance", 40.0),
        col("feedback", "e) Feedback", 40.0),
        col("risk", "f) Risk", 40.0),
        col("improvement", "g) Improvement", 40.0),
        col("decision", "Decision", 14.0),
        col("description", "Description", 50.0),
        col("owner", "Owner", 18.0),
        col("due", "Due", 12.0),
        col("completed_on", "Completed on", 12.0),
    ]
}

/// One row per decision, reviews by date; a review without decisions has one row.
pub(super) fn management_reviews(isms: &Isms, today: Date) -> Vec<(Vec<Cell>, Mark)> {
    let mut rows = Vec::new();
    for review in crate::rules::review::chronological(&isms.management_reviews) {
        let inputs = review.inputs.clone().unwrap_or_default();
        let mut head = vec![
            Cell::text(review.id.as_str()),
            Cell::Date(*review.date.get()),
            person(isms, review.chair.as_ref().map(|c| c.as_str())),
            Cell::text(ids(&review.attendees)),
            Cell::text(ids(&review.audits_reviewed)),
            Cell::text(ids(&review.findings_reviewed)),
            Cell::text(ids(&review.objectives_reviewed)),
        ];
        head.extend(inputs.all().iter().map(|(_, _, t)| text(*t)));
        if review.decisions.is_empty() {
            let mut row = head.clone();
            row.extend([
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
            rows.push((row, Mark::None));
        }
        for (n, d) in review.decisions.iter().enumerate() {
            let overdue =
                d.completed_on.is_none() && d.due.as_ref().is_some_and(|due| *due.get() < today);
            let mark = if overdue {
                Mark::Overdue
            } else if d.completed_on.is_none() {
                Mark::Attention
            } else {
                Mark::None
            };
            let mut row = head.clone();
            row.extend([
                Cell::text(format!("{}#{}", review.id.as_str(), n + 1)),
                Cell::text(d.description.trim()),
                person(isms, d.owner.as_ref().map(|o| o.as_str())),
                date(d.due.as_ref()),
                date(d.completed_on.as_ref()),
            ]);
            rows.push((row, mark));
        }
    }
    rows
}
